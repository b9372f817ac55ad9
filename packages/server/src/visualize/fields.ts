/**
 * Field checks shared by the visualization and dashboard schemas. Every failure is a 400
 * `ValidationError` whose reason names the field by its dotted path in backticks, as §3.1 does
 * ("`title` is required"), so a client can point at the offending input.
 */
import { randomUUID } from 'node:crypto';
import type { Filter, TimeRangeSpec } from '@infino/sdk';
import { ApiError } from '../errors.js';
import { isJsonObject, setOwn, type JsonObject } from './merge-patch.js';

export const invalid = (reason: string) => new ApiError(400, 'ValidationError', reason);

const show = (v: unknown) => (typeof v === 'string' ? `'${v}'` : JSON.stringify(v) ?? String(v));

/** Deeper than any real chart spec (ECharts options nest ~8 levels), far below the stack's limit. */
export const MAX_DEPTH = 100;

/**
 * Refuses JSON nested deeper than MAX_DEPTH. `JSON.parse` accepts tens of thousands of levels
 * that the recursive merge and `JSON.stringify` would overflow the stack on (a 500); iterative.
 */
export function checkDepth(v: unknown, what = 'request body'): void {
  const stack: Array<[unknown, number]> = [[v, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (typeof node !== 'object' || node === null) continue;
    if (depth > MAX_DEPTH) throw invalid(`${what} is nested deeper than ${MAX_DEPTH} levels`);
    for (const child of Object.values(node)) stack.push([child, depth + 1]);
  }
}

/** The body of a create or update: anything but a JSON object is refused. */
export function requireObject(v: unknown, what = 'request body'): JsonObject {
  if (!isJsonObject(v)) throw invalid(`${what} must be a JSON object`);
  return v;
}

/** A nested object that may be absent or null (then the defaults apply): `{}` in both cases. */
export function optObject(v: unknown, path: string): JsonObject {
  if (v === undefined || v === null) return {};
  if (!isJsonObject(v)) throw invalid(`\`${path}\` must be an object`);
  return v;
}

export function reqString(v: unknown, path: string): string {
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) throw invalid(`\`${path}\` is required`);
  if (typeof v !== 'string') throw invalid(`\`${path}\` must be a string`);
  return v;
}

export function optString(v: unknown, path: string): string | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'string') throw invalid(`\`${path}\` must be a string or null`);
  return v;
}

export function optBool(v: unknown, path: string): boolean | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'boolean') throw invalid(`\`${path}\` must be a boolean or null`);
  return v;
}

export function optNumber(v: unknown, path: string): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw invalid(`\`${path}\` must be a number or null`);
  return v;
}

export function nonNegInt(v: unknown, path: string, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  if (!Number.isSafeInteger(v) || (v as number) < 0) throw invalid(`\`${path}\` must be a non-negative integer (got ${show(v)})`);
  return v as number;
}

export function optNonNegInt(v: unknown, path: string): number | null {
  return v === undefined || v === null ? null : nonNegInt(v, path, 0);
}

export function oneOf<T extends string>(v: unknown, allowed: readonly T[], path: string): T {
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw invalid(`\`${path}\` must be one of ${allowed.join(', ')} (got ${show(v)})`);
  }
  return v as T;
}

export function optOneOf<T extends string>(v: unknown, allowed: readonly T[], path: string): T | null {
  return v === undefined || v === null ? null : oneOf(v, allowed, path);
}

export function stringArray(v: unknown, path: string): string[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw invalid(`\`${path}\` must be an array of strings`);
  v.forEach((s, i) => {
    if (typeof s !== 'string') throw invalid(`\`${path}[${i}]\` must be a string`);
  });
  return [...(v as string[])];
}

export function objectArray(v: unknown, path: string): JsonObject[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw invalid(`\`${path}\` must be an array`);
  return v.map((e, i) => requireObject(e, `\`${path}[${i}]\``));
}

/**
 * Builds `{...canonical, ...rest}`: the canonical keys in their documented order, then any key of
 * the input the schema does not know, stored untouched so newer clients' fields survive a round trip.
 */
export function withExtras(canonical: JsonObject, input: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(canonical)) setOwn(out, k, v);
  for (const [k, v] of Object.entries(input)) {
    if (!Object.hasOwn(canonical, k)) setOwn(out, k, v);
  }
  return out;
}

export const FILTER_OPERATORS = ['is', 'is_not', 'is_one_of', 'is_not_one_of', 'exists', 'does_not_exist', 'is_between', 'is_not_between', 'contains'] as const;

/**
 * Saved filters (§3.2): the server stamps a missing id (uuid4 hex) and fills `enabled: true`,
 * `is_time_filter: false`, `query_type/index/value: null`, in the key order of the SDK's normaliser (§3.4).
 */
export function normalizeFilters(v: unknown, path: string): Filter[] {
  return objectArray(v, path).map((f, i) => {
    const at = `${path}[${i}]`;
    const id = f.id === undefined || f.id === null || f.id === '' ? randomUUID().replace(/-/g, '') : reqString(f.id, `${at}.id`);
    const canonical = {
      id,
      field: reqString(f.field, `${at}.field`),
      operator: oneOf(f.operator, FILTER_OPERATORS, `${at}.operator`),
      value: f.value ?? null,
      enabled: f.enabled === undefined ? true : optBool(f.enabled, `${at}.enabled`),
      is_time_filter: optBool(f.is_time_filter, `${at}.is_time_filter`) ?? false,
      query_type: optOneOf(f.query_type, ['sql', 'querydsl'] as const, `${at}.query_type`),
      index: optString(f.index, `${at}.index`),
    };
    return withExtras(canonical, f) as unknown as Filter;
  });
}

/** `{"kind":"absolute","from","to"}` or `{"kind":"relative","expression"}`; a bare `{from, to}` is read as absolute. */
export function normalizeTimeRange(v: unknown, path: string): TimeRangeSpec | null {
  if (v === undefined || v === null) return null;
  const t = requireObject(v, `\`${path}\``);
  const kind = t.kind === undefined || t.kind === null ? (t.expression !== undefined ? 'relative' : 'absolute') : oneOf(t.kind, ['absolute', 'relative'] as const, `${path}.kind`);
  if (kind === 'relative') return withExtras({ kind, expression: reqString(t.expression, `${path}.expression`) }, t) as unknown as TimeRangeSpec;
  const bound = (b: unknown, key: string) => {
    if (b === undefined || b === null) throw invalid(`\`${path}.${key}\` is required`);
    if (typeof b === 'number' ? !Number.isFinite(b) : typeof b !== 'string') {
      throw invalid(`\`${path}.${key}\` must be an ISO-8601 string or epoch milliseconds`);
    }
    return b as string | number;
  };
  return withExtras({ kind, from: bound(t.from, 'from'), to: bound(t.to, 'to') }, t) as unknown as TimeRangeSpec;
}

/** Object-or-null fields stored untouched (`extensions`, `source.dsl`, …). */
export function optAnyObject(v: unknown, path: string): JsonObject | null {
  if (v === undefined || v === null) return null;
  if (!isJsonObject(v)) throw invalid(`\`${path}\` must be an object or null`);
  return v;
}
