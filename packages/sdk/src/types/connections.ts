/** Connections, sources and import jobs (spec §5). */

export interface Source {
  id: string;
  type?: string;
  name?: string;
  category?: string;
  description?: string;
  capabilities?: string[];
  disabled?: boolean;
  query_type?: 'querydsl' | 'sql' | 'none' | (string & {});
  [key: string]: unknown;
}

export type ConnectionConfig = Record<string, unknown>;

export interface Connection {
  id?: string;
  connection_id?: string;
  type?: string;
  status?: 'connected' | 'disconnected' | 'error' | (string & {});
  created_at?: string;
  updated_at?: string;
  config?: ConnectionConfig;
  query_type?: string;
  message?: string;
  [key: string]: unknown;
}

export interface ImportJobConfig {
  source_id?: string;
  connection_id?: string;
  source_dataset?: string;
  target_dataset: string;
  schedule?: string;
  query?: string;
  [key: string]: unknown;
}

export interface ImportJob {
  job_id: string;
  id?: string;
  source_id?: string;
  target_dataset?: string;
  status?: 'pending' | 'running' | 'completed' | 'failed' | (string & {});
  schedule?: string | null;
  created_at?: string;
  last_run?: string | null;
  [key: string]: unknown;
}

export interface ConnectorJobStatus {
  run_id: string;
  status: 'submitted' | 'running' | 'completed' | 'failed' | (string & {});
  connector_id?: string;
  connection_id?: string | null;
  index_name?: string;
  started_at?: string;
  completed_at?: string | null;
  duration_ms?: number | null;
  error_message?: string | null;
  stats?: Record<string, unknown> | null;
  errors?: unknown[];
  [key: string]: unknown;
}

/** Response of `querySource`: a native search response or a SQL result, depending on the source. */
export type SourceQueryResponse = Record<string, unknown>;
