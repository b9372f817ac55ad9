/** Query request/response shapes (spec §2.3). */
import type { Document } from './datasets.js';

/** QueryDSL as text (sent verbatim) or as an object (sent as JSON). */
export type QueryDsl = string | Record<string, unknown>;

export interface SearchHit<T = Document> {
  _index: string;
  _id: string;
  _score: number | null;
  _source: T;
  sort?: unknown[];
}

export interface SearchResponse<T = Document> {
  took: number;
  timed_out: boolean;
  _shards?: { total: number; successful: number; skipped: number; failed: number };
  hits: {
    total: { value: number; relation: 'eq' | 'gte' };
    max_score: number | null;
    hits: Array<SearchHit<T>>;
  };
  aggregations?: Record<string, unknown>;
}

/** CoreDB-native SQL result; other documented shapes are allowed through the index signature. */
export interface SqlResponse {
  statement_type?: string;
  affected_rows?: number;
  execution_time?: number;
  columns?: unknown[];
  rows?: unknown[];
  total?: number;
  error_message?: string | null;
  [key: string]: unknown;
}

export interface PromqlResponse {
  status: 'success' | 'error';
  data?: {
    resultType: 'vector' | 'matrix' | 'scalar' | 'string';
    result: Array<{
      metric: Record<string, string>;
      value?: [number, string];
      values?: Array<[number, string]>;
    }>;
  };
  errorType?: string;
  error?: string;
}

/** `start`/`end`/`step` are rendered like Python's `str()`; pass a string to control the exact text. */
export type PromqlNumber = number | string;
