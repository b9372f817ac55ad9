/**
 * The SQL dialect seam of Visualize (protocol §3.7), in the manner of Kysely's dialect adapters:
 * everything that differs between engines — identifier quoting, literal syntax, timestamp
 * constants, time truncation — sits behind one interface, so the Builder, the filter injector and
 * (later) the external connectors all render SQL through the same small objects and never
 * concatenate user text themselves.
 *
 * Every method is pure. Bad input (a non-finite number, an object as a literal, an unparseable
 * timestamp, an unknown time bucket) is a 400 `ValidationError`, never a 500.
 */
import type { TimeBucket } from '@infino/sdk';
import { ApiError } from '../../../errors.js';

export const TIME_BUCKETS: readonly TimeBucket[] = ['minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'];

export interface SqlDialect {
  /** `native` (our engine), `postgres`, `snowflake`, `mysql` or `bigquery`. */
  readonly name: string;
  /** The character that delimits identifiers in this dialect. */
  readonly identQuote: '"' | '`';
  /**
   * A raw identifier as a quoted one. An identifier that is already quoted (well-formed, in either
   * `"…"` or `` `…` ``) is unwrapped first and re-quoted for this dialect, so one already quoted in
   * this dialect comes back unchanged.
   */
  quoteIdent(raw: string): string;
  /** A string constant that reads back as exactly `s`. */
  stringLiteral(s: string): string;
  /** A string, finite number, bigint, boolean or null as a SQL constant. */
  literal(value: unknown): string;
  /** An instant (ISO-8601 string, UTC when it carries no offset, or epoch milliseconds) as a UTC timestamp constant. */
  timestampLiteral(isoOrEpochMs: string | number): string;
  /** `quotedCol` truncated to the start of its minute … year; weeks start on Monday (ISO). */
  timeBucket(quotedCol: string, granularity: TimeBucket | string): string;
  /** `expr` as text, so it can share a column with a string such as Top-N's `'Other'`. */
  castToText(expr: string): string;
  /** `expr` contains `needle` as plain text (LIKE with `%`, `_` and the escape character escaped). */
  likeContains(expr: string, needle: string): string;
}

export const invalid = (reason: string) => new ApiError(400, 'ValidationError', reason);

/**
 * The bare name inside a well-formed quoted identifier, or undefined when `raw` is not one. Only a
 * name whose inner quote characters are all doubled counts: `"a" OR 1=1 --"` is not quoted, it is
 * a raw name full of quotes, and gets quoted (and escaped) as a whole.
 */
export function unquoteIdent(raw: string): string | undefined {
  if (raw.length < 2) return undefined;
  const q = raw[0];
  if ((q !== '"' && q !== '`') || raw[raw.length - 1] !== q) return undefined;
  const inner = raw.slice(1, -1);
  if (inner.replaceAll(q + q, '').includes(q)) return undefined;
  return inner.replaceAll(q + q, q);
}

/** The column name an identifier stands for, quoted or not (what the response column will be called). */
export const bareIdent = (raw: string): string => unquoteIdent(raw) ?? raw;

/** Quotes by doubling the quote character (ANSI `"`, MySQL `` ` ``). */
export function doublingQuoter(q: '"' | '`'): (raw: string) => string {
  return (raw) => q + bareIdent(raw).replaceAll(q, q + q) + q;
}

/** Renders a JSON-ish scalar through the dialect's string syntax. */
export function renderLiteral(value: unknown, stringLiteral: (s: string) => string): string {
  if (value === null) return 'NULL';
  if (typeof value === 'string') return stringLiteral(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw invalid(`${String(value)} cannot be used as a SQL value: only finite numbers can`);
    return String(value);
  }
  throw invalid(`a value of type ${Array.isArray(value) ? 'array' : typeof value} cannot be used as a SQL value: use a string, number, boolean or null`);
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * `YYYY-MM-DD HH:MM:SS.mmm` in UTC for an ISO-8601 string or epoch milliseconds. Only ISO shapes are
 * accepted (not whatever `Date.parse` guesses at), and a string without an offset is UTC, as the
 * protocol's time ranges are — `Date.parse` would read it as server-local time.
 */
export function utcTimestampText(isoOrEpochMs: string | number): string {
  let ms: number;
  if (typeof isoOrEpochMs === 'number') {
    ms = isoOrEpochMs;
  } else if (typeof isoOrEpochMs === 'string') {
    const m = ISO.exec(isoOrEpochMs.trim());
    if (!m) throw invalid(`'${isoOrEpochMs}' is not an ISO-8601 timestamp (e.g. 2024-01-31T12:00:00Z) or epoch milliseconds`);
    const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = 'Z'] = m;
    ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, +s, Number(frac.padEnd(3, '0').slice(0, 3)));
    const check = new Date(ms);
    // Date.UTC rolls 2024-02-30 over into March: refuse instead of silently moving the bound.
    if (check.getUTCMonth() !== +mo - 1 || check.getUTCDate() !== +d || +h > 23 || +mi > 59 || +s > 59) {
      throw invalid(`'${isoOrEpochMs}' is not a valid date and time`);
    }
    if (zone.toUpperCase() !== 'Z') {
      const [, sign, oh, om = '0'] = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone) ?? [];
      ms -= (sign === '-' ? -1 : 1) * (+oh * 60 + +om) * 60_000;
    }
  } else {
    throw invalid('a timestamp must be an ISO-8601 string or epoch milliseconds');
  }
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  if (!Number.isFinite(ms) || Number.isNaN(date.getTime()) || year < 1 || year > 9999) {
    throw invalid(`${JSON.stringify(isoOrEpochMs)} is outside the supported timestamp range (years 1–9999)`);
  }
  return date.toISOString().slice(0, 23).replace('T', ' ');
}

/** Rejects a granularity outside §3.2's list before any dialect spells it into SQL. */
export function checkBucket(granularity: string): TimeBucket {
  if (!(TIME_BUCKETS as readonly string[]).includes(granularity)) {
    throw invalid(`unknown time bucket '${granularity}': use one of ${TIME_BUCKETS.join(', ')}`);
  }
  return granularity as TimeBucket;
}

/** The LIKE pattern for "contains `needle`", escaping with a backslash. */
export const containsPattern = (needle: string) => `%${needle.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
