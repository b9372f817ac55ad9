/** Visualizations & dashboards (spec §3). Attribute objects are loosely typed: the server owns defaults. */

export interface SavedObject<A = Record<string, unknown>> {
  id: string;
  kind: 'visualization' | 'dashboard';
  created_at: string;
  updated_at: string;
  attributes: A;
}

export interface ListResponse<A = Record<string, unknown>> {
  items: Array<SavedObject<A>>;
  total?: number;
}

export interface ListParams {
  limit?: number;
  offset?: number;
}

export interface VisualizationSpec {
  title: string;
  description?: string | null;
  source: { kind: 'sql' | (string & {}); index: string; [key: string]: unknown };
  chart: { type: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface DashboardPanel {
  kind?: 'visualization' | 'markdown' | 'divider';
  id?: string;
  viz_id?: string;
  content?: string;
  label?: string;
  layout?: { x: number; y: number; w: number; h: number };
  title_override?: string | null;
}

export interface DashboardSpec {
  title: string;
  panels?: DashboardPanel[];
  [key: string]: unknown;
}

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

export interface TimeRange {
  from: string | number;
  to: string | number;
}

export interface ExecuteParams {
  filters?: Filter[];
  timeRange?: TimeRange;
}

export interface ExecuteVisualizationResponse {
  columns: Array<{ name: string; type: 'string' | 'number' | 'boolean' | 'date' | 'null' }>;
  rows: Array<Record<string, unknown>>;
  metadata: {
    source_kind: string;
    row_count: number;
    truncated: boolean;
    took_ms: number;
    executed_query?: string;
    filters_applied?: string[];
    filters_skipped?: Array<{ field: string; reason: string }>;
    warnings?: Array<{ code: string; message: string }>;
    binding?: Record<string, unknown>;
    [key: string]: unknown;
  };
}

export interface PanelResult {
  id: string | null;
  kind: string | null;
  layout: DashboardPanel['layout'] | null;
  title_override: string | null;
  viz: Record<string, unknown> | null;
  data: ExecuteVisualizationResponse | null;
  error: { status: number | undefined; message: string } | null;
  content?: string | null;
  label?: string | null;
}

export interface ExecuteDashboardParams extends ExecuteParams {
  /** Concurrency of the panel fan-out (Python default 16). */
  maxWorkers?: number;
}
