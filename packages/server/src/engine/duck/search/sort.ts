/**
 * `sort` keys → SQL ORDER BY over (hits h JOIN docs d), the sort values ES returns in `hit.sort`,
 * `search_after` as a keyset predicate, and a JS comparator to merge hits across datasets.
 */
import { ApiError, badRequest } from '../../../errors.js';
import type { Scalar } from '../../../query/ast.js';
import type { SortKey } from '../../../search/types.js';
import type { DatasetState } from '../catalog.js';
import { quoteIdent, quoteString } from '../sql.js';
import { ignoreAbove, isFullText, resolveField } from './fields.js';
import { literal } from './leaves.js';

export interface CompiledSortKey {
  /** SQL value of the key (NULL when missing, unless `missing` gives a value). */
  sql: string;
  order: 'asc' | 'desc';
  nullsFirst: boolean;
  /** How the value is returned: dates and booleans as numbers, as ES does. */
  kind: 'number' | 'string' | 'score' | 'doc';
  /** Reads a docs column (the hits must be joined with the docs table to sort). */
  usesDocs: boolean;
}

/** SQL for the hit's seq and score in the statement the keys go into. */
export interface SortContext {
  seq: string;
  score: string;
}

export const DEFAULT_SORT: SortKey[] = [{ field: '_score', order: 'desc' }];

export function compileSort(ds: DatasetState, keys: SortKey[], at: SortContext): CompiledSortKey[] {
  return keys.map((key) => {
    if (key.field === '_score') return { sql: at.score, order: key.order, nullsFirst: false, kind: 'score', usesDocs: false };
    if (key.field === '_doc' || key.field === '_shard_doc') return { sql: at.seq, order: key.order, nullsFirst: false, kind: 'doc', usesDocs: false };
    if (key.field === '_id') return { sql: 'd._id', order: key.order, nullsFirst: false, kind: 'string', usesDocs: true };
    const ref = resolveField(ds, key.field);
    if (!ref) {
      if (key.unmappedType) return { sql: 'NULL', order: key.order, nullsFirst: key.missing === '_first', kind: 'string', usesDocs: false };
      throw new ApiError(400, 'query_shard_exception', `No mapping found for [${key.field}] in order to sort on`);
    }
    if (isFullText(ref)) {
      throw badRequest(
        `Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [${key.field}] in order to load field data by uninverting the inverted index. Note that this can use significant memory.`,
        'illegal_argument_exception',
      );
    }
    const col = `d.${quoteIdent(ref.field.column)}`;
    const limit = ref.keyword ? ignoreAbove(ref.field) : Infinity;
    const guard = (x: string) => (Number.isFinite(limit) ? `CASE WHEN strlen(${x}) <= ${limit} THEN ${x} END` : x);
    let value: string;
    if (ref.field.multi) {
      const elements = `list_filter(${col}, lambda x: ${guard('x')} IS NOT NULL)`;
      const mode = key.mode ?? (key.order === 'asc' ? 'min' : 'max');
      const fn = { min: 'list_min', max: 'list_max', sum: 'list_sum', avg: 'list_avg', median: 'list_median' }[mode];
      value = `${fn}(${elements})`;
    } else value = guard(col);
    const isDate = ref.field.type === 'date';
    const isBool = ref.field.type === 'boolean';
    if (isDate) value = `epoch_ms(${value})`;
    if (isBool) value = `(${value})::INT`;
    let nullsFirst = false;
    if (key.missing === '_first') nullsFirst = true;
    else if (key.missing !== undefined && key.missing !== '_last') {
      const lit = isDate ? String(Number(key.missing)) : isBool ? String(key.missing === true || key.missing === 'true' ? 1 : 0) : literal(ref.field, key.missing);
      value = `coalesce(${value}, ${lit})`;
    }
    const kind = ref.field.type === 'keyword' || ref.keyword ? 'string' : 'number';
    return { sql: value, order: key.order, nullsFirst, kind, usesDocs: true };
  });
}

/** ORDER BY the keys, ties broken by index order (as Lucene's doc id does). */
export const orderBySql = (keys: CompiledSortKey[], at: SortContext) =>
  [...keys.map((k) => `${k.sql} ${k.order.toUpperCase()} NULLS ${k.nullsFirst ? 'FIRST' : 'LAST'}`), `${at.seq} ASC`].join(', ');

/** `search_after`: rows strictly after the given sort values, in the sort's own order. */
export function searchAfterSql(keys: CompiledSortKey[], values: Array<Scalar | null>): string {
  if (values.length !== keys.length) {
    throw badRequest(`search_after has ${values.length} value(s) but sort has ${keys.length}.`, 'illegal_argument_exception');
  }
  const clauses: string[] = [];
  for (let i = 0; i < keys.length; i++) {
    const eq = keys.slice(0, i).map((k, j) => `${k.sql} IS NOT DISTINCT FROM ${valueSql(k, values[j])}`);
    const k = keys[i];
    const v = valueSql(k, values[i]);
    const after =
      v === 'NULL'
        ? k.nullsFirst ? `${k.sql} IS NOT NULL` : 'false'
        : `(${k.sql} ${k.order === 'asc' ? '>' : '<'} ${v}${k.nullsFirst ? '' : ` OR ${k.sql} IS NULL`})`;
    clauses.push([...eq, after].join(' AND '));
  }
  return `(${clauses.map((c) => `(${c})`).join(' OR ')})`;
}

function valueSql(k: CompiledSortKey, v: Scalar | null): string {
  if (v === null || v === undefined) return 'NULL';
  if (k.kind === 'string') return quoteString(String(v));
  const n = Number(v);
  if (!Number.isFinite(n)) throw badRequest(`Failed to parse search_after value [${String(v)}]`, 'illegal_argument_exception');
  return `${n}::DOUBLE`;
}

/** The returned sort value of one key (ES: numbers for dates/booleans; null for missing). */
export function sortValue(k: CompiledSortKey, v: unknown): Scalar | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  return v as Scalar;
}

/** Compares two hits' sort values as SQL ordered them (used to merge datasets). */
export function compareSortValues(keys: CompiledSortKey[], a: Array<Scalar | null>, b: Array<Scalar | null>): number {
  for (let i = 0; i < keys.length; i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    const k = keys[i];
    if (x === null) return k.nullsFirst ? -1 : 1;
    if (y === null) return k.nullsFirst ? 1 : -1;
    const c = x < y ? -1 : 1;
    return k.order === 'asc' ? c : -c;
  }
  return 0;
}
