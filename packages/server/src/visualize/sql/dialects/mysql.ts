/**
 * MySQL (protocol §3.7): backtick identifiers, backslash-escaping strings (the server default, so
 * backslashes are doubled as well as quotes), and the per-granularity truncations the protocol
 * spells out, since MySQL has no DATE_TRUNC. `WEEKDAY()` counts from Monday = 0, so weeks are ISO.
 */
import type { TimeBucket } from '@infino/sdk';
import { checkBucket, containsPattern, doublingQuoter, renderLiteral, type SqlDialect, utcTimestampText } from './dialect.js';
import { backslashString } from './native.js';

const BUCKETS: Record<TimeBucket, (c: string) => string> = {
  minute: (c) => `DATE_FORMAT(${c},'%Y-%m-%d %H:%i:00')`,
  hour: (c) => `DATE_FORMAT(${c},'%Y-%m-%d %H:00:00')`,
  day: (c) => `DATE(${c})`,
  week: (c) => `DATE(DATE_SUB(${c}, INTERVAL WEEKDAY(${c}) DAY))`,
  month: (c) => `DATE_FORMAT(${c},'%Y-%m-01')`,
  quarter: (c) => `MAKEDATE(YEAR(${c}),1) + INTERVAL QUARTER(${c})-1 QUARTER`,
  year: (c) => `MAKEDATE(YEAR(${c}),1)`,
};

export const mysqlDialect: SqlDialect = {
  name: 'mysql',
  identQuote: '`',
  quoteIdent: doublingQuoter('`'),
  stringLiteral: backslashString,
  literal: (v) => renderLiteral(v, backslashString),
  timestampLiteral: (at) => `TIMESTAMP '${utcTimestampText(at)}'`,
  timeBucket: (col, granularity) => BUCKETS[checkBucket(granularity)](col),
  castToText: (expr) => `CAST(${expr} AS CHAR)`,
  likeContains: (expr, needle) => `${expr} LIKE ${backslashString(containsPattern(needle))} ESCAPE ${backslashString('\\')}`,
};
