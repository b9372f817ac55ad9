/**
 * The narrow, typed engine API. The HTTP layer never writes SQL: it calls these methods (always
 * through the policy-checked DatasetService). A scale-out backend implements the same interface.
 */
import type { SamplesIn } from '../metrics/batch.js';
import type { QueryNode } from '../query/ast.js';
import type { BulkOp } from './bulk.js';
import type { SearchRequest, SearchResponse } from '../search/types.js';
import type { LabelMatcher } from '../promql/ast.js';
import type { Labels, SeriesSource } from '../promql/values.js';

/** Elasticsearch field types produced by dynamic mapping (and, later, explicit mappings). */
export type FieldType = 'text' | 'keyword' | 'long' | 'double' | 'boolean' | 'date' | 'object';

/** What an explicit mapping (`PUT /{index}` with `mappings`) can change from the dynamic defaults. */
export interface FieldOptions {
  /** Name of the keyword sub-field of a text field (`keyword` for dynamic text; none when absent). */
  keywordSubfield?: string;
  /** `norms: false`: BM25 without length normalisation. */
  norms?: boolean;
  /** `index_options: docs`: no frequencies or positions (phrase queries are refused). */
  docsOnly?: boolean;
  /** A keyword `normalizer` that lowercases (values are indexed and queried lowercased). */
  lowercase?: boolean;
  /** The keyword normalizer's name as mapped (echoed by GET _mapping). */
  normalizer?: string;
  /** `fielddata: true` on text: aggregations and sorting over its tokens. */
  fielddata?: boolean;
  /** `ignore_above` of a keyword field or sub-field. */
  ignoreAbove?: number;
}

export interface FieldMapping {
  /** Flattened dotted path, e.g. `user.name`. Case-sensitive, as in Elasticsearch. */
  path: string;
  type: FieldType;
  /** True once any document held an array at this path (stored as a DuckDB LIST). */
  multi: boolean;
  /** Set by an explicit mapping; dynamic fields have none (text then has a `.keyword` sub-field). */
  options?: FieldOptions;
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

export interface SqlColumn {
  name: string;
  /** Elasticsearch-SQL type name (`keyword`, `long`, `double`, `date`, `array`, `object`…). */
  type: string;
}

export interface SqlRows {
  columns: SqlColumn[];
  rows: unknown[][];
  /** More rows existed than the limit allowed. */
  truncated: boolean;
}

export interface SqlLimits {
  maxRows: number;
  timeoutMs: number;
}

/**
 * Runs a validated SELECT inside a write (rows come back with exact bigints, for documents). More
 * than `limits.maxRows` rows, or a run past `limits.timeoutMs`, fails the statement.
 */
export type SqlWriteQuery = (sql: string) => Promise<SqlRows>;

export interface SqlWritePlan {
  ops: BulkOp[];
  /** Field paths whose SQL type is floating-point: mapped as double when new, whatever the values look like. */
  doubles: string[];
}

export interface Engine {
  /** `mappings`/`settings` are Elasticsearch's (`{"properties": {...}}`; normalizers), validated here. */
  createDataset(name: string, mappings?: unknown, settings?: unknown): Promise<DatasetInfo>;
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
  /**
   * Elasticsearch search over one or more datasets (already resolved and authorised). Hits carry
   * `_index`; statistics for scoring are per dataset, as ES's are per shard.
   */
  search(names: string[], request: SearchRequest): Promise<SearchResponse>;
  deleteByQuery(name: string, query: QueryNode): Promise<{ deleted: number }>;
  /** DuckDB's JSON parse of a SELECT (`json_serialize_sql`); src/sql/ validates statements with it. */
  serializeSql(sql: string): Promise<string>;
  /** SQL text of a (possibly edited) `serializeSql` parse (`json_deserialize_sql`); visualizations inject filters with it. */
  deserializeSql(json: string): Promise<string>;
  /** The relation name under which a dataset appears to `querySql`/`writeSql` statements. */
  sqlRelation(name: string): string;
  /** Runs a validated read whose dataset references were rewritten to `sqlRelation` names. */
  querySql(sql: string, datasets: string[], limits: SqlLimits): Promise<SqlRows>;
  /**
   * A SQL write: inside one write transaction, `plan` runs its SELECTs (seeing every committed and
   * earlier-queued write) and returns document operations, applied through the bulk document path.
   * All or nothing: the first failing operation aborts the whole statement. A missing `target` is
   * created when `createTarget`, else it is a 404. The SELECTs hold up every other write while they
   * run, so they get the same time limit as reads.
   */
  writeSql(
    target: string,
    datasets: string[],
    createTarget: boolean,
    limits: SqlLimits,
    plan: (query: SqlWriteQuery) => Promise<SqlWritePlan>,
  ): Promise<BulkItemResult[]>;
  /** Prometheus metrics of datasets (ingest, series catalogue, samples): see MetricsEngine. */
  readonly metrics: MetricsEngine;
  /** Merge pending postings runs and checkpoint now (what idle time does on its own; like ES _forcemerge + _flush). */
  maintain(): Promise<void>;
  /** Flush pending background work and close the database (graceful shutdown). */
  close(): Promise<void>;
}

export interface MetricsIngestResult {
  /** Samples stored (after dropping the bad lines; duplicates within the request count once). */
  samples: number;
  /** Every rejected line, by 1-based line number of the request body. */
  errors: Array<{ line: number; message: string }>;
}

/**
 * Metrics storage. Datasets are the document datasets (one namespace); a dataset's metrics tables
 * appear on its first metrics write. Dataset names passed to the read methods are already
 * resolved and authorised; a name without metrics reads as empty. The read methods are shaped as
 * promql/service.ts's `MetricsStore`, so this object can be handed to PromqlService as it is.
 * `matchers` is a list of matcher sets (Prometheus's `match[]`): a series matching any set counts;
 * an empty list means every series. `startMs`/`endMs` (inclusive) keep series with a sample in
 * the range; a bound left out is open.
 */
export interface MetricsEngine {
  /**
   * Parses Prometheus text 0.0.4 / OpenMetrics (metrics/exposition.ts) and stores the valid
   * samples, creating the dataset when missing. `canWrite` is the policy hook. Bad lines are
   * reported, never thrown; the valid lines of the same request are stored.
   */
  ingest(
    dataset: string,
    text: string,
    receivedAtMs: number,
    canWrite: (dataset: string) => void,
    options?: { contentType?: string },
  ): Promise<MetricsIngestResult>;
  /**
   * Stores already-parsed samples (remote write): same storage path as `ingest`. `labels` must be
   * valid and normalised (sorted keys, `__name__` set, no empty values). Returns the samples stored.
   */
  ingestSamples(
    dataset: string,
    samples: SamplesIn,
    canWrite: (dataset: string) => void,
    metadata?: Map<string, { type: string; help?: string; unit?: string }>,
  ): Promise<number>;
  /** Datasets that hold metrics, sorted. */
  metricDatasets(): string[];
  /** The PromQL read side over these datasets (identical series in several datasets are merged). */
  metricsSource(datasets: string[]): SeriesSource;
  labelNames(datasets: string[], matchers: LabelMatcher[][], startMs?: number, endMs?: number): Promise<string[]>;
  labelValues(datasets: string[], name: string, matchers: LabelMatcher[][], startMs?: number, endMs?: number): Promise<string[]>;
  series(datasets: string[], matchers: LabelMatcher[][], startMs?: number, endMs?: number): Promise<Labels[]>;
  /**
   * Per metric family (as named by `# TYPE`/`# HELP`/`# UNIT`), sorted by name: one entry per
   * distinct metadata across datasets; `help`/`unit` are "" when never given (Prometheus's shape).
   */
  metadata(datasets: string[], metric?: string): Promise<Record<string, Array<{ type: string; help: string; unit: string }>>>;
  /** Samples older than `now - ms` are deleted at the next idle maintenance; null keeps everything (the default). */
  setRetention(dataset: string, ms: number | null): Promise<void>;
  retention(dataset: string): number | null;
}
