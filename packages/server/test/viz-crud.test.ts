/**
 * Saved visualizations and dashboards end to end (protocol §3.1–§3.3, §3.9): the real server on a
 * temp data dir, driven through the real SDK over signed HTTP; raw signed requests where the exact
 * status or error body matters.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InfinoClient, type VisualizationSpec } from '@infino/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/server.js';
import { signedRequest } from './http-helpers.js';
import { sdkFailure } from './test-server.js';

const creds = { accessKey: 'IAK_VIZCRUDTEST00001', secretKey: 'vizCrudTstSecretKey000000000000000000000A' };
const HEX32 = /^[0-9a-f]{32}$/;
const ISO_Z = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

const ordersViz = {
  title: 'Orders by currency',
  source: { kind: 'sql', index: 'orders.rel', sql: { raw_query: 'SELECT currency, count(*) AS n FROM "orders.rel" GROUP BY currency' } },
  chart: { type: 'bar' },
  mapping: { x: 'currency', y: ['n'] },
  tags: ['sales', 'eu'],
  filters: [{ field: 'currency', operator: 'is', value: 'EUR' }],
};

type Attrs = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const attrs = (o: { attributes: unknown }): Attrs => o.attributes as Attrs;

describe('saved objects CRUD', () => {
  let dir: string;
  let server: RunningServer;
  let sdk: InfinoClient;
  const start = async () => {
    server = await startServer({ port: 0, dataDir: dir, logLevel: 'silent', print: () => {}, ...creds });
    sdk = new InfinoClient({ ...creds, endpoint: server.url, retry: { maxRetries: 1 } });
  };
  const raw = (method: string, url: string, body?: unknown) =>
    signedRequest(server.port, creds, method, url, body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'infino-viz-crud-'));
    await start();
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('visualizations', () => {
    it('creates with 201, the envelope and every server default', async () => {
      const res = await raw('POST', '/visualizations', { title: 't', source: { kind: 'sql', index: 'x' }, chart: { type: 'metric' } });
      expect(res.status).toBe(201);
      const created = await sdk.createVisualization(ordersViz);
      expect(Object.keys(created)).toEqual(['id', 'kind', 'created_at', 'updated_at', 'attributes']);
      expect(created).toMatchObject({ kind: 'visualization', id: expect.stringMatching(HEX32), created_at: expect.stringMatching(ISO_Z) });
      expect(created.updated_at).toBe(created.created_at);
      const a = attrs(created);
      expect(a).toEqual({
        id: created.id,
        schema_version: 'v1',
        title: 'Orders by currency',
        description: null,
        source: {
          kind: 'sql',
          index: 'orders.rel',
          connection_id: null,
          connector_id: null,
          sql: { raw_query: ordersViz.source.sql.raw_query, time_column: null, limit: 50, offset: 0, dimensions: [], metrics: [], order_by: [] },
          dsl: null,
          promql: null,
        },
        chart: { type: 'bar' },
        mapping: { x: { column: 'currency', bucket: null }, y: ['n'], series: null, top: null, other_bucket: null },
        aggregation_type: null,
        options: { legend: null, bar_max_width: null, pie_donut_ratio: null, metric_formatting: null },
        filters: [{ id: expect.stringMatching(HEX32), field: 'currency', operator: 'is', value: 'EUR', enabled: true, is_time_filter: false, query_type: null, index: null }],
        time_range: null,
        render: null,
        tags: ['sales', 'eu'],
        created_at: created.created_at,
        updated_at: created.created_at,
        created_by: 'admin',
      });
      expect(Object.keys(a)).toEqual([
        'id', 'schema_version', 'title', 'description', 'source', 'chart', 'mapping', 'aggregation_type', 'options',
        'filters', 'time_range', 'render', 'tags', 'created_at', 'updated_at', 'created_by',
      ]);
      expect(await sdk.getVisualization(created.id)).toEqual(created);
    });

    it('migrates legacy fields on input and on read', async () => {
      const legacy = {
        title: 'legacy',
        visualization_mode: 'table',
        source: { kind: 'sql', index: 'lanes', sql: { dimensions: [{ column: 'lane', top: 5, other_bucket: true, date_interval: 'day' }] } },
        chart: {},
        mapping: { series_split_by: 'dc', x_bucket: 'hour' },
      };
      const created = await sdk.createVisualization(legacy as unknown as VisualizationSpec);
      const a = attrs(created);
      expect(a.chart).toEqual({ type: 'table' });
      // x comes from the legacy dimension; the sibling x_bucket had no x to attach to and is dropped.
      expect(a.mapping).toEqual({ x: { column: 'lane', bucket: 'day' }, y: [], series: 'dc', top: 5, other_bucket: true });
      expect(a.source.sql.dimensions).toEqual([]);
      expect(a).not.toHaveProperty('visualization_mode');
      expect(await sdk.getVisualization(created.id)).toEqual(created);
    });

    it('updates by merge patch: nulls delete, arrays are replaced, immutable fields stay, defaults come back', async () => {
      const created = await sdk.createVisualization({ ...ordersViz, description: 'first', options: { legend: { show: true, position: 'top' } } });
      const before = attrs(created);
      await new Promise((r) => setTimeout(r, 5));
      const updated = await sdk.updateVisualization(created.id, {
        id: 'hijack',
        schema_version: 99,
        created_at: '2000-01-01T00:00:00Z',
        created_by: 'mallory',
        description: null,
        tags: ['only'],
        filters: [],
        mapping: { y: null, series: 'region' },
        options: { legend: null },
        source: { sql: { limit: 10 } },
      });
      const a = attrs(updated);
      expect(updated.id).toBe(created.id);
      expect(updated.created_at).toBe(created.created_at);
      expect(updated.updated_at > created.updated_at).toBe(true);
      expect(a).toMatchObject({ id: created.id, schema_version: 'v1', created_at: created.created_at, created_by: 'admin', updated_at: updated.updated_at });
      expect(a.description).toBeNull();
      expect(a.tags).toEqual(['only']);
      expect(a.filters).toEqual([]);
      expect(a.mapping).toEqual({ x: before.mapping.x, y: [], series: 'region', top: null, other_bucket: null });
      expect(a.options).toEqual({ legend: null, bar_max_width: null, pie_donut_ratio: null, metric_formatting: null });
      expect(a.source.sql).toEqual({ ...before.source.sql, limit: 10 });
      expect(await sdk.getVisualization(created.id)).toEqual(updated);
    });

    it('keeps raw_query on the §3.3 example patch', async () => {
      const created = await sdk.createVisualization(ordersViz);
      const updated = await sdk.updateVisualization(created.id, { title: 'renamed', source: { sql: { limit: 200 } } });
      expect(attrs(updated)).toMatchObject({ title: 'renamed', source: { kind: 'sql', index: 'orders.rel', sql: { raw_query: ordersViz.source.sql.raw_query, limit: 200 } } });
    });

    it('validates the merged result', async () => {
      const created = await sdk.createVisualization(ordersViz);
      const res = await raw('PATCH', `/visualizations/${created.id}`, { title: null });
      expect(res.status).toBe(400);
      expect(res.json()).toMatchObject({ error: { type: 'ValidationError', reason: '`title` is required' }, status: 400 });
      const bad = await sdkFailure(sdk.updateVisualization(created.id, { chart: { type: 'radar' } }));
      expect(bad.status).toBe(400);
      expect(bad.reason).toMatch(/^`chart.type` must be one of/);
      expect(attrs(await sdk.getVisualization(created.id)).title).toBe(ordersViz.title);
    });

    it('answers 400 and 404 with the bodies of §3.1', async () => {
      const missing = await raw('POST', '/visualizations', { source: { kind: 'sql', index: 'x' }, chart: { type: 'bar' } });
      expect(missing.status).toBe(400);
      expect(missing.json()).toMatchObject({ error: { type: 'ValidationError', reason: '`title` is required' }, status: 400 });
      for (const [method, body] of [['GET'], ['PATCH', { title: 'x' }], ['DELETE']] as const) {
        const res = await raw(method, '/visualizations/nope', body);
        expect(res.status).toBe(404);
        expect(res.json()).toMatchObject({ error: { type: 'NotFound', reason: "visualization 'nope' not found" }, status: 404 });
      }
      for (const body of ['[1,2]', '"text"', '42', 'null']) {
        const res = await raw('POST', '/visualizations', body);
        expect(res.status).toBe(400);
        expect(res.json().error).toMatchObject({ type: 'ValidationError', reason: 'request body must be a JSON object' });
      }
      expect((await raw('POST', '/visualizations', '{not json')).status).toBe(400);
      const deep = `{"title":"t","source":{"kind":"sql","index":"x"},"chart":{"type":"table"},"extensions":${'{"a":'.repeat(20_000)}1${'}'.repeat(20_000)}}`;
      const tooDeep = await raw('POST', '/visualizations', deep);
      expect(tooDeep.status).toBe(400);
      expect(tooDeep.json().error).toMatchObject({ type: 'ValidationError', reason: 'request body is nested deeper than 100 levels' });
      expect((await raw('PUT', '/visualizations/abc', { title: 'x' })).status).toBe(405);
      const e = await sdkFailure(sdk.getVisualization('nope'));
      expect(e.status).toBe(404);
      expect(e.type).toBe('NotFound');
    });

    it('deletes with {acknowledged, deleted}, then 404', async () => {
      const created = await sdk.createVisualization(ordersViz);
      expect(await sdk.deleteVisualization(created.id)).toEqual({ acknowledged: true, deleted: true });
      expect((await sdkFailure(sdk.getVisualization(created.id))).status).toBe(404);
      expect((await sdkFailure(sdk.deleteVisualization(created.id))).status).toBe(404);
    });
  });

  describe('listing', () => {
    let ids: string[];
    beforeAll(async () => {
      const { items } = await sdk.listVisualizations({ limit: 1000 });
      for (const item of items) await sdk.deleteVisualization(item.id);
      ids = [];
      for (let i = 0; i < 7; i++) ids.push((await sdk.createVisualization({ ...ordersViz, title: `v${i}` })).id);
    });

    it('lists oldest first, stable, with limit and offset', async () => {
      const all = await sdk.listVisualizations();
      expect(all.items.map((o) => o.id)).toEqual(ids);
      expect(all.items[0]).toEqual(await sdk.getVisualization(ids[0]));
      expect((await sdk.listVisualizations({ limit: 3 })).items.map((o) => o.id)).toEqual(ids.slice(0, 3));
      expect((await sdk.listVisualizations({ limit: 3, offset: 5 })).items.map((o) => o.id)).toEqual(ids.slice(5));
      expect((await sdk.listVisualizations({ offset: 7 })).items).toEqual([]);
      expect((await sdk.listVisualizations({ limit: 0 })).items).toEqual([]);
    });

    it('clamps limit above 1000 and refuses negative or non-integer values', async () => {
      expect((await sdk.listVisualizations({ limit: 5000 })).items).toHaveLength(7);
      for (const q of ['limit=-1', 'offset=-3', 'limit=2.5', 'limit=ten']) {
        const res = await raw('GET', `/visualizations?${q}`);
        expect(res.status).toBe(400);
        expect(res.json()).toMatchObject({ error: { type: 'ValidationError', reason: expect.stringMatching(/^`(limit|offset)` must be a non-negative integer/) }, status: 400 });
      }
      expect((await sdkFailure(sdk.listVisualizations({ limit: -1 }))).status).toBe(400);
    });

    it('defaults to 500 items', async () => {
      const { items } = await sdk.listVisualizations({ limit: 1000 });
      for (const item of items) await sdk.deleteVisualization(item.id);
      const body = JSON.stringify({ title: 'bulk', source: { kind: 'sql', index: 't' }, chart: { type: 'table' } });
      // 502 objects so both the default and the clamp show; created in concurrent batches for speed.
      for (let i = 0; i < 502; i += 50) {
        const statuses = await Promise.all(Array.from({ length: Math.min(50, 502 - i) }, async () => (await raw('POST', '/visualizations', body)).status));
        expect(new Set(statuses)).toEqual(new Set([201]));
      }
      expect((await sdk.listVisualizations()).items).toHaveLength(500);
      expect((await sdk.listVisualizations({ limit: 2000 })).items).toHaveLength(502);
      expect((await sdk.listVisualizations({ offset: 500 })).items).toHaveLength(2);
    }, 120_000);
  });

  describe('dashboards', () => {
    it('creates with defaults, panel ids and the 2-column auto-layout', async () => {
      const res = await raw('POST', '/dashboards', { title: 'empty' });
      expect(res.status).toBe(201);
      expect(res.json().attributes).toMatchObject({ schema_version: 1, title: 'empty', panels: [], options: { use_margins: true, hide_panel_titles: false, refresh_interval: null } });
      const d = await sdk.createDashboard({ title: 'Revenue overview', panels: [{ viz_id: 'viz-a' }, { viz_id: 'viz-b' }, { kind: 'markdown', content: '**hi**' }] });
      expect(d).toMatchObject({ kind: 'dashboard', id: expect.stringMatching(HEX32) });
      expect(attrs(d)).toEqual({
        schema_version: 1,
        id: d.id,
        title: 'Revenue overview',
        panels: [
          { kind: 'visualization', id: 'panel_0', layout: { x: 0, y: 0, w: 24, h: 15 }, title_override: null, viz_id: 'viz-a' },
          { kind: 'visualization', id: 'panel_1', layout: { x: 24, y: 0, w: 24, h: 15 }, title_override: null, viz_id: 'viz-b' },
          { kind: 'markdown', id: 'panel_2', layout: { x: 0, y: 15, w: 24, h: 15 }, title_override: null, content: '**hi**' },
        ],
        options: { use_margins: true, hide_panel_titles: false, refresh_interval: null },
        filters: [],
        time_range: null,
        chat_thread_id: null,
        tags: [],
        created_at: d.created_at,
        updated_at: d.updated_at,
        created_by: 'admin',
      });
      expect(await sdk.getDashboard(d.id)).toEqual(d);
    });

    it('places implicit panels below explicit ones', async () => {
      const d = await sdk.createDashboard({
        title: 'mixed',
        panels: [{ viz_id: 'a' }, { viz_id: 'b', layout: { x: 0, y: 0, w: 48, h: 12 } }, { kind: 'divider' }, { viz_id: 'c' }],
      });
      expect(attrs(d).panels.map((p: Attrs) => p.layout)).toEqual([
        { x: 0, y: 12, w: 24, h: 15 },
        { x: 0, y: 0, w: 48, h: 12 },
        { x: 24, y: 12, w: 24, h: 15 },
        { x: 0, y: 27, w: 24, h: 15 },
      ]);
      expect(attrs(d).panels[2]).toEqual({ kind: 'divider', id: 'panel_2', layout: { x: 24, y: 12, w: 24, h: 15 }, title_override: null, label: null });
    });

    it('re-applies defaults after a merge patch that replaces the panels', async () => {
      const d = await sdk.createDashboard({ title: 'patch me', tags: ['a'], options: { hide_panel_titles: true }, panels: [{ viz_id: 'a' }, { viz_id: 'b' }] });
      const u = await sdk.updateDashboard(d.id, { panels: [{ viz_id: 'x' }], options: { refresh_interval: '30s' }, tags: null, id: 'no', created_at: 'no' });
      expect(attrs(u)).toMatchObject({
        id: d.id,
        created_at: d.created_at,
        title: 'patch me',
        panels: [{ kind: 'visualization', id: 'panel_0', layout: { x: 0, y: 0, w: 24, h: 15 }, title_override: null, viz_id: 'x' }],
        options: { use_margins: true, hide_panel_titles: true, refresh_interval: '30s' },
        tags: [],
      });
      expect(attrs(u).panels[0]).toEqual({ kind: 'visualization', id: 'panel_0', layout: { x: 0, y: 0, w: 24, h: 15 }, title_override: null, viz_id: 'x' });
    });

    it('refuses bad panels and layouts with a ValidationError', async () => {
      const cases: Array<[unknown, string]> = [
        [{ title: 'd', panels: [{ kind: 'visualization' }] }, 'panel[0] of kind `visualization` requires `viz_id`'],
        [{ title: 'd', panels: [{ viz_id: 'a' }, { kind: 'markdown' }] }, 'panel[1] of kind `markdown` requires `content`'],
        [{ title: 'd', panels: [{ viz_id: 'a', layout: { x: 40, y: 0, w: 12, h: 4 } }] }, 'panel[0] `layout.x + layout.w` must be <= 48 (got 40 + 12)'],
        [{ title: 'd', panels: [{ viz_id: 'a', layout: { x: 0, y: 0, w: 12, h: 0 } }] }, 'panel[0] `layout.h` must be an integer >= 1 (got 0)'],
        [{ panels: [] }, '`title` is required'],
      ];
      for (const [body, reason] of cases) {
        const res = await raw('POST', '/dashboards', body);
        expect(res.status).toBe(400);
        expect(res.json()).toMatchObject({ error: { type: 'ValidationError', reason }, status: 400 });
      }
      const d = await sdk.createDashboard({ title: 'ok' });
      const e = await sdkFailure(sdk.updateDashboard(d.id, { panels: [{ title_override: 'no viz' }] }));
      expect(e.status).toBe(400);
      expect(e.reason).toBe('panel[0] of kind `visualization` requires `viz_id`');
    });

    it('lists, 404s and deletes', async () => {
      const before = (await sdk.listDashboards()).items.length;
      const d = await sdk.createDashboard({ title: 'gone soon' });
      const { items } = await sdk.listDashboards();
      expect(items).toHaveLength(before + 1);
      expect(items.at(-1)).toEqual(d);
      expect((await sdk.listDashboards({ limit: 1, offset: before })).items).toEqual([d]);
      expect(await sdk.deleteDashboard(d.id)).toEqual({ acknowledged: true, deleted: true });
      const res = await raw('GET', '/dashboards/nope');
      expect(res.status).toBe(404);
      expect(res.json()).toMatchObject({ error: { type: 'NotFound', reason: "dashboard 'nope' not found" }, status: 404 });
      expect((await sdkFailure(sdk.deleteDashboard(d.id))).status).toBe(404);
      expect((await raw('GET', '/dashboards?limit=-2')).status).toBe(400);
    });
  });

  it('keeps saved objects across a restart on the same data dir', async () => {
    const v = await sdk.createVisualization({ ...ordersViz, title: 'durable' });
    const u = await sdk.updateVisualization(v.id, { description: 'after update' });
    const d = await sdk.createDashboard({ title: 'durable', panels: [{ viz_id: v.id }] });
    const vizList = (await sdk.listVisualizations({ limit: 1000 })).items;
    await server.close();
    await start();
    expect(await sdk.getVisualization(v.id)).toEqual(u);
    expect(await sdk.getDashboard(d.id)).toEqual(d);
    expect((await sdk.listVisualizations({ limit: 1000 })).items).toEqual(vizList);
    // New objects keep sorting after the old ones.
    const later = await sdk.createVisualization({ ...ordersViz, title: 'after restart' });
    expect((await sdk.listVisualizations({ limit: 1000 })).items.at(-1)?.id).toBe(later.id);
  });
});
