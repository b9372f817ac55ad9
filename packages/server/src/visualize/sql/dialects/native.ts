/**
 * The double-quote dialects (protocol §3.7): our own engine (DuckDB, "native CoreDB"), PostgreSQL
 * and Snowflake. All three quote identifiers with `"` and truncate time with `DATE_TRUNC('<g>', c)`;
 * they differ in string escapes and timestamp constants, and Snowflake in how it spells an ISO week.
 */
import type { TimeBucket } from '@infino/sdk';
import { checkBucket, containsPattern, doublingQuoter, renderLiteral, type SqlDialect, utcTimestampText } from './dialect.js';

/** Standard SQL strings: only `'` is special (DuckDB, and PostgreSQL with standard_conforming_strings). */
export const ansiString = (s: string) => `'${s.replaceAll("'", "''")}'`;

/** Strings where a backslash also escapes (MySQL's default mode, Snowflake): both are doubled. */
export const backslashString = (s: string) => `'${s.replace(/\\/g, '\\\\').replaceAll("'", "''")}'`;

interface DoubleQuoteOptions {
  name: string;
  stringLiteral: (s: string) => string;
  timestamp: (utc: string) => string;
  /** Overrides for granularities whose DATE_TRUNC does not mean what §3.7 asks. */
  bucket?: Partial<Record<TimeBucket, (col: string) => string>>;
}

function doubleQuoteDialect(o: DoubleQuoteOptions): SqlDialect {
  const quoteIdent = doublingQuoter('"');
  return {
    name: o.name,
    identQuote: '"',
    quoteIdent,
    stringLiteral: o.stringLiteral,
    literal: (v) => renderLiteral(v, o.stringLiteral),
    timestampLiteral: (at) => o.timestamp(utcTimestampText(at)),
    timeBucket(col, granularity) {
      const g = checkBucket(granularity);
      return o.bucket?.[g]?.(col) ?? `DATE_TRUNC('${g}', ${col})`;
    },
    castToText: (expr) => `CAST(${expr} AS VARCHAR)`,
    likeContains: (expr, needle) => `${expr} LIKE ${o.stringLiteral(containsPattern(needle))} ESCAPE ${o.stringLiteral('\\')}`,
  };
}

/** DuckDB's (and PostgreSQL's) `DATE_TRUNC('week', …)` already starts weeks on Monday. */
export const nativeDialect: SqlDialect = doubleQuoteDialect({ name: 'native', stringLiteral: ansiString, timestamp: (t) => `TIMESTAMP '${t}'` });

/** PostgreSQL spells everything as our engine does; its own name lets connectors tell them apart. */
export const postgresDialect: SqlDialect = { ...nativeDialect, name: 'postgres' };

export const snowflakeDialect: SqlDialect = doubleQuoteDialect({
  name: 'snowflake',
  stringLiteral: backslashString,
  timestamp: (t) => `CAST('${t} +00:00' AS TIMESTAMP_TZ)`,
  // Snowflake's DATE_TRUNC('week') follows the session's WEEK_START, which a user may have set to
  // Sunday; counting back from the ISO weekday keeps weeks on Monday whatever the session says.
  bucket: { week: (c) => `DATEADD(day, 1 - DAYOFWEEKISO(${c}), DATE_TRUNC('day', ${c}))` },
});
