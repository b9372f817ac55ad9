/**
 * Response column types (protocol §3.4): every engine's type name — ours (Elasticsearch-SQL names
 * from the SQL service: `keyword`, `long`, `date`…), DuckDB/PostgreSQL, MySQL, BigQuery, Snowflake,
 * CoreDB — folded into `string | number | boolean | date | null`, with the sampled values deciding
 * for columns that carry no usable type.
 */
import type { ColumnType } from '@infino/sdk';

const NUMBER = new Set([
  // Elasticsearch-SQL (our SQL service)
  'long', 'integer', 'short', 'byte', 'double', 'float', 'half_float', 'scaled_float', 'unsigned_long',
  // SQL integers and decimals across dialects
  'int', 'int2', 'int4', 'int8', 'int16', 'int32', 'int64', 'int128', 'uint8', 'uint16', 'uint32', 'uint64',
  'tinyint', 'smallint', 'mediumint', 'bigint', 'hugeint', 'uhugeint', 'utinyint', 'usmallint', 'uinteger', 'ubigint', 'varint', 'bignum',
  'byteint', 'serial', 'smallserial', 'bigserial', 'serial2', 'serial4', 'serial8', 'year',
  'number', 'numeric', 'decimal', 'dec', 'fixed', 'bignumeric', 'bigdecimal',
  'float4', 'float8', 'float64', 'float32', 'real', 'double precision', 'money', 'smallmoney',
]);

const DATE = new Set([
  'date', 'datetime', 'datetime2', 'smalldatetime', 'datetimeoffset', 'date_nanos', 'iso8601date',
  'timestamp', 'timestamptz', 'timestamp_ltz', 'timestamp_ntz', 'timestamp_tz', 'timestamp_s', 'timestamp_ms', 'timestamp_ns', 'timestamp_us',
  'timestamp with time zone', 'timestamp without time zone', 'timestamp with local time zone',
]);

const BOOLEAN = new Set(['boolean', 'bool', 'logical']);

const NULL = new Set(['null', 'sqlnull', 'void']);

/** Declared-text types whose values may still all be numbers or booleans (CoreDB `String`, §3.4). */
const TEXT = new Set([
  'string', 'text', 'keyword', 'varchar', 'char', 'character', 'character varying', 'nvarchar', 'nchar', 'bpchar', 'tinytext', 'mediumtext', 'longtext', 'clob',
  'match_only_text', 'constant_keyword', 'wildcard',
]);

/** `VARCHAR(255)` → `varchar`, `INT(11) UNSIGNED` → `int`, `Nullable(Float64)` → `float64`, `DateTime64(3)` → `datetime64`. */
function baseName(engineType: string): string {
  let t = engineType.trim().toLowerCase();
  for (;;) {
    const wrapped = /^(?:nullable|lowcardinality)\((.*)\)$/.exec(t);
    if (!wrapped) break;
    t = wrapped[1];
  }
  return t
    .replace(/\(.*?\)/g, '')
    .replace(/\b(?:unsigned|signed|zerofill)\b/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

const NUMERIC_TEXT = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?\s*$/i;
const isNumberLike = (v: unknown) => (typeof v === 'number' && Number.isFinite(v)) || typeof v === 'bigint' || (typeof v === 'string' && NUMERIC_TEXT.test(v));
const isBooleanLike = (v: unknown) => typeof v === 'boolean' || (typeof v === 'string' && /^(?:true|false)$/i.test(v));

function declared(t: string): ColumnType | undefined {
  if (NUMBER.has(t) || /^u?int\d*$/.test(t) || /^float\d*$/.test(t) || /^decimal\d*$/.test(t)) return 'number';
  if (DATE.has(t) || t.startsWith('timestamp') || /^datetime\d*$/.test(t)) return 'date';
  if (BOOLEAN.has(t)) return 'boolean';
  if (NULL.has(t)) return 'null';
  return undefined;
}

/**
 * The protocol type of a column from its engine type and some of its values: a column whose sampled
 * values are all null is `null` (an empty sample keeps the declared type); a text column whose
 * non-null values are all numbers (or all booleans) is `number` (`boolean`); an untyped column is
 * judged by its values alone.
 */
export function normalizeColumnType(engineType: string, sampleValues: unknown[]): ColumnType {
  const t = baseName(engineType ?? '');
  const values = sampleValues.filter((v) => v !== null && v !== undefined);
  if (sampleValues.length > 0 && values.length === 0) return 'null';
  const known = declared(t);
  if (known !== undefined) return known;
  const untyped = t === '' || t === 'unknown' || t === 'any';
  if ((TEXT.has(t) || untyped) && values.length > 0) {
    if (values.every(isNumberLike)) return 'number';
    if (values.every(isBooleanLike)) return 'boolean';
  }
  return 'string';
}
