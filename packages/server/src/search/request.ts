/**
 * An Elasticsearch 8 search request → SearchRequest: the JSON body as SearchSourceBuilder reads it,
 * then the `_search` URL parameters, which override it (a `sort` parameter adds keys after the
 * body's), then the checks Elasticsearch makes before searching (result window, search_after).
 */
import { ApiError } from '../errors.js';
import type { Scalar } from '../query/ast.js';
import { parseQueryString } from '../query/lucene/index.js';
import { parseQuery } from '../query/parse.js';
import {
  checkAnalyzer,
  compact,
  illegalArgument,
  isObject,
  isScalar,
  type JsonObject,
  parsingError,
  readBool,
  readInt,
  readNumber,
  readOperator,
  readText,
  tokenOf,
  unsupported,
  walkDeclared,
  xContentError,
} from '../query/parse-util.js';
import { parseAggregations } from './aggs/index.js';
import { parseHighlight } from './request-highlight.js';
import { parseSort, parseSortParam } from './request-sort.js';
import type { SearchRequest, SourceFilter } from './types.js';

/** ES's `index.max_result_window` default. */
const MAX_RESULT_WINDOW = 10_000;
/** ES counts hits exactly up to this many unless told otherwise. */
const DEFAULT_TRACK_TOTAL_HITS = 10_000;
/** The name our messages give the body's parser for a badly typed value. */
const SOURCE = 'search_source';

/** Search body sections that exist in Elasticsearch 8 but that Infino does not implement. */
const UNSUPPORTED_SECTIONS = new Set([
  'collapse',
  'ext',
  'knn',
  'pit',
  'rank',
  'rescore',
  'retriever',
  'runtime_mappings',
  'script_fields',
  'slice',
  'sub_searches',
  'suggest',
]);

const unknownKey = (v: unknown, key: string) => parsingError(`Unknown key for a ${tokenOf(v)} in [${key}].`);

/** The request as it is filled in; `fields` and `docvalue_fields` both end up in `fields`. */
interface Draft extends SearchRequest {
  docvalueFields?: string[];
}

type Section = (v: unknown, req: Draft) => void;

function from(n: number): number {
  if (n < 0) throw illegalArgument(`[from] parameter cannot be negative but was [${n}]`);
  return n;
}

function size(n: number): number {
  if (n < 0) throw illegalArgument(`[size] parameter cannot be negative, found [${n}]`);
  return n;
}

/** terminate_after 0 means "never"; negative counts are refused. */
function terminateAfter(n: number): number | undefined {
  if (n < 0) throw illegalArgument('terminateAfter must be > 0');
  return n === 0 ? undefined : n;
}

/** track_total_hits: a boolean, or a count to be exact up to (-1 = off). */
function trackTotalHits(v: boolean | number): boolean | number {
  if (typeof v === 'boolean') return v;
  if (v < -1) throw illegalArgument(`[track_total_hits] parameter must be positive or equals to -1, got ${v}`);
  return v === -1 ? false : v;
}

const isBooleanText = (v: unknown) => typeof v === 'boolean' || v === 'true' || v === 'false';

const TIME_UNITS_MS: Array<[string, number]> = [
  ['nanos', 1e-6],
  ['micros', 1e-3],
  ['ms', 1],
  ['s', 1000],
  ['m', 60_000],
  ['h', 3_600_000],
  ['d', 86_400_000],
];

/** ES's TimeValue.parseTimeValue (`500ms`, `10s`, `1m`, `-1`) in milliseconds; undefined = no limit. */
export function parseTimeValue(text: string, setting: string): number | undefined {
  const normalized = text.toLowerCase().trim();
  if (normalized === '-1') return undefined;
  if (normalized === '0') return 0;
  const unit = TIME_UNITS_MS.find(([suffix]) => normalized.endsWith(suffix));
  if (!unit) {
    throw new ApiError(400, 'parse_exception', `failed to parse setting [${setting}] with value [${text}] as a time value: unit is missing or unrecognized`);
  }
  const number = normalized.slice(0, -unit[0].length).trim();
  if (!/^[+-]?\d+$/.test(number)) {
    const fractional = number !== '' && !Number.isNaN(Number(number));
    throw new ApiError(400, 'parse_exception', `failed to parse [${text}]${fractional ? ', fractional time values are not supported' : ''}`);
  }
  const n = Number(number);
  if (n < -1) throw illegalArgument(`failed to parse setting [${setting}] with value [${text}] as a time value: negative durations are not supported`);
  return n === -1 ? undefined : n * unit[1];
}

const sourceFilter = (includes: string[], excludes: string[]): SourceFilter =>
  includes.length === 0 && excludes.length === 0 ? true : { includes, excludes };

/** `_source`: a boolean, a pattern, an array of patterns, or `{includes, excludes}` (ES's FetchSourceContext). */
function parseSource(v: unknown): SourceFilter {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return sourceFilter([v], []);
  if (Array.isArray(v)) return sourceFilter(v.map((p) => readText('_source', '_source', p)), []);
  if (!isObject(v)) throw parsingError(`Expected one of [VALUE_BOOLEAN, START_OBJECT] but found [${tokenOf(v)}]`);
  const lists = { includes: [] as string[], excludes: [] as string[] };
  for (const [key, patterns] of Object.entries(v)) {
    const list = key === 'includes' || key === 'include' ? 'includes' : key === 'excludes' || key === 'exclude' ? 'excludes' : undefined;
    if (!list) throw unknownKey(patterns, key);
    if (typeof patterns === 'string') lists[list] = [patterns];
    else if (Array.isArray(patterns)) {
      lists[list] = patterns.map((p) => {
        if (typeof p !== 'string') throw unknownKey(p, key);
        return p;
      });
    } else throw unknownKey(patterns, key);
  }
  return sourceFilter(lists.includes, lists.excludes);
}

/** `fields` / `docvalue_fields` entries: a path or `{field, format}` (a date format goes to `formats`). */
function fieldPaths(key: string, v: unknown[], formats: Record<string, string>): string[] {
  return v.map((item) => {
    if (isScalar(item)) return String(item);
    if (!isObject(item)) throw parsingError(`Expected [VALUE_STRING] or [START_OBJECT] in [${key}] but found [${tokenOf(item)}]`);
    let field: string | undefined;
    let format: string | undefined;
    walkDeclared('fetch_field_and_format', item, {
      field: (f) => (field = readText('fetch_field_and_format', 'field', f, 'object')),
      format: (f) => (format = readText('fetch_field_and_format', 'format', f, 'object')),
      include_unmapped: (f) => readBool('fetch_field_and_format', 'include_unmapped', f, 'object'),
    });
    if (field === undefined) throw illegalArgument('Required [field]');
    if (format !== undefined) formats[field] = format;
    return field;
  });
}

function parseSearchAfter(v: unknown[]): Array<Scalar | null> {
  if (v.length === 0) throw illegalArgument('Values must contains at least one value.');
  return v.map((x) => {
    // null is the sort value of a document missing the field: paging past such docs sends it back.
    if (x === null) return null;
    if (!isScalar(x)) {
      throw parsingError(`Expected [VALUE_STRING] or [VALUE_NUMBER] or [VALUE_BOOLEAN] or [VALUE_NULL] but found [${tokenOf(x)}] inside search_after.`);
    }
    return x;
  });
}

/** `indices_boost` changes nothing here (scores are not compared across indices) but its shape is checked. */
function checkIndicesBoost(v: unknown[]): void {
  for (const item of v) {
    const entry = isObject(item) ? Object.entries(item)[0] : undefined;
    if (!entry) throw parsingError(`Expected [FIELD_NAME] in [indices_boost] but found [${isObject(item) ? 'END_OBJECT' : tokenOf(item)}]`);
    if (typeof entry[1] !== 'number') throw parsingError(`Expected [VALUE_NUMBER] in [indices_boost] but found [${tokenOf(entry[1])}]`);
  }
}

const readFlag = (key: string) => (v: unknown) => readBool(SOURCE, key, v, 'object');

/** Sections that take a plain value (string, number or boolean). */
const VALUE_SECTIONS: Record<string, Section> = {
  from: (v, r) => (r.from = from(readInt(SOURCE, 'from', v, 'object'))),
  size: (v, r) => (r.size = size(readInt(SOURCE, 'size', v, 'object'))),
  timeout: (v, r) => (r.timeoutMs = parseTimeValue(readText(SOURCE, 'timeout', v, 'object'), 'timeout')),
  terminate_after: (v, r) => (r.terminateAfter = terminateAfter(readInt(SOURCE, 'terminate_after', v, 'object'))),
  min_score: (v, r) => (r.minScore = readNumber(SOURCE, 'min_score', v, 'object')),
  track_scores: (v, r) => (r.trackScores = readBool(SOURCE, 'track_scores', v, 'object')),
  track_total_hits: (v, r) =>
    (r.trackTotalHits = trackTotalHits(
      isBooleanText(v) ? readBool(SOURCE, 'track_total_hits', v, 'object') : readInt(SOURCE, 'track_total_hits', v, 'object'),
    )),
  _source: (v, r) => (r.source = parseSource(v)),
  sort: (v, r) => (r.sort = parseSort(String(v))),
  profile: (v) => {
    if (readBool(SOURCE, 'profile', v, 'object')) throw unsupported('[profile]');
  },
  // Accepted without effect: hits carry no explanation, version or sequence number.
  explain: readFlag('explain'),
  version: readFlag('version'),
  seq_no_primary_term: readFlag('seq_no_primary_term'),
  stored_fields: (v) => readText(SOURCE, 'stored_fields', v, 'object'),
  _name: (v) => readText(SOURCE, '_name', v, 'object'),
};

/** Sections that take an object. */
const OBJECT_SECTIONS: Record<string, Section> = {
  query: (v, r) => (r.query = parseQuery(v, 'query')),
  post_filter: (v, r) => (r.postFilter = parseQuery(v, 'post_filter')),
  _source: (v, r) => (r.source = parseSource(v)),
  aggs: (v, r) => (r.aggs = parseAggregations(v, parseQuery)),
  aggregations: (v, r) => (r.aggs = parseAggregations(v, parseQuery, 'aggregations')),
  highlight: (v, r) => (r.highlight = parseHighlight(v, parseQuery)),
  sort: (v, r) => (r.sort = parseSort(v)),
};

/** Sections that take an array. */
const ARRAY_SECTIONS: Record<string, Section> = {
  sort: (v, r) => (r.sort = parseSort(v)),
  _source: (v, r) => (r.source = parseSource(v)),
  fields: (v, r) => (r.fields = fieldPaths('fields', v as unknown[], (r.fieldFormats ??= {}))),
  docvalue_fields: (v, r) => (r.docvalueFields = fieldPaths('docvalue_fields', v as unknown[], (r.fieldFormats ??= {}))),
  search_after: (v, r) => (r.searchAfter = parseSearchAfter(v as unknown[])),
  stored_fields: (v) => (v as unknown[]).forEach((f) => readText(SOURCE, 'stored_fields', f, 'object')),
  indices_boost: (v) => checkIndicesBoost(v as unknown[]),
  // Stats groups only label the search in ES's index statistics.
  stats: (v) =>
    (v as unknown[]).forEach((s) => {
      if (typeof s !== 'string') throw parsingError(`Expected [VALUE_STRING] in [stats] but found [${tokenOf(s)}]`);
    }),
};

/** The body as an object: absent means `{}`; a JSON text (an SDK may send the query as one) is parsed once more. */
function bodyObject(body: unknown): JsonObject {
  if (body === undefined || body === null || body === '') return {};
  let json = body;
  if (typeof json === 'string') {
    try {
      json = JSON.parse(json);
    } catch (e) {
      throw xContentError(`the search body is a string that does not hold JSON: ${(e as Error).message}`);
    }
  }
  if (!isObject(json)) throw parsingError(`Expected [START_OBJECT] but found [${tokenOf(json)}]`);
  return json;
}

function readBody(body: JsonObject): Draft {
  const req: Draft = { query: { kind: 'match_all' }, from: 0, size: 10, trackTotalHits: DEFAULT_TRACK_TOTAL_HITS, source: true };
  for (const [key, v] of Object.entries(body)) {
    if (UNSUPPORTED_SECTIONS.has(key)) {
      // Empty sections ask for nothing (Grafana's log queries always send `"script_fields": {}`).
      if ((isObject(v) && Object.keys(v).length === 0) || (Array.isArray(v) && v.length === 0)) continue;
      throw unsupported(`[${key}] in a search request`);
    }
    // As in ES, a known section given the wrong kind of value is an unknown key for that token.
    const sections = Array.isArray(v) ? ARRAY_SECTIONS : isObject(v) ? OBJECT_SECTIONS : isScalar(v) ? VALUE_SECTIONS : undefined;
    const section = sections && Object.hasOwn(sections, key) ? sections[key] : undefined;
    if (!section) throw unknownKey(v, key);
    section(v, req);
  }
  return req;
}

/** RestRequest.paramAsInt: Java's Integer.parseInt. */
function toInt(name: string, v: string): number {
  if (!/^[+-]?\d{1,10}$/.test(v) || Math.abs(Number(v)) > 2 ** 31 - 1) {
    throw illegalArgument(`Failed to parse int parameter [${name}] with value [${v}]`);
  }
  return Number(v);
}

function intParam(params: Record<string, string>, name: string): number | undefined {
  return params[name] === undefined ? undefined : toInt(name, params[name]);
}

/** RestRequest.paramAsBoolean: an empty value means true. */
function boolParam(params: Record<string, string>, name: string): boolean | undefined {
  const v = params[name];
  if (v === undefined) return undefined;
  if (v === '' || v === 'true') return true;
  if (v === 'false') return false;
  throw illegalArgument(`Failed to parse value [${v}] as only [true] or [false] are allowed.`);
}

const splitComma = (s: string) => s.split(',').filter((p) => p !== '');

/** The URL parameters of `_search`, applied over the body as RestSearchAction applies them. */
function applyParams(req: Draft, params: Record<string, string>): void {
  if (params.q !== undefined) {
    if (params.analyzer !== undefined) checkAnalyzer('query_string', 'analyzer', params.analyzer);
    req.query = parseQueryString(
      compact({
        query: params.q,
        defaultField: params.df,
        defaultOperator: params.default_operator === undefined ? undefined : readOperator('query_string', 'default_operator', params.default_operator),
        analyzeWildcard: boolParam(params, 'analyze_wildcard'),
        lenient: boolParam(params, 'lenient'),
      }),
    );
  }
  const fromParam = intParam(params, 'from');
  if (fromParam !== undefined) req.from = from(fromParam);
  const sizeParam = intParam(params, 'size');
  if (sizeParam !== undefined) req.size = size(sizeParam);
  for (const flag of ['explain', 'version', 'seq_no_primary_term']) boolParam(params, flag);
  if (params.timeout !== undefined) req.timeoutMs = parseTimeValue(params.timeout, 'timeout');
  const terminate = intParam(params, 'terminate_after');
  if (terminate !== undefined) req.terminateAfter = terminateAfter(terminate);
  if (params.docvalue_fields !== undefined) req.docvalueFields = splitComma(params.docvalue_fields);
  applySourceParams(req, params);
  const trackScores = boolParam(params, 'track_scores');
  if (trackScores !== undefined) req.trackScores = trackScores;
  const track = params.track_total_hits;
  if (track !== undefined) req.trackTotalHits = trackTotalHits(isBooleanText(track) ? track === 'true' : toInt('track_total_hits', track));
  if (params.sort !== undefined) req.sort = [...(req.sort ?? []), ...parseSortParam(params.sort)];
}

/** `_source=false|true|a,b`, `_source_includes`, `_source_excludes`: together they replace the body's `_source`. */
function applySourceParams(req: Draft, params: Record<string, string>): void {
  const { _source: source, _source_includes: includes, _source_excludes: excludes } = params;
  if (source === undefined && includes === undefined && excludes === undefined) return;
  const fetch = source === 'true' ? true : source === 'false' ? false : undefined;
  let inc = fetch === undefined && source !== undefined ? splitComma(source) : [];
  if (includes !== undefined) inc = splitComma(includes);
  const exc = excludes === undefined ? [] : splitComma(excludes);
  req.source = fetch === false ? false : sourceFilter(inc, exc);
}

/** The checks ES makes once the whole request is known. */
function validate(req: Draft): void {
  if (req.searchAfter) {
    if (req.from > 0) throw illegalArgument('`from` parameter must be set to 0 when `search_after` is used.');
    const sortKeys = req.sort?.length ?? 0;
    if (sortKeys === 0) throw illegalArgument('Sort must contain at least one field.');
    if (sortKeys !== req.searchAfter.length) {
      throw illegalArgument(`search_after has ${req.searchAfter.length} value(s) but sort has ${sortKeys}.`);
    }
  }
  const window = req.from + req.size;
  if (window > MAX_RESULT_WINDOW) {
    throw illegalArgument(
      `Result window is too large, from + size must be less than or equal to: [${MAX_RESULT_WINDOW}] but was [${window}]. ` +
        'See the scroll api for a more efficient way to request large data sets. ' +
        'This limit can be set by changing the [index.max_result_window] index level setting.',
    );
  }
}

/**
 * Parses a search body (an object, a JSON text of one, or nothing) and the URL parameters of
 * `_search` (`q`, `size`, `from`, `sort`, `_source*`, `track_total_hits`, `timeout`, ...; other
 * parameters are the route's business and ignored here).
 */
export function parseSearchRequest(body: unknown, params: Record<string, string> = {}): SearchRequest {
  const req = readBody(bodyObject(body));
  applyParams(req, params);
  validate(req);
  const { docvalueFields, ...request } = req;
  if (docvalueFields) request.fields = [...(request.fields ?? []), ...docvalueFields];
  return compact(request);
}
