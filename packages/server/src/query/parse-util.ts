/**
 * Shared pieces of the QueryDSL parser: Elasticsearch's error shapes, its value coercion (an
 * XContentParser turns `"2"` into 2 and `"true"` into true) and the two ways ES walks a query's
 * options — hand-written `fromXContent` loops (`parsing_exception "[match] query does not support
 * [x]"`) and ObjectParser-declared queries (`x_content_parse_exception "[bool] unknown field [x]"`).
 * Reasons keep ES's wording without its `[line:col]` prefix (our JSON is already parsed).
 */
import { ApiError } from '../errors.js';
import type { Fuzziness, MinimumShouldMatch, QueryNode, Scalar } from './ast.js';

export type JsonObject = Record<string, unknown>;

/** Parses a nested query at a JSON path such as `query.bool.must[0]`. */
export type ParseFn = (json: unknown, where: string) => QueryNode;

export const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);
export const isScalar = (v: unknown): v is Scalar => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

export const parsingError = (reason: string) => new ApiError(400, 'parsing_exception', reason);
export const xContentError = (reason: string) => new ApiError(400, 'x_content_parse_exception', reason);
export const illegalArgument = (reason: string) => new ApiError(400, 'illegal_argument_exception', reason);
/** A valid Elasticsearch feature Infino does not implement: say so rather than answer differently. */
export const unsupported = (what: string) => new ApiError(400, 'illegal_argument_exception', `${what} is not supported by Infino`);

/** The parser token ES names in its messages for a JSON value. */
export function tokenOf(v: unknown): string {
  if (v === null || v === undefined) return 'VALUE_NULL';
  if (Array.isArray(v)) return 'START_ARRAY';
  if (typeof v === 'object') return 'START_OBJECT';
  if (typeof v === 'string') return 'VALUE_STRING';
  if (typeof v === 'number') return 'VALUE_NUMBER';
  return 'VALUE_BOOLEAN';
}

/** Lucene's LevenshteinDistance similarity: 1 − edits / longer length. */
function similarity(a: string, b: string): number {
  if (a === b) return 1;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return 1 - prev[b.length] / Math.max(a.length, b.length);
}

/** ES's " did you mean [x]?" suffix: candidates closer than 0.5, best first, then by name. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const scored = [...candidates]
    .map((c) => ({ c, s: similarity(name, c) }))
    .filter((x) => x.s > 0.5)
    .sort((x, y) => y.s - x.s || (x.c < y.c ? -1 : x.c > y.c ? 1 : 0))
    .map((x) => x.c);
  if (scored.length === 0) return '';
  return scored.length === 1 ? ` did you mean [${scored[0]}]?` : ` did you mean any of [${scored.join(', ')}]?`;
}

/** Which of ES's two option-walking styles a query uses; it decides the error type and wording. */
export type Style = 'parser' | 'object';

/** How option `key` of query `name` failed to read as the wanted type. */
function badValue(name: string, key: string, v: unknown, style: Style): ApiError {
  if (style === 'parser' && !isScalar(v)) return parsingError(`[${name}] unknown token [${tokenOf(v)}] after [${key}]`);
  return xContentError(`[${name}] failed to parse field [${key}]`);
}

/** XContentParser.floatValue(): a number, or a string holding one. */
export function readNumber(name: string, key: string, v: unknown, style: Style = 'parser'): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    const n = Number(v.trim());
    if (v.trim() === '' || Number.isNaN(n)) throw new ApiError(400, 'number_format_exception', `For input string: "${v}"`);
    return n;
  }
  throw badValue(name, key, v, style);
}

/** XContentParser.intValue(): as readNumber, truncated toward zero as Java's cast does. */
export function readInt(name: string, key: string, v: unknown, style: Style = 'parser'): number {
  return Math.trunc(readNumber(name, key, v, style));
}

/** XContentParser.booleanValue(): true/false or the strings "true"/"false" only. */
export function readBool(name: string, key: string, v: unknown, style: Style = 'parser'): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') {
    if (v === 'true' || v === 'false') return v === 'true';
    throw illegalArgument(`Failed to parse value [${v}] as only [true] or [false] are allowed.`);
  }
  throw badValue(name, key, v, style);
}

/** XContentParser.text(): any scalar, as its text. */
export function readText(name: string, key: string, v: unknown, style: Style = 'parser'): string {
  if (isScalar(v)) return String(v);
  throw badValue(name, key, v, style);
}

/** `boost`: a number ≥ 0 (ES refuses negative boosts). */
export function readBoost(name: string, v: unknown, style: Style = 'parser'): number {
  const b = readNumber(name, 'boost', v, style);
  if (b < 0) throw illegalArgument('negative [boost] are not allowed.');
  return b;
}

/** `minimum_should_match`: kept as given (a count or a spec such as `75%`), as ES keeps its text. */
export function readMinimumShouldMatch(name: string, v: unknown, style: Style = 'parser'): MinimumShouldMatch {
  if (typeof v === 'number') return v;
  return readText(name, 'minimum_should_match', v, style);
}

/** `operator` / `default_operator`: OR or AND in any case. */
export function readOperator(name: string, key: string, v: unknown): 'or' | 'and' {
  const op = readText(name, key, v).toLowerCase();
  if (op !== 'or' && op !== 'and') throw illegalArgument(`operator needs to be either [OR, AND], but not [${readText(name, key, v)}]`);
  return op;
}

/** `zero_terms_query`: none or all in any case. */
export function readZeroTerms(name: string, v: unknown): 'none' | 'all' {
  const z = readText(name, 'zero_terms_query', v);
  const lower = z.toLowerCase();
  if (lower !== 'none' && lower !== 'all') throw parsingError(`Unsupported zero_terms_query value [${z}]`);
  return lower;
}

/** `fuzziness`: AUTO, AUTO:low,high, or an edit distance of 0, 1 or 2. */
export function readFuzziness(name: string, v: unknown): Fuzziness {
  const text = readText(name, 'fuzziness', v).trim();
  const upper = text.toUpperCase();
  if (upper === 'AUTO') return 'AUTO';
  const auto = /^AUTO:(\d+),(\d+)$/.exec(upper);
  if (auto) {
    if (Number(auto[1]) > Number(auto[2])) throw parsingError(`fuzziness wrongly configured [${text}]. Low distance must be lower than high distance.`);
    return `AUTO:${auto[1]},${auto[2]}`;
  }
  const n = Number(text);
  if (text !== '' && Number.isInteger(n)) {
    if (n < 0 || n > 2) throw illegalArgument(`Valid edit distances are [0, 1, 2] but was [${n}]`);
    return n;
  }
  throw illegalArgument(`[${name}] fuzziness [${text}] is invalid: use AUTO, AUTO:low,high or an edit distance of 0, 1 or 2`);
}

/** Analyzers: the index uses the standard analyzer; naming it is fine, asking for another is not. */
const BUILTIN_ANALYZERS = new Set(['keyword', 'simple', 'whitespace', 'stop', 'pattern', 'fingerprint', 'english']);
export function checkAnalyzer(name: string, key: string, v: unknown): void {
  const analyzer = readText(name, key, v);
  if (analyzer === 'standard' || analyzer === 'default') return;
  if (BUILTIN_ANALYZERS.has(analyzer)) throw unsupported(`[${name}] ${key} [${analyzer}] (only [standard] is available)`);
  throw new ApiError(400, 'query_shard_exception', `[${name}] ${key} [${analyzer}] not found`);
}

/** Field patterns with optional boosts (`title^3`): ES refuses a boost that is not a number. */
export function checkFieldPattern(pattern: string): string {
  const caret = pattern.lastIndexOf('^');
  if (caret >= 0) {
    const boost = pattern.slice(caret + 1);
    if (boost === '' || Number.isNaN(Number(boost))) throw new ApiError(400, 'number_format_exception', `For input string: "${boost}"`);
  }
  return pattern;
}

/** Drops undefined properties so AST nodes compare cleanly and serialise compactly. */
export function compact<T extends object>(node: T): T {
  for (const k of Object.keys(node) as Array<keyof T>) if (node[k] === undefined) delete node[k];
  return node;
}

export type OptionHandler = (value: unknown, key: string) => void;

const NO_KEYS: ReadonlySet<string> = new Set();

/**
 * Walks a query's options the way ES's hand-written parsers do. Keys in `structured` take objects or
 * arrays; every other option must hold a plain value. `_name` is accepted everywhere and ignored.
 */
export function walkOptions(
  name: string,
  body: JsonObject,
  handlers: Record<string, OptionHandler>,
  structured: ReadonlySet<string> = NO_KEYS,
): void {
  for (const [key, value] of Object.entries(body)) {
    if (!structured.has(key) && !isScalar(value)) throw parsingError(`[${name}] unknown token [${tokenOf(value)}] after [${key}]`);
    if (key === '_name') continue;
    const handler = Object.hasOwn(handlers, key) ? handlers[key] : undefined;
    if (!handler) throw parsingError(`[${name}] query does not support [${key}]`);
    handler(value, key);
  }
}

/** Walks options the way an ES ObjectParser does: unknown keys name the parser and suggest a near key. */
export function walkDeclared(name: string, body: JsonObject, handlers: Record<string, OptionHandler>): void {
  for (const [key, value] of Object.entries(body)) {
    if (key === '_name') {
      readText(name, key, value, 'object');
      continue;
    }
    const handler = Object.hasOwn(handlers, key) ? handlers[key] : undefined;
    if (!handler) throw xContentError(`[${name}] unknown field [${key}]${didYouMean(key, [...Object.keys(handlers), '_name'])}`);
    handler(value, key);
  }
}

/** The field a single-field query names (`{"title": ...}`), or undefined for an empty body. */
export function firstField(body: JsonObject): [string, unknown] | undefined {
  for (const entry of Object.entries(body)) return entry;
  return undefined;
}

/** Refuses a second field once the first is parsed, in the order ES reports the two errors. */
export function refuseMoreFields(name: string, body: JsonObject): void {
  const keys = Object.keys(body);
  if (keys.length > 1) throw parsingError(`[${name}] query doesn't support multiple fields, found [${keys[0]}] and [${keys[1]}]`);
}
