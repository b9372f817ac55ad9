/**
 * `POST /visualizations/{id}/data` end to end: the real server, the real SDK (`executeVisualization`
 * with `filters` / `timeRange`) over signed HTTP, a small bulk-loaded dataset with `@timestamp`.
 * Raw and Builder mode, the response shape (§3.4), filters and time ranges (§3.5), binding (§3.6),
 * warnings (§3.8), `truncated`, `filters_skipped`, and the 400/404 answers.
 */
import { type ExecuteVisualizationResponse, type Filter, InfinoClient, type VisualizationSpec } from '@infino/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedRequest } from './http-helpers.js';
import { sdkFailure, type TestServer, startTestServer } from './test-server.js';

const creds = { accessKey: 'IAK_VIZEXECTEST00001', secretKey: 'vizExecTestSecretKey00000000000000000000A' };

const HOSTS = ['alpha', 'beta', 'gamma', 'delta'];
const STATUSES = [200, 404, 500];
const MSGS = ["it's fine", '50% off_sale', 'a\\b', "'; DROP TABLE weblogs; --", '/* c */ -- x', 'ünïcödé 😀', 'plain', '50 percent off'];
const T0 = Date.UTC(2024, 0, 1);
const HOUR = 3_600_000;

type Doc = {
  '@timestamp': string;
  host: string;
  status: number;
  bytes: number;
  msg: string;
};

const DOCS: Doc[] = Array.from({ length: 40 }, (_, i) => ({
  '@timestamp': new Date(T0 + i * HOUR).toISOString(),
  host: HOSTS[i % 4],
  status: STATUSES[i % 3],
  bytes: 100 + i * 10,
  msg: MSGS[i % MSGS.length],
}));

/** Count of docs per host, sorted by host — what a `GROUP BY host ORDER BY host` returns. */
function countByHost(docs: Doc[], key = 'count'): Array<Record<string, unknown>> {
  const counts = new Map<string, number>();
  for (const d of docs) counts.set(d.host, (counts.get(d.host) ?? 0) + 1);
  return [...counts.keys()].sort().map((host) => ({ host, [key]: counts.get(host) }));
}

const METADATA_KEYS = ['source_kind', 'row_count', 'truncated', 'took_ms', 'executed_query', 'filters_applied', 'filters_skipped', 'warnings', 'binding'];

describe('POST /visualizations/{id}/data', () => {
  let running: TestServer;
  let sdk: InfinoClient;

  const create = async (spec: Partial<VisualizationSpec> & { source: VisualizationSpec['source'] }): Promise<string> => {
    const created = await sdk.createVisualization({ title: 'test', chart: { type: 'table' }, ...spec } as VisualizationSpec);
    return created.id;
  };
  const raw = (query: string, extra: Partial<VisualizationSpec> = {}) =>
    create({ chart: { type: 'bar' }, ...extra, source: { kind: 'sql', index: 'weblogs', sql: { raw_query: query, ...(extra.source?.sql ?? {}) } } });
  const exec = (id: string, filters?: Filter[], timeRange?: { from: string | number; to: string | number }) => sdk.executeVisualization(id, { filters, timeRange });

  beforeAll(async () => {
    running = await startTestServer('viz-execute', { ...creds, sqlMaxRows: 1000 });
    sdk = new InfinoClient({ ...creds, endpoint: running.server.url, retry: { maxRetries: 1 } });
    await sdk.uploadJsonToDataset('weblogs', DOCS.map((d) => `{"index":{}}\n${JSON.stringify(d)}`).join('\n') + '\n');
    await sdk.uploadJsonToDataset('web.rel', DOCS.slice(0, 12));
    await sdk.uploadJsonToDataset('many', Array.from({ length: 20 }, (_, i) => ({ cat: `c${String(i).padStart(2, '0')}`, v: i })));
  });
  afterAll(() => running?.stop());

  describe('raw mode', () => {
    it('answers columns, rows keyed by column, and every metadata key', async () => {
      const id = await raw('SELECT host, count(*) AS n, sum(bytes) AS total FROM weblogs GROUP BY host ORDER BY host');
      const r = await exec(id);
      expect(r.columns).toEqual([
        { name: 'host', type: 'string' },
        { name: 'n', type: 'number' },
        { name: 'total', type: 'number' },
      ]);
      const totals = new Map<string, number>();
      for (const d of DOCS) totals.set(d.host, (totals.get(d.host) ?? 0) + d.bytes);
      expect(r.rows).toEqual(countByHost(DOCS, 'n').map((row) => ({ ...row, total: totals.get(row.host as string) })));
      expect(Object.keys(r.metadata)).toEqual(METADATA_KEYS);
      expect(r.metadata).toMatchObject({ source_kind: 'sql', row_count: 4, truncated: false, filters_applied: [], filters_skipped: [], warnings: [] });
      expect(Number.isInteger(r.metadata.took_ms)).toBe(true);
      // No LIMIT of its own: the visualization's limit (default 50) is appended, and shown as such.
      expect(r.metadata.executed_query).toMatch(/ LIMIT 50$/);
      // Binding from the columns: first non-numeric is x, first numeric left is y.
      expect(r.metadata.binding).toEqual({ x: 'host', y: ['n'], series: null, value: null });
    });

    it('injects filters and an ISO / epoch-ms time range into the WHERE of the main SELECT', async () => {
      const id = await raw('SELECT host, count(*) AS n FROM weblogs GROUP BY host ORDER BY host');
      const from = T0 + 6 * HOUR;
      const to = T0 + 30 * HOUR;
      const r = await exec(id, [{ field: 'status', operator: 'is', value: 200 }], { from: new Date(from).toISOString(), to });
      const expected = DOCS.filter((d) => d.status === 200 && Date.parse(d['@timestamp']) >= from && Date.parse(d['@timestamp']) <= to);
      expect(r.rows).toEqual(countByHost(expected, 'n'));
      expect(r.metadata.filters_applied).toEqual(['status', '@timestamp']);
      expect(r.metadata.filters_skipped).toEqual([]);
      const q = r.metadata.executed_query;
      // In the WHERE, before GROUP BY; not wrapped in an outer SELECT.
      expect(q.indexOf('WHERE')).toBeGreaterThan(0);
      expect(q.indexOf('WHERE')).toBeLessThan(q.indexOf('GROUP BY'));
      expect(q.match(/SELECT/g)).toHaveLength(1);
      expect(q).toContain(`"@timestamp" >= '2024-01-01 06:00:00'::TIMESTAMP`);
      expect(q).toContain(`"@timestamp" <= '2024-01-02 06:00:00'::TIMESTAMP`);
    });

    it('ANDs filters with the query’s own WHERE, and keeps its own LIMIT', async () => {
      const id = await raw('SELECT host, bytes FROM weblogs WHERE bytes >= 300 ORDER BY bytes LIMIT 3');
      const r = await exec(id, [{ field: 'host', operator: 'is_one_of', value: ['alpha', 'gamma'] }]);
      const expected = DOCS.filter((d) => d.bytes >= 300 && ['alpha', 'gamma'].includes(d.host)).slice(0, 3);
      expect(r.rows).toEqual(expected.map((d) => ({ host: d.host, bytes: d.bytes })));
      expect(r.metadata.executed_query).toMatch(/LIMIT 3$/);
      expect(r.metadata.truncated).toBe(false);
    });

    it('runs unchanged (own text) when there is nothing to inject', async () => {
      const sql = 'SELECT host FROM weblogs ORDER BY host LIMIT 2';
      const r = await exec(await raw(sql));
      expect(r.metadata.executed_query).toBe(sql);
      expect(r.rows).toEqual([{ host: 'alpha' }, { host: 'alpha' }]);
    });

    it('sets truncated when the visualization limit cuts the rows, with OFFSET', async () => {
      const id = await raw('SELECT bytes FROM weblogs ORDER BY bytes', { source: { kind: 'sql', index: 'weblogs', sql: { limit: 5, offset: 2 } } } as Partial<VisualizationSpec>);
      const r = await exec(id);
      expect(r.rows).toEqual([120, 130, 140, 150, 160].map((bytes) => ({ bytes })));
      expect(r.metadata).toMatchObject({ row_count: 5, truncated: true });
      expect(r.metadata.executed_query).toMatch(/LIMIT 5 OFFSET 2$/);
      const all = await exec(await raw('SELECT bytes FROM weblogs', { source: { kind: 'sql', index: 'weblogs', sql: { limit: 40 } } } as Partial<VisualizationSpec>));
      expect(all.metadata).toMatchObject({ row_count: 40, truncated: false });
    });

    it('skips filters it cannot apply, with the reason, and still runs', async () => {
      const id = await raw('SELECT count(*) AS n FROM weblogs', { chart: { type: 'metric' } });
      const r = await exec(id, [
        { field: 'nope', operator: 'is', value: 1 },
        { field: 'host', operator: 'contains', value: ['a'] },
        { field: 'host', operator: 'like', value: 'a' },
        { field: 'status', operator: 'is', value: 404 },
      ]);
      expect(r.rows).toEqual([{ n: DOCS.filter((d) => d.status === 404).length }]);
      expect(r.metadata.filters_applied).toEqual(['status']);
      const skipped = r.metadata.filters_skipped;
      expect(skipped.map((s) => s.field).sort()).toEqual(['host', 'host', 'nope']);
      expect(skipped.find((s) => s.field === 'nope')!.reason).toMatch(/nope/);
      expect(skipped.map((s) => s.reason).join('\n')).toMatch(/unknown operator "like"/);
      expect(r.metadata.binding).toEqual({ x: null, y: [], series: null, value: 'n' });
    });

    it('skips every filter of a UNION (no single main SELECT) and runs the original', async () => {
      const id = await raw("SELECT host FROM weblogs WHERE status = 500 UNION SELECT 'zeta' ORDER BY host");
      const r = await exec(id, [{ field: 'host', operator: 'is', value: 'alpha' }]);
      expect(r.metadata.filters_skipped).toEqual([{ field: 'host', reason: expect.stringMatching(/UNION/) }]);
      expect(r.rows.map((row) => row.host)).toEqual(['alpha', 'beta', 'delta', 'gamma', 'zeta']);
    });

    it('filters the outer SELECT of a CTE query', async () => {
      const id = await raw('WITH w AS (SELECT host, status, "@timestamp" FROM weblogs) SELECT host, count(*) AS n FROM w GROUP BY host ORDER BY host');
      const r = await exec(id, [{ field: 'status', operator: 'is_not', value: 200 }]);
      expect(r.rows).toEqual(countByHost(DOCS.filter((d) => d.status !== 200), 'n'));
      expect(r.metadata.filters_applied).toEqual(['status']);
    });

    it('reads dotted dataset names and back-quoted names as the SQL API does', async () => {
      const dotted = await exec(await raw('SELECT host, count(*) AS n FROM web.rel GROUP BY host ORDER BY host'), [{ field: 'status', operator: 'is', value: 200 }]);
      expect(dotted.rows).toEqual(countByHost(DOCS.slice(0, 12).filter((d) => d.status === 200), 'n'));
      const quoted = await exec(await raw('SELECT `host`, count(*) AS n FROM `web.rel` GROUP BY `host` ORDER BY `host`;'), [{ field: '`host`', operator: 'is', value: 'beta' }]);
      expect(quoted.rows).toEqual([{ host: 'beta', n: 3 }]);
      expect(quoted.metadata.filters_applied).toEqual(['`host`']);
    });

    it('gives the same answer when the same statement and filters come again', async () => {
      const id = await raw('SELECT host, count(*) AS n FROM weblogs GROUP BY host ORDER BY host');
      const filters: Filter[] = [{ field: 'status', operator: 'is', value: 500 }, { field: 'nope', operator: 'is', value: 1 }];
      const first = await exec(id, filters);
      const again = await exec(id, filters);
      expect(again.rows).toEqual(first.rows);
      expect(again.rows).toEqual(countByHost(DOCS.filter((d) => d.status === 500), 'n'));
      expect({ ...again.metadata, took_ms: 0 }).toEqual({ ...first.metadata, took_ms: 0 });
    });

    it('warns when Builder fields sit beside a raw query, and on many categories', async () => {
      const id = await create({
        chart: { type: 'bar' },
        mapping: { top: 3 },
        source: { kind: 'sql', index: 'many', connector_id: 'teradata', sql: { raw_query: 'SELECT cat, v FROM many ORDER BY cat', metrics: [{ id: 'm', function: 'sum', column: 'v' }] } },
      });
      const r = await exec(id);
      expect(r.metadata.warnings.map((w) => w.code)).toEqual(['unknown_connector_id', 'raw_query_overrides_builder_fields']);
      const bar = await exec(await create({ chart: { type: 'bar' }, source: { kind: 'sql', index: 'many', sql: { raw_query: 'SELECT cat, v FROM many' } } }));
      expect(bar.metadata.warnings.map((w) => w.code)).toEqual(['high_cardinality_no_top_n']);
      expect(bar.rows).toHaveLength(20);
    });
  });

  describe('injection attempts', () => {
    it('binds hostile values as constants: quotes, comments, ; DROP, unicode, backslashes', async () => {
      const id = await raw('SELECT msg, count(*) AS n FROM weblogs GROUP BY msg ORDER BY msg');
      for (const msg of ["it's fine", "'; DROP TABLE weblogs; --", '/* c */ -- x', 'ünïcödé 😀', 'a\\b']) {
        const r = await exec(id, [{ field: 'msg', operator: 'is', value: msg }]);
        expect(r.rows).toEqual([{ msg, n: DOCS.filter((d) => d.msg === msg).length }]);
        expect(r.metadata.filters_skipped).toEqual([]);
      }
      const none = await exec(id, [{ field: 'msg', operator: 'is', value: "x' OR '1'='1" }]);
      expect(none.rows).toEqual([]);
      // The dataset is still there, whole.
      expect((await exec(await raw('SELECT count(*) AS n FROM weblogs'))).rows).toEqual([{ n: 40 }]);
    });

    it('contains matches %, _ and \\ literally', async () => {
      const id = await raw('SELECT DISTINCT msg FROM weblogs ORDER BY msg');
      const pct = await exec(id, [{ field: 'msg', operator: 'contains', value: '50%' }]);
      expect(pct.rows).toEqual([{ msg: '50% off_sale' }]);
      const under = await exec(id, [{ field: 'msg', operator: 'contains', value: 'f_s' }]);
      expect(under.rows).toEqual([{ msg: '50% off_sale' }]);
      const slash = await exec(id, [{ field: 'msg', operator: 'contains', value: '\\' }]);
      expect(slash.rows).toEqual([{ msg: 'a\\b' }]);
    });

    it('reads hostile field names as one column name: skipped, never run as SQL', async () => {
      const id = await raw('SELECT count(*) AS n FROM weblogs', { chart: { type: 'metric' } });
      for (const field of ['host" = \'x\' OR "1"="1', 'host; DROP TABLE weblogs; --', '/* */ host', 'status) OR (1=1']) {
        const r = await exec(id, [{ field, operator: 'is', value: 'alpha' }]);
        expect(r.rows).toEqual([{ n: 40 }]);
        expect(r.metadata.filters_skipped).toEqual([{ field, reason: expect.stringContaining('not found') }]);
      }
      // An already-quoted name is the column inside the quotes.
      const quoted = await exec(id, [{ field: '"host"', operator: 'is', value: 'alpha' }, { field: '`status`', operator: 'is', value: 200 }]);
      expect(quoted.rows).toEqual([{ n: DOCS.filter((d) => d.host === 'alpha' && d.status === 200).length }]);
      expect((await exec(await raw('SELECT count(*) AS n FROM weblogs'))).rows).toEqual([{ n: 40 }]);
    });
  });

  describe('builder mode', () => {
    it('runs the generated statement and binds its aliases', async () => {
      const id = await create({ chart: { type: 'bar' }, mapping: { x: 'host' }, source: { kind: 'sql', index: 'weblogs' } });
      const r = await exec(id);
      expect(r.metadata.executed_query).toBe('SELECT "host", COUNT(*) AS "count" FROM "weblogs" GROUP BY "host" ORDER BY "host" LIMIT 50');
      expect(r.columns).toEqual([
        { name: 'host', type: 'string' },
        { name: 'count', type: 'number' },
      ]);
      expect(r.rows).toEqual(countByHost(DOCS));
      expect(r.metadata.binding).toEqual({ x: 'host', y: ['count'], series: null, value: null });
      expect(r.metadata.truncated).toBe(false);
    });

    it('applies saved filters and time range, request filters winning per field', async () => {
      const id = await create({
        chart: { type: 'line' },
        mapping: { x: { column: '@timestamp', bucket: 'day' } },
        aggregation_type: 'sum',
        source: { kind: 'sql', index: 'weblogs', sql: { metrics: [{ id: 'm1', function: 'sum', column: 'bytes' }] } },
        filters: [
          { field: 'host', operator: 'is', value: 'alpha' },
          { field: 'status', operator: 'is', value: 500, enabled: false },
        ],
        time_range: { kind: 'absolute', from: '2024-01-01T12:00:00Z', to: '2024-01-02T12:00:00Z' },
      } as Partial<VisualizationSpec> & { source: VisualizationSpec['source'] });
      const inWindow = (d: Doc, from: number, to: number) => Date.parse(d['@timestamp']) >= from && Date.parse(d['@timestamp']) <= to;
      const byDay = (docs: Doc[]) => {
        const sums = new Map<string, number>();
        for (const d of docs) sums.set(d['@timestamp'].slice(0, 10), (sums.get(d['@timestamp'].slice(0, 10)) ?? 0) + d.bytes);
        return [...sums].sort().map(([day, sum]) => ({ '@timestamp': `${day}T00:00:00.000Z`, sum_bytes: sum }));
      };
      const saved = await exec(id);
      expect(saved.rows).toEqual(byDay(DOCS.filter((d) => d.host === 'alpha' && inWindow(d, T0 + 12 * HOUR, T0 + 36 * HOUR))));
      expect(saved.metadata.filters_applied).toEqual(['host', '@timestamp']);
      expect(saved.metadata.binding).toEqual({ x: '@timestamp', y: ['sum_bytes'], series: null, value: null });
      expect(saved.columns.map((c) => c.type)).toEqual(['date', 'number']);

      // The request's host filter replaces the saved one; its time range replaces the saved window.
      const r = await exec(id, [{ field: 'host', operator: 'is', value: 'beta' }], { from: T0, to: T0 + 10 * HOUR });
      expect(r.rows).toEqual(byDay(DOCS.filter((d) => d.host === 'beta' && inWindow(d, T0, T0 + 10 * HOUR))));
      // A disabled request filter switches the saved one off.
      const off = await exec(id, [{ field: 'host', operator: 'is', value: 'beta', enabled: false }], { from: T0, to: T0 + 100 * HOUR });
      expect(off.rows).toEqual(byDay(DOCS));
      expect(off.metadata.filters_applied).toEqual(['@timestamp']);
    });

    it('filters the Top-N ranking too, so the top N are those of the filtered rows', async () => {
      const id = await create({
        chart: { type: 'pie' },
        mapping: { x: 'host', top: 1, other_bucket: true },
        source: { kind: 'sql', index: 'weblogs', sql: { metrics: [{ id: 'm', function: 'sum', column: 'bytes' }] } },
      });
      const sumsOf = (docs: Doc[]) => {
        const sums = new Map<string, number>();
        for (const d of docs) sums.set(d.host, (sums.get(d.host) ?? 0) + d.bytes);
        return [...sums].sort((a, b) => b[1] - a[1]);
      };
      /** The top host and 'Other', largest sum first (the default Top-N order). */
      const expected = (docs: Doc[]) => {
        const [top, ...rest] = sumsOf(docs);
        const rows = [{ host: top[0], sum_bytes: top[1] }, { host: 'Other', sum_bytes: rest.reduce((s, [, v]) => s + v, 0) }];
        return rows.sort((a, b) => b.sum_bytes - a.sum_bytes);
      };
      // Unfiltered, the later hours (largest bytes) make delta the top host.
      expect(sumsOf(DOCS)[0][0]).toBe('delta');
      expect((await exec(id)).rows).toEqual(expected(DOCS));
      const r = await exec(id, [{ field: 'host', operator: 'is_not', value: 'delta' }]);
      expect(r.rows).toEqual(expected(DOCS.filter((d) => d.host !== 'delta')));
      expect(r.metadata.executed_query.match(/\(host != 'delta'\)/g)).toHaveLength(2);
    });

    it('sets truncated against the Builder LIMIT', async () => {
      const id = await create({ chart: { type: 'table' }, mapping: { y: ['host', 'bytes'] }, source: { kind: 'sql', index: 'weblogs', sql: { limit: 7 } } });
      const r = await exec(id);
      expect(r.rows).toHaveLength(7);
      expect(r.metadata.truncated).toBe(true);
      expect(r.metadata.executed_query).toBe('SELECT "host", "bytes" FROM "weblogs" LIMIT 7');
      expect(r.metadata.binding).toEqual({ x: null, y: [], series: null, value: null });
    });

    it('reports Builder warnings', async () => {
      const id = await create({ chart: { type: 'bar' }, mapping: { x: 'cat', y: ['v'] }, source: { kind: 'sql', index: 'many' } });
      const r = await exec(id);
      expect(r.metadata.warnings.map((w) => w.code)).toEqual(['mapping_y_ignored_for_aggregating_chart', 'high_cardinality_no_top_n']);
    });
  });

  describe('errors', () => {
    const status = async (p: Promise<unknown>) => {
      const e = await sdkFailure(p);
      return { status: e.status, body: e.body as { error: { type: string; reason: string }; status: number } };
    };

    it('404 for an unknown visualization', async () => {
      const { status: s, body } = await status(exec('nope'));
      expect(s).toBe(404);
      expect(body).toMatchObject({ error: { type: 'NotFound', reason: "visualization 'nope' not found" }, status: 404 });
    });

    it('400 for oracle_db Builder mode, connection_id and non-SQL sources', async () => {
      const oracle = await create({ chart: { type: 'bar' }, mapping: { x: 'host' }, source: { kind: 'sql', index: 'weblogs', connector_id: 'oracle_db' } });
      expect((await status(exec(oracle))).body.error.reason).toMatch(/oracle_db.*raw_query/);
      const external = await create({ source: { kind: 'sql', index: 'orders', connection_id: 'conn-1', connector_id: 'mysql', sql: { raw_query: 'SELECT 1' } } });
      const ext = await status(exec(external));
      expect(ext.status).toBe(400);
      expect(ext.body.error.reason).toMatch(/external connections execute through connectors in a later release/);
      const dsl = await create({ source: { kind: 'querydsl', index: 'weblogs' } });
      const d = await status(exec(dsl));
      expect(d.status).toBe(400);
      expect(d.body.error.reason).toMatch(/querydsl/);
    });

    it('400 for a malformed body', async () => {
      const id = await raw('SELECT 1 AS one');
      const port = running.server.port;
      for (const body of ['[1]', '{"filters": "x"}', '{"filters": [5]}', '{"filters": [{"operator": "is"}]}', '{"time_range": 5}', '{"nope": 1}', '{bad json']) {
        const res = await signedRequest(port, creds, 'POST', `/visualizations/${id}/data`, { body });
        expect(res.status, body).toBe(400);
        expect(res.json().status).toBe(400);
      }
      const empty = await signedRequest(port, creds, 'POST', `/visualizations/${id}/data`);
      expect(empty.status).toBe(200);
      expect(empty.json().rows).toEqual([{ one: 1 }]);
    });

    it('400 (not 500) for SQL errors of the user’s query', async () => {
      for (const q of ['SELEC host FROM weblogs', 'SELECT nope FROM weblogs', "SELECT CAST('x' AS INTEGER) AS i FROM weblogs", 'DELETE FROM weblogs']) {
        const { status: s } = await status(exec(await raw(q)));
        expect(s, q).toBe(400);
      }
      expect((await exec(await raw('SELECT count(*) AS n FROM weblogs'))).rows).toEqual([{ n: 40 }]);
    });
  });

  it('the SDK response type lines up', async () => {
    const r: ExecuteVisualizationResponse = await exec(await raw('SELECT 1 AS one'));
    expect(r.rows).toEqual([{ one: 1 }]);
  });
});
