/**
 * BigQuery GoogleSQL (protocol §3.7): backtick identifiers and `TIMESTAMP_TRUNC(c, <G>)` with
 * `ISOWEEK` for Monday weeks. Its strings and quoted identifiers take C-style backslash escapes and
 * do not know the doubled quote (`'it''s'` is a syntax error), so both escape with a backslash, and
 * a raw newline (not allowed inside a one-line string) is written `\n`.
 */
import { bareIdent, checkBucket, containsPattern, renderLiteral, type SqlDialect, utcTimestampText } from './dialect.js';

const ESCAPES: Record<string, string> = { '\\': '\\\\', "'": "\\'", '`': '\\`', '\n': '\\n', '\r': '\\r' };
const escape = (s: string, special: RegExp) => s.replace(special, (c) => ESCAPES[c]);

const stringLiteral = (s: string) => `'${escape(s, /[\\'\n\r]/g)}'`;

export const bigqueryDialect: SqlDialect = {
  name: 'bigquery',
  identQuote: '`',
  // A whole `project.dataset.table` path may sit inside one pair of backticks, so dots stay as they are.
  quoteIdent: (raw) => `\`${escape(bareIdent(raw), /[\\`\n\r]/g)}\``,
  stringLiteral,
  literal: (v) => renderLiteral(v, stringLiteral),
  timestampLiteral: (at) => `TIMESTAMP '${utcTimestampText(at)}+00:00'`,
  timeBucket(col, granularity) {
    const g = checkBucket(granularity);
    return `TIMESTAMP_TRUNC(${col}, ${g === 'week' ? 'ISOWEEK' : g.toUpperCase()})`;
  },
  castToText: (expr) => `CAST(${expr} AS STRING)`,
  // Backslash is LIKE's escape character in BigQuery, which has no ESCAPE clause.
  likeContains: (expr, needle) => `${expr} LIKE ${stringLiteral(containsPattern(needle))}`,
};
