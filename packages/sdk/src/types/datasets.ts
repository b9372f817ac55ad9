/** Dataset, document and bulk shapes (spec §2.2). */

export interface PingResponse {
  version: string;
  status?: string;
  [key: string]: unknown;
}

export interface CreateDatasetResponse {
  acknowledged: boolean;
  index: string;
  shards_acknowledged?: boolean;
}

/** cat-indices style metadata; the dotted keys are strings, the underscore extras are typed values. */
export interface DatasetMetadata {
  health?: string;
  status?: string;
  index?: string;
  uuid?: string;
  pri?: string;
  rep?: string;
  'docs.count'?: string;
  'docs.deleted'?: string;
  'store.size'?: string;
  'pri.store.size'?: string;
  docs_count?: number;
  store_size?: string;
  creation_date?: string;
  count?: number;
  /** Set when the server answered with a bare JSON string (SDK unwrapping rule). */
  text?: string;
  [key: string]: unknown;
}

export type InfinoFieldType = 'ISO8601Date' | 'String' | 'Float' | 'Integer' | 'Boolean' | 'Object' | (string & {});

export interface FieldInfo {
  source: string;
  infino_type: InfinoFieldType;
}

/** Pure map field name → info. */
export type DatasetSchema = Record<string, FieldInfo>;

export type Document = Record<string, unknown>;

export interface BulkTarget {
  _id?: string;
  _index?: string;
}

/** One Elasticsearch-bulk operation; serialised as an action line plus (except delete) a source line. */
export type BulkOperation<T extends Document = Document> =
  | { index: BulkTarget; doc: T }
  | { create: BulkTarget; doc: T }
  | { update: BulkTarget & { _id: string }; doc: Partial<T>; docAsUpsert?: boolean }
  | { delete: BulkTarget & { _id: string } };

/**
 * Payload of `uploadJsonToDataset`:
 * - NDJSON text (sent verbatim; a trailing newline is appended if missing, like Python);
 * - an array of documents (each becomes `{"index":{}}` + the document, verbatim);
 * - `{ operations }` for explicit bulk operations (a separate wrapper so documents are never mistaken
 *   for operations).
 */
export type BulkPayload<T extends Document = Document> =
  | string
  | readonly T[]
  | { operations: ReadonlyArray<BulkOperation<T>> };

export type BulkAction = 'index' | 'create' | 'update' | 'delete';

export interface BulkItemResult {
  _index: string;
  /** null for a failed item that never had an id (a malformed line, or no `_id` given). */
  _id: string | null;
  _version?: number;
  result?: 'created' | 'updated' | 'deleted' | 'not_found' | 'noop' | (string & {});
  status: number;
  error?: { type: string; reason: string };
}

export type BulkItem = { [A in BulkAction]: { [K in A]: BulkItemResult } }[BulkAction];

export interface BulkResponse {
  took: number;
  errors: boolean;
  items: BulkItem[];
}

export interface GetRecordResponse<T = Document> {
  _index: string;
  _id: string;
  _version: number;
  _seq_no: number;
  _primary_term: number;
  found: boolean;
  _source: T;
}

export interface DeleteByQueryResponse {
  took: number;
  timed_out: boolean;
  total: number;
  deleted: number;
  failures: unknown[];
}

export interface EnrichPolicy {
  enrich_policy: { match_field: string; enrich_fields: string[]; [key: string]: unknown };
  [key: string]: unknown;
}
