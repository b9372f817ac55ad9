/** The Elasticsearch error types aggregations answer with, and ES's "did you mean" suggestions. */
import { ApiError } from '../../errors.js';

export const parsingError = (reason: string) => new ApiError(400, 'parsing_exception', reason);
export const contentError = (reason: string) => new ApiError(400, 'x_content_parse_exception', reason);
export const illegalArgument = (reason: string) => new ApiError(400, 'illegal_argument_exception', reason);

/** The JSON token name Elasticsearch's parser reports for a value (`START_OBJECT`, `VALUE_STRING`, ...). */
export function tokenOf(v: unknown): string {
  if (v === null) return 'VALUE_NULL';
  if (Array.isArray(v)) return 'START_ARRAY';
  switch (typeof v) {
    case 'object':
      return 'START_OBJECT';
    case 'string':
      return 'VALUE_STRING';
    case 'number':
      return 'VALUE_NUMBER';
    case 'boolean':
      return 'VALUE_BOOLEAN';
    default:
      return 'VALUE_EMBEDDED_OBJECT';
  }
}

/**
 * ` did you mean [x]?` / ` did you mean any of [a, b]?` for names similar to `unknown` (Lucene's
 * Levenshtein similarity above 0.5, best first, as Elasticsearch's parsers suggest), else ''.
 */
export function suggest(unknown: string, candidates: Iterable<string>): string {
  const scored: Array<[number, string]> = [];
  for (const c of candidates) {
    const similarity = 1 - editDistance(unknown, c) / Math.max(unknown.length, c.length);
    if (similarity > 0.5) scored.push([similarity, c]);
  }
  if (scored.length === 0) return '';
  scored.sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  const names = scored.map(([, c]) => c);
  return names.length === 1 ? ` did you mean [${names[0]}]?` : ` did you mean any of [${names.join(', ')}]?`;
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
