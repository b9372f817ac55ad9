/**
 * Builder SQL cases (protocol §3.7/§3.8) as data: a matrix of chart type × aggregation × dialect
 * whose expected statements are spelled with the protocol's statement shapes, and hand-written
 * cases (exact SQL text) for order_by forms, Top-N, time buckets, series, limits and quoting.
 */
import type { VisualizationAttributes } from '@infino/sdk';

export interface VizInput {
  chart: string;
  index?: string;
  connector?: string | null;
  x?: string | { column: string; bucket?: string | null } | null;
  y?: string[];
  series?: string | null;
  top?: number | null;
  other_bucket?: boolean | null;
  aggregation_type?: string | null;
  metrics?: Array<Record<string, unknown>>;
  order_by?: Array<Record<string, unknown>>;
  limit?: number;
  offset?: number;
  raw_query?: string | null;
}

/** A fully defaulted visualization (as the schema stores it) from the few fields a case sets. */
export function viz(i: VizInput): VisualizationAttributes {
  return {
    id: 'v1',
    schema_version: 'v1',
    title: 't',
    description: null,
    source: {
      kind: 'sql',
      index: i.index ?? 'sales',
      connection_id: null,
      connector_id: i.connector ?? null,
      sql: {
        raw_query: i.raw_query ?? null,
        time_column: null,
        limit: i.limit ?? 50,
        offset: i.offset ?? 0,
        dimensions: [],
        metrics: (i.metrics ?? []) as unknown as VisualizationAttributes['source']['sql']['metrics'],
        order_by: i.order_by ?? [],
      },
      dsl: null,
      promql: null,
    },
    chart: { type: i.chart },
    mapping: {
      x: (typeof i.x === 'string' ? { column: i.x } : (i.x ?? null)) as VisualizationAttributes['mapping']['x'],
      y: i.y ?? [],
      series: i.series ?? null,
      top: i.top ?? null,
      other_bucket: i.other_bucket ?? null,
    },
    aggregation_type: (i.aggregation_type ?? null) as VisualizationAttributes['aggregation_type'],
    options: { legend: null, bar_max_width: null, pie_donut_ratio: null, metric_formatting: null },
    filters: [],
    time_range: null,
    render: null,
    tags: [],
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    created_by: 'alice',
  };
}

export interface Aliases {
  x: string | null;
  y: string[];
  series: string | null;
  value: string | null;
}

export interface BuilderCase {
  name: string;
  viz: VizInput;
  sql: string;
  /** Every warning code, in order, the dialect's first. */
  warnings: string[];
  aliases?: Aliases;
}

// ---------------------------------------------------------------------------------------------
// The matrix: every chart type × aggregation × dialect, x = region, heatmap series = tier.

export const DIALECTS = [
  { connector: null, q: '"', warnings: [] as string[] },
  { connector: 'postgres', q: '"', warnings: [] },
  { connector: 'snowflake', q: '"', warnings: [] },
  { connector: 'mysql', q: '`', warnings: [] },
  { connector: 'bigquery', q: '`', warnings: [] },
  { connector: 'clickhouse', q: '"', warnings: ['unknown_connector_id'] },
];

export const CHARTS = ['bar', 'horizontalBar', 'line', 'area', 'pie', 'heatmap', 'metric', 'gauge', 'scatter', 'table'] as const;

/** `metrics[0]` forms; `agg`/`alias` null for `none` (raw column). Columns are quoted by the matrix. */
export const AGGREGATIONS = [
  { name: 'count', metric: { id: 'm1', function: 'count' }, agg: 'COUNT(*)', alias: 'count', warnings: [] as string[] },
  { name: 'count+column', metric: { id: 'm1', function: 'count', column: 'amount' }, agg: 'COUNT(*)', alias: 'count', warnings: ['metric_column_unused_with_count_aggregation'] },
  { name: 'sum', metric: { id: 'm1', function: 'sum', column: 'amount' }, agg: 'SUM(<amount>)', alias: 'sum_amount', warnings: [] },
  { name: 'avg', metric: { id: 'm1', function: 'avg', column: 'amount' }, agg: 'AVG(<amount>)', alias: 'avg_amount', warnings: [] },
  { name: 'min', metric: { id: 'm1', function: 'min', column: 'amount' }, agg: 'MIN(<amount>)', alias: 'min_amount', warnings: [] },
  { name: 'max', metric: { id: 'm1', function: 'MAX', column: 'amount' }, agg: 'MAX(<amount>)', alias: 'max_amount', warnings: [] },
  { name: 'none', metric: { id: 'm1', function: 'none', column: 'amount' }, agg: null, alias: null, warnings: [] },
  { name: 'unknown', metric: { id: 'm1', function: 'median', column: 'amount' }, agg: 'COUNT(*)', alias: 'count', warnings: ['unknown_aggregation_function'] },
];

/** The §3.7 statement shape for one matrix cell; `<name>` marks an identifier to quote. */
function shape(chart: string, a: (typeof AGGREGATIONS)[number]): { sql: string; warnings: string[]; aliases: Aliases } {
  const sel = a.agg === null ? '<amount>' : `${a.agg} AS <${a.alias}>`;
  const y = a.alias === null ? ['amount'] : [a.alias];
  switch (chart) {
    case 'heatmap':
      return {
        sql:
          a.agg === null
            ? 'SELECT <region>, <tier>, <amount> FROM <sales> ORDER BY <region> LIMIT 50'
            : `SELECT <region>, <tier>, ${sel} FROM <sales> GROUP BY <region>, <tier> ORDER BY <region> LIMIT 50`,
        warnings: a.warnings,
        aliases: { x: 'region', y, series: 'tier', value: null },
      };
    case 'metric':
    case 'gauge':
      return { sql: `SELECT ${sel} FROM <sales> LIMIT 50`, warnings: a.warnings, aliases: { x: null, y: [], series: null, value: a.alias ?? 'amount' } };
    case 'scatter':
      return { sql: 'SELECT <region> FROM <sales> LIMIT 50', warnings: [], aliases: { x: 'region', y: [], series: null, value: null } };
    case 'table':
      return { sql: 'SELECT * FROM <sales> LIMIT 50', warnings: [], aliases: { x: null, y: [], series: null, value: null } };
    default:
      return {
        sql:
          a.agg === null
            ? 'SELECT <region>, <amount> FROM <sales> ORDER BY <region> LIMIT 50'
            : `SELECT <region>, ${sel} FROM <sales> GROUP BY <region> ORDER BY <region> LIMIT 50`,
        warnings: a.warnings,
        aliases: { x: 'region', y, series: null, value: null },
      };
  }
}

export function matrixCases(): BuilderCase[] {
  const out: BuilderCase[] = [];
  for (const d of DIALECTS) {
    for (const chart of CHARTS) {
      for (const a of AGGREGATIONS) {
        const s = shape(chart, a);
        out.push({
          name: `${d.connector ?? 'native'} ${chart} ${a.name}`,
          viz: { chart, connector: d.connector, x: 'region', series: chart === 'heatmap' ? 'tier' : null, metrics: [a.metric] },
          sql: s.sql.replace(/<([^>]+)>/g, (_, n: string) => d.q + n + d.q),
          warnings: [...d.warnings, ...s.warnings],
          aliases: s.aliases,
        });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Hand-written cases: exact SQL text.

export const CASES: BuilderCase[] = [
  // §3.7 examples
  {
    name: 'README native example: count by feature_name, limit 10',
    viz: { chart: 'bar', index: 'license_events', x: 'feature_name', limit: 10 },
    sql: 'SELECT "feature_name", COUNT(*) AS "count" FROM "license_events" GROUP BY "feature_name" ORDER BY "feature_name" LIMIT 10',
    warnings: [],
    aliases: { x: 'feature_name', y: ['count'], series: null, value: null },
  },
  {
    name: 'README BigQuery example (with AS upper-case): sum(revenue), order by metric desc',
    viz: {
      chart: 'bar',
      connector: 'bigquery',
      index: 'orders',
      x: 'customer_name',
      metrics: [{ id: 'm1', function: 'sum', column: 'revenue' }],
      order_by: [{ metric_id: 'm1', direction: 'desc' }],
      limit: 10,
    },
    sql: 'SELECT `customer_name`, SUM(`revenue`) AS `sum_revenue` FROM `orders` GROUP BY `customer_name` ORDER BY `sum_revenue` DESC LIMIT 10',
    warnings: [],
  },

  // aggregation_type shorthand
  { name: 'aggregation_type count', viz: { chart: 'bar', x: 'region', aggregation_type: 'count' }, sql: 'SELECT "region", COUNT(*) AS "count" FROM "sales" GROUP BY "region" ORDER BY "region" LIMIT 50', warnings: [] },
  {
    name: 'aggregation_type sum takes its column from mapping.y[0]',
    viz: { chart: 'line', x: 'region', y: ['amount'], aggregation_type: 'sum' },
    sql: 'SELECT "region", SUM("amount") AS "sum_amount" FROM "sales" GROUP BY "region" ORDER BY "region" LIMIT 50',
    warnings: [],
    aliases: { x: 'region', y: ['sum_amount'], series: null, value: null },
  },
  {
    name: 'aggregation_type avg with two y: the second is ignored',
    viz: { chart: 'area', x: 'region', y: ['amount', 'qty'], aggregation_type: 'avg' },
    sql: 'SELECT "region", AVG("amount") AS "avg_amount" FROM "sales" GROUP BY "region" ORDER BY "region" LIMIT 50',
    warnings: ['mapping_y_ignored_for_aggregating_chart'],
  },
  {
    name: 'aggregation_type none selects the mapping.y columns raw',
    viz: { chart: 'line', x: 'region', y: ['amount', 'qty'], aggregation_type: 'none' },
    sql: 'SELECT "region", "amount", "qty" FROM "sales" ORDER BY "region" LIMIT 50',
    warnings: [],
    aliases: { x: 'region', y: ['amount', 'qty'], series: null, value: null },
  },
  {
    name: 'no metric and no aggregation_type: count; mapping.y ignored',
    viz: { chart: 'pie', x: 'region', y: ['amount'] },
    sql: 'SELECT "region", COUNT(*) AS "count" FROM "sales" GROUP BY "region" ORDER BY "region" LIMIT 50',
    warnings: ['mapping_y_ignored_for_aggregating_chart'],
  },
  {
    name: 'metrics[0] wins over aggregation_type; extra metrics truncated; y ignored',
    viz: {
      chart: 'bar',
      x: 'region',
      y: ['qty'],
      aggregation_type: 'avg',
      metrics: [
        { id: 'a', function: 'max', column: 'amount' },
        { id: 'b', function: 'sum', column: 'qty' },
      ],
    },
    sql: 'SELECT "region", MAX("amount") AS "max_amount" FROM "sales" GROUP BY "region" ORDER BY "region" LIMIT 50',
    warnings: ['multi_metric_truncated', 'mapping_y_ignored_for_aggregating_chart'],
  },
  {
    name: 'metrics[0].alias overrides the alias (quote characters dropped)',
    viz: { chart: 'bar', x: 'region', metrics: [{ id: 'm', function: 'sum', column: 'amount', alias: 'Total "EUR"' }] },
    sql: 'SELECT "region", SUM("amount") AS "Total EUR" FROM "sales" GROUP BY "region" ORDER BY "region" LIMIT 50',
    warnings: [],
    aliases: { x: 'region', y: ['Total EUR'], series: null, value: null },
  },
  {
    name: 'metric on an already-quoted column: alias carries no quotes',
    viz: { chart: 'bar', x: '"Region"', metrics: [{ id: 'm', function: 'sum', column: '"dayOfWeek"' }] },
    sql: 'SELECT "Region", SUM("dayOfWeek") AS "sum_dayOfWeek" FROM "sales" GROUP BY "Region" ORDER BY "Region" LIMIT 50',
    warnings: [],
    aliases: { x: 'Region', y: ['sum_dayOfWeek'], series: null, value: null },
  },
  {
    name: 'mysql: double-quoted input identifiers are re-quoted with backticks',
    viz: { chart: 'bar', connector: 'mysql', x: '"Region"', metrics: [{ id: 'm', function: 'avg', column: '`dayOfWeek`' }] },
    sql: 'SELECT `Region`, AVG(`dayOfWeek`) AS `avg_dayOfWeek` FROM `sales` GROUP BY `Region` ORDER BY `Region` LIMIT 50',
    warnings: [],
  },
  {
    name: 'identifiers with quote characters are escaped, not trusted',
    viz: { chart: 'bar', index: 'sa"les', x: 'a"b', metrics: [{ id: 'm', function: 'sum', column: '"x" OR 1=1 --"' }] },
    sql: 'SELECT "a""b", SUM("""x"" OR 1=1 --""") AS "sum_x OR 1=1 --" FROM "sa""les" GROUP BY "a""b" ORDER BY "a""b" LIMIT 50',
    warnings: [],
  },
  {
    name: 'bigquery escapes backticks with a backslash; project.dataset.table stays one identifier',
    viz: { chart: 'bar', connector: 'bigquery', index: 'proj.ds.sales', x: 'a`b' },
    sql: 'SELECT `a\\`b`, COUNT(*) AS `count` FROM `proj.ds.sales` GROUP BY `a\\`b` ORDER BY `a\\`b` LIMIT 50',
    warnings: [],
  },
  {
    name: 'x given as a bare string (unmigrated input)',
    viz: { chart: 'bar', x: 'region' },
    sql: 'SELECT "region", COUNT(*) AS "count" FROM "sales" GROUP BY "region" ORDER BY "region" LIMIT 50',
    warnings: [],
  },

  // series
  {
    name: 'bar with series pivots on it',
    viz: { chart: 'bar', x: 'region', series: 'tier', metrics: [{ id: 'm', function: 'sum', column: 'amount' }] },
    sql: 'SELECT "region", "tier", SUM("amount") AS "sum_amount" FROM "sales" GROUP BY "region", "tier" ORDER BY "region" LIMIT 50',
    warnings: [],
    aliases: { x: 'region', y: ['sum_amount'], series: 'tier', value: null },
  },
  {
    name: 'pie has no series',
    viz: { chart: 'pie', x: 'region', series: 'tier' },
    sql: 'SELECT "region", COUNT(*) AS "count" FROM "sales" GROUP BY "region" ORDER BY "region" LIMIT 50',
    warnings: [],
    aliases: { x: 'region', y: ['count'], series: null, value: null },
  },
  {
    name: 'heatmap without series',
    viz: { chart: 'heatmap', x: 'region' },
    sql: 'SELECT "region", COUNT(*) AS "count" FROM "sales" GROUP BY "region" ORDER BY "region" LIMIT 50',
    warnings: ['missing_series_for_heatmap'],
  },

  // charts without x, scatter, table
  { name: 'bar without x', viz: { chart: 'bar', aggregation_type: 'count' }, sql: 'SELECT * FROM "sales" LIMIT 50', warnings: ['missing_x_axis_for_chart'], aliases: { x: null, y: [], series: null, value: null } },
  { name: 'scatter without x (mysql)', viz: { chart: 'scatter', connector: 'mysql', y: ['qty'] }, sql: 'SELECT * FROM `sales` LIMIT 50', warnings: ['missing_x_axis_for_chart'] },
  { name: 'heatmap without x or series', viz: { chart: 'heatmap', offset: 5 }, sql: 'SELECT * FROM "sales" LIMIT 50 OFFSET 5', warnings: ['missing_x_axis_for_chart', 'missing_series_for_heatmap'] },
  {
    name: 'metric ignores x and y',
    viz: { chart: 'metric', x: 'region', y: ['amount'], aggregation_type: 'count' },
    sql: 'SELECT COUNT(*) AS "count" FROM "sales" LIMIT 50',
    warnings: ['mapping_y_ignored_for_aggregating_chart'],
    aliases: { x: null, y: [], series: null, value: 'count' },
  },
  { name: 'gauge avg of y[0]', viz: { chart: 'gauge', y: ['amount'], aggregation_type: 'avg' }, sql: 'SELECT AVG("amount") AS "avg_amount" FROM "sales" LIMIT 50', warnings: [], aliases: { x: null, y: [], series: null, value: 'avg_amount' } },
  { name: 'metric with none and no column', viz: { chart: 'metric', aggregation_type: 'none' }, sql: 'SELECT * FROM "sales" LIMIT 50', warnings: [], aliases: { x: null, y: [], series: null, value: null } },
  {
    name: 'scatter x, y[0]',
    viz: { chart: 'scatter', x: 'qty', y: ['amount'], aggregation_type: 'none' },
    sql: 'SELECT "qty", "amount" FROM "sales" LIMIT 50',
    warnings: [],
    aliases: { x: 'qty', y: ['amount'], series: null, value: null },
  },
  { name: 'scatter with two y', viz: { chart: 'scatter', x: 'qty', y: ['amount', 'price'] }, sql: 'SELECT "qty", "amount" FROM "sales" LIMIT 50', warnings: ['multi_y_truncated'] },
  { name: 'table with y list (bigquery)', viz: { chart: 'table', connector: 'bigquery', y: ['region', 'amount'], limit: 20, offset: 40 }, sql: 'SELECT `region`, `amount` FROM `sales` LIMIT 20 OFFSET 40', warnings: [] },
  { name: 'table with no y', viz: { chart: 'table', limit: 0 }, sql: 'SELECT * FROM "sales" LIMIT 0', warnings: [] },
  { name: 'table ignores metrics', viz: { chart: 'table', metrics: [{ id: 'm', function: 'median' }, { id: 'n', function: 'sum' }] }, sql: 'SELECT * FROM "sales" LIMIT 50', warnings: [] },

  // LIMIT / OFFSET
  { name: 'offset > 0', viz: { chart: 'bar', x: 'region', limit: 5, offset: 10 }, sql: 'SELECT "region", COUNT(*) AS "count" FROM "sales" GROUP BY "region" ORDER BY "region" LIMIT 5 OFFSET 10', warnings: [] },
  { name: 'metric keeps the row window', viz: { chart: 'metric', offset: 1 }, sql: 'SELECT COUNT(*) AS "count" FROM "sales" LIMIT 50 OFFSET 1', warnings: [] },

  // ORDER BY forms
  {
    name: 'order_by metric_id asc (default direction)',
    viz: { chart: 'bar', x: 'region', metrics: [{ id: 'm1', function: 'sum', column: 'amount' }], order_by: [{ metric_id: 'm1' }] },
    sql: 'SELECT "region", SUM("amount") AS "sum_amount" FROM "sales" GROUP BY "region" ORDER BY "sum_amount" ASC LIMIT 50',
    warnings: [],
  },
  {
    name: 'order_by unknown metric_id: dropped, default order',
    viz: { chart: 'bar', x: 'region', metrics: [{ id: 'm1', function: 'sum', column: 'amount' }], order_by: [{ metric_id: 'nope', direction: 'desc' }] },
    sql: 'SELECT "region", SUM("amount") AS "sum_amount" FROM "sales" GROUP BY "region" ORDER BY "region" LIMIT 50',
    warnings: ['order_by_metric_id_unresolved'],
  },
  {
    name: 'order_by metric_id of a truncated metric: unresolved',
    viz: {
      chart: 'bar',
      x: 'region',
      metrics: [
        { id: 'm1', function: 'sum', column: 'amount' },
        { id: 'm2', function: 'avg', column: 'qty' },
      ],
      order_by: [{ metric_id: 'm2', direction: 'desc' }, { column: 'region', direction: 'DESC' }],
    },
    sql: 'SELECT "region", SUM("amount") AS "sum_amount" FROM "sales" GROUP BY "region" ORDER BY "region" DESC LIMIT 50',
    warnings: ['multi_metric_truncated', 'order_by_metric_id_unresolved'],
  },
  {
    name: 'order_by column + function',
    viz: { chart: 'bar', x: 'region', order_by: [{ column: 'revenue', function: 'sum', direction: 'desc' }] },
    sql: 'SELECT "region", COUNT(*) AS "count" FROM "sales" GROUP BY "region" ORDER BY SUM("revenue") DESC LIMIT 50',
    warnings: [],
  },
  {
    name: 'order_by function upper-case count(column)',
    viz: { chart: 'bar', connector: 'mysql', x: 'region', order_by: [{ column: 'qty', function: 'COUNT', direction: 'Desc' }] },
    sql: 'SELECT `region`, COUNT(*) AS `count` FROM `sales` GROUP BY `region` ORDER BY COUNT(`qty`) DESC LIMIT 50',
    warnings: [],
  },
  {
    name: 'order_by unknown function: bare column (unrecognized too)',
    viz: { chart: 'bar', x: 'region', order_by: [{ column: 'revenue', function: 'median', direction: 'desc' }] },
    sql: 'SELECT "region", COUNT(*) AS "count" FROM "sales" GROUP BY "region" ORDER BY "revenue" DESC LIMIT 50',
    warnings: ['order_by_function_unknown', 'order_by_column_unrecognized'],
  },
  {
    name: 'order_by unknown function on the x column',
    viz: { chart: 'bar', x: 'region', order_by: [{ column: 'region', function: 'p99' }] },
    sql: 'SELECT "region", COUNT(*) AS "count" FROM "sales" GROUP BY "region" ORDER BY "region" ASC LIMIT 50',
    warnings: ['order_by_function_unknown'],
  },
  {
    name: 'order_by alias, series and x columns, direction clamped',
    viz: {
      chart: 'bar',
      x: 'region',
      series: 'tier',
      aggregation_type: 'count',
      order_by: [
        { column: 'count', direction: 'DESC' },
        { column: 'tier', direction: 'sideways' },
        { column: '"region"', direction: null },
      ],
    },
    sql: 'SELECT "region", "tier", COUNT(*) AS "count" FROM "sales" GROUP BY "region", "tier" ORDER BY "count" DESC, "tier" ASC, "region" ASC LIMIT 50',
    warnings: [],
  },
  {
    name: 'order_by an unknown column is still emitted',
    viz: { chart: 'line', x: 'region', order_by: [{ column: 'zone', direction: 'desc' }] },
    sql: 'SELECT "region", COUNT(*) AS "count" FROM "sales" GROUP BY "region" ORDER BY "zone" DESC LIMIT 50',
    warnings: ['order_by_column_unrecognized'],
  },
  {
    name: 'order_by entry with neither column nor metric_id: dropped',
    viz: { chart: 'bar', x: 'region', order_by: [{ direction: 'desc' }] },
    sql: 'SELECT "region", COUNT(*) AS "count" FROM "sales" GROUP BY "region" ORDER BY "region" LIMIT 50',
    warnings: ['order_by_column_unrecognized'],
  },
  {
    name: 'order_by on a bucketed x uses the bucket expression',
    viz: { chart: 'line', x: { column: 'ts', bucket: 'day' }, order_by: [{ column: 'ts', direction: 'desc' }] },
    sql: `SELECT DATE_TRUNC('day', "ts") AS "ts", COUNT(*) AS "count" FROM "sales" GROUP BY DATE_TRUNC('day', "ts") ORDER BY DATE_TRUNC('day', "ts") DESC LIMIT 50`,
    warnings: [],
  },
  {
    name: 'table order_by a y column and an unknown one',
    viz: { chart: 'table', y: ['region', 'amount'], order_by: [{ column: 'amount', direction: 'desc' }, { column: 'qty' }] },
    sql: 'SELECT "region", "amount" FROM "sales" ORDER BY "amount" DESC, "qty" ASC LIMIT 50',
    warnings: ['order_by_column_unrecognized'],
  },
  {
    name: 'table SELECT * recognises any column; functions do not aggregate',
    viz: { chart: 'table', order_by: [{ column: 'qty', function: 'sum', direction: 'desc' }] },
    sql: 'SELECT * FROM "sales" ORDER BY "qty" DESC LIMIT 50',
    warnings: [],
  },
  {
    name: 'metric charts have no ORDER BY',
    viz: { chart: 'metric', order_by: [{ column: 'zone' }] },
    sql: 'SELECT COUNT(*) AS "count" FROM "sales" LIMIT 50',
    warnings: [],
  },

  // Top-N + Other
  {
    name: 'top-N + Other, sum (the §3.7 shape, one line, text-cast x)',
    viz: { chart: 'bar', connector: 'mysql', index: 'T', x: 'Lane', metrics: [{ id: 'm', function: 'sum', column: 'v' }], top: 5, other_bucket: true },
    sql: "SELECT CASE WHEN `Lane` IN (SELECT `Lane` FROM `T` GROUP BY `Lane` ORDER BY SUM(`v`) DESC LIMIT 5) THEN CAST(`Lane` AS CHAR) ELSE 'Other' END AS `Lane`, SUM(`v`) AS `sum_v` FROM `T` GROUP BY 1 ORDER BY `sum_v` DESC LIMIT 50",
    warnings: [],
    aliases: { x: 'Lane', y: ['sum_v'], series: null, value: null },
  },
  {
    name: 'top-N + Other, count, native',
    viz: { chart: 'pie', x: 'region', top: 2, other_bucket: true },
    sql: `SELECT CASE WHEN "region" IN (SELECT "region" FROM "sales" GROUP BY "region" ORDER BY COUNT(*) DESC LIMIT 2) THEN CAST("region" AS VARCHAR) ELSE 'Other' END AS "region", COUNT(*) AS "count" FROM "sales" GROUP BY 1 ORDER BY "count" DESC LIMIT 50`,
    warnings: [],
  },
  {
    name: 'top-N + Other, bigquery',
    viz: { chart: 'horizontalBar', connector: 'bigquery', x: 'region', aggregation_type: 'avg', y: ['amount'], top: 3, other_bucket: true },
    sql: "SELECT CASE WHEN `region` IN (SELECT `region` FROM `sales` GROUP BY `region` ORDER BY AVG(`amount`) DESC LIMIT 3) THEN CAST(`region` AS STRING) ELSE 'Other' END AS `region`, AVG(`amount`) AS `avg_amount` FROM `sales` GROUP BY 1 ORDER BY `avg_amount` DESC LIMIT 50",
    warnings: [],
  },
  {
    name: 'top-N + Other with series and an explicit order',
    viz: { chart: 'bar', x: 'region', series: 'tier', top: 2, other_bucket: true, order_by: [{ column: 'region' }, { metric_id: 'x' }] },
    sql: `SELECT CASE WHEN "region" IN (SELECT "region" FROM "sales" GROUP BY "region" ORDER BY COUNT(*) DESC LIMIT 2) THEN CAST("region" AS VARCHAR) ELSE 'Other' END AS "region", "tier", COUNT(*) AS "count" FROM "sales" GROUP BY 1, "tier" ORDER BY "region" ASC LIMIT 50`,
    warnings: ['order_by_metric_id_unresolved'],
  },
  {
    name: 'top without other_bucket: no rewrite',
    viz: { chart: 'bar', x: 'region', top: 5 },
    sql: 'SELECT "region", COUNT(*) AS "count" FROM "sales" GROUP BY "region" ORDER BY "region" LIMIT 50',
    warnings: ['top_n_without_other_bucket_use_limit'],
  },
  {
    name: 'top with other_bucket false: no rewrite',
    viz: { chart: 'bar', x: 'region', top: 5, other_bucket: false },
    sql: 'SELECT "region", COUNT(*) AS "count" FROM "sales" GROUP BY "region" ORDER BY "region" LIMIT 50',
    warnings: ['top_n_without_other_bucket_use_limit'],
  },
  {
    name: 'top 0 is ignored',
    viz: { chart: 'bar', x: 'region', top: 0, other_bucket: true },
    sql: 'SELECT "region", COUNT(*) AS "count" FROM "sales" GROUP BY "region" ORDER BY "region" LIMIT 50',
    warnings: ['top_n_zero_ignored'],
  },
  {
    name: 'top + other with a bucket: the bucket wins',
    viz: { chart: 'line', x: { column: 'ts', bucket: 'month' }, top: 3, other_bucket: true },
    sql: `SELECT DATE_TRUNC('month', "ts") AS "ts", COUNT(*) AS "count" FROM "sales" GROUP BY DATE_TRUNC('month', "ts") ORDER BY DATE_TRUNC('month', "ts") LIMIT 50`,
    warnings: ['top_n_other_bucket_incompatible_with_bucket'],
  },
  {
    name: 'top-N is not applied to raw (none) rows',
    viz: { chart: 'bar', x: 'region', y: ['amount'], aggregation_type: 'none', top: 2, other_bucket: true },
    sql: 'SELECT "region", "amount" FROM "sales" ORDER BY "region" LIMIT 50',
    warnings: [],
  },
  {
    name: 'top-N on a table does nothing',
    viz: { chart: 'table', top: 2, other_bucket: true },
    sql: 'SELECT * FROM "sales" LIMIT 50',
    warnings: [],
  },

  // Scatter with a bucket keeps the x name
  {
    name: 'scatter with a bucketed x',
    viz: { chart: 'scatter', connector: 'bigquery', x: { column: 'ts', bucket: 'hour' }, y: ['amount'] },
    sql: 'SELECT TIMESTAMP_TRUNC(`ts`, HOUR) AS `ts`, `amount` FROM `sales` LIMIT 50',
    warnings: [],
  },
];

// ---------------------------------------------------------------------------------------------
// Time buckets: every granularity in every dialect (ISO weeks everywhere).

export const BUCKET_EXPRESSIONS: Record<string, Record<string, string>> = {
  native: {
    minute: `DATE_TRUNC('minute', "ts")`,
    hour: `DATE_TRUNC('hour', "ts")`,
    day: `DATE_TRUNC('day', "ts")`,
    week: `DATE_TRUNC('week', "ts")`,
    month: `DATE_TRUNC('month', "ts")`,
    quarter: `DATE_TRUNC('quarter', "ts")`,
    year: `DATE_TRUNC('year', "ts")`,
  },
  snowflake: {
    minute: `DATE_TRUNC('minute', "ts")`,
    hour: `DATE_TRUNC('hour', "ts")`,
    day: `DATE_TRUNC('day', "ts")`,
    week: `DATEADD(day, 1 - DAYOFWEEKISO("ts"), DATE_TRUNC('day', "ts"))`,
    month: `DATE_TRUNC('month', "ts")`,
    quarter: `DATE_TRUNC('quarter', "ts")`,
    year: `DATE_TRUNC('year', "ts")`,
  },
  mysql: {
    minute: "DATE_FORMAT(`ts`,'%Y-%m-%d %H:%i:00')",
    hour: "DATE_FORMAT(`ts`,'%Y-%m-%d %H:00:00')",
    day: 'DATE(`ts`)',
    week: 'DATE(DATE_SUB(`ts`, INTERVAL WEEKDAY(`ts`) DAY))',
    month: "DATE_FORMAT(`ts`,'%Y-%m-01')",
    quarter: 'MAKEDATE(YEAR(`ts`),1) + INTERVAL QUARTER(`ts`)-1 QUARTER',
    year: 'MAKEDATE(YEAR(`ts`),1)',
  },
  bigquery: {
    minute: 'TIMESTAMP_TRUNC(`ts`, MINUTE)',
    hour: 'TIMESTAMP_TRUNC(`ts`, HOUR)',
    day: 'TIMESTAMP_TRUNC(`ts`, DAY)',
    week: 'TIMESTAMP_TRUNC(`ts`, ISOWEEK)',
    month: 'TIMESTAMP_TRUNC(`ts`, MONTH)',
    quarter: 'TIMESTAMP_TRUNC(`ts`, QUARTER)',
    year: 'TIMESTAMP_TRUNC(`ts`, YEAR)',
  },
};

/** A bucketed line chart per dialect × granularity: the expression in SELECT (aliased), GROUP BY and ORDER BY. */
export function bucketCases(): BuilderCase[] {
  const out: BuilderCase[] = [];
  for (const [dialect, buckets] of Object.entries(BUCKET_EXPRESSIONS)) {
    const q = dialect === 'mysql' || dialect === 'bigquery' ? '`' : '"';
    for (const [bucket, expr] of Object.entries(buckets)) {
      out.push({
        name: `${dialect} ${bucket} bucket`,
        viz: { chart: 'line', connector: dialect === 'native' ? null : dialect, x: { column: 'ts', bucket }, metrics: [{ id: 'm', function: 'sum', column: 'amount' }] },
        sql: `SELECT ${expr} AS ${q}ts${q}, SUM(${q}amount${q}) AS ${q}sum_amount${q} FROM ${q}sales${q} GROUP BY ${expr} ORDER BY ${expr} LIMIT 50`,
        warnings: [],
        aliases: { x: 'ts', y: ['sum_amount'], series: null, value: null },
      });
    }
  }
  return out;
}
