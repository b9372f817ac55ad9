/**
 * Exact-value leaves as SQL booleans over a docs row: term(s), range, exists, prefix, wildcard,
 * regexp and fuzzy on keyword, numeric, date and boolean columns. Every leaf is NULL-safe
 * (coalesce … false) so `must_not` keeps documents that lack the field, as in Elasticsearch.
 * The same string-pattern SQL serves the postings' term dictionary for text fields.
 */
import { badRequest } from '../../../errors.js';
import type { Fuzziness, NodeOf, Scalar } from '../../../query/ast.js';
import { resolveDateMath } from '../../../query/datemath.js';
import type { MappedField } from '../../mapping.js';
import { quoteIdent, quoteString } from '../sql.js';
import { type FieldRef, ignoreAbove } from './fields.js';

/** `test` applied to the field's value(s): any element of a LIST column may satisfy it. */
export function anyValue(ref: FieldRef, test: (x: string) => string): string {
  const col = quoteIdent(ref.field.column);
  // The `.keyword` view of a text field does not index values longer than ignore_above.
  const limit = ref.keyword ? ignoreAbove(ref.field) : Infinity;
  const guard = (x: string) => (Number.isFinite(limit) ? `strlen(${x}) <= ${limit} AND ` : '');
  if (ref.field.multi) return `coalesce(len(list_filter(${col}, lambda x: ${guard('x')}${test('x')})) > 0, false)`;
  return `coalesce(${guard(col)}${test(col)}, false)`;
}

export function termPredicate(ref: FieldRef, values: Scalar[], caseInsensitive = false): string {
  const limit = ref.keyword ? ignoreAbove(ref.field) : Infinity;
  // A lowercasing normalizer applies to the query's values too.
  const normalize = (v: Scalar) => (ref.field.options?.lowercase && typeof v === 'string' ? v.toLowerCase() : v);
  const literals = values
    .filter((v) => String(v).length <= limit)
    .map((v) => literal(ref.field, normalize(v)));
  if (literals.length === 0) return 'false';
  if (caseInsensitive && (ref.keyword || ref.field.type === 'keyword')) {
    return anyValue(ref, (x) => `lower(${x}) IN (${literals.map((l) => `lower(${l})`).join(', ')})`);
  }
  if (!ref.field.multi) return anyValue(ref, (x) => `${x} IN (${literals.join(', ')})`);
  return `coalesce(list_has_any(${quoteIdent(ref.field.column)}, [${literals.join(', ')}]), false)`;
}

/** A range query's bounds and their SQL comparison operators. */
export const RANGE_KEYS = ['gt', 'gte', 'lt', 'lte'] as const;
export const RANGE_OPS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

export function rangePredicate(ref: FieldRef, node: NodeOf<'range'>, now: number): string {
  const bounds: Array<[string, string]> = [];
  for (const key of RANGE_KEYS) {
    let v = node[key];
    // A lowercasing normalizer applies to range bounds too.
    if (ref.field.options?.lowercase && typeof v === 'string') v = v.toLowerCase();
    if (v === undefined) continue;
    const lit =
      ref.field.type === 'date'
        ? dateLiteral(node.field, v, key === 'gt' || key === 'lte', now, node.format, node.timeZone)
        : literal(ref.field, v);
    bounds.push([RANGE_OPS[key], lit]);
  }
  if (bounds.length === 0) return anyValue(ref, (x) => `${x} IS NOT NULL`);
  return anyValue(ref, (x) => bounds.map(([op, lit]) => `${x} ${op} ${lit}`).join(' AND '));
}

export const existsPredicate = (ref: FieldRef) => anyValue(ref, (x) => `${x} IS NOT NULL`);

/** Lucene wildcard (`*`, `?`, `\` escapes) → SQL LIKE pattern with `\` as the escape character. */
export function wildcardToLike(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i];
    if (ch === '\\' && i + 1 < pattern.length) {
      const next = pattern[++i];
      out += next === '%' || next === '_' || next === '\\' ? `\\${next}` : next;
    } else if (ch === '*') out += '%';
    else if (ch === '?') out += '_';
    else if (ch === '%' || ch === '_') out += `\\${ch}`;
    else out += ch;
  }
  return out;
}

/**
 * Lucene regexp → RE2 (DuckDB). Most syntax is shared, but Lucene has no anchors (`^` and `$` are
 * plain characters: the whole term must match anyway), `@` is "any string" and `#` the empty
 * language.
 */
export function luceneRegexToRe2(re: string): string {
  let out = '';
  let inClass = false;
  for (let i = 0; i < re.length; i++) {
    const ch = re[i];
    if (ch === '\\' && i + 1 < re.length) {
      out += ch + re[++i];
    } else if (inClass) {
      if (ch === ']') inClass = false;
      out += ch;
    } else if (ch === '[') {
      inClass = true;
      out += ch;
      if (re[i + 1] === '^') out += re[++i]; // negation stays a negation
    } else if (ch === '^' || ch === '$') {
      out += `\\${ch}`;
    } else if (ch === '@') {
      out += '.*';
    } else if (ch === '#') {
      out += '(?:)';
    } else {
      out += ch;
    }
  }
  return out;
}

export type PatternKind = 'prefix' | 'wildcard' | 'regexp';

/** SQL boolean: string expression `x` matches the pattern. */
export function patternSql(kind: PatternKind, x: string, value: string, caseInsensitive = false, normalized = false): string {
  const subject = caseInsensitive ? `lower(${x})` : x;
  const v = caseInsensitive || normalized ? value.toLowerCase() : value;
  switch (kind) {
    case 'prefix':
      return `starts_with(${subject}, ${quoteString(v)})`;
    case 'wildcard':
      return `${subject} LIKE ${quoteString(wildcardToLike(v))} ESCAPE '\\'`;
    case 'regexp':
      return `regexp_full_match(${subject}, ${quoteString(luceneRegexToRe2(v))})`;
  }
}

/** Edit distance ES allows for a term: AUTO (0 for 1–2 chars, 1 for 3–5, 2 above) or a number. */
export function fuzzyDistance(fuzziness: Fuzziness | undefined, term: string): number {
  const length = [...term].length;
  if (fuzziness === undefined) return 0;
  const spec = String(fuzziness).toUpperCase();
  if (spec.startsWith('AUTO')) {
    const [low, high] = spec.includes(':') ? spec.slice(5).split(',').map(Number) : [3, 6];
    return length < low ? 0 : length < high ? 1 : 2;
  }
  const n = Number(spec);
  if (!Number.isFinite(n) || n < 0) throw badRequest(`failed to parse fuzziness [${String(fuzziness)}]`, 'parsing_exception');
  return Math.min(2, Math.floor(n));
}

/** SQL boolean: string expression `x` is within the fuzzy distance of `value`, sharing its prefix. */
export function fuzzySql(x: string, value: string, distance: number, prefixLength = 0, transpositions = true): string {
  const prefix = [...value].slice(0, prefixLength).join('');
  const fn = transpositions ? 'damerau_levenshtein' : 'levenshtein';
  const near = `${fn}(${x}, ${quoteString(value)}) <= ${distance}`;
  return prefix ? `starts_with(${x}, ${quoteString(prefix)}) AND ${near}` : near;
}

export function dateLiteral(path: string, v: Scalar, roundUp: boolean, now: number, format?: string, timeZone?: string): string {
  let ms: number | undefined;
  try {
    ms = typeof v === 'boolean' ? undefined : resolveDateMath(v, roundUp, now, { format, timeZone });
  } catch (e) {
    // offsetMs throws RangeError for a zone it does not know; anything else is a bug, not input.
    if (e instanceof RangeError) throw badRequest(`Unknown time-zone ID: ${timeZone}`, 'illegal_argument_exception');
    throw e;
  }
  if (ms === undefined) {
    throw badRequest(`failed to parse date field [${String(v)}] with format [${format ?? 'strict_date_optional_time||epoch_millis'}]: [${path}]`, 'parse_exception');
  }
  return `make_timestamp(${ms * 1000}::BIGINT)`;
}

/** A value as a SQL literal of the field's type; values that cannot be that type are a 400, as in ES. */
export function literal(field: MappedField, v: Scalar): string {
  switch (field.type) {
    case 'long':
    case 'double': {
      const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
      if (!Number.isFinite(n)) throw badRequest(`failed to create query: For input string: "${String(v)}"`, 'query_shard_exception');
      return `${n}::DOUBLE`;
    }
    case 'boolean':
      if (v === true || v === 'true') return 'true';
      if (v === false || v === 'false') return 'false';
      throw badRequest(`failed to create query: Can't parse boolean value [${String(v)}], expected [true] or [false]`, 'query_shard_exception');
    case 'date':
      return dateLiteral(field.path, v, false, Date.now());
    default:
      return quoteString(String(v));
  }
}
