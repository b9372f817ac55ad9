/** Unit tests of the saved-object schema: RFC 7396 merge patch, visualization and dashboard normalisation. */
import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/errors.js';
import { normalizeDashboard, normalizePanels } from '../src/visualize/dashboard-schema.js';
import { mergePatch } from '../src/visualize/merge-patch.js';
import { migrateVisualization, normalizeVisualization } from '../src/visualize/schema.js';
import { parsePage } from '../src/visualize/service.js';

const ctx = { id: 'v1id', now: '2026-05-15T10:30:00.000Z', user: 'alice' };
const minimal = { title: 'Orders by currency', source: { kind: 'sql', index: 'orders.rel' }, chart: { type: 'bar' }, mapping: { x: 'currency' } };

/** The reason of the 400 ValidationError `fn` throws. */
function reason(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).status).toBe(400);
    expect((e as ApiError).type).toBe('ValidationError');
    return (e as ApiError).reason;
  }
  throw new Error('expected a ValidationError');
}

describe('mergePatch (RFC 7396)', () => {
  // The test cases of RFC 7396 Appendix A.
  it.each([
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [['a', 'b'], ['c', 'd'], ['c', 'd']],
    [{ a: 'b' }, ['c'], ['c']],
    [{ a: 'foo' }, null, null],
    [{ a: 'foo' }, 'bar', 'bar'],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ])('%j + %j = %j', (target, patch, result) => {
    expect(mergePatch(target, patch)).toEqual(result);
  });

  it('replaces arrays wholesale, leaves its inputs alone and treats __proto__ as a plain key', () => {
    const target = { tags: ['a', 'b'], nested: { keep: 1, drop: 2 } };
    const out = mergePatch(target, JSON.parse('{"tags":["c"],"nested":{"drop":null},"__proto__":{"polluted":true}}')) as Record<string, unknown>;
    expect(out).toEqual({ tags: ['c'], nested: { keep: 1 } , ['__proto__']: { polluted: true } });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect((out as { polluted?: boolean }).polluted).toBeUndefined();
    expect(target).toEqual({ tags: ['a', 'b'], nested: { keep: 1, drop: 2 } });
  });
});

describe('normalizeVisualization', () => {
  it('fills every default of §3.2 in the documented key order', () => {
    const v = normalizeVisualization(minimal, ctx);
    const expected = {
      id: 'v1id',
      schema_version: 'v1',
      title: 'Orders by currency',
      description: null,
      source: {
        kind: 'sql',
        index: 'orders.rel',
        connection_id: null,
        connector_id: null,
        sql: { raw_query: null, time_column: null, limit: 50, offset: 0, dimensions: [], metrics: [], order_by: [] },
        dsl: null,
        promql: null,
      },
      chart: { type: 'bar' },
      mapping: { x: { column: 'currency', bucket: null }, y: [], series: null, top: null, other_bucket: null },
      aggregation_type: null,
      options: { legend: null, bar_max_width: null, pie_donut_ratio: null, metric_formatting: null },
      filters: [],
      time_range: null,
      render: null,
      tags: [],
      created_at: ctx.now,
      updated_at: ctx.now,
      created_by: 'alice',
    };
    expect(JSON.stringify(v)).toBe(JSON.stringify(expected));
  });

  it('keeps supplied extensions and unknown keys, and ignores client ids and timestamps', () => {
    const v = normalizeVisualization({ ...minimal, id: 'mine', created_at: 'x', schema_version: 9, extensions: { k: 1 }, future: true }, ctx) as unknown as Record<string, unknown>;
    expect(v).toMatchObject({ id: 'v1id', created_at: ctx.now, schema_version: 'v1', extensions: { k: 1 }, future: true });
    expect(Object.keys(v).slice(-5)).toEqual(['extensions', 'created_at', 'updated_at', 'created_by', 'future']);
  });

  it('stamps saved filters', () => {
    const v = normalizeVisualization({ ...minimal, filters: [{ field: 'currency', operator: 'is', value: 'EUR' }, { id: 'f2', field: 'n', operator: 'exists', enabled: false }] }, ctx);
    expect(v.filters[0]).toEqual({ id: expect.stringMatching(/^[0-9a-f]{32}$/), field: 'currency', operator: 'is', value: 'EUR', enabled: true, is_time_filter: false, query_type: null, index: null });
    expect(Object.keys(v.filters[0])).toEqual(['id', 'field', 'operator', 'value', 'enabled', 'is_time_filter', 'query_type', 'index']);
    expect(v.filters[1]).toEqual({ id: 'f2', field: 'n', operator: 'exists', value: null, enabled: false, is_time_filter: false, query_type: null, index: null });
  });

  it('keeps immutable fields of the existing object on update and bumps updated_at', () => {
    const existing = { id: 'old', schema_version: 1, created_at: '2020-01-01T00:00:00.000Z', created_by: 'bob' };
    const v = normalizeVisualization({ ...minimal, id: 'x', created_by: 'eve' }, { ...ctx, existing });
    expect(v).toMatchObject({ id: 'old', schema_version: 1, created_at: '2020-01-01T00:00:00.000Z', created_by: 'bob', updated_at: ctx.now });
  });

  it.each([
    [{ ...minimal, title: undefined }, '`title` is required'],
    [{ ...minimal, title: '  ' }, '`title` is required'],
    [{ ...minimal, title: 5 }, '`title` must be a string'],
    [{ ...minimal, source: undefined }, '`source.kind` is required'],
    [{ ...minimal, source: { index: 't' } }, '`source.kind` is required'],
    [{ ...minimal, source: { kind: 'kql', index: 't' } }, "`source.kind` must be one of sql, querydsl, promql (got 'kql')"],
    [{ ...minimal, source: { kind: 'sql' } }, '`source.index` is required'],
    [{ ...minimal, chart: {} }, '`chart.type` is required'],
    [{ ...minimal, chart: { type: 'donut' } }, "`chart.type` must be one of bar, horizontalBar, line, area, scatter, pie, heatmap, metric, gauge, table (got 'donut')"],
    [{ ...minimal, mapping: { x: { column: 'c', bucket: 'fortnight' } } }, "`mapping.x.bucket` must be one of minute, hour, day, week, month, quarter, year (got 'fortnight')"],
    [{ ...minimal, mapping: { x: 3 } }, '`mapping.x` must be a column name, an object `{column, bucket}` or null'],
    [{ ...minimal, mapping: { x: 'c', y: 'v' } }, '`mapping.y` must be an array of strings'],
    [{ ...minimal, mapping: { x: 'c', top: -1 } }, '`mapping.top` must be a non-negative integer (got -1)'],
    [{ ...minimal, source: { kind: 'sql', index: 't', sql: { limit: -5 } } }, '`source.sql.limit` must be a non-negative integer (got -5)'],
    [{ ...minimal, source: { kind: 'sql', index: 't', sql: { offset: 1.5 } } }, '`source.sql.offset` must be a non-negative integer (got 1.5)'],
    [{ ...minimal, source: { kind: 'sql', index: 't', sql: { metrics: [{ column: 'v' }] } } }, '`source.sql.metrics[0].function` is required'],
    [{ ...minimal, aggregation_type: 'median' }, "`aggregation_type` must be one of count, sum, avg, none (got 'median')"],
    [{ ...minimal, filters: [{ field: 'a', operator: 'like' }] }, "`filters[0].operator` must be one of is, is_not, is_one_of, is_not_one_of, exists, does_not_exist, is_between, is_not_between, contains (got 'like')"],
    [{ ...minimal, filters: [{ operator: 'is' }] }, '`filters[0].field` is required'],
    [{ ...minimal, time_range: { kind: 'absolute', from: 'now-1d' } }, '`time_range.to` is required'],
    [{ ...minimal, options: { pie_donut_ratio: 2 } }, '`options.pie_donut_ratio` must be a number from 0 (pie) up to, not including, 1'],
    [{ ...minimal, tags: ['a', 1] }, '`tags[1]` must be a string'],
    [{ ...minimal, render: { mode: 'html' } }, "`render.mode` must be one of echarts_injection (got 'html')"],
    [{ title: 't', source: { kind: 'sql', index: 't' }, chart: { type: 'bar' } }, '`source.sql.raw_query` or Builder fields (`mapping.x` with `aggregation_type` or `source.sql.metrics`) are required for chart type `bar`'],
    [[1], 'request body must be a JSON object'],
    ['text', 'request body must be a JSON object'],
  ])('refuses %j: %s', (input, expected) => {
    expect(reason(() => normalizeVisualization(input, ctx))).toBe(expected);
  });

  it('accepts raw mode, charts that need no x, and execute-time matters (unknown functions, connectors)', () => {
    expect(() => normalizeVisualization({ title: 't', source: { kind: 'sql', index: 't', sql: { raw_query: 'SELECT 1' } }, chart: { type: 'bar' } }, ctx)).not.toThrow();
    expect(() => normalizeVisualization({ title: 't', source: { kind: 'sql', index: 't' }, chart: { type: 'metric' } }, ctx)).not.toThrow();
    expect(() => normalizeVisualization({ title: 't', source: { kind: 'promql', index: 't' }, chart: { type: 'line' } }, ctx)).not.toThrow();
    const v = normalizeVisualization(
      { ...minimal, source: { kind: 'sql', index: 't', connector_id: 'teradata', sql: { metrics: [{ id: 'm', function: 'median', column: 'v' }], order_by: [{ column: 'x', direction: 'sideways' }] } } },
      ctx,
    );
    expect(v.source.sql.metrics).toEqual([{ id: 'm', function: 'median', column: 'v' }]);
  });
});

describe('migrateVisualization (§3.3)', () => {
  const legacy = {
    title: 't',
    visualization_mode: 'table',
    source: { kind: 'sql', index: 't' },
    chart: {},
    mapping: { x: 'ts', x_bucket: 'day', series_split_by: 'host' },
  };

  it('rewrites every legacy spelling on input; canonical fields win', () => {
    const v = normalizeVisualization(legacy, ctx) as unknown as Record<string, unknown>;
    expect(v.chart).toEqual({ type: 'table' });
    expect(v.mapping).toEqual({ x: { column: 'ts', bucket: 'day' }, y: [], series: 'host', top: null, other_bucket: null });
    expect(v).not.toHaveProperty('visualization_mode');
    const canonical = normalizeVisualization(
      { ...legacy, chart: { type: 'bar' }, mapping: { x: { column: 'ts', bucket: 'hour' }, x_bucket: 'day', series: 'dc', series_split_by: 'host' } },
      ctx,
    );
    expect(canonical.chart).toEqual({ type: 'bar' });
    expect(canonical.mapping).toMatchObject({ x: { column: 'ts', bucket: 'hour' }, series: 'dc' });
  });

  it('folds legacy dimensions into mapping on read, with the warnings of §3.8, idempotently', () => {
    const stored = normalizeVisualization(
      {
        title: 't',
        source: {
          kind: 'sql',
          index: 't',
          sql: {
            dimensions: [
              { column: 'lane', top: 5, other_bucket: true, date_interval: 'month', custom_expression: 'x+1' },
              { column: 'host', top: 3, date_interval: 'day' },
            ],
          },
        },
        chart: { type: 'bar' },
        mapping: { x: { column: 'lane', bucket: 'week' } },
      },
      ctx,
    );
    expect(stored.source.sql.dimensions).toHaveLength(2);
    const { attributes, warnings } = migrateVisualization(stored);
    expect(attributes.source.sql.dimensions).toEqual([]);
    expect(attributes.mapping).toEqual({ x: { column: 'lane', bucket: 'week' }, y: [], series: null, top: 5, other_bucket: true });
    expect(warnings.map((w) => w.code)).toEqual([
      'dimension_custom_expression_ignored',
      'x_bucket_conflicts_with_date_interval',
      'dimension_date_interval_ignored',
      'top_n_other_bucket_unsupported_on_non_x',
    ]);
    expect(migrateVisualization(attributes)).toEqual({ attributes, warnings: [] });
  });

  it('takes the first dimension as the x axis when mapping.x is unset', () => {
    const stored = normalizeVisualization({ title: 't', source: { kind: 'sql', index: 't', sql: { dimensions: [{ column: 'ts', date_interval: 'day', top: 0 }] } }, chart: { type: 'line' } }, ctx);
    expect(migrateVisualization(stored).attributes.mapping).toMatchObject({ x: { column: 'ts', bucket: 'day' }, top: 0 });
  });
});

describe('dashboards', () => {
  const dctx = { id: 'dash-abc', now: '2026-05-15T10:30:00.000Z', user: 'alice' };

  it('fills the defaults of §3.9 and auto-lays out two columns', () => {
    const d = normalizeDashboard({ title: 'Revenue overview', panels: [{ viz_id: 'viz-a' }, { viz_id: 'viz-b' }] }, dctx);
    expect(JSON.stringify(d)).toBe(
      JSON.stringify({
        schema_version: 1,
        id: 'dash-abc',
        title: 'Revenue overview',
        panels: [
          { kind: 'visualization', id: 'panel_0', layout: { x: 0, y: 0, w: 24, h: 15 }, title_override: null, viz_id: 'viz-a' },
          { kind: 'visualization', id: 'panel_1', layout: { x: 24, y: 0, w: 24, h: 15 }, title_override: null, viz_id: 'viz-b' },
        ],
        options: { use_margins: true, hide_panel_titles: false, refresh_interval: null },
        filters: [],
        time_range: null,
        chat_thread_id: null,
        tags: [],
        created_at: dctx.now,
        updated_at: dctx.now,
        created_by: 'alice',
      }),
    );
    expect(normalizeDashboard({ title: 't' }, dctx).panels).toEqual([]);
  });

  it('starts the auto grid below the explicit panels and counts implicit panels only', () => {
    const panels = normalizePanels([
      { kind: 'markdown', content: '# hi' },
      { viz_id: 'a', layout: { x: 0, y: 0, w: 48, h: 8 } },
      { kind: 'divider', label: 'Costs' },
      { id: 'mine', viz_id: 'b', layout: { x: 12, y: 8, w: 12, h: 16 } },
      { viz_id: 'c' },
    ]);
    expect(panels.map((p) => [p.id, p.kind, p.layout])).toEqual([
      ['panel_0', 'markdown', { x: 0, y: 24, w: 24, h: 15 }],
      ['panel_1', 'visualization', { x: 0, y: 0, w: 48, h: 8 }],
      ['panel_2', 'divider', { x: 24, y: 24, w: 24, h: 15 }],
      ['mine', 'visualization', { x: 12, y: 8, w: 12, h: 16 }],
      ['panel_4', 'visualization', { x: 0, y: 39, w: 24, h: 15 }],
    ]);
    expect(panels[0]).toEqual({ kind: 'markdown', id: 'panel_0', layout: { x: 0, y: 24, w: 24, h: 15 }, title_override: null, content: '# hi' });
    expect(panels[2]).toEqual({ kind: 'divider', id: 'panel_2', layout: { x: 24, y: 24, w: 24, h: 15 }, title_override: null, label: 'Costs' });
  });

  it.each([
    [{ panels: [{}] }, 'panel[0] of kind `visualization` requires `viz_id`'],
    [{ panels: [{ viz_id: 'a' }, { kind: 'markdown' }] }, 'panel[1] of kind `markdown` requires `content`'],
    [{ panels: [{ kind: 'chart' }] }, "`panel[0].kind` must be one of visualization, markdown, divider (got 'chart')"],
    [{ panels: [{ viz_id: 'a', layout: { x: 48, y: 0, w: 1, h: 1 } }] }, 'panel[0] `layout.x` must be an integer from 0 to 47 (got 48)'],
    [{ panels: [{ viz_id: 'a', layout: { x: 0, y: -1, w: 1, h: 1 } }] }, 'panel[0] `layout.y` must be an integer >= 0 (got -1)'],
    [{ panels: [{ viz_id: 'a', layout: { x: 0, y: 0, w: 0, h: 1 } }] }, 'panel[0] `layout.w` must be an integer from 1 to 48 (got 0)'],
    [{ panels: [{ viz_id: 'a', layout: { x: 0, y: 0, w: 49, h: 1 } }] }, 'panel[0] `layout.w` must be an integer from 1 to 48 (got 49)'],
    [{ panels: [{ viz_id: 'a', layout: { x: 0, y: 0, w: 4, h: 0 } }] }, 'panel[0] `layout.h` must be an integer >= 1 (got 0)'],
    [{ panels: [{ viz_id: 'a', layout: { x: 0.5, y: 0, w: 4, h: 1 } }] }, 'panel[0] `layout.x` must be an integer from 0 to 47 (got 0.5)'],
    [{ panels: [{ viz_id: 'a', layout: { x: 40, y: 0, w: 12, h: 1 } }] }, 'panel[0] `layout.x + layout.w` must be <= 48 (got 40 + 12)'],
    [{ panels: [{ viz_id: 'a', layout: { x: 0, y: 0, w: 12 } }] }, 'panel[0] `layout.h` is required'],
    [{ panels: [{ viz_id: 'a', layout: 'full' }] }, '`panel[0].layout` must be an object'],
    [{ panels: {} }, '`panels` must be an array'],
    [{ panels: [{ viz_id: 'a' }], options: { use_margins: 'yes' } }, '`options.use_margins` must be a boolean or null'],
  ])('refuses %j: %s', (body, expected) => {
    expect(reason(() => normalizeDashboard({ title: 't', ...body }, dctx))).toBe(expected);
  });
});

describe('parsePage', () => {
  it('defaults, clamps and refuses', () => {
    expect(parsePage({})).toEqual({ limit: 500, offset: 0 });
    expect(parsePage({ limit: '5000', offset: '3' })).toEqual({ limit: 1000, offset: 3 });
    expect(parsePage({ limit: 0 })).toEqual({ limit: 0, offset: 0 });
    expect(reason(() => parsePage({ limit: '-1' }))).toBe('`limit` must be a non-negative integer (got "-1")');
    expect(reason(() => parsePage({ limit: '2.5' }))).toBe('`limit` must be a non-negative integer (got "2.5")');
    expect(reason(() => parsePage({ offset: 'abc' }))).toBe('`offset` must be a non-negative integer (got "abc")');
  });
});
