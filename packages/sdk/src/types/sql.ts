/** SQL request/response shapes (`/sql`, spec §2.3 and §7.8: the shape the Python SDK's tests read). */

/** Elasticsearch-SQL type names, as the server reports a column's DuckDB type. */
export type SqlColumnType =
  | 'keyword'
  | 'long'
  | 'integer'
  | 'short'
  | 'byte'
  | 'unsigned_long'
  | 'double'
  | 'float'
  | 'boolean'
  | 'date'
  | 'time'
  | 'interval'
  | 'array'
  | 'object'
  | 'binary'
  | 'null'
  | (string & {});

export interface SqlColumn {
  name: string;
  type: SqlColumnType;
}

/**
 * A read: one array per row, values in `columns` order. Integers beyond ±2^53 arrive as strings,
 * timestamps as ISO-8601 UTC strings, DOUBLE NaN/±Infinity as "NaN"/"Infinity"/"-Infinity".
 * Type the rows as a tuple: `queryDatasetInSql<[string, number]>('SELECT category, count(*) …')`.
 */
export interface SqlResult<Row extends readonly unknown[] = unknown[]> {
  columns: SqlColumn[];
  rows: Row[];
  /** Rows returned (the same as `size`). */
  total: number;
  size: number;
  /** True when the server's row limit (`max_rows`, default 10,000) cut the result. */
  truncated: boolean;
  /** Server-side milliseconds. */
  took: number;
}

/** A write (`upsertToDataset`): INSERT / UPSERT / UPDATE / DELETE. */
export interface SqlWriteResult {
  statement_type: 'insert' | 'update' | 'delete';
  /** Documents created + updated + deleted. */
  affected_rows: number;
  created: number;
  updated: number;
  deleted: number;
  took: number;
}

/** Optional request fields besides the statement (the Python SDK sends only `query`). */
export interface SqlOptions {
  /** Fewer rows than the server's limit. */
  max_rows?: number;
  /** A shorter timeout than the server's (milliseconds). */
  timeout_ms?: number;
}
