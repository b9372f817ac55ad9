/**
 * Full-text QueryDSL queries: analysed text on one field (`match`, `match_phrase`,
 * `match_phrase_prefix`, `match_bool_prefix`), on several (`multi_match`), and in Lucene syntax
 * (`query_string`, `simple_query_string`, handed to query/lucene/).
 */
import { ApiError } from '../errors.js';
import type { NodeOf, QueryNode, Scalar } from './ast.js';
import { parseTimeZone } from './timezone.js';
import { parseQueryString, parseSimpleQueryString, type QueryStringOptions } from './lucene/index.js';
import {
  checkAnalyzer,
  checkFieldPattern,
  compact,
  firstField,
  illegalArgument,
  isObject,
  isScalar,
  type JsonObject,
  type OptionHandler,
  parsingError,
  readBool,
  readBoost,
  readFuzziness,
  readInt,
  readMinimumShouldMatch,
  readNumber,
  readOperator,
  readText,
  readZeroTerms,
  refuseMoreFields,
  tokenOf,
  unsupported,
  walkOptions,
} from './parse-util.js';

/** Options that tune Lucene internals or synonym handling without changing which documents match here. */
function ignoredOptions(name: string, keys: string[]): Record<string, OptionHandler> {
  const read: OptionHandler = (v, key) => (key === 'fuzzy_rewrite' || key === 'rewrite' ? readText(name, key, v) : readBool(name, key, v));
  return Object.fromEntries(keys.map((k) => [k, read]));
}

/**
 * The short (`{"f": "text"}`) and long (`{"f": {"query": "text", ...}}`) forms of the one-field
 * full-text queries. Returns the field and the query value (null when absent).
 */
function fieldAndQuery(name: string, body: JsonObject, handlers: Record<string, OptionHandler>): [string | undefined, Scalar | null] {
  const entry = firstField(body);
  if (!entry) return [undefined, null];
  const [field, spec] = entry;
  let query: Scalar | null = null;
  if (isObject(spec)) {
    walkOptions(name, spec, {
      ...handlers,
      query: (v) => (query = v as Scalar),
      analyzer: (v) => checkAnalyzer(name, 'analyzer', v),
    });
  } else if (isScalar(spec) || spec === null) {
    query = spec;
  } else {
    throw parsingError(`[${name}] unknown token [${tokenOf(spec)}] after [${field}]`);
  }
  refuseMoreFields(name, body);
  return [field, query];
}

/** match_phrase & co. refuse a missing field or text in their constructors, as ES does. */
function required(name: string, field: string | undefined, query: Scalar | null): [string, string] {
  if (!field) throw illegalArgument(`[${name}] requires fieldName`);
  if (query === null) throw illegalArgument(`[${name}] requires query value`);
  return [field, String(query)];
}

export function parseMatch(body: JsonObject): QueryNode {
  const opts: Partial<NodeOf<'match'>> = {};
  const [field, query] = fieldAndQuery('match', body, {
    boost: (v) => (opts.boost = readBoost('match', v)),
    operator: (v) => (opts.operator = readOperator('match', 'operator', v)),
    minimum_should_match: (v) => (opts.minimumShouldMatch = readMinimumShouldMatch('match', v)),
    fuzziness: (v) => (opts.fuzziness = readFuzziness('match', v)),
    prefix_length: (v) => (opts.prefixLength = readInt('match', 'prefix_length', v)),
    max_expansions: (v) => (opts.maxExpansions = readInt('match', 'max_expansions', v)),
    zero_terms_query: (v) => (opts.zeroTermsQuery = readZeroTerms('match', v)),
    lenient: (v) => (opts.lenient = readBool('match', 'lenient', v)),
    ...ignoredOptions('match', ['fuzzy_transpositions', 'fuzzy_rewrite', 'auto_generate_synonyms_phrase_query']),
  });
  if (query === null) throw parsingError('No text specified for text query');
  if (!field) throw illegalArgument('[match] requires fieldName');
  return compact({ kind: 'match', field, query, ...opts });
}

export function parseMatchPhrase(body: JsonObject): QueryNode {
  const opts: Partial<NodeOf<'match_phrase'>> = {};
  const [field, query] = required(
    'match_phrase',
    ...fieldAndQuery('match_phrase', body, {
      boost: (v) => (opts.boost = readBoost('match_phrase', v)),
      slop: (v) => (opts.slop = readInt('match_phrase', 'slop', v)),
      zero_terms_query: (v) => (opts.zeroTermsQuery = readZeroTerms('match_phrase', v)),
    }),
  );
  return compact({ kind: 'match_phrase', field, query, ...opts });
}

export function parseMatchPhrasePrefix(body: JsonObject): QueryNode {
  const opts: Partial<NodeOf<'match_phrase_prefix'>> = {};
  const [field, query] = required(
    'match_phrase_prefix',
    ...fieldAndQuery('match_phrase_prefix', body, {
      boost: (v) => (opts.boost = readBoost('match_phrase_prefix', v)),
      slop: (v) => (opts.slop = readInt('match_phrase_prefix', 'slop', v)),
      max_expansions: (v) => (opts.maxExpansions = readInt('match_phrase_prefix', 'max_expansions', v)),
      zero_terms_query: (v) => {
        if (readZeroTerms('match_phrase_prefix', v) === 'all') throw unsupported('[match_phrase_prefix] zero_terms_query [all]');
      },
    }),
  );
  return compact({ kind: 'match_phrase_prefix', field, query, ...opts });
}

export function parseMatchBoolPrefix(body: JsonObject): QueryNode {
  const opts: Partial<NodeOf<'match_bool_prefix'>> = {};
  const [field, query] = required(
    'match_bool_prefix',
    ...fieldAndQuery('match_bool_prefix', body, {
      boost: (v) => (opts.boost = readBoost('match_bool_prefix', v)),
      operator: (v) => (opts.operator = readOperator('match_bool_prefix', 'operator', v)),
      minimum_should_match: (v) => (opts.minimumShouldMatch = readMinimumShouldMatch('match_bool_prefix', v)),
      fuzziness: () => {
        throw unsupported('[match_bool_prefix] fuzziness');
      },
      // Only used with fuzziness, which is refused above.
      prefix_length: (v) => readInt('match_bool_prefix', 'prefix_length', v),
      max_expansions: (v) => readInt('match_bool_prefix', 'max_expansions', v),
      ...ignoredOptions('match_bool_prefix', ['fuzzy_transpositions', 'fuzzy_rewrite']),
    }),
  );
  return compact({ kind: 'match_bool_prefix', field, query, ...opts });
}

type MultiMatchType = NonNullable<NodeOf<'multi_match'>['type']>;
/** ES's type names, with its legacy alias `boolean` for best_fields. */
const MULTI_MATCH_TYPES: Record<string, MultiMatchType> = {
  best_fields: 'best_fields',
  boolean: 'best_fields',
  most_fields: 'most_fields',
  cross_fields: 'cross_fields',
  phrase: 'phrase',
  phrase_prefix: 'phrase_prefix',
  bool_prefix: 'bool_prefix',
};

function readMultiMatchType(name: string, v: unknown): MultiMatchType {
  const text = readText(name, 'type', v);
  const type = Object.hasOwn(MULTI_MATCH_TYPES, text) ? MULTI_MATCH_TYPES[text] : undefined;
  if (!type) throw new ApiError(400, 'parse_exception', `failed to parse [multi_match] query type [${text}]. unknown type.`);
  return type;
}

export function parseMultiMatch(body: JsonObject): QueryNode {
  const node: Partial<NodeOf<'multi_match'>> = {};
  let query: Scalar | undefined;
  let fields: string[] = [];
  walkOptions(
    'multi_match',
    body,
    {
      query: (v) => (query = v as Scalar),
      fields: (v) => {
        const list = Array.isArray(v) ? v : [v];
        fields = list.map((f) => checkFieldPattern(readText('multi_match', 'fields', f)));
      },
      type: (v) => (node.type = readMultiMatchType('multi_match', v)),
      analyzer: (v) => checkAnalyzer('multi_match', 'analyzer', v),
      boost: (v) => (node.boost = readBoost('multi_match', v)),
      slop: (v) => (node.slop = readInt('multi_match', 'slop', v)),
      phrase_slop: (v) => (node.slop = readInt('multi_match', 'phrase_slop', v)),
      fuzziness: (v) => (node.fuzziness = readFuzziness('multi_match', v)),
      prefix_length: (v) => readInt('multi_match', 'prefix_length', v),
      max_expansions: (v) => readInt('multi_match', 'max_expansions', v),
      operator: (v) => (node.operator = readOperator('multi_match', 'operator', v)),
      minimum_should_match: (v) => (node.minimumShouldMatch = readMinimumShouldMatch('multi_match', v)),
      tie_breaker: (v) => (node.tieBreaker = readNumber('multi_match', 'tie_breaker', v)),
      lenient: (v) => (node.lenient = readBool('multi_match', 'lenient', v)),
      zero_terms_query: (v) => (node.zeroTermsQuery = readZeroTerms('multi_match', v)),
      ...ignoredOptions('multi_match', ['fuzzy_rewrite', 'fuzzy_transpositions', 'auto_generate_synonyms_phrase_query']),
    },
    new Set(['fields']),
  );
  if (query === undefined) throw parsingError('No text specified for multi_match query');
  const type = node.type ?? 'best_fields';
  if (node.fuzziness !== undefined && (type === 'cross_fields' || type === 'phrase' || type === 'phrase_prefix')) {
    throw parsingError(`Fuzziness not allowed for type [${type}]`);
  }
  if (node.slop !== undefined && node.slop !== 0 && type === 'bool_prefix') throw parsingError('slop not allowed for type [bool_prefix]');
  // No fields means the index's default fields, `index.query.default_field` = `*`.
  return compact({ kind: 'multi_match', fields: fields.length > 0 ? fields : ['*'], query, ...node });
}

/** Lucene's QueryParser.escape: makes every syntax character literal (`escape: true`). */
const escapeLucene = (q: string) => q.replace(/[\\+\-!():^[\]"{}~*?|&/]/g, '\\$&');

/** Options query_string and simple_query_string share, read into `opts`. */
function luceneOptions(name: string, opts: QueryStringOptions): Record<string, OptionHandler> {
  return {
    query: (v) => (opts.query = readText(name, 'query', v)),
    fields: (v) => {
      if (!Array.isArray(v)) throw parsingError(`[${name}] query does not support [fields]`);
      opts.fields = v.map((f) => checkFieldPattern(readText(name, 'fields', f)));
    },
    default_operator: (v) => (opts.defaultOperator = readOperator(name, 'default_operator', v)),
    analyzer: (v) => checkAnalyzer(name, 'analyzer', v),
    analyze_wildcard: (v) => (opts.analyzeWildcard = readBool(name, 'analyze_wildcard', v)),
    lenient: (v) => (opts.lenient = readBool(name, 'lenient', v)),
    minimum_should_match: (v) => (opts.minimumShouldMatch = readMinimumShouldMatch(name, v)),
    boost: (v) => (opts.boost = readBoost(name, v)),
    quote_field_suffix: (v) => {
      if (readText(name, 'quote_field_suffix', v) !== '') throw unsupported(`[${name}] quote_field_suffix`);
    },
    fuzzy_prefix_length: (v) => readInt(name, 'fuzzy_prefix_length', v),
    fuzzy_max_expansions: (v) => readInt(name, 'fuzzy_max_expansions', v),
    ...ignoredOptions(name, ['fuzzy_transpositions', 'auto_generate_synonyms_phrase_query']),
  };
}

const structuredLucene = new Set(['fields']);

export function parseQueryStringQuery(body: JsonObject): QueryNode {
  const opts = {} as QueryStringOptions;
  let escape = false;
  walkOptions(
    'query_string',
    body,
    {
      ...luceneOptions('query_string', opts),
      default_field: (v) => (opts.defaultField = readText('query_string', 'default_field', v)),
      allow_leading_wildcard: (v) => (opts.allowLeadingWildcard = readBool('query_string', 'allow_leading_wildcard', v)),
      fuzziness: (v) => (opts.fuzziness = readFuzziness('query_string', v)),
      phrase_slop: (v) => (opts.phraseSlop = readInt('query_string', 'phrase_slop', v)),
      escape: (v) => (escape = readBool('query_string', 'escape', v)),
      quote_analyzer: (v) => checkAnalyzer('query_string', 'quote_analyzer', v),
      type: (v) => readMultiMatchType('query_string', v),
      tie_breaker: (v) => readNumber('query_string', 'tie_breaker', v),
      max_determinized_states: (v) => readInt('query_string', 'max_determinized_states', v),
      // Kibana sends its browser time zone here; it only shifts date ranges written in the query text.
      time_zone: (v) => {
        const tz = readText('query_string', 'time_zone', v);
        if (!parseTimeZone(tz)) throw parsingError(`[query_string] time_zone [${tz}] is unknown`);
      },
      ...ignoredOptions('query_string', ['enable_position_increments', 'rewrite', 'fuzzy_rewrite']),
    },
    structuredLucene,
  );
  if (opts.query === undefined) throw parsingError('[query_string] must be provided with a [query]');
  if (opts.defaultField !== undefined && opts.fields !== undefined && opts.fields.length > 0) {
    throw new ApiError(
      400,
      'query_shard_exception',
      'failed to create query: Validation Failed: 1: cannot use [fields] parameter in conjunction with [default_field];',
    );
  }
  if (escape) opts.query = escapeLucene(opts.query);
  return parseQueryString(compact(opts));
}

const SIMPLE_FLAGS = ['NONE', 'AND', 'NOT', 'OR', 'PREFIX', 'PHRASE', 'PRECEDENCE', 'ESCAPE', 'WHITESPACE', 'FUZZY', 'NEAR', 'SLOP'];

/** simple_query_string `flags`: `OR|AND|PREFIX` names, or their bit mask (ES's SimpleQueryStringFlag values). */
function readSimpleFlags(v: unknown): string {
  if (typeof v === 'number') {
    if (v === -1) return 'ALL';
    if (v === 0) return 'NONE';
    // NEAR and SLOP share one bit; NONE has none.
    const names = SIMPLE_FLAGS.slice(1, 11).filter((_, i) => (v & (1 << i)) !== 0);
    return names.join('|') || 'NONE';
  }
  const text = readText('simple_query_string', 'flags', v);
  const names = text.split('|').map((f) => f.trim().toUpperCase()).filter((f) => f !== '');
  for (const f of names) if (f !== 'ALL' && !SIMPLE_FLAGS.includes(f)) throw illegalArgument(`Unknown simple_query_string flag [${f}]`);
  return names.length > 0 ? names.join('|') : 'ALL';
}

export function parseSimpleQueryStringQuery(body: JsonObject): QueryNode {
  const opts = {} as QueryStringOptions & { flags?: string };
  walkOptions(
    'simple_query_string',
    body,
    { ...luceneOptions('simple_query_string', opts), flags: (v) => (opts.flags = readSimpleFlags(v)) },
    structuredLucene,
  );
  if (opts.query === undefined) throw parsingError('[simple_query_string] query text missing');
  return parseSimpleQueryString(compact(opts));
}
