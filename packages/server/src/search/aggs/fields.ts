/**
 * Fields as aggregations see them: resolved through `AggContext.field`, checked against what the
 * aggregation accepts (with Elasticsearch's errors), and turned into SQL value expressions that
 * apply `missing`. Unmapped fields have no values (a typed NULL), as in Elasticsearch.
 */
import type { FieldType } from '../../engine/types.js';
import { resolveDateMath } from '../../query/datemath.js';
import type { Scalar } from '../../query/ast.js';
import { illegalArgument } from './errors.js';
import type { AggContext, AggField } from './types.js';

export const fielddataError = (path: string) =>
  illegalArgument(
    `Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [${path}] in order to load field data by uninverting the inverted index. Note that this can use significant memory.`,
  );

const unsupported = (path: string, type: FieldType, agg: string) =>
  illegalArgument(`Field [${path}] of type [${type}] is not supported for aggregation [${agg}]`);

export const sqlString = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** A SQL literal for a number that DuckDB reads as DOUBLE. */
export const sqlNumber = (n: number) => (Number.isInteger(n) ? `${n}.0` : `${n}`);

/** What a field's values are, for SQL: the column expression, its type, and whether it is a LIST. */
export interface Values {
  path: string;
  /** undefined: the field is unmapped (no values). */
  field?: AggField;
  type: FieldType | 'none';
}

const NUMERIC: FieldType[] = ['long', 'double', 'date', 'boolean'];

/** Any field an aggregation may read (terms, cardinality, value_count); text needs fielddata. */
export function anyValues(ctx: AggContext, path: string): Values {
  const field = ctx.field(path);
  if (!field) return { path, type: 'none' };
  if (field.analyzed) throw fielddataError(path);
  return { path, field, type: field.type };
}

/** A field numeric aggregations accept: numbers, dates and booleans. */
export function numericValues(ctx: AggContext, path: string, agg: string, allowed: FieldType[] = NUMERIC): Values {
  const field = ctx.field(path);
  if (!field) return { path, type: 'none' };
  if (!allowed.includes(field.type)) {
    if (field.analyzed && agg === 'histogram') throw fielddataError(path);
    throw unsupported(path, field.type, agg);
  }
  return { path, field, type: field.type };
}

export const isMulti = (v: Values) => v.field?.multi === true;

/** The missing value as a SQL literal of the field's type (dates take date math or epoch ms). */
export function missingLiteral(v: Values, missing: Scalar, agg: string, now: number): string {
  switch (v.type) {
    case 'long':
    case 'double': {
      const n = typeof missing === 'boolean' ? Number(missing) : Number(missing);
      if (typeof missing === 'string' && (missing.trim() === '' || !Number.isFinite(n))) {
        throw illegalArgument(`For input string: "${missing}" (the [missing] value of [${agg}] on [${v.path}])`);
      }
      return v.type === 'long' ? `${Math.trunc(n)}::BIGINT` : `${sqlNumber(n)}::DOUBLE`;
    }
    case 'boolean': {
      if (missing === true || missing === 'true') return 'true';
      if (missing === false || missing === 'false') return 'false';
      throw illegalArgument(`Can't parse boolean value [${String(missing)}], expected [true] or [false]`);
    }
    case 'date': {
      const ms = typeof missing === 'boolean' ? undefined : resolveDateMath(missing, false, now);
      if (ms === undefined) throw illegalArgument(`failed to parse date field [${String(missing)}] (the [missing] value of [${agg}] on [${v.path}])`);
      return `epoch_ms(${Math.trunc(ms)}::BIGINT)`;
    }
    default:
      return sqlString(String(missing));
  }
}

/**
 * The column with `missing` applied: a scalar expression, or a LIST for a multi-valued field (a
 * document with no value, or an empty array, takes `[missing]`). Unmapped: NULL, or the literal.
 */
export function valueSql(v: Values, missingSql: string | undefined, nullType = 'DOUBLE'): string {
  if (!v.field) return missingSql ?? `NULL::${nullType}`;
  if (missingSql === undefined) return v.field.sql;
  if (!v.field.multi) return `coalesce(${v.field.sql}, ${missingSql})`;
  return `(CASE WHEN coalesce(len(${v.field.sql}), 0) = 0 THEN [${missingSql}] ELSE ${v.field.sql} END)`;
}

/** Maps a scalar SQL transform over a value that may be a LIST. */
export function mapValue(expr: string, multi: boolean, f: (x: string) => string): string {
  return multi ? `list_transform(${expr}, __x -> ${f('__x')})` : f(expr);
}

/** SQL turning a value of the field's type into a number: epoch ms for dates, 0/1 for booleans. */
export function toNumberSql(type: Values['type'], x: string): string {
  if (type === 'date') return `epoch_ms(${x})`;
  if (type === 'boolean') return `${x}::INTEGER`;
  return x;
}
