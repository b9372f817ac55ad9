/**
 * Visualizations & dashboards (spec §3). `VisualizationSpec`/`DashboardSpec` are what a caller sends
 * (only the required fields are required: the server fills every default); `VisualizationAttributes`/
 * `DashboardAttributes` are the fully defaulted objects the server stores and returns.
 */

export interface SavedObject<A = Record<string, unknown>> {
  id: string;
  kind: 'visualization' | 'dashboard';
  created_at: string;
  updated_at: string;
  attributes: A;
}

export type VisualizationObject = SavedObject<VisualizationAttributes> & { kind: 'visualization' };
export type DashboardObject = SavedObject<DashboardAttributes> & { kind: 'dashboard' };

export interface ListResponse<A = Record<string, unknown>> {
  items: Array<SavedObject<A>>;
  total?: number;
}

export interface ListParams {
  limit?: number;
  offset?: number;
}

// ---------------------------------------------------------------------------------------------
// Visualization schema (§3.2)

export type ChartType =
  | 'bar'
  | 'horizontalBar'
  | 'line'
  | 'area'
  | 'scatter'
  | 'pie'
  | 'heatmap'
  | 'metric'
  | 'gauge'
  | 'table';

export type SourceKind = 'sql' | 'querydsl' | 'promql';
export type TimeBucket = 'minute' | 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';
export type MetricFunction = 'count' | 'sum' | 'avg' | 'min' | 'max' | 'none';
export type AggregationType = 'count' | 'sum' | 'avg' | 'none';
/** Connector types that choose a SQL dialect (§3.7); any other string falls back to the default. */
export type ConnectorId = 'mysql' | 'bigquery' | 'snowflake' | 'oracle_db' | 'postgres' | (string & {});

export interface SqlMetric {
  id: string;
  function: MetricFunction | (string & {});
  column?: string | null;
  alias?: string | null;
  custom_expression?: string | null;
}

export interface SqlOrderBy {
  column?: string | null;
  metric_id?: string | null;
  function?: string | null;
  /** `asc` (default) or `desc`, case-insensitive; anything else is read as `asc`. */
  direction?: string | null;
}

/** Deprecated Builder dimension; migrated into `mapping` on read. */
export interface LegacyDimension {
  column?: string;
  top?: number | null;
  other_bucket?: boolean | null;
  date_interval?: TimeBucket | null;
  custom_expression?: string | null;
}

export interface SqlSource {
  raw_query: string | null;
  time_column: string | null;
  limit: number;
  offset: number;
  dimensions: LegacyDimension[];
  metrics: SqlMetric[];
  order_by: SqlOrderBy[];
}

export interface VisualizationSource {
  kind: SourceKind | (string & {});
  index: string;
  connection_id: string | null;
  connector_id: ConnectorId | null;
  sql: SqlSource;
  dsl: Record<string, unknown> | null;
  promql: Record<string, unknown> | null;
}

export interface XMapping {
  column: string;
  bucket?: TimeBucket | null;
}

export interface Mapping {
  x: XMapping | null;
  y: string[];
  series: string | null;
  top: number | null;
  other_bucket: boolean | null;
}

export interface MetricFormatting {
  prefix?: string | null;
  suffix?: string | null;
  decimals?: number | null;
  /** Bool in the docs; a separator string is accepted too. */
  thousands_separator?: boolean | string | null;
  abbreviate?: boolean | null;
}

export interface VisualizationOptions {
  legend: { show: boolean; position?: 'top' | 'right' | 'bottom' | 'left' } | null;
  bar_max_width: number | null;
  pie_donut_ratio: number | null;
  metric_formatting: MetricFormatting | null;
}

export type TimeRangeSpec =
  | { kind: 'absolute'; from: string | number; to: string | number }
  | { kind: 'relative'; expression: string };

export interface RenderSpec {
  mode: 'echarts_injection';
  echarts_option?: Record<string, unknown>;
  column_mapping?: Record<string, unknown>;
}

/** The stored, fully defaulted visualization (`attributes` of a visualization envelope). */
export interface VisualizationAttributes {
  id: string;
  /** `"v1"` in the docs, `1` in the reference tests: accept both. */
  schema_version: string | number;
  title: string;
  description: string | null;
  source: VisualizationSource;
  chart: { type: ChartType | (string & {}) };
  mapping: Mapping;
  aggregation_type: AggregationType | null;
  options: VisualizationOptions;
  filters: Filter[];
  time_range: TimeRangeSpec | null;
  render: RenderSpec | null;
  tags: string[];
  extensions?: Record<string, unknown> | null;
  created_at: string;
  updated_at: string;
  created_by: string | null;
}

/** Deep-partial input: every nested field is optional (the server applies the defaults). */
export type DeepPartial<T> = T extends Array<infer U>
  ? Array<DeepPartial<U>>
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> | null }
    : T;

/** What `createVisualization` sends: `title`, `source.kind`, `source.index` and `chart.type` are required. */
export interface VisualizationSpec
  extends DeepPartial<Omit<VisualizationAttributes, 'title' | 'source' | 'chart' | 'mapping'>> {
  title: string;
  source: DeepPartial<Omit<VisualizationSource, 'kind' | 'index'>> & { kind: SourceKind | (string & {}); index: string };
  chart: { type: ChartType | (string & {}) };
  /** `x` may be given as a bare column name. */
  mapping?: DeepPartial<Omit<Mapping, 'x'>> & { x?: XMapping | string | null };
  [key: string]: unknown;
}

// ---------------------------------------------------------------------------------------------
// Dashboards (§3.9)

export interface PanelLayout {
  /** Column 0–47 on the 48-column grid. */
  x: number;
  y: number;
  /** Width 1–48 columns; `x + w <= 48`. */
  w: number;
  /** Height ≥ 1 row unit. */
  h: number;
}

interface PanelBase {
  id: string;
  layout: PanelLayout;
  title_override: string | null;
}

export interface VisualizationPanel extends PanelBase {
  kind: 'visualization';
  viz_id: string;
}

export interface MarkdownPanel extends PanelBase {
  kind: 'markdown';
  content: string;
}

export interface DividerPanel extends PanelBase {
  kind: 'divider';
  label?: string | null;
}

/** A stored panel, discriminated by `kind`. */
export type Panel = VisualizationPanel | MarkdownPanel | DividerPanel;

/** A panel as sent: everything but the kind-specific field is optional (`kind` defaults to visualization). */
export interface DashboardPanel {
  kind?: 'visualization' | 'markdown' | 'divider';
  id?: string;
  viz_id?: string;
  content?: string;
  label?: string | null;
  layout?: PanelLayout;
  title_override?: string | null;
}

export interface DashboardOptions {
  use_margins: boolean;
  hide_panel_titles: boolean;
  refresh_interval: string | number | null;
}

/** The stored, fully defaulted dashboard. */
export interface DashboardAttributes {
  id: string;
  schema_version: string | number;
  title: string;
  description?: string | null;
  panels: Panel[];
  options: DashboardOptions;
  filters: Filter[];
  time_range: TimeRangeSpec | null;
  chat_thread_id: string | null;
  tags: string[];
  created_at: string;
  updated_at: string;
  created_by: string | null;
}

export interface DashboardSpec {
  title: string;
  description?: string | null;
  panels?: DashboardPanel[];
  options?: Partial<DashboardOptions>;
  filters?: Filter[];
  time_range?: TimeRangeSpec | null;
  tags?: string[];
  [key: string]: unknown;
}

// ---------------------------------------------------------------------------------------------
// Execution (§3.4–§3.8)

export type FilterOperator =
  | 'is'
  | 'is_not'
  | 'is_one_of'
  | 'is_not_one_of'
  | 'exists'
  | 'does_not_exist'
  | 'is_between'
  | 'is_not_between'
  | 'contains';

export interface Filter {
  id?: string;
  field: string;
  operator: FilterOperator | (string & {});
  value?: unknown;
  enabled?: boolean | null;
  is_time_filter?: boolean;
  query_type?: 'sql' | 'querydsl' | null;
  index?: string | null;
}

/** An absolute window, UTC: ISO-8601 strings or epoch milliseconds. */
export interface TimeRange {
  from: string | number;
  to: string | number;
}

export interface ExecuteParams {
  filters?: Filter[];
  timeRange?: TimeRange;
}

export type ColumnType = 'string' | 'number' | 'boolean' | 'date' | 'null';

/** The response columns a renderer must use (§3.6). */
export interface Binding {
  x: string | null;
  y: string[];
  series: string | null;
  value: string | null;
}

export type WarningCode =
  | 'missing_x_axis_for_chart'
  | 'missing_series_for_heatmap'
  | 'metric_column_unused_with_count_aggregation'
  | 'mapping_y_ignored_for_aggregating_chart'
  | 'raw_query_overrides_builder_fields'
  | 'unknown_connector_id'
  | 'order_by_function_unknown'
  | 'order_by_metric_id_unresolved'
  | 'order_by_column_unrecognized'
  | 'x_bucket_conflicts_with_date_interval'
  | 'dimension_date_interval_ignored'
  | 'dimension_custom_expression_ignored'
  | 'top_n_other_bucket_unsupported_on_non_x'
  | 'top_n_without_other_bucket_use_limit'
  | 'top_n_other_bucket_incompatible_with_bucket'
  | 'top_n_zero_ignored'
  | 'unknown_aggregation_function'
  | 'multi_metric_truncated'
  | 'multi_y_truncated'
  | 'high_cardinality_no_top_n';

export interface VizWarning {
  code: WarningCode | (string & {});
  message: string;
}

export interface ExecuteMetadata {
  source_kind: string;
  row_count: number;
  truncated: boolean;
  took_ms: number;
  executed_query: string;
  filters_applied: string[];
  filters_skipped: Array<{ field: string; reason: string }>;
  warnings: VizWarning[];
  binding: Binding;
  [key: string]: unknown;
}

export interface ExecuteVisualizationResponse {
  columns: Array<{ name: string; type: ColumnType }>;
  rows: Array<Record<string, unknown>>;
  metadata: ExecuteMetadata;
}

export interface PanelResult {
  id: string | null;
  kind: string | null;
  layout: PanelLayout | null;
  title_override: string | null;
  viz: VisualizationAttributes | null;
  data: ExecuteVisualizationResponse | null;
  error: { status: number | undefined; message: string } | null;
  content?: string | null;
  label?: string | null;
}

export interface ExecuteDashboardParams extends ExecuteParams {
  /** Concurrency of the panel fan-out (Python default 16). */
  maxWorkers?: number;
}
