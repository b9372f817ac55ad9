/**
 * QueryDSL (JSON) → QueryNode, following Elasticsearch 8's parsers: the same accepted forms, the
 * same error types and reasons. Only parsing and shape validation live here; compiling to storage
 * queries is the engine's job. Each query family has its own module (parse-term, parse-fulltext,
 * parse-compound); this one dispatches on the query name.
 */
import type { QueryNode } from './ast.js';
import { parseBool, parseBoosting, parseConstantScore, parseDisMax, parseFunctionScore } from './parse-compound.js';
import {
  parseMatch,
  parseMatchBoolPrefix,
  parseMatchPhrase,
  parseMatchPhrasePrefix,
  parseMultiMatch,
  parseQueryStringQuery,
  parseSimpleQueryStringQuery,
} from './parse-fulltext.js';
import { parseExists, parseFuzzy, parseIds, parsePattern, parseRange, parseTerm, parseTerms, parseTermsSet } from './parse-term.js';
import {
  compact,
  didYouMean,
  illegalArgument,
  isObject,
  type JsonObject,
  type ParseFn,
  parsingError,
  readBoost,
  tokenOf,
  unsupported,
  walkDeclared,
} from './parse-util.js';

type QueryParser = (body: JsonObject, where: string, parse: ParseFn) => QueryNode;

const PARSERS: Record<string, QueryParser> = {
  match_all: (body) => {
    let boost: number | undefined;
    walkDeclared('match_all', body, { boost: (v) => (boost = readBoost('match_all', v, 'object')) });
    return compact({ kind: 'match_all', boost });
  },
  match_none: (body) => {
    for (const [key, v] of Object.entries(body)) {
      if (v === null || typeof v === 'object') throw parsingError(`[match_none] unknown token [${tokenOf(v)}] after [${key}]`);
      if (key === 'boost') readBoost('match_none', v);
      else if (key !== '_name') throw parsingError(`[match_none] query does not support [${key}]`);
    }
    return { kind: 'match_none' };
  },
  term: parseTerm,
  terms: parseTerms,
  terms_set: parseTermsSet,
  ids: parseIds,
  range: parseRange,
  exists: parseExists,
  prefix: (body) => parsePattern('prefix', body),
  wildcard: (body) => parsePattern('wildcard', body),
  regexp: (body) => parsePattern('regexp', body),
  fuzzy: parseFuzzy,
  match: parseMatch,
  match_phrase: parseMatchPhrase,
  match_phrase_prefix: parseMatchPhrasePrefix,
  match_bool_prefix: parseMatchBoolPrefix,
  multi_match: parseMultiMatch,
  query_string: parseQueryStringQuery,
  simple_query_string: parseSimpleQueryStringQuery,
  bool: parseBool,
  constant_score: parseConstantScore,
  boosting: parseBoosting,
  dis_max: parseDisMax,
  function_score: parseFunctionScore,
};

/** Elasticsearch 8 queries Infino does not implement: refused by name, not reported as unknown. */
const ELASTICSEARCH_ONLY = [
  'combined_fields',
  'distance_feature',
  'field_masking_span',
  'geo_bounding_box',
  'geo_distance',
  'geo_grid',
  'geo_polygon',
  'geo_shape',
  'has_child',
  'has_parent',
  'intervals',
  'knn',
  'more_like_this',
  'nested',
  'parent_id',
  'percolate',
  'pinned',
  'rank_feature',
  'rule',
  'script',
  'script_score',
  'semantic',
  'shape',
  'span_containing',
  'span_first',
  'span_multi',
  'span_near',
  'span_not',
  'span_or',
  'span_term',
  'span_within',
  'sparse_vector',
  'text_expansion',
  'weighted_tokens',
  'wrapper',
];
const UNSUPPORTED = new Set(ELASTICSEARCH_ONLY);
/** ES suggests among every registered query name. */
const ALL_QUERY_NAMES = [...Object.keys(PARSERS), ...ELASTICSEARCH_ONLY];

/** Parses a request body `{"query": {...}}` (a missing `query` means match_all): delete-by-query and /querydsl. */
export function parseQueryBody(body: unknown): QueryNode {
  if (!isObject(body)) throw parsingError('the request body must be a JSON object such as {"query": {...}}');
  if (body.query === undefined) return { kind: 'match_all' };
  return parseQuery(body.query, 'query');
}

/**
 * Parses one query object `{"<type>": {...}}` found at JSON path `where` (e.g. `query`,
 * `query.bool.must[0]`), checking it as ES's parseInnerQueryBuilder does.
 */
export function parseQuery(json: unknown, where: string): QueryNode {
  if (!isObject(json)) throw parsingError('[_na] query malformed, must start with start_object');
  const keys = Object.keys(json);
  // `{}` meant match_all before ES 6.
  if (keys.length === 0) throw illegalArgument(`query malformed, empty clause found at [${where}]`);
  const type = keys[0];
  const body = json[type];
  if (!isObject(body)) throw parsingError(`[${type}] query malformed, no start_object after query name`);
  const parser = Object.hasOwn(PARSERS, type) ? PARSERS[type] : undefined;
  if (!parser) {
    if (UNSUPPORTED.has(type)) throw unsupported(`[${type}] query`);
    throw parsingError(`unknown query [${type}]${didYouMean(type, ALL_QUERY_NAMES)}`);
  }
  const node = parser(body, `${where}.${type}`, parseQuery);
  if (keys.length > 1) throw parsingError(`[${type}] malformed query, expected [END_OBJECT] but found [FIELD_NAME]`);
  return node;
}
