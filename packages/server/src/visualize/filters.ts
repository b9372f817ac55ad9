/**
 * Filters and time range of a visualization execute (§3.5): the request body is checked, saved and
 * request filters are merged, the effective time window becomes a synthetic `is_between`, and each
 * filter is turned into a dialect-neutral predicate over one column with typed values. Nothing here
 * writes SQL: inject.ts places the predicates into the parsed statement, so user values only ever
 * travel as constants of the syntax tree. A filter that cannot become a predicate is reported in
 * `filters_skipped` with the reason; it never fails the call.
 */
import type { Filter, TimeRangeSpec } from '@infino/sdk';
import { invalid } from './fields.js';
import { bareIdent } from './sql/dialects/index.js';

/** A point in time, in microseconds since the epoch (UTC): DuckDB's TIMESTAMP resolution. */
export class Timestamp {
  constructor(readonly micros: number) {}
}

export type Literal = string | number | boolean | Timestamp;

export type Predicate =
  | { op: 'eq' | 'ne'; value: Literal }
  | { op: 'in' | 'not_in'; values: Literal[] }
  | { op: 'is_null' | 'is_not_null' }
  /** `[lo, hi]` → `BETWEEN`; `{from, to}` → `>= from AND <= to` (either bound may be absent). */
  | { op: 'between'; lo: Literal; hi: Literal; negate: boolean }
  | { op: 'range'; from: Literal | null; to: Literal | null; negate: boolean }
  /** `pattern` is the complete LIKE pattern, `\`, `%` and `_` of the value escaped with `\`. */
  | { op: 'like'; pattern: string };

export interface PlannedFilter {
  /** The field as the filter named it (what `filters_applied` / `filters_skipped` report). */
  field: string;
  /** The column it reads: the field without one level of well-formed surrounding quotes (`"a""b"` → `a"b`). */
  column: string;
  predicate: Predicate;
}

export interface SkippedFilter {
  field: string;
  reason: string;
}

export interface FilterPlan {
  filters: PlannedFilter[];
  skipped: SkippedFilter[];
}

/** The execute request body (§3.4): `{}`, `{"filters": [...]}`, `{"time_range": {...}}` or both. */
export interface ExecuteBody {
  filters: Filter[];
  timeRange: Record<string, unknown> | null;
}

const BODY_KEYS = new Set(['filters', 'time_range']);

/** Reads the body; its shape (not the filters' operators or values) must be right, else 400. */
export function parseExecuteBody(body: unknown): ExecuteBody {
  if (body === undefined || body === null) return { filters: [], timeRange: null };
  if (typeof body !== 'object' || Array.isArray(body)) throw invalid('the request body must be a JSON object: {"filters": [...], "time_range": {"from": …, "to": …}}');
  const b = body as Record<string, unknown>;
  const unknown = Object.keys(b).filter((k) => !BODY_KEYS.has(k));
  if (unknown.length > 0) throw invalid(`unknown key \`${unknown[0]}\` in the request body: allowed are \`filters\` and \`time_range\``);
  const filters = b.filters ?? [];
  if (!Array.isArray(filters)) throw invalid('`filters` must be an array of filter objects');
  filters.forEach((f, i) => checkFilterShape(f, `filters[${i}]`));
  const tr = b.time_range ?? null;
  if (tr !== null && (typeof tr !== 'object' || Array.isArray(tr))) throw invalid('`time_range` must be an object: {"from": <ISO-8601 | epoch ms>, "to": …}');
  return { filters: filters as Filter[], timeRange: tr as Record<string, unknown> | null };
}

function checkFilterShape(f: unknown, path: string): void {
  if (f === null || typeof f !== 'object' || Array.isArray(f)) throw invalid(`\`${path}\` must be a filter object: {"field", "operator", "value"}`);
  const { field } = f as Record<string, unknown>;
  if (typeof field !== 'string' || field.trim() === '') throw invalid(`\`${path}.field\` is required (a column name)`);
}

export interface PlanInput {
  saved: Filter[];
  savedTimeRange: TimeRangeSpec | null;
  request: ExecuteBody;
  /** `source.sql.time_column`, or null for `@timestamp`. */
  timeColumn: string | null;
}

/**
 * Merge (§3.5): saved and request filters are AND-ed; a request filter on a field replaces every
 * saved filter on that field (dedupe by field, not id); then disabled filters drop out — so a
 * request can switch a saved filter off by sending it with `enabled: false`. The request's time
 * range replaces the saved one; only absolute windows apply.
 */
export function planFilters(input: PlanInput): FilterPlan {
  const requested = new Set(input.request.filters.map((f) => columnOf(f.field)));
  const merged = [...input.saved.filter((f) => !requested.has(columnOf(f.field))), ...input.request.filters].filter((f) => f.enabled !== false);
  const plan: FilterPlan = { filters: [], skipped: [] };
  const timeField = input.timeColumn ?? '@timestamp';
  const timeColumn = columnOf(timeField);
  for (const f of merged) addFilter(plan, f, timeColumn);
  const window = input.request.timeRange ?? (input.savedTimeRange as Record<string, unknown> | null);
  if (window !== null) {
    if (window.kind === 'relative') {
      plan.skipped.push({ field: timeField, reason: `relative time ranges (${String(window.expression)}) are stored but not applied: send an absolute "time_range" {"from", "to"}` });
    } else {
      addFilter(plan, { field: timeField, operator: 'is_between', value: { from: window.from, to: window.to }, is_time_filter: true }, timeColumn);
    }
  }
  return plan;
}

/**
 * A filter on the time column reads its values as times (ISO-8601 or epoch ms) even without
 * `is_time_filter`: a time picker's chip means the same instant either way.
 */
function addFilter(plan: FilterPlan, f: Filter, timeColumn: string): void {
  const column = columnOf(f.field);
  const time = f.is_time_filter === true || column === timeColumn;
  const result = column === '' ? 'the field name is empty' : column.includes('\0') ? NUL_REASON : predicateFor(f, time);
  if (typeof result === 'string') plan.skipped.push({ field: f.field, reason: result });
  else plan.filters.push({ field: f.field, column, predicate: result });
}

/** The column a field names: `"host"`, `` `host` `` and `host` are one column (§3.5: fields may arrive quoted). */
const columnOf = (field: unknown) => (typeof field === 'string' ? bareIdent(field.trim()) : '');

/** DuckDB writes text up to a NUL character only: such a value (or name) would silently change. */
const NUL_REASON = 'text cannot contain the NUL character (\\u0000)';

const OPERATORS = ['is', 'is_not', 'is_one_of', 'is_not_one_of', 'exists', 'does_not_exist', 'is_between', 'is_not_between', 'contains'];

/** The predicate of one filter, or why it has none. */
function predicateFor(f: Filter, time: boolean): Predicate | string {
  const v = f.value;
  switch (f.operator) {
    case 'is':
    case 'is_not': {
      const l = literal(v, time);
      if (isReason(l)) return l.reason;
      return { op: f.operator === 'is' ? 'eq' : 'ne', value: l.value };
    }
    case 'is_one_of':
    case 'is_not_one_of': {
      if (!Array.isArray(v)) return `\`${f.operator}\` needs an array of values`;
      if (v.length === 0) return `\`${f.operator}\` needs at least one value`;
      const values: Literal[] = [];
      for (const item of v) {
        const l = literal(item, time);
        if (isReason(l)) return l.reason;
        values.push(l.value);
      }
      return { op: f.operator === 'is_one_of' ? 'in' : 'not_in', values };
    }
    case 'exists':
      return { op: 'is_not_null' };
    case 'does_not_exist':
      return { op: 'is_null' };
    case 'is_between':
    case 'is_not_between':
      return between(v, time, f.operator === 'is_not_between');
    case 'contains': {
      if (v === null || v === undefined || typeof v === 'object') return '`contains` needs a single string value';
      if (String(v).includes('\0')) return NUL_REASON;
      return { op: 'like', pattern: `%${likeEscape(String(v))}%` };
    }
    default:
      return `unknown operator ${JSON.stringify(f.operator)}; known: ${OPERATORS.join(', ')}`;
  }
}

interface Ok {
  value: Literal;
}
interface Reason {
  reason: string;
}
const isReason = (x: Ok | Reason): x is Reason => 'reason' in x;

/** A scalar filter value as a typed constant; time filters read ISO-8601 strings and epoch milliseconds. */
function literal(v: unknown, time: boolean): Ok | Reason {
  if (time) {
    const t = parseTime(v);
    return t === null ? { reason: `${JSON.stringify(v) ?? String(v)} is not a time: send an ISO-8601 string or epoch milliseconds` } : { value: t };
  }
  if (typeof v === 'string') return v.includes('\0') ? { reason: NUL_REASON } : { value: v };
  if (typeof v === 'boolean') return { value: v };
  if (typeof v === 'number' && Number.isFinite(v)) return { value: v };
  return { reason: `the value must be a string, number or boolean, not ${v === null || v === undefined ? 'null' : Array.isArray(v) ? 'an array' : typeof v}` };
}

function between(v: unknown, time: boolean, negate: boolean): Predicate | string {
  if (Array.isArray(v)) {
    if (v.length !== 2) return 'a between range needs [low, high] or {"from", "to"}';
    const lo = literal(v[0], time);
    const hi = literal(v[1], time);
    if (isReason(lo)) return lo.reason;
    if (isReason(hi)) return hi.reason;
    return { op: 'between', lo: lo.value, hi: hi.value, negate };
  }
  if (v !== null && typeof v === 'object') {
    const { from, to } = v as Record<string, unknown>;
    const bound = (x: unknown): Ok | Reason | null => (x === undefined || x === null ? null : literal(x, time));
    const lo = bound(from);
    const hi = bound(to);
    if (lo === null && hi === null) return 'a between range needs "from", "to" or both';
    if (lo && isReason(lo)) return lo.reason;
    if (hi && isReason(hi)) return hi.reason;
    return { op: 'range', from: lo?.value ?? null, to: hi?.value ?? null, negate };
  }
  return 'a between range needs [low, high] or {"from", "to"}';
}

/** LIKE's own characters become literal (`ESCAPE '\'`): the value matches as typed. */
export const likeEscape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** ISO-8601 (a date, or date and time; no zone means UTC) or epoch milliseconds → a timestamp. */
export function parseTime(v: unknown): Timestamp | null {
  if (typeof v === 'number') return Number.isFinite(v) ? new Timestamp(Math.round(v * 1000)) : null;
  if (typeof v !== 'string') return null;
  const m = ISO.exec(v.trim());
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = m;
  const nums = [y, mo, d, h, mi, s].map(Number);
  const ms = Date.UTC(nums[0], nums[1] - 1, nums[2], nums[3], nums[4], nums[5]);
  const back = new Date(ms);
  // Date.UTC rolls 2024-02-30 over into March: a round trip tells impossible dates apart.
  if (back.getUTCFullYear() !== nums[0] || back.getUTCMonth() !== nums[1] - 1 || back.getUTCDate() !== nums[2] || nums[3] > 23 || nums[4] > 59 || nums[5] > 59) return null;
  let offsetMin = 0;
  if (zone && zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    offsetMin = (zone[0] === '-' ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0'));
  }
  const micros = (ms - offsetMin * 60_000) * 1000 + Number(frac.padEnd(6, '0').slice(0, 6));
  return new Timestamp(micros);
}
