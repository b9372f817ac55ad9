/**
 * Builder-mode SQL (protocol §3.7): one statement per visualization, generated from `mapping`,
 * `aggregation_type` and `source.sql.{metrics, order_by, limit, offset}` through a dialect, with
 * the §3.8 warnings for everything the Builder read but could not honour. Pure: no I/O, no engine.
 *
 * Conventions, where the protocol leaves a choice:
 * - Keywords are upper-case, `AS` included (the README's BigQuery example writes `as`).
 * - The statement never has a WHERE clause: filters and the time range are injected into the parsed
 *   statement afterwards, so user values never pass through this text.
 * - `LIMIT` is always emitted, `OFFSET` when > 0, for every shape (metric and gauge included).
 * - A warning is raised for what the chosen statement shape reads: metrics on table/scatter and
 *   Top-N on charts without a grouped x axis are not part of that shape and raise nothing.
 * - Pie has no series (its binding has none, §3.6), so `mapping.series` does not split its slices.
 * - Top-N's `CASE … THEN x ELSE 'Other'` casts x to text: a numeric x next to `'Other'` is a type
 *   error in DuckDB and BigQuery.
 * - Function `none` selects the raw columns: `metrics[0].column` when set, else `mapping.y`; with
 *   no aggregate to rank by, Top-N is not applied to it.
 * - An order_by `function` only applies to aggregating statements; raw rows (table, scatter,
 *   `none`) are ordered by the bare column.
 */
import type { ChartType, SqlMetric, SqlOrderBy, VisualizationAttributes, VizWarning, WarningCode } from '@infino/sdk';
import { ApiError } from '../../errors.js';
import { bareIdent, type SqlDialect } from './dialects/index.js';

export interface BuilderAliases {
  /** Response column of the x axis (its name, unquoted), or null. */
  x: string | null;
  /** Response columns of the measures: the metric alias, or the raw columns for `none`/scatter. */
  y: string[];
  series: string | null;
  /** The single value of metric/gauge charts. */
  value: string | null;
}

export interface BuilderQuery {
  sql: string;
  warnings: VizWarning[];
  aliases: BuilderAliases;
  /** The row cap and offset the statement carries (the executor reports `truncated` against it). */
  limit: number;
  offset: number;
}

const AGG_FNS = new Set(['count', 'sum', 'avg', 'min', 'max']);
const KNOWN_FNS = new Set([...AGG_FNS, 'none']);

const GROUPED_CHARTS: ChartType[] = ['bar', 'horizontalBar', 'line', 'area', 'pie', 'heatmap'];
/** Charts drawn from `GROUP BY x[, series]` rows. */
const GROUPED: ReadonlySet<string> = new Set(GROUPED_CHARTS);
/** Charts that cannot be drawn without `mapping.x`. */
export const NEEDS_X: ReadonlySet<string> = new Set<ChartType>([...GROUPED_CHARTS, 'scatter']);
const SINGLE_VALUE: ReadonlySet<string> = new Set<ChartType>(['metric', 'gauge']);
/** Charts whose high row count §3.8 flags. */
const CATEGORY_CHARTS: ReadonlySet<string> = new Set<ChartType>(['pie', 'bar', 'horizontalBar']);

const HIGH_CARDINALITY_ROWS = 15;

class Warnings {
  readonly list: VizWarning[] = [];
  add(code: WarningCode, message: string): void {
    this.list.push({ code, message });
  }
}

const nonEmpty = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** Aliases are response column names and never carry quote characters (§3.6: `sum_dayOfWeek`). */
const aliasText = (s: string) => s.replace(/["`]/g, '');

interface XAxis {
  /** The response column name. */
  name: string;
  /** The quoted column. */
  quoted: string;
  /** What SELECT, GROUP BY and ORDER BY use: the column, or its time bucket. */
  expr: string;
  bucketed: boolean;
}

function xAxis(attrs: VisualizationAttributes, d: SqlDialect): XAxis | null {
  const raw: unknown = attrs.mapping?.x;
  const x = typeof raw === 'string' ? { column: raw, bucket: null } : (raw as VisualizationAttributes['mapping']['x']);
  if (!x || typeof x.column !== 'string' || x.column === '') return null;
  const quoted = d.quoteIdent(x.column);
  const bucket: unknown = x.bucket;
  const bucketed = nonEmpty(bucket);
  return { name: bareIdent(x.column), quoted, expr: bucketed ? d.timeBucket(quoted, bucket) : quoted, bucketed };
}

/** `expr AS "x"` for a bucket (so the response column keeps the x name), else the column itself. */
const xSelect = (x: XAxis) => (x.bucketed ? `${x.expr} AS ${x.quoted}` : x.quoted);

interface Metric {
  /** Response column; null for `none`. */
  alias: string | null;
  /** SELECT/ORDER BY expression; null for `none`. */
  expr: string | null;
  /** How many `mapping.y` entries the metric consumed (the column of `aggregation_type: sum|avg`, or all for `none`). */
  yUsed: number;
  /** Raw columns selected for `none`. */
  rawColumns: string[];
}

/** Metric resolution (§3.7): `metrics[0]` wins, else `aggregation_type`, else count. */
function resolveMetric(attrs: VisualizationAttributes, d: SqlDialect, w: Warnings): Metric {
  const metrics: SqlMetric[] = attrs.source?.sql?.metrics ?? [];
  const y = attrs.mapping?.y ?? [];
  const m = metrics[0];
  let fn: string;
  let column: string | null;
  let yUsed = 0;
  if (m) {
    if (metrics.length > 1) w.add('multi_metric_truncated', `only metrics[0] is used; ${metrics.length - 1} more metric(s) ignored`);
    fn = String(m.function ?? '').toLowerCase();
    column = nonEmpty(m.column) ? m.column : null;
  } else {
    fn = attrs.aggregation_type ?? 'count';
    column = fn === 'count' || fn === 'none' ? null : (y[0] ?? null);
    if (column !== null) yUsed = 1;
  }
  if (!KNOWN_FNS.has(fn)) {
    w.add('unknown_aggregation_function', `aggregation function '${fn}' is not one of count, sum, avg, min, max, none: COUNT(*) was used`);
    fn = 'count';
  } else if (m && fn === 'count' && column !== null) {
    w.add('metric_column_unused_with_count_aggregation', `count aggregates COUNT(*): metrics[0].column '${column}' is not used`);
  }
  if (fn === 'none') {
    return { alias: null, expr: null, yUsed: column !== null ? 0 : y.length, rawColumns: column !== null ? [column] : [...y] };
  }
  if (fn === 'count') {
    const custom = m && nonEmpty(m.alias) ? aliasText(m.alias) : '';
    return { alias: custom || 'count', expr: 'COUNT(*)', yUsed, rawColumns: [] };
  }
  if (column === null) {
    throw new ApiError(400, 'ValidationError', `aggregation '${fn}' needs a column: set \`source.sql.metrics[0].column\` (or \`mapping.y[0]\` with \`aggregation_type\`)`);
  }
  const custom = m && nonEmpty(m.alias) ? aliasText(m.alias) : '';
  return { alias: custom || aliasText(`${fn}_${bareIdent(column)}`), expr: `${fn.toUpperCase()}(${d.quoteIdent(column)})`, yUsed, rawColumns: [] };
}

/** What ORDER BY entries can refer to in the statement being built. */
interface OrderScope {
  x: XAxis | null;
  /** Top-N replaces x by a CASE expression aliased as x: entries then name the alias. */
  xByAlias: boolean;
  series: string | null;
  metric: Metric | null;
  metrics: SqlMetric[];
  /** Raw columns selected (none/scatter/table). */
  columns: string[];
  /** `SELECT *`: any column name may be meant. */
  wildcard: boolean;
  /** Whether the statement aggregates (an aggregate in ORDER BY needs GROUP BY). */
  aggregating: boolean;
}

const direction = (dir: unknown) => (typeof dir === 'string' && dir.toLowerCase() === 'desc' ? 'DESC' : 'ASC');

/** `source.sql.order_by` entries, in order (§3.7); an empty list means the caller's default. */
function orderTerms(entries: SqlOrderBy[], s: OrderScope, d: SqlDialect, w: Warnings): string[] {
  const terms: string[] = [];
  entries.forEach((e, i) => {
    const dir = direction(e.direction);
    if (nonEmpty(e.metric_id)) {
      const known = s.metrics.findIndex((m) => m.id === e.metric_id);
      if (known === 0 && s.metric?.alias) {
        terms.push(`${d.quoteIdent(s.metric.alias)} ${dir}`);
      } else {
        const why = known > 0 ? 'is not metrics[0] (only metrics[0] is selected)' : known === 0 ? 'selects no aggregate' : 'matches no metric id';
        w.add('order_by_metric_id_unresolved', `order_by[${i}].metric_id '${e.metric_id}' ${why}: entry dropped`);
      }
      return;
    }
    if (!nonEmpty(e.column)) {
      w.add('order_by_column_unrecognized', `order_by[${i}] names neither a column nor a metric_id: entry dropped`);
      return;
    }
    const name = bareIdent(e.column);
    const isX = s.x !== null && name === s.x.name;
    const target = isX && !s.xByAlias ? s.x!.expr : d.quoteIdent(e.column);
    if (nonEmpty(e.function) && s.aggregating) {
      const fn = e.function.toLowerCase();
      if (AGG_FNS.has(fn)) {
        terms.push(`${fn.toUpperCase()}(${d.quoteIdent(e.column)}) ${dir}`);
        return;
      }
      w.add('order_by_function_unknown', `order_by[${i}].function '${e.function}' is not one of count, sum, avg, min, max: ordering by the bare column`);
    }
    const known = isX || name === s.series || name === s.metric?.alias || s.columns.includes(name) || s.wildcard;
    if (!known) w.add('order_by_column_unrecognized', `order_by[${i}].column '${name}' is neither the x axis, the series nor a generated alias`);
    terms.push(`${target} ${dir}`);
  });
  return terms;
}

const tail = (limit: number, offset: number) => ` LIMIT ${limit}${offset > 0 ? ` OFFSET ${offset}` : ''}`;
const orderClause = (terms: string[]) => (terms.length > 0 ? ` ORDER BY ${terms.join(', ')}` : '');

interface Ctx {
  attrs: VisualizationAttributes;
  d: SqlDialect;
  w: Warnings;
  table: string;
  orderBy: SqlOrderBy[];
  metrics: SqlMetric[];
}

/** Whether Top-N + Other rewrites the statement, raising the §3.8 warnings that say why not. */
function topN(attrs: VisualizationAttributes, x: XAxis, w: Warnings): number | null {
  const top = attrs.mapping?.top;
  if (top === null || top === undefined) return null;
  if (top <= 0) {
    w.add('top_n_zero_ignored', `mapping.top ${top} selects nothing and was ignored`);
    return null;
  }
  if (attrs.mapping.other_bucket !== true) {
    w.add('top_n_without_other_bucket_use_limit', `mapping.top without mapping.other_bucket: true does nothing; use source.sql.limit to cap rows`);
    return null;
  }
  if (x.bucketed) {
    w.add('top_n_other_bucket_incompatible_with_bucket', `Top-N + Other does not combine with mapping.x.bucket: the time bucket was used`);
    return null;
  }
  return top;
}

/** bar / horizontalBar / line / area / pie / heatmap: `SELECT X[, S], AGG AS alias … GROUP BY X[, S]`. */
function groupedQuery(c: Ctx, x: XAxis, limit: number, offset: number): { sql: string; aliases: BuilderAliases } {
  const { attrs, d, w } = c;
  const chart = attrs.chart.type;
  const seriesRaw = chart === 'pie' ? null : (attrs.mapping?.series ?? null);
  if (chart === 'heatmap' && !seriesRaw) w.add('missing_series_for_heatmap', 'a heatmap needs mapping.series for its second axis');
  const metric = resolveMetric(attrs, d, w);
  const y = attrs.mapping?.y ?? [];
  if (y.length > metric.yUsed) w.add('mapping_y_ignored_for_aggregating_chart', `mapping.y is not used by Builder SQL for chart type ${chart}; the metric decides the value`);
  const series = seriesRaw ? { name: bareIdent(seriesRaw), quoted: d.quoteIdent(seriesRaw) } : null;
  const top = metric.expr ? topN(attrs, x, w) : null;
  const scope: OrderScope = {
    x,
    xByAlias: top !== null,
    series: series?.name ?? null,
    metric,
    metrics: c.metrics,
    columns: metric.rawColumns.map(bareIdent),
    wildcard: false,
    aggregating: metric.expr !== null,
  };
  const terms = orderTerms(c.orderBy, scope, d, w);
  const seriesSel = series ? `, ${series.quoted}` : '';
  const aliases: BuilderAliases = { x: x.name, y: metric.alias ? [metric.alias] : scope.columns, series: series?.name ?? null, value: null };
  if (metric.expr === null) {
    const raw = metric.rawColumns.map((col) => `, ${d.quoteIdent(col)}`).join('');
    const order = terms.length > 0 ? terms : [x.expr];
    return { sql: `SELECT ${xSelect(x)}${seriesSel}${raw} FROM ${c.table}${orderClause(order)}${tail(limit, offset)}`, aliases };
  }
  const agg = `${metric.expr} AS ${d.quoteIdent(metric.alias!)}`;
  if (top !== null) {
    const ranked = `SELECT ${x.quoted} FROM ${c.table} GROUP BY ${x.quoted} ORDER BY ${metric.expr} DESC LIMIT ${top}`;
    const bucketX = `CASE WHEN ${x.quoted} IN (${ranked}) THEN ${d.castToText(x.quoted)} ELSE ${d.stringLiteral('Other')} END AS ${x.quoted}`;
    const order = terms.length > 0 ? terms : [`${d.quoteIdent(metric.alias!)} DESC`];
    return { sql: `SELECT ${bucketX}${seriesSel}, ${agg} FROM ${c.table} GROUP BY 1${seriesSel}${orderClause(order)}${tail(limit, offset)}`, aliases };
  }
  const order = terms.length > 0 ? terms : [x.expr];
  return { sql: `SELECT ${xSelect(x)}${seriesSel}, ${agg} FROM ${c.table} GROUP BY ${x.expr}${seriesSel}${orderClause(order)}${tail(limit, offset)}`, aliases };
}

/** metric / gauge: one aggregate over the whole (filtered) dataset; x and y play no part. */
function singleValueQuery(c: Ctx, limit: number, offset: number): { sql: string; aliases: BuilderAliases } {
  const { attrs, d, w } = c;
  const metric = resolveMetric(attrs, d, w);
  const y = attrs.mapping?.y ?? [];
  if (y.length > metric.yUsed) w.add('mapping_y_ignored_for_aggregating_chart', `mapping.y is not used by Builder SQL for chart type ${attrs.chart.type}`);
  if (metric.expr === null) {
    const col = metric.rawColumns[0];
    const select = col === undefined ? '*' : d.quoteIdent(col);
    const value = col === undefined ? null : bareIdent(col);
    return { sql: `SELECT ${select} FROM ${c.table}${tail(limit, offset)}`, aliases: { x: null, y: [], series: null, value } };
  }
  return {
    sql: `SELECT ${metric.expr} AS ${d.quoteIdent(metric.alias!)} FROM ${c.table}${tail(limit, offset)}`,
    aliases: { x: null, y: [], series: null, value: metric.alias },
  };
}

/** scatter: raw points `SELECT X, Y0`; no aggregation. */
function scatterQuery(c: Ctx, x: XAxis, limit: number, offset: number): { sql: string; aliases: BuilderAliases } {
  const { attrs, d, w } = c;
  const y = attrs.mapping?.y ?? [];
  if (y.length > 1) w.add('multi_y_truncated', `scatter plots mapping.y[0] only; ${y.length - 1} more column(s) ignored`);
  const y0 = y[0];
  const scope: OrderScope = { x, xByAlias: false, series: null, metric: null, metrics: [], columns: y0 === undefined ? [] : [bareIdent(y0)], wildcard: false, aggregating: false };
  const terms = orderTerms(c.orderBy, scope, d, w);
  const ySel = y0 === undefined ? '' : `, ${d.quoteIdent(y0)}`;
  return {
    sql: `SELECT ${xSelect(x)}${ySel} FROM ${c.table}${orderClause(terms)}${tail(limit, offset)}`,
    aliases: { x: x.name, y: scope.columns, series: null, value: null },
  };
}

/** table: the `mapping.y` columns, or every column. */
function tableQuery(c: Ctx, limit: number, offset: number): { sql: string; aliases: BuilderAliases } {
  const { attrs, d, w } = c;
  const y = attrs.mapping?.y ?? [];
  const scope: OrderScope = { x: null, xByAlias: false, series: null, metric: null, metrics: [], columns: y.map(bareIdent), wildcard: y.length === 0, aggregating: false };
  const terms = orderTerms(c.orderBy, scope, d, w);
  const select = y.length === 0 ? '*' : y.map((col) => d.quoteIdent(col)).join(', ');
  return { sql: `SELECT ${select} FROM ${c.table}${orderClause(terms)}${tail(limit, offset)}`, aliases: { x: null, y: [], series: null, value: null } };
}

function rowWindow(attrs: VisualizationAttributes): { limit: number; offset: number } {
  const limit = attrs.source?.sql?.limit ?? 50;
  const offset = attrs.source?.sql?.offset ?? 0;
  for (const [k, v] of [['limit', limit], ['offset', offset]] as const) {
    if (!Number.isSafeInteger(v) || v < 0) throw new ApiError(400, 'ValidationError', `\`source.sql.${k}\` must be a non-negative integer`);
  }
  return { limit, offset };
}

/** The Builder statement for a (migrated, defaulted) visualization without `raw_query`. */
export function buildBuilderQuery(attrs: VisualizationAttributes, dialect: SqlDialect): BuilderQuery {
  const w = new Warnings();
  const chart = attrs.chart?.type;
  const { limit, offset } = rowWindow(attrs);
  const c: Ctx = {
    attrs,
    d: dialect,
    w,
    table: dialect.quoteIdent(attrs.source.index),
    orderBy: attrs.source?.sql?.order_by ?? [],
    metrics: attrs.source?.sql?.metrics ?? [],
  };
  const x = xAxis(attrs, dialect);
  let built: { sql: string; aliases: BuilderAliases };
  if (NEEDS_X.has(chart) && x === null) {
    w.add('missing_x_axis_for_chart', `chart type ${chart} needs mapping.x: returning raw rows`);
    if (chart === 'heatmap' && !attrs.mapping?.series) w.add('missing_series_for_heatmap', 'a heatmap needs mapping.series for its second axis');
    built = { sql: `SELECT * FROM ${c.table}${tail(limit, offset)}`, aliases: { x: null, y: [], series: null, value: null } };
  } else if (GROUPED.has(chart)) {
    built = groupedQuery(c, x!, limit, offset);
  } else if (SINGLE_VALUE.has(chart)) {
    built = singleValueQuery(c, limit, offset);
  } else if (chart === 'scatter') {
    built = scatterQuery(c, x!, limit, offset);
  } else if (chart === 'table') {
    built = tableQuery(c, limit, offset);
  } else {
    throw new ApiError(400, 'ValidationError', `\`chart.type\` '${String(chart)}' has no Builder SQL`);
  }
  return { ...built, warnings: w.list, limit, offset };
}

/** Raw mode: a `raw_query` is present (Builder fields are then not used for SQL). */
export const isRawMode = (attrs: VisualizationAttributes) => typeof attrs.source?.sql?.raw_query === 'string' && attrs.source.sql.raw_query.trim() !== '';

/** §3.8 `raw_query_overrides_builder_fields`: Builder fields that a raw query makes meaningless. */
export function rawModeWarnings(attrs: VisualizationAttributes): VizWarning[] {
  if (!isRawMode(attrs)) return [];
  const sql = attrs.source.sql;
  const x: unknown = attrs.mapping?.x;
  const fields = [
    (sql.metrics ?? []).length > 0 && 'source.sql.metrics',
    (sql.order_by ?? []).length > 0 && 'source.sql.order_by',
    typeof x === 'object' && x !== null && nonEmpty((x as { bucket?: unknown }).bucket) && 'mapping.x.bucket',
    attrs.mapping?.top !== null && attrs.mapping?.top !== undefined && 'mapping.top',
    attrs.mapping?.other_bucket !== null && attrs.mapping?.other_bucket !== undefined && 'mapping.other_bucket',
  ].filter((f): f is string => typeof f === 'string');
  if (fields.length === 0) return [];
  return [{ code: 'raw_query_overrides_builder_fields', message: `source.sql.raw_query is run as written; ${fields.join(', ')} ignored` }];
}

/** Warnings that need the result: §3.8 `high_cardinality_no_top_n`. */
export function resultWarnings(attrs: VisualizationAttributes, rowCount: number): VizWarning[] {
  const top = attrs.mapping?.top;
  if (!CATEGORY_CHARTS.has(attrs.chart?.type) || rowCount <= HIGH_CARDINALITY_ROWS || (top !== null && top !== undefined)) return [];
  return [
    {
      code: 'high_cardinality_no_top_n',
      message: `${rowCount} categories on a ${attrs.chart.type} chart: set mapping.top with mapping.other_bucket to group the rest as 'Other'`,
    },
  ];
}
