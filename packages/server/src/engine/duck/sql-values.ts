/**
 * DuckDB result values and types as the SQL API returns them: JSON-safe values (integers as
 * numbers while exact, else strings; timestamps as ISO-8601 UTC; decimals as numbers) and
 * Elasticsearch-SQL type names, which the Python SDK's tests read (`keyword`, `long`, `date`…).
 */
import {
  DuckDBBlobValue,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBArrayType,
  DuckDBArrayValue,
  DuckDBListType,
  DuckDBListValue,
  DuckDBMapType,
  DuckDBStructType,
  DuckDBMapValue,
  DuckDBStructValue,
  DuckDBTimestampValue,
  DuckDBTimestampTZValue,
  DuckDBTimestampSecondsValue,
  DuckDBTimestampMillisecondsValue,
  DuckDBTimestampNanosecondsValue,
  type DuckDBType,
  DuckDBTypeId,
  type DuckDBValue,
} from '@duckdb/node-api';

const TYPE_NAMES: Partial<Record<DuckDBTypeId, string>> = {
  [DuckDBTypeId.BOOLEAN]: 'boolean',
  [DuckDBTypeId.TINYINT]: 'byte',
  [DuckDBTypeId.SMALLINT]: 'short',
  [DuckDBTypeId.INTEGER]: 'integer',
  [DuckDBTypeId.BIGINT]: 'long',
  [DuckDBTypeId.UTINYINT]: 'short',
  [DuckDBTypeId.USMALLINT]: 'integer',
  [DuckDBTypeId.UINTEGER]: 'long',
  [DuckDBTypeId.UBIGINT]: 'unsigned_long',
  [DuckDBTypeId.HUGEINT]: 'long',
  [DuckDBTypeId.UHUGEINT]: 'unsigned_long',
  [DuckDBTypeId.BIGNUM]: 'long',
  [DuckDBTypeId.FLOAT]: 'float',
  [DuckDBTypeId.DOUBLE]: 'double',
  [DuckDBTypeId.DECIMAL]: 'double',
  [DuckDBTypeId.VARCHAR]: 'keyword',
  [DuckDBTypeId.UUID]: 'keyword',
  [DuckDBTypeId.ENUM]: 'keyword',
  [DuckDBTypeId.BIT]: 'keyword',
  [DuckDBTypeId.TIMESTAMP]: 'date',
  [DuckDBTypeId.TIMESTAMP_S]: 'date',
  [DuckDBTypeId.TIMESTAMP_MS]: 'date',
  [DuckDBTypeId.TIMESTAMP_NS]: 'date',
  [DuckDBTypeId.TIMESTAMP_TZ]: 'date',
  [DuckDBTypeId.DATE]: 'date',
  [DuckDBTypeId.TIME]: 'time',
  [DuckDBTypeId.TIME_TZ]: 'time',
  [DuckDBTypeId.TIME_NS]: 'time',
  [DuckDBTypeId.INTERVAL]: 'interval',
  [DuckDBTypeId.LIST]: 'array',
  [DuckDBTypeId.ARRAY]: 'array',
  [DuckDBTypeId.STRUCT]: 'object',
  [DuckDBTypeId.MAP]: 'object',
  [DuckDBTypeId.UNION]: 'object',
  [DuckDBTypeId.VARIANT]: 'object',
  [DuckDBTypeId.BLOB]: 'binary',
  [DuckDBTypeId.SQLNULL]: 'null',
};

export function sqlTypeName(type: DuckDBType): string {
  if (type.alias === 'JSON') return 'object';
  return TYPE_NAMES[type.typeId] ?? 'keyword';
}

/**
 * How integers beyond 2^53 come out: `string` for API responses (JSON numbers would round),
 * `bigint` for documents (written into `_source` as exact JSON numbers by `toJsonText`).
 */
export type BigMode = 'string' | 'bigint';

/**
 * A whole-numbered DOUBLE headed for a document. JSON would print it as `1`, which dynamic mapping
 * reads as a long; the SQL type says double, and `toJsonText` prints `1.0`.
 */
export class WholeDouble {
  constructor(readonly value: number) {}
}

const DOUBLE_TYPES = new Set([DuckDBTypeId.DOUBLE, DuckDBTypeId.FLOAT, DuckDBTypeId.DECIMAL]);

export function jsValue(value: DuckDBValue, type: DuckDBType | undefined, big: BigMode): unknown {
  if (big === 'bigint' && type && DOUBLE_TYPES.has(type.typeId) && value !== null) {
    const n = value instanceof DuckDBDecimalValue ? value.toDouble() : Number(value);
    if (Number.isInteger(n) && Math.abs(n) < 1e15) return new WholeDouble(n);
  }
  if (value === null || typeof value === 'boolean' || typeof value === 'string') {
    if (typeof value === 'string' && type?.alias === 'JSON') return parseJsonOrText(value);
    return value;
  }
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    return Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity';
  }
  if (typeof value === 'bigint') {
    if (value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= BigInt(Number.MIN_SAFE_INTEGER)) return Number(value);
    return big === 'bigint' ? value : value.toString();
  }
  if (value instanceof DuckDBDecimalValue) return value.toDouble();
  if (value instanceof DuckDBTimestampTZValue || value instanceof DuckDBTimestampValue) return isoFromMicros(value.micros);
  if (value instanceof DuckDBTimestampMillisecondsValue) return isoFromMicros(value.millis * 1000n);
  if (value instanceof DuckDBTimestampSecondsValue) return isoFromMicros(value.seconds * 1_000_000n);
  if (value instanceof DuckDBTimestampNanosecondsValue) return isoFromMicros(value.nanos / 1000n);
  if (value instanceof DuckDBDateValue) return value.isFinite ? new Date(value.days * 86_400_000).toISOString().slice(0, 10) : value.toString();
  // Child types travel along so that JSON nested in a list or struct is parsed too.
  if (value instanceof DuckDBListValue || value instanceof DuckDBArrayValue) {
    const child = type instanceof DuckDBListType || type instanceof DuckDBArrayType ? type.valueType : undefined;
    return value.items.map((v) => jsValue(v, child, big));
  }
  if (value instanceof DuckDBStructValue) {
    const out: Record<string, unknown> = {};
    const struct = type instanceof DuckDBStructType ? type : undefined;
    for (const [k, v] of Object.entries(value.entries)) out[k] = jsValue(v, struct?.entryTypes[struct.entryIndexes[k]], big);
    return out;
  }
  if (value instanceof DuckDBMapValue) {
    const out: Record<string, unknown> = {};
    const child = type instanceof DuckDBMapType ? type.valueType : undefined;
    for (const { key, value: v } of value.entries) out[String(jsValue(key, undefined, 'string'))] = jsValue(v, child, big);
    return out;
  }
  if (value instanceof DuckDBBlobValue) return Buffer.from(value.bytes).toString('base64');
  return String(value);
}

/** ISO-8601 UTC with milliseconds, or microseconds when there are any; ±infinity as text. */
function isoFromMicros(micros: bigint): string {
  // Floor division, so instants before 1970 keep a non-negative sub-millisecond part.
  const ms = micros >= 0n ? micros / 1000n : -((-micros + 999n) / 1000n);
  const date = new Date(Number(ms));
  if (Number.isNaN(date.getTime())) return micros > 0n ? 'infinity' : '-infinity';
  const iso = date.toISOString();
  const subMs = Number(micros - ms * 1000n);
  return subMs === 0 ? iso : `${iso.slice(0, -1)}${String(subMs).padStart(3, '0')}Z`;
}

function parseJsonOrText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** JSON text that keeps bigints exact (documents built from SQL rows carry them into `_source`). */
export function toJsonText(value: unknown): string {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof WholeDouble) return `${value.value}.0`;
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  return `{${Object.entries(value)
    .map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`)
    .join(',')}}`;
}
