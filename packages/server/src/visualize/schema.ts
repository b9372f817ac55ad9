/**
 * The visualization schema (protocol §3.2): read-time migration of legacy fields (§3.3), the full
 * set of server defaults, and validation. Input is untrusted JSON, so every field is checked and
 * a failure is a 400 `ValidationError` naming the field — never a 500 later in the executor.
 *
 * Two forms exist. The *stored* form (what `normalizeVisualization` returns) keeps legacy
 * `source.sql.dimensions` entries, because the execute-time warnings about them (§3.8:
 * `dimension_custom_expression_ignored`, …) can only be computed from the entries themselves. The
 * *read* form (what `migrateVisualization` returns and the API answers) has them folded into
 * `mapping` and cleared. Every other legacy spelling is rewritten already on the way in.
 */
import type { VisualizationAttributes, VizWarning } from '@infino/sdk';
import { isJsonObject, setOwn, type JsonObject } from './merge-patch.js';
import {
  invalid,
  nonNegInt,
  normalizeFilters,
  normalizeTimeRange,
  objectArray,
  oneOf,
  optAnyObject,
  optBool,
  optNonNegInt,
  optNumber,
  optObject,
  optOneOf,
  optString,
  reqString,
  requireObject,
  stringArray,
  withExtras,
} from './fields.js';

export const CHART_TYPES = ['bar', 'horizontalBar', 'line', 'area', 'scatter', 'pie', 'heatmap', 'metric', 'gauge', 'table'] as const;
export const SOURCE_KINDS = ['sql', 'querydsl', 'promql'] as const;
export const TIME_BUCKETS = ['minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'] as const;
export const AGGREGATION_TYPES = ['count', 'sum', 'avg', 'none'] as const;
const LEGEND_POSITIONS = ['top', 'right', 'bottom', 'left'] as const;
/** Chart types whose Builder SQL needs no x axis (§3.7). */
const NO_X_CHARTS = new Set(['table', 'metric', 'gauge']);

export const VISUALIZATION_SCHEMA_VERSION = 'v1';
const DEFAULT_SQL_LIMIT = 50;

/** What the server decides rather than the caller. */
export interface NormalizeContext {
  id: string;
  /** ISO-8601 UTC with `Z`. */
  now: string;
  user: string | null;
  /** The stored object on update: its immutable fields win over anything in the input. */
  existing?: { id: string; schema_version: string | number; created_at: string; created_by: string | null };
}

// ---------------------------------------------------------------------------------------------
// Migration

const unset = (v: unknown) => v === undefined || v === null;

/**
 * The legacy spellings that carry no execute-time meaning of their own: `mapping.series_split_by`,
 * `mapping.x` as a string, sibling `mapping.x_bucket`, and `visualization_mode`. Canonical fields
 * win; the legacy keys are removed. Pure and idempotent; shapes it does not recognise are left to
 * validation.
 */
function migrateSpellings(raw: JsonObject): JsonObject {
  const out = { ...raw };
  if (isJsonObject(out.mapping)) {
    const m = { ...out.mapping };
    if (Object.hasOwn(m, 'series_split_by')) {
      if (unset(m.series)) m.series = m.series_split_by;
      delete m.series_split_by;
    }
    if (typeof m.x === 'string') m.x = { column: m.x };
    if (Object.hasOwn(m, 'x_bucket')) {
      if (isJsonObject(m.x) && unset(m.x.bucket) && !unset(m.x_bucket)) m.x = { ...m.x, bucket: m.x_bucket };
      delete m.x_bucket;
    }
    out.mapping = m;
  }
  // Older clients sent the table/metric switch at the top level or inside `chart`.
  if (Object.hasOwn(out, 'visualization_mode') || (isJsonObject(out.chart) && Object.hasOwn(out.chart, 'visualization_mode'))) {
    const chart: JsonObject = isJsonObject(out.chart) ? { ...out.chart } : {};
    const mode = out.visualization_mode ?? chart.visualization_mode;
    if (unset(chart.type) && (mode === 'table' || mode === 'metric')) chart.type = mode;
    delete chart.visualization_mode;
    delete out.visualization_mode;
    // A malformed `chart` stays as it is, for validation to name.
    if (unset(out.chart) || isJsonObject(out.chart)) out.chart = chart;
  }
  return out;
}

const warning = (code: string, message: string): VizWarning => ({ code, message });

/**
 * Folds legacy `source.sql.dimensions` into `mapping` (canonical fields win) and clears them,
 * reporting what could not be carried over. The x dimension is the one on `mapping.x.column`
 * (or the first, when it names no column); without `mapping.x` the first dimension's column
 * becomes the x axis, as it was in the legacy Builder.
 */
function migrateDimensions(raw: JsonObject, warnings: VizWarning[]): JsonObject {
  const source = raw.source;
  if (!isJsonObject(source) || !isJsonObject(source.sql) || !Array.isArray(source.sql.dimensions)) return raw;
  const dims = source.sql.dimensions.filter(isJsonObject);
  const out: JsonObject = { ...raw, source: { ...source, sql: { ...source.sql, dimensions: [] } } };
  if (dims.length === 0) return out;
  const mapping: JsonObject = isJsonObject(raw.mapping) ? { ...raw.mapping } : {};
  if (!isJsonObject(mapping.x) && typeof dims[0].column === 'string') mapping.x = { column: dims[0].column, bucket: null };
  const xColumn = isJsonObject(mapping.x) ? mapping.x.column : undefined;
  const xIndex = dims.findIndex((d) => typeof d.column === 'string' && d.column === xColumn);
  const onX = (d: JsonObject, i: number) => (xIndex >= 0 ? i === xIndex : i === 0 && typeof d.column !== 'string');
  dims.forEach((d, i) => {
    const name = typeof d.column === 'string' ? `'${d.column}'` : `#${i}`;
    if (!unset(d.custom_expression)) {
      warnings.push(warning('dimension_custom_expression_ignored', `dimension ${name}: custom_expression is no longer supported and was ignored`));
    }
    if (!onX(d, i)) {
      if (!unset(d.date_interval)) warnings.push(warning('dimension_date_interval_ignored', `dimension ${name} is not the x axis: its date_interval was ignored`));
      if (!unset(d.top) || !unset(d.other_bucket)) {
        warnings.push(warning('top_n_other_bucket_unsupported_on_non_x', `dimension ${name} is not the x axis: Top-N / other_bucket apply to mapping.x only`));
      }
      return;
    }
    if (unset(mapping.top) && !unset(d.top)) mapping.top = d.top;
    if (unset(mapping.other_bucket) && !unset(d.other_bucket)) mapping.other_bucket = d.other_bucket;
    if (!unset(d.date_interval) && isJsonObject(mapping.x)) {
      if (unset(mapping.x.bucket)) mapping.x = { ...mapping.x, bucket: d.date_interval };
      else if (mapping.x.bucket !== d.date_interval) {
        warnings.push(
          warning('x_bucket_conflicts_with_date_interval', `mapping.x.bucket '${String(mapping.x.bucket)}' wins over the legacy date_interval '${String(d.date_interval)}'`),
        );
      }
    }
  });
  out.mapping = mapping;
  return out;
}

/**
 * Read-time migration of a stored (or incoming) visualization: every legacy field of §3.3 moved to
 * its canonical place, with the warnings the executor reports for what was dropped. Idempotent;
 * applied on get, list and execute.
 */
export function migrateVisualization<T extends object>(raw: T): { attributes: T; warnings: VizWarning[] } {
  const warnings: VizWarning[] = [];
  const migrated = migrateDimensions(migrateSpellings(raw as JsonObject), warnings);
  return { attributes: migrated as T, warnings };
}

// ---------------------------------------------------------------------------------------------
// Defaults and validation

function normalizeX(v: unknown): JsonObject | null {
  if (v === undefined || v === null) return null;
  if (!isJsonObject(v)) throw invalid('`mapping.x` must be a column name, an object `{column, bucket}` or null');
  return withExtras({ column: reqString(v.column, 'mapping.x.column'), bucket: optOneOf(v.bucket, TIME_BUCKETS, 'mapping.x.bucket') }, v);
}

function normalizeMetrics(v: unknown): JsonObject[] {
  // `function` is deliberately not checked against the known list: an unknown one runs as count
  // with the `unknown_aggregation_function` warning (§3.7), which a refusal here would make unreachable.
  return objectArray(v, 'source.sql.metrics').map((m, i) => {
    const at = `source.sql.metrics[${i}]`;
    reqString(m.function, `${at}.function`);
    for (const k of ['id', 'column', 'alias', 'custom_expression']) optString(m[k], `${at}.${k}`);
    return { ...m };
  });
}

function normalizeOrderBy(v: unknown): JsonObject[] {
  // Unknown functions, ids and directions are execute-time warnings (§3.7), so only types are checked.
  return objectArray(v, 'source.sql.order_by').map((o, i) => {
    for (const k of ['column', 'metric_id', 'function', 'direction']) optString(o[k], `source.sql.order_by[${i}].${k}`);
    return { ...o };
  });
}

function normalizeDimensions(v: unknown): JsonObject[] {
  return objectArray(v, 'source.sql.dimensions').map((d, i) => {
    const at = `source.sql.dimensions[${i}]`;
    optString(d.column, `${at}.column`);
    optNonNegInt(d.top, `${at}.top`);
    optBool(d.other_bucket, `${at}.other_bucket`);
    optOneOf(d.date_interval, TIME_BUCKETS, `${at}.date_interval`);
    optString(d.custom_expression, `${at}.custom_expression`);
    return { ...d };
  });
}

function normalizeSource(v: unknown): JsonObject {
  if (v === undefined || v === null) throw invalid('`source.kind` is required');
  const s = optObject(v, 'source');
  if (unset(s.kind)) throw invalid('`source.kind` is required');
  const sql = optObject(s.sql, 'source.sql');
  return withExtras(
    {
      kind: oneOf(s.kind, SOURCE_KINDS, 'source.kind'),
      index: reqString(s.index, 'source.index'),
      connection_id: optString(s.connection_id, 'source.connection_id'),
      connector_id: optString(s.connector_id, 'source.connector_id'),
      sql: withExtras(
        {
          raw_query: optString(sql.raw_query, 'source.sql.raw_query'),
          time_column: optString(sql.time_column, 'source.sql.time_column'),
          limit: nonNegInt(sql.limit, 'source.sql.limit', DEFAULT_SQL_LIMIT),
          offset: nonNegInt(sql.offset, 'source.sql.offset', 0),
          dimensions: normalizeDimensions(sql.dimensions),
          metrics: normalizeMetrics(sql.metrics),
          order_by: normalizeOrderBy(sql.order_by),
        },
        sql,
      ),
      dsl: optAnyObject(s.dsl, 'source.dsl'),
      promql: optAnyObject(s.promql, 'source.promql'),
    },
    s,
  );
}

function normalizeChart(v: unknown): JsonObject {
  const c = optObject(v, 'chart');
  if (unset(c.type)) throw invalid('`chart.type` is required');
  return withExtras({ type: oneOf(c.type, CHART_TYPES, 'chart.type') }, c);
}

function normalizeMapping(v: unknown): JsonObject {
  const m = optObject(v, 'mapping');
  return withExtras(
    {
      x: normalizeX(m.x),
      y: stringArray(m.y, 'mapping.y'),
      series: optString(m.series, 'mapping.series'),
      top: optNonNegInt(m.top, 'mapping.top'),
      other_bucket: optBool(m.other_bucket, 'mapping.other_bucket'),
    },
    m,
  );
}

function normalizeOptions(v: unknown): JsonObject {
  const o = optObject(v, 'options');
  let legend: JsonObject | null = null;
  if (!unset(o.legend)) {
    const l = optObject(o.legend, 'options.legend');
    optBool(l.show, 'options.legend.show');
    optOneOf(l.position, LEGEND_POSITIONS, 'options.legend.position');
    legend = { ...l };
  }
  const ratio = optNumber(o.pie_donut_ratio, 'options.pie_donut_ratio');
  if (ratio !== null && (ratio < 0 || ratio >= 1)) throw invalid('`options.pie_donut_ratio` must be a number from 0 (pie) up to, not including, 1');
  let formatting: JsonObject | null = null;
  if (!unset(o.metric_formatting)) {
    const f = optObject(o.metric_formatting, 'options.metric_formatting');
    optString(f.prefix, 'options.metric_formatting.prefix');
    optString(f.suffix, 'options.metric_formatting.suffix');
    optNonNegInt(f.decimals, 'options.metric_formatting.decimals');
    if (!unset(f.thousands_separator) && typeof f.thousands_separator !== 'boolean' && typeof f.thousands_separator !== 'string') {
      throw invalid('`options.metric_formatting.thousands_separator` must be a boolean, a separator string or null');
    }
    optBool(f.abbreviate, 'options.metric_formatting.abbreviate');
    formatting = { ...f };
  }
  return withExtras(
    { legend, bar_max_width: optNonNegInt(o.bar_max_width, 'options.bar_max_width'), pie_donut_ratio: ratio, metric_formatting: formatting },
    o,
  );
}

function normalizeRender(v: unknown): JsonObject | null {
  if (unset(v)) return null;
  const r = optObject(v, 'render');
  oneOf(r.mode, ['echarts_injection'] as const, 'render.mode');
  optAnyObject(r.echarts_option, 'render.echarts_option');
  optAnyObject(r.column_mapping, 'render.column_mapping');
  return { ...r };
}

/** Builder-mode SQL needs something to aggregate by, unless the chart needs no x (§3.2). */
function checkSqlMode(view: JsonObject): void {
  const source = view.source as JsonObject;
  if (source.kind !== 'sql') return;
  const sql = source.sql as JsonObject;
  const mapping = view.mapping as JsonObject;
  const chartType = (view.chart as JsonObject).type as string;
  const raw = typeof sql.raw_query === 'string' && sql.raw_query.trim() !== '';
  const builder = mapping.x !== null || (sql.metrics as unknown[]).length > 0 || view.aggregation_type !== null || NO_X_CHARTS.has(chartType);
  if (!raw && !builder) {
    throw invalid(`\`source.sql.raw_query\` or Builder fields (\`mapping.x\` with \`aggregation_type\` or \`source.sql.metrics\`) are required for chart type \`${chartType}\``);
  }
}

/**
 * Validates `input` and returns the fully defaulted stored form (key order of §3.2). On update,
 * `input` is the merge-patched object and `ctx.existing` supplies the immutable fields.
 */
export function normalizeVisualization(input: unknown, ctx: NormalizeContext): VisualizationAttributes {
  const v = migrateSpellings(requireObject(input));
  const canonical: JsonObject = {
    id: ctx.existing?.id ?? ctx.id,
    schema_version: ctx.existing?.schema_version ?? VISUALIZATION_SCHEMA_VERSION,
    title: reqString(v.title, 'title'),
    description: optString(v.description, 'description'),
    source: normalizeSource(v.source),
    chart: normalizeChart(v.chart),
    mapping: normalizeMapping(v.mapping),
    aggregation_type: optOneOf(v.aggregation_type, AGGREGATION_TYPES, 'aggregation_type'),
    options: normalizeOptions(v.options),
    filters: normalizeFilters(v.filters, 'filters'),
    time_range: normalizeTimeRange(v.time_range, 'time_range'),
    render: normalizeRender(v.render),
    tags: stringArray(v.tags, 'tags'),
  };
  if (Object.hasOwn(v, 'extensions')) canonical.extensions = optAnyObject(v.extensions, 'extensions');
  setOwn(canonical, 'created_at', ctx.existing?.created_at ?? ctx.now);
  setOwn(canonical, 'updated_at', ctx.now);
  setOwn(canonical, 'created_by', ctx.existing ? ctx.existing.created_by : ctx.user);
  const stored = withExtras(canonical, v);
  checkSqlMode(migrateVisualization(stored).attributes);
  return stored as unknown as VisualizationAttributes;
}
