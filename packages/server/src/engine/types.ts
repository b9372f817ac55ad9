/**
 * The narrow, typed engine API. The HTTP layer never writes SQL: it calls these methods (always
 * through the policy-checked DatasetService). A scale-out backend implements the same interface.
 */
import type { QueryNode } from '../query/ast.js';

/** Elasticsearch field types produced by dynamic mapping (and, later, explicit mappings). */
export type FieldType = 'text' | 'keyword' | 'long' | 'double' | 'boolean' | 'date' | 'object';

export interface FieldMapping {
  /** Flattened dotted path, e.g. `user.name`. Case-sensitive, as in Elasticsearch. */
  path: string;
  type: FieldType;
  /** True once any document held an array at this path (stored as a DuckDB LIST). */
  multi: boolean;
}

export interface DatasetInfo {
  name: string;
  uuid: string;
  createdAt: Date;
}

export interface DatasetStats extends DatasetInfo {
  docsCount: number;
  docsDeleted: number;
  storeSizeBytes: number;
  /** Postings runs (like Lucene segments): one per recent batch until merged. */
  segmentsCount: number;
}

export interface StoredDoc {
  _id: string;
  _version: number;
  _seq_no: number;
  /** The document's JSON text, byte-for-byte as ingested (or as re-serialised after a partial update). */
  sourceText: string;
}

export type BulkAction = 'index' | 'create' | 'update' | 'delete';

export interface BulkItemResult {
  _index: string;
  /** null for a failed item that never had an id (a malformed line, or no `_id` given). */
  _id: string | null;
  _version?: number;
  result?: 'created' | 'updated' | 'deleted' | 'not_found' | 'noop';
  status: number;
  _seq_no?: number;
  _primary_term?: number;
  error?: { type: string; reason: string; index?: string };
}

export interface BulkResponse {
  took: number;
  errors: boolean;
  items: Array<Partial<Record<BulkAction, BulkItemResult>>>;
}

export interface Engine {
  createDataset(name: string): Promise<DatasetInfo>;
  /** Throws ApiError 404 index_not_found_exception when unknown. */
  dropDataset(name: string): Promise<void>;
  listDatasets(): DatasetInfo[];
  hasDataset(name: string): boolean;
  stats(name: string): Promise<DatasetStats>;
  mappings(name: string): FieldMapping[];
  /**
   * Elasticsearch-style bulk. `defaultDataset` is the target of items without `_index`; items may
   * name other datasets. Missing datasets are created (as Elasticsearch does). `canWrite` is the
   * policy hook, called once per distinct target before anything is written.
   */
  bulk(defaultDataset: string | undefined, ndjson: string, canWrite: (dataset: string) => void): Promise<BulkResponse>;
  get(name: string, id: string): Promise<StoredDoc | null>;
  count(name: string, query?: QueryNode): Promise<number>;
  deleteByQuery(name: string, query: QueryNode): Promise<{ deleted: number }>;
  /** Merge pending postings runs and checkpoint now (what idle time does on its own; like ES _forcemerge + _flush). */
  maintain(): Promise<void>;
  /** Flush pending background work and close the database (graceful shutdown). */
  close(): Promise<void>;
}
