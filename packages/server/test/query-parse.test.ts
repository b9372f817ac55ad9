import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/errors.js';
import { parseQueryString, parseSimpleQueryString } from '../src/query/lucene/index.js';
import { parseQuery, parseQueryBody } from '../src/query/parse.js';

const q = (json: unknown) => parseQuery(json, 'query');

/** The error a parse throws, as the HTTP layer would render it. */
function fail(json: unknown): { status: number; type: string; reason: string } {
  try {
    q(json);
  } catch (e) {
    if (e instanceof ApiError) return { status: e.status, type: e.type, reason: e.reason };
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(json)} to be refused`);
}

const parsing = (reason: string) => ({ status: 400, type: 'parsing_exception', reason });
const xcontent = (reason: string) => ({ status: 400, type: 'x_content_parse_exception', reason });
const illegal = (reason: string) => ({ status: 400, type: 'illegal_argument_exception', reason });

describe('query dispatch', () => {
  it('reports an unknown query with ES suggestions', () => {
    expect(fail({ boool: {} })).toEqual(parsing('unknown query [boool] did you mean [bool]?'));
    expect(fail({ match_: {} })).toEqual(parsing('unknown query [match_] did you mean any of [match, match_all, match_none]?'));
    expect(fail({ foo: {} })).toEqual(parsing('unknown query [foo]'));
  });

  it('refuses a second query in the same object', () => {
    expect(fail({ match: { a: 'x' }, term: { b: 'y' } })).toEqual(parsing('[match] malformed query, expected [END_OBJECT] but found [FIELD_NAME]'));
  });

  it('refuses a query body that is not an object, and an empty clause with its path', () => {
    expect(fail({ exists: 'payload.size' })).toEqual(parsing('[exists] query malformed, no start_object after query name'));
    expect(fail('match_all')).toEqual(parsing('[_na] query malformed, must start with start_object'));
    expect(fail({})).toEqual(illegal('query malformed, empty clause found at [query]'));
  });

  it('refuses Elasticsearch queries Infino does not implement by name', () => {
    expect(fail({ nested: { path: 'a', query: { match_all: {} } } })).toEqual(illegal('[nested] query is not supported by Infino'));
  });

  it('parseQueryBody reads {"query"} and defaults to match_all', () => {
    expect(parseQueryBody({})).toEqual({ kind: 'match_all' });
    expect(parseQueryBody({ query: { match_none: {} } })).toEqual({ kind: 'match_none' });
  });
});

describe('match_all / match_none', () => {
  it('parses with boost and _name', () => {
    expect(q({ match_all: {} })).toEqual({ kind: 'match_all' });
    expect(q({ match_all: { boost: 1.5, _name: 'all' } })).toEqual({ kind: 'match_all', boost: 1.5 });
    expect(q({ match_none: { _name: 'x' } })).toEqual({ kind: 'match_none' });
  });

  it('reports unknown options the way each parser does', () => {
    expect(fail({ match_all: { boots: 1 } })).toEqual(xcontent('[match_all] unknown field [boots] did you mean [boost]?'));
    expect(fail({ match_none: { foo: 1 } })).toEqual(parsing('[match_none] query does not support [foo]'));
  });
});

describe('term', () => {
  it('parses the short and long forms', () => {
    expect(q({ term: { status: 'active' } })).toEqual({ kind: 'term', field: 'status', value: 'active' });
    expect(q({ term: { n: 5 } })).toEqual({ kind: 'term', field: 'n', value: 5 });
    expect(q({ term: { ok: true } })).toEqual({ kind: 'term', field: 'ok', value: true });
    expect(q({ term: { status: { value: 'Active', boost: 2, case_insensitive: true, _name: 't' } } })).toEqual({
      kind: 'term',
      field: 'status',
      value: 'Active',
      caseInsensitive: true,
      boost: 2,
    });
    expect(q({ term: { status: { term: 'x', boost: '3' } } })).toEqual({ kind: 'term', field: 'status', value: 'x', boost: 3 });
  });

  it('refuses two fields (a top-level boost is a field in the short form)', () => {
    expect(fail({ term: { a: 1, b: 2 } })).toEqual(parsing("[term] query doesn't support multiple fields, found [a] and [b]"));
    expect(fail({ term: { a: 1, boost: 2 } })).toEqual(parsing("[term] query doesn't support multiple fields, found [a] and [boost]"));
  });

  it('refuses arrays, unknown options, null values and empty fields', () => {
    expect(fail({ term: { a: [1, 2] } })).toEqual(parsing('[term] query does not support array of values'));
    expect(fail({ term: { a: { value: [1] } } }).reason).toMatch(/^\[term\] query does not support arrays for value/);
    expect(fail({ term: { a: { value: 1, foo: 2 } } })).toEqual(parsing('[term] query does not support [foo]'));
    expect(fail({ term: { a: null } })).toEqual(illegal('value cannot be null'));
    expect(fail({ term: { a: { boost: 2 } } })).toEqual(illegal('value cannot be null'));
    expect(fail({ term: {} })).toEqual(illegal('field name is null or empty'));
  });

  it('checks value types: boost must be a non-negative number, case_insensitive a boolean', () => {
    expect(fail({ term: { a: { value: 1, boost: 'x' } } })).toEqual({ status: 400, type: 'number_format_exception', reason: 'For input string: "x"' });
    expect(fail({ term: { a: { value: 1, boost: -1 } } })).toEqual(illegal('negative [boost] are not allowed.'));
    expect(fail({ term: { a: { value: 1, case_insensitive: 'yes' } } })).toEqual(
      illegal('Failed to parse value [yes] as only [true] or [false] are allowed.'),
    );
  });
});

describe('terms / terms_set / ids', () => {
  it('parses terms with boost', () => {
    expect(q({ terms: { tag: ['a', 1, true], boost: 2, _name: 'n' } })).toEqual({ kind: 'terms', field: 'tag', values: ['a', 1, true], boost: 2 });
    expect(q({ terms: { tag: [] } })).toEqual({ kind: 'terms', field: 'tag', values: [] });
  });

  it('refuses terms lookups, two fields, null values and a missing field', () => {
    expect(fail({ terms: { tag: { index: 'i', id: '1', path: 'p' } } })).toEqual(illegal('[terms] lookup of the terms in another document is not supported by Infino'));
    expect(fail({ terms: { a: [1], b: [2] } })).toEqual(parsing('[terms] query does not support multiple fields'));
    expect(fail({ terms: { a: [1, null] } })).toEqual(parsing('No value specified for terms query'));
    expect(fail({ terms: { boost: 1 } })).toEqual(
      parsing('[terms] query requires a field name, followed by array of terms or a document lookup specification'),
    );
    expect(fail({ terms: { a: [1], foo: 'x' } })).toEqual(parsing('[terms] query does not support [foo]'));
  });

  it('parses terms_set with a field or a fixed count', () => {
    expect(q({ terms_set: { tags: { terms: ['a', 'b'], minimum_should_match_field: 'n', boost: 2 } } })).toEqual({
      kind: 'terms_set',
      field: 'tags',
      values: ['a', 'b'],
      minimumShouldMatchField: 'n',
      boost: 2,
    });
    expect(q({ terms_set: { tags: { terms: ['a'], minimum_should_match: '1' } } })).toEqual({
      kind: 'terms_set',
      field: 'tags',
      values: ['a'],
      minimumShouldMatch: 1,
    });
  });

  it('refuses terms_set scripts, percentages and a missing count', () => {
    expect(fail({ terms_set: { t: { terms: ['a'], minimum_should_match_script: { source: 'x' } } } }).reason).toMatch(/script.*not supported/);
    expect(fail({ terms_set: { t: { terms: ['a'], minimum_should_match: '50%' } } }).reason).toMatch(/not supported/);
    expect(fail({ terms_set: { t: { terms: ['a'] } } })).toEqual(
      illegal('[terms_set] requires one of [minimum_should_match_field] or [minimum_should_match]'),
    );
    expect(fail({ terms_set: { t: { terms: ['a'], foo: 1 } } })).toEqual(parsing('[terms_set] query does not support [foo]'));
  });

  it('parses ids (numbers become strings, a single value is a list)', () => {
    expect(q({ ids: { values: ['1', 2] } })).toEqual({ kind: 'ids', values: ['1', '2'] });
    expect(q({ ids: { values: 'x', boost: 2 } })).toEqual({ kind: 'ids', values: ['x'], boost: 2 });
    expect(fail({ ids: { value: ['1'] } })).toEqual(xcontent('[ids] unknown field [value] did you mean [values]?'));
  });
});

describe('range', () => {
  it('parses gt/gte/lt/lte with format, time_zone, relation and boost', () => {
    expect(q({ range: { age: { gte: 10, lt: 20 } } })).toEqual({ kind: 'range', field: 'age', gte: 10, lt: 20 });
    expect(
      q({ range: { ts: { gt: 'now-1d/d', lte: 'now', format: 'strict_date_optional_time', time_zone: '+01:00', relation: 'WITHIN', boost: 2 } } }),
    ).toEqual({ kind: 'range', field: 'ts', gt: 'now-1d/d', lte: 'now', format: 'strict_date_optional_time', timeZone: '+01:00', boost: 2 });
  });

  it('reads the legacy from/to/include_* form in order', () => {
    expect(q({ range: { n: { from: 1, to: 5 } } })).toEqual({ kind: 'range', field: 'n', gte: 1, lte: 5 });
    expect(q({ range: { n: { from: 1, to: 5, include_lower: false, include_upper: 'false' } } })).toEqual({ kind: 'range', field: 'n', gt: 1, lt: 5 });
    expect(q({ range: { n: { gt: 1, gte: 3 } } })).toEqual({ kind: 'range', field: 'n', gte: 3 });
    expect(q({ range: { n: { gte: null, lt: 4 } } })).toEqual({ kind: 'range', field: 'n', lt: 4 });
  });

  it('refuses bad relations and time zones, unknown options, short forms and two fields', () => {
    expect(fail({ range: { n: { gte: 1, relation: 'disjoint' } } })).toEqual(illegal('[range] query does not support relation [disjoint]'));
    expect(fail({ range: { n: { gte: 1, relation: 'near' } } })).toEqual(illegal('near is not a valid relation'));
    expect(fail({ range: { n: { gte: 1, time_zone: 'Mars/Olympus' } } })).toEqual(illegal('Unknown time-zone ID: Mars/Olympus'));
    expect(fail({ range: { n: { gte: 1, foo: 2 } } })).toEqual(parsing('[range] query does not support [foo]'));
    expect(fail({ range: { n: 5 } })).toEqual(parsing('[range] query does not support [n]'));
    expect(fail({ range: { a: { gte: 1 }, b: { lt: 2 } } })).toEqual(parsing("[range] query doesn't support multiple fields, found [a] and [b]"));
    expect(fail({ range: {} })).toEqual(illegal('field name is null or empty'));
  });
});

describe('exists / prefix / wildcard / regexp / fuzzy', () => {
  it('parses exists and refuses one without a field', () => {
    expect(q({ exists: { field: 'a.b', boost: 2 } })).toEqual({ kind: 'exists', field: 'a.b', boost: 2 });
    expect(fail({ exists: {} })).toEqual(parsing('[exists] must be provided with a [field]'));
    expect(fail({ exists: { field: 'a', foo: 1 } })).toEqual(parsing('[exists] query does not support [foo]'));
    expect(fail({ exists: { field: ['a'] } })).toEqual(parsing('[exists] unknown token [START_ARRAY] after [field]'));
  });

  it('parses prefix in both forms', () => {
    expect(q({ prefix: { user: 'ki' } })).toEqual({ kind: 'prefix', field: 'user', value: 'ki' });
    expect(q({ prefix: { user: { value: 'Ki', case_insensitive: true, rewrite: 'constant_score', boost: 2 } } })).toEqual({
      kind: 'prefix',
      field: 'user',
      value: 'Ki',
      caseInsensitive: true,
      boost: 2,
    });
    expect(fail({ prefix: { user: { value: 'k', fuzziness: 1 } } })).toEqual(parsing('[prefix] query does not support [fuzziness]'));
  });

  it('parses wildcard with the value or wildcard key', () => {
    expect(q({ wildcard: { user: { wildcard: 'k*y' } } })).toEqual({ kind: 'wildcard', field: 'user', value: 'k*y' });
    expect(q({ wildcard: { user: { value: 'k?y', boost: 1 } } })).toEqual({ kind: 'wildcard', field: 'user', value: 'k?y', boost: 1 });
    expect(q({ wildcard: { user: 'k*' } })).toEqual({ kind: 'wildcard', field: 'user', value: 'k*' });
  });

  it('parses regexp, accepting flags and max_determinized_states', () => {
    expect(q({ regexp: { user: { value: 'k.*y', flags: 'ALL|intersection', max_determinized_states: 10000, case_insensitive: true } } })).toEqual({
      kind: 'regexp',
      field: 'user',
      value: 'k.*y',
      caseInsensitive: true,
    });
    expect(fail({ regexp: { user: { value: 'x', flags: 'ALL|BOGUS' } } })).toEqual(illegal('Unknown regexp flag [BOGUS]'));
  });

  it('parses fuzzy and normalises fuzziness', () => {
    expect(q({ fuzzy: { user: 'ki' } })).toEqual({ kind: 'fuzzy', field: 'user', value: 'ki' });
    expect(
      q({ fuzzy: { user: { value: 'ki', fuzziness: 'auto', prefix_length: 1, max_expansions: 10, transpositions: false, rewrite: 'x' } } }),
    ).toEqual({ kind: 'fuzzy', field: 'user', value: 'ki', fuzziness: 'AUTO', prefixLength: 1, maxExpansions: 10, transpositions: false });
    expect(q({ fuzzy: { user: { value: 'ki', fuzziness: 'AUTO:3,6' } } })).toMatchObject({ fuzziness: 'AUTO:3,6' });
    expect(q({ fuzzy: { user: { value: 'ki', fuzziness: '2' } } })).toMatchObject({ fuzziness: 2 });
    expect(fail({ fuzzy: { user: { value: 'ki', fuzziness: 3 } } }).type).toBe('illegal_argument_exception');
  });
});

describe('match family', () => {
  it('parses match in both forms with every option', () => {
    expect(q({ match: { title: 'quick fox' } })).toEqual({ kind: 'match', field: 'title', query: 'quick fox' });
    expect(q({ match: { n: 5 } })).toEqual({ kind: 'match', field: 'n', query: 5 });
    expect(
      q({
        match: {
          title: {
            query: 'quick fox',
            operator: 'AND',
            minimum_should_match: '75%',
            fuzziness: 'AUTO',
            prefix_length: 1,
            max_expansions: 20,
            zero_terms_query: 'ALL',
            lenient: true,
            analyzer: 'standard',
            boost: 2,
            auto_generate_synonyms_phrase_query: false,
            fuzzy_transpositions: true,
            fuzzy_rewrite: 'constant_score',
            _name: 'm',
          },
        },
      }),
    ).toEqual({
      kind: 'match',
      field: 'title',
      query: 'quick fox',
      operator: 'and',
      minimumShouldMatch: '75%',
      fuzziness: 'AUTO',
      prefixLength: 1,
      maxExpansions: 20,
      zeroTermsQuery: 'all',
      lenient: true,
      boost: 2,
    });
  });

  it('refuses a missing text, unknown options, bad operators and zero_terms_query values', () => {
    expect(fail({ match: { title: { operator: 'and' } } })).toEqual(parsing('No text specified for text query'));
    expect(fail({ match: {} })).toEqual(parsing('No text specified for text query'));
    expect(fail({ match: { title: { query: 'x', foo: 1 } } })).toEqual(parsing('[match] query does not support [foo]'));
    expect(fail({ match: { title: { query: 'x', cutoff_frequency: 0.1 } } })).toEqual(parsing('[match] query does not support [cutoff_frequency]'));
    expect(fail({ match: { title: { query: { a: 1 } } } })).toEqual(parsing('[match] unknown token [START_OBJECT] after [query]'));
    expect(fail({ match: { title: { query: 'x', operator: 'xor' } } })).toEqual(illegal('operator needs to be either [OR, AND], but not [xor]'));
    expect(fail({ match: { title: { query: 'x', zero_terms_query: 'some' } } })).toEqual(parsing('Unsupported zero_terms_query value [some]'));
    expect(fail({ match: { a: 'x', b: 'y' } })).toEqual(parsing("[match] query doesn't support multiple fields, found [a] and [b]"));
    expect(fail({ match: { a: ['x'] } })).toEqual(parsing('[match] unknown token [START_ARRAY] after [a]'));
  });

  it('accepts the standard analyzer only', () => {
    expect(fail({ match: { t: { query: 'x', analyzer: 'whitespace' } } })).toEqual(
      illegal('[match] analyzer [whitespace] (only [standard] is available) is not supported by Infino'),
    );
    expect(fail({ match_phrase_prefix: { t: { query: 'x', analyzer: 'inexistent_tokenizer' } } })).toEqual({
      status: 400,
      type: 'query_shard_exception',
      reason: '[match_phrase_prefix] analyzer [inexistent_tokenizer] not found',
    });
  });

  it('parses match_phrase, match_phrase_prefix and match_bool_prefix', () => {
    expect(q({ match_phrase: { t: 'a b' } })).toEqual({ kind: 'match_phrase', field: 't', query: 'a b' });
    expect(q({ match_phrase: { t: { query: 'a b', slop: 2, zero_terms_query: 'none', analyzer: 'standard', boost: 3 } } })).toEqual({
      kind: 'match_phrase',
      field: 't',
      query: 'a b',
      slop: 2,
      zeroTermsQuery: 'none',
      boost: 3,
    });
    expect(q({ match_phrase_prefix: { t: { query: 'quick br', max_expansions: 10, slop: 1 } } })).toEqual({
      kind: 'match_phrase_prefix',
      field: 't',
      query: 'quick br',
      slop: 1,
      maxExpansions: 10,
    });
    expect(q({ match_bool_prefix: { t: { query: 'quick br', operator: 'and', minimum_should_match: 2 } } })).toEqual({
      kind: 'match_bool_prefix',
      field: 't',
      query: 'quick br',
      operator: 'and',
      minimumShouldMatch: 2,
    });
  });

  it('refuses what the phrase queries cannot do', () => {
    expect(fail({ match_phrase: {} })).toEqual(illegal('[match_phrase] requires fieldName'));
    expect(fail({ match_phrase: { t: { slop: 1 } } })).toEqual(illegal('[match_phrase] requires query value'));
    expect(fail({ match_phrase: { t: { query: 'x', operator: 'and' } } })).toEqual(parsing('[match_phrase] query does not support [operator]'));
    expect(fail({ match_phrase_prefix: { t: { query: 'x', zero_terms_query: 'all' } } }).reason).toMatch(/not supported/);
    expect(fail({ match_bool_prefix: { t: { query: 'x', fuzziness: 1 } } }).reason).toMatch(/fuzziness is not supported/);
  });
});

describe('multi_match', () => {
  it('parses fields as an array or a string, and defaults them to *', () => {
    expect(q({ multi_match: { query: 'fox', fields: ['title^3', '*_name'] } })).toEqual({ kind: 'multi_match', fields: ['title^3', '*_name'], query: 'fox' });
    expect(q({ multi_match: { query: 'fox', fields: 'title' } })).toMatchObject({ fields: ['title'] });
    expect(q({ multi_match: { query: 'fox' } })).toMatchObject({ fields: ['*'] });
    expect(q({ multi_match: { query: 'fox', fields: [] } })).toMatchObject({ fields: ['*'] });
  });

  it('parses type, tie_breaker and the match options', () => {
    expect(
      q({
        multi_match: {
          query: 'fox',
          fields: ['a', 'b'],
          type: 'most_fields',
          tie_breaker: 0.3,
          operator: 'or',
          minimum_should_match: 1,
          fuzziness: 1,
          lenient: true,
          zero_terms_query: 'none',
          boost: 2,
          prefix_length: 1,
          max_expansions: 5,
        },
      }),
    ).toEqual({
      kind: 'multi_match',
      fields: ['a', 'b'],
      query: 'fox',
      type: 'most_fields',
      tieBreaker: 0.3,
      operator: 'or',
      minimumShouldMatch: 1,
      fuzziness: 1,
      lenient: true,
      zeroTermsQuery: 'none',
      boost: 2,
    });
    expect(q({ multi_match: { query: 'fox', type: 'phrase', slop: 2 } })).toMatchObject({ type: 'phrase', slop: 2 });
    expect(q({ multi_match: { query: 'fox', type: 'boolean' } })).toMatchObject({ type: 'best_fields' });
  });

  it('refuses what ES refuses', () => {
    expect(fail({ multi_match: { fields: ['a'] } })).toEqual(parsing('No text specified for multi_match query'));
    expect(fail({ multi_match: { query: 'x', type: 'phrase', fuzziness: 1 } })).toEqual(parsing('Fuzziness not allowed for type [phrase]'));
    expect(fail({ multi_match: { query: 'x', type: 'bool_prefix', slop: 1 } })).toEqual(parsing('slop not allowed for type [bool_prefix]'));
    expect(fail({ multi_match: { query: 'x', type: 'best' } })).toEqual({
      status: 400,
      type: 'parse_exception',
      reason: 'failed to parse [multi_match] query type [best]. unknown type.',
    });
    expect(fail({ multi_match: { query: 'x', fields: ['a^x'] } })).toEqual({ status: 400, type: 'number_format_exception', reason: 'For input string: "x"' });
    expect(fail({ multi_match: { query: 'x', use_dis_max: true } })).toEqual(parsing('[multi_match] query does not support [use_dis_max]'));
  });
});

describe('query_string / simple_query_string', () => {
  it('hands the options to the Lucene parser', () => {
    expect(
      q({
        query_string: {
          query: 'title:fox AND n:[1 TO 5]',
          default_field: 'body',
          default_operator: 'AND',
          allow_leading_wildcard: false,
          analyze_wildcard: true,
          lenient: true,
          fuzziness: 'AUTO',
          phrase_slop: 1,
          minimum_should_match: '2',
          boost: 2,
          time_zone: 'Europe/Paris',
          _name: 'qs',
        },
      }),
    ).toEqual(
      parseQueryString({
        query: 'title:fox AND n:[1 TO 5]',
        defaultField: 'body',
        defaultOperator: 'and',
        allowLeadingWildcard: false,
        analyzeWildcard: true,
        lenient: true,
        fuzziness: 'AUTO',
        phraseSlop: 1,
        minimumShouldMatch: '2',
        boost: 2,
      }),
    );
    expect(q({ query_string: { query: 'fox', fields: ['title^2', 'body'] } })).toEqual(parseQueryString({ query: 'fox', fields: ['title^2', 'body'] }));
  });

  it('escapes the whole query when asked', () => {
    expect(q({ query_string: { query: 'a:b (c)', default_field: 'f', escape: true } })).toEqual(
      parseQueryString({ query: 'a\\:b \\(c\\)', defaultField: 'f' }),
    );
  });

  it('refuses fields given as a string, a missing query, and fields with default_field', () => {
    expect(fail({ query_string: { query: 'x', fields: 'type' } })).toEqual(parsing('[query_string] query does not support [fields]'));
    expect(fail({ query_string: { default_field: 'a' } })).toEqual(parsing('[query_string] must be provided with a [query]'));
    expect(fail({ query_string: { query: 'x', default_field: 'a', fields: ['b'] } })).toEqual({
      status: 400,
      type: 'query_shard_exception',
      reason: 'failed to create query: Validation Failed: 1: cannot use [fields] parameter in conjunction with [default_field];',
    });
    expect(fail({ query_string: { query: 'x', foo: 1 } })).toEqual(parsing('[query_string] query does not support [foo]'));
    expect(fail({ query_string: { query: 'x', time_zone: 'Nowhere/Land' } })).toEqual(parsing('[query_string] time_zone [Nowhere/Land] is unknown'));
  });

  it('parses simple_query_string flags as names or a bit mask', () => {
    expect(q({ simple_query_string: { query: 'fox -dog', fields: ['t'], flags: 'or|and|PREFIX', default_operator: 'and' } })).toEqual(
      parseSimpleQueryString({ query: 'fox -dog', fields: ['t'], flags: 'OR|AND|PREFIX', defaultOperator: 'and' }),
    );
    expect(q({ simple_query_string: { query: 'fox', flags: 5 } })).toEqual(parseSimpleQueryString({ query: 'fox', flags: 'AND|OR' }));
    expect(q({ simple_query_string: { query: 'fox', flags: -1 } })).toEqual(parseSimpleQueryString({ query: 'fox', flags: 'ALL' }));
    expect(fail({ simple_query_string: { query: 'x', flags: 'OR|MAYBE' } })).toEqual(illegal('Unknown simple_query_string flag [MAYBE]'));
    expect(fail({ simple_query_string: { fields: ['a'] } })).toEqual(parsing('[simple_query_string] query text missing'));
  });
});

describe('bool', () => {
  it('takes one clause or an array per occurrence, with minimum_should_match and boost', () => {
    expect(
      q({
        bool: {
          must: { match: { t: 'fox' } },
          filter: [{ term: { a: 1 } }, { range: { n: { gte: 1 } } }],
          should: [{ term: { b: 2 } }],
          must_not: { exists: { field: 'c' } },
          minimum_should_match: 1,
          boost: 2,
          _name: 'b',
        },
      }),
    ).toEqual({
      kind: 'bool',
      must: [{ kind: 'match', field: 't', query: 'fox' }],
      filter: [
        { kind: 'term', field: 'a', value: 1 },
        { kind: 'range', field: 'n', gte: 1 },
      ],
      should: [{ kind: 'term', field: 'b', value: 2 }],
      mustNot: [{ kind: 'exists', field: 'c' }],
      minimumShouldMatch: 1,
      boost: 2,
    });
    expect(q({ bool: {} })).toEqual({ kind: 'bool', must: [], filter: [], should: [], mustNot: [] });
    expect(q({ bool: { must: null, should: [], minimum_should_match: '75%' } })).toMatchObject({ must: [], minimumShouldMatch: '75%' });
  });

  it('refuses clauses that are not queries, unknown keys, and reports empty clauses with their path', () => {
    expect(fail({ bool: { must: ['x'] } })).toEqual(parsing('[_na] query malformed, must start with start_object'));
    expect(fail({ bool: { must: 'x' } })).toEqual(xcontent("[bool] must doesn't support values of type: VALUE_STRING"));
    expect(fail({ bool: { shoud: [] } })).toEqual(xcontent('[bool] unknown field [shoud] did you mean [should]?'));
    expect(fail({ bool: { must: [{ match_all: {} }, {}] } })).toEqual(illegal('query malformed, empty clause found at [query.bool.must[1]]'));
    expect(fail({ bool: { filter: { bool: { must: { foo: {} } } } } })).toEqual(parsing('unknown query [foo]'));
    expect(fail({ bool: { minimum_should_match: { a: 1 } } })).toEqual(xcontent("[bool] minimum_should_match doesn't support values of type: START_OBJECT"));
  });
});

describe('constant_score / boosting / dis_max', () => {
  it('parses constant_score and requires its filter', () => {
    expect(q({ constant_score: { filter: { term: { a: 1 } }, boost: 1.2 } })).toEqual({
      kind: 'constant_score',
      filter: { kind: 'term', field: 'a', value: 1 },
      boost: 1.2,
    });
    expect(fail({ constant_score: { boost: 1 } })).toEqual(parsing("[constant_score] requires a 'filter' element"));
    expect(fail({ constant_score: { query: { match_all: {} } } })).toEqual(parsing('[constant_score] query does not support [query]'));
  });

  it('parses boosting and requires all three parts', () => {
    expect(q({ boosting: { positive: { match_all: {} }, negative: { term: { a: 1 } }, negative_boost: 0.5 } })).toEqual({
      kind: 'boosting',
      positive: { kind: 'match_all' },
      negative: { kind: 'term', field: 'a', value: 1 },
      negativeBoost: 0.5,
    });
    expect(fail({ boosting: { negative: { match_all: {} }, negative_boost: 0.5 } })).toEqual(parsing("[boosting] query requires 'positive' query to be set'"));
    expect(fail({ boosting: { positive: { match_all: {} }, negative: { match_all: {} } } })).toEqual(
      parsing("[boosting] query requires 'negative_boost' to be set to be a positive value'"),
    );
  });

  it('parses dis_max with an array or a single query', () => {
    expect(q({ dis_max: { queries: [{ term: { a: 1 } }, { term: { b: 2 } }], tie_breaker: 0.7, boost: 1 } })).toEqual({
      kind: 'dis_max',
      queries: [
        { kind: 'term', field: 'a', value: 1 },
        { kind: 'term', field: 'b', value: 2 },
      ],
      tieBreaker: 0.7,
      boost: 1,
    });
    expect(q({ dis_max: { queries: { match_all: {} } } })).toEqual({ kind: 'dis_max', queries: [{ kind: 'match_all' }] });
    expect(fail({ dis_max: { tie_breaker: 0.1 } })).toEqual(parsing("[dis_max] requires 'queries' field with at least one clause"));
    expect(fail({ dis_max: { queries: [], foo: 1 } })).toEqual(parsing('[dis_max] query does not support [foo]'));
  });
});

describe('function_score', () => {
  it('parses functions with filters, weights and field_value_factor', () => {
    expect(
      q({
        function_score: {
          query: { match: { t: 'fox' } },
          functions: [
            { filter: { term: { a: 1 } }, weight: 2 },
            { field_value_factor: { field: 'likes', factor: 1.2, modifier: 'LOG1P', missing: 1 }, weight: 3 },
          ],
          score_mode: 'sum',
          boost_mode: 'replace',
          max_boost: 10,
          min_score: 0.5,
          boost: 2,
        },
      }),
    ).toEqual({
      kind: 'function_score',
      query: { kind: 'match', field: 't', query: 'fox' },
      functions: [
        { filter: { kind: 'term', field: 'a', value: 1 }, weight: 2 },
        { weight: 3, fieldValueFactor: { field: 'likes', factor: 1.2, modifier: 'log1p', missing: 1 } },
      ],
      scoreMode: 'sum',
      boostMode: 'replace',
      maxBoost: 10,
      minScore: 0.5,
      boost: 2,
    });
  });

  it('takes a single function or weight at the top level and defaults the query to match_all', () => {
    expect(q({ function_score: { field_value_factor: { field: 'likes' } } })).toEqual({
      kind: 'function_score',
      query: { kind: 'match_all' },
      functions: [{ fieldValueFactor: { field: 'likes' } }],
    });
    expect(q({ function_score: { query: { match_all: {} }, weight: 5 } })).toMatchObject({ functions: [{ weight: 5 }] });
  });

  it('refuses unsupported functions and malformed definitions', () => {
    expect(fail({ function_score: { random_score: {} } })).toEqual(illegal('[function_score] function [random_score] is not supported by Infino'));
    expect(fail({ function_score: { functions: [{ gauss: { d: { origin: 0, scale: 1 } } }] } }).reason).toMatch(/\[gauss\] is not supported/);
    expect(fail({ function_score: { functions: [{ weight: 1 }], field_value_factor: { field: 'x' } } })).toEqual(
      parsing(
        'failed to parse [function_score] query. [you can either define [functions] array or a single function, not both. already found [functions] array, now encountering [field_value_factor].]',
      ),
    );
    expect(fail({ function_score: { functions: [{ filter: { match_all: {} } }] } })).toEqual(
      parsing('failed to parse [function_score] query. an entry in functions list is missing a function.'),
    );
    expect(fail({ function_score: { field_value_factor: { factor: 2 } } })).toEqual(parsing("[field_value_factor] required field 'field' missing"));
    expect(fail({ function_score: { field_value_factor: { field: 'x', modifier: 'cube' } } })).toEqual(illegal('[field_value_factor] illegal modifier [cube]'));
    expect(fail({ function_score: { score_mode: 'median' } })).toEqual(illegal('illegal score_mode [median]'));
    expect(fail({ function_score: { foo: 1 } })).toEqual(parsing('failed to parse [function_score] query. field [foo] is not supported'));
    expect(fail({ function_score: { my_func: {} } })).toEqual(xcontent('unknown field [my_func]'));
  });
});
