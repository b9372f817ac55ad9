import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../src/errors.js';
import { parseQueryString } from '../src/query/lucene/index.js';
import { parseQuery } from '../src/query/parse.js';
import { parseSearchRequest } from '../src/search/request.js';

// The aggregations module has its own tests; here it only has to be handed the section and the query parser.
vi.mock('../src/search/aggs/index.js', () => ({
  parseAggregations: vi.fn((json: Record<string, unknown>) => Object.keys(json).map((name) => ({ name, type: 'stub', body: {}, subs: [] }))),
}));
const { parseAggregations } = await import('../src/search/aggs/index.js');

const parse = (body: unknown, params?: Record<string, string>) => parseSearchRequest(body, params);

function fail(body: unknown, params?: Record<string, string>): { status: number; type: string; reason: string } {
  try {
    parse(body, params);
  } catch (e) {
    if (e instanceof ApiError) return { status: e.status, type: e.type, reason: e.reason };
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(body)} to be refused`);
}

const parsing = (reason: string) => ({ status: 400, type: 'parsing_exception', reason });
const illegal = (reason: string) => ({ status: 400, type: 'illegal_argument_exception', reason });

describe('body basics', () => {
  it('defaults to match_all, from 0, size 10, total hits up to 10,000, full _source', () => {
    expect(parse({})).toEqual({ query: { kind: 'match_all' }, from: 0, size: 10, trackTotalHits: 10_000, source: true });
    expect(parse(undefined)).toEqual(parse({}));
    expect(parse(null)).toEqual(parse({}));
  });

  it('reads query, post_filter, from, size, min_score, track_scores, terminate_after', () => {
    expect(
      parse({
        query: { term: { a: 1 } },
        post_filter: { term: { b: 2 } },
        from: 5,
        size: '20',
        min_score: 0.5,
        track_scores: true,
        terminate_after: 100,
      }),
    ).toEqual({
      query: { kind: 'term', field: 'a', value: 1 },
      postFilter: { kind: 'term', field: 'b', value: 2 },
      from: 5,
      size: 20,
      minScore: 0.5,
      trackScores: true,
      terminateAfter: 100,
      trackTotalHits: 10_000,
      source: true,
    });
    expect(parse({ terminate_after: 0 }).terminateAfter).toBeUndefined();
  });

  it('accepts a body sent as a JSON text', () => {
    expect(parse(JSON.stringify({ query: { match: { t: 'fox' } }, size: 3 }))).toMatchObject({
      query: { kind: 'match', field: 't', query: 'fox' },
      size: 3,
    });
    expect(fail('{"query": ')).toMatchObject({ status: 400, type: 'x_content_parse_exception' });
    expect(fail('"just text"')).toEqual(parsing('Expected [START_OBJECT] but found [VALUE_STRING]'));
    expect(fail([1])).toEqual(parsing('Expected [START_OBJECT] but found [START_ARRAY]'));
  });

  it('refuses negative from, size and terminate_after', () => {
    expect(fail({ size: -1 })).toEqual(illegal('[size] parameter cannot be negative, found [-1]'));
    expect(fail({ from: -2 })).toEqual(illegal('[from] parameter cannot be negative but was [-2]'));
    expect(fail({ terminate_after: -1 })).toEqual(illegal('terminateAfter must be > 0'));
  });

  it('enforces the 10,000 result window with ES reason', () => {
    expect(parse({ from: 9990, size: 10 })).toMatchObject({ from: 9990, size: 10 });
    expect(fail({ from: 9995, size: 10 })).toEqual(
      illegal(
        'Result window is too large, from + size must be less than or equal to: [10000] but was [10005]. See the scroll api for a more efficient way to request large data sets. This limit can be set by changing the [index.max_result_window] index level setting.',
      ),
    );
    expect(fail({ size: 10001 }).reason).toMatch(/but was \[10001\]/);
  });

  it('reports unknown keys and wrongly typed sections as ES does', () => {
    expect(fail({ foo: {} })).toEqual(parsing('Unknown key for a START_OBJECT in [foo].'));
    expect(fail({ foo: 1 })).toEqual(parsing('Unknown key for a VALUE_NUMBER in [foo].'));
    expect(fail({ foo: [1] })).toEqual(parsing('Unknown key for a START_ARRAY in [foo].'));
    expect(fail({ query: 'fox' })).toEqual(parsing('Unknown key for a VALUE_STRING in [query].'));
    expect(fail({ size: null })).toEqual(parsing('Unknown key for a VALUE_NULL in [size].'));
    expect(fail({ from: [1] })).toEqual(parsing('Unknown key for a START_ARRAY in [from].'));
  });

  it('passes query errors through', () => {
    expect(fail({ query: { foo: {} } })).toEqual(parsing('unknown query [foo]'));
    expect(fail({ query: {} })).toEqual(illegal('query malformed, empty clause found at [query]'));
    expect(fail({ post_filter: {} })).toEqual(illegal('query malformed, empty clause found at [post_filter]'));
  });

  it('accepts explain, version, seq_no_primary_term, stored_fields, indices_boost, stats, profile:false and _name', () => {
    expect(
      parse({
        explain: true,
        version: true,
        seq_no_primary_term: false,
        stored_fields: ['_id'],
        indices_boost: [{ logs: 2 }],
        stats: ['group'],
        profile: false,
        _name: 'req',
      }),
    ).toEqual(parse({}));
    expect(parse({ stored_fields: '_none_' })).toEqual(parse({}));
  });

  it('refuses Elasticsearch sections Infino does not implement', () => {
    expect(fail({ profile: true })).toEqual(illegal('[profile] is not supported by Infino'));
    expect(fail({ collapse: { field: 'a' } })).toEqual(illegal('[collapse] in a search request is not supported by Infino'));
    expect(fail({ suggest: { s: { text: 'x', term: { field: 'a' } } } }).reason).toMatch(/not supported/);
    // An empty section asks for nothing (Grafana sends `"script_fields": {}` with every logs query).
    expect(parse({ script_fields: {}, suggest: {} }).query).toEqual({ kind: 'match_all' });
    expect(fail({ indices_boost: [{ logs: 'x' }] })).toEqual(parsing('Expected [VALUE_NUMBER] in [indices_boost] but found [VALUE_STRING]'));
  });
});

describe('track_total_hits and timeout', () => {
  it('takes booleans, counts and -1', () => {
    expect(parse({ track_total_hits: true }).trackTotalHits).toBe(true);
    expect(parse({ track_total_hits: false }).trackTotalHits).toBe(false);
    expect(parse({ track_total_hits: 'true' }).trackTotalHits).toBe(true);
    expect(parse({ track_total_hits: 100 }).trackTotalHits).toBe(100);
    expect(parse({ track_total_hits: -1 }).trackTotalHits).toBe(false);
    expect(fail({ track_total_hits: -5 })).toEqual(illegal('[track_total_hits] parameter must be positive or equals to -1, got -5'));
  });

  it('reads timeouts in milliseconds', () => {
    expect(parse({ timeout: '10s' }).timeoutMs).toBe(10_000);
    expect(parse({ timeout: '500ms' }).timeoutMs).toBe(500);
    expect(parse({ timeout: '1m' }).timeoutMs).toBe(60_000);
    expect(parse({ timeout: '2h' }).timeoutMs).toBe(7_200_000);
    expect(parse({ timeout: '-1' }).timeoutMs).toBeUndefined();
    expect(fail({ timeout: '10' })).toEqual({
      status: 400,
      type: 'parse_exception',
      reason: 'failed to parse setting [timeout] with value [10] as a time value: unit is missing or unrecognized',
    });
    expect(fail({ timeout: '1.5s' })).toEqual({ status: 400, type: 'parse_exception', reason: 'failed to parse [1.5s], fractional time values are not supported' });
    expect(fail({ timeout: 'xs' })).toEqual({ status: 400, type: 'parse_exception', reason: 'failed to parse [xs]' });
  });
});

describe('sort', () => {
  it('takes every ES form', () => {
    expect(parse({ sort: 'price' }).sort).toEqual([{ field: 'price', order: 'asc' }]);
    expect(parse({ sort: '_score' }).sort).toEqual([{ field: '_score', order: 'desc' }]);
    expect(parse({ sort: { price: 'DESC' } }).sort).toEqual([{ field: 'price', order: 'desc' }]);
    expect(parse({ sort: ['_doc', { a: 'asc', b: 'desc' }, '_score'] }).sort).toEqual([
      { field: '_doc', order: 'asc' },
      { field: 'a', order: 'asc' },
      { field: 'b', order: 'desc' },
      { field: '_score', order: 'desc' },
    ]);
    expect(
      parse({ sort: [{ ts: { order: 'desc', missing: '_first', mode: 'max', unmapped_type: 'date', format: 'epoch_millis', numeric_type: 'date' } }] })
        .sort,
    ).toEqual([{ field: 'ts', order: 'desc', missing: '_first', mode: 'max', unmappedType: 'date', format: 'epoch_millis' }]);
    expect(parse({ sort: [{ n: { missing: 0 } }, { _score: { order: 'asc' } }] }).sort).toEqual([
      { field: 'n', order: 'asc', missing: 0 },
      { field: '_score', order: 'asc' },
    ]);
  });

  it('refuses bad orders, modes, options and formats', () => {
    expect(fail({ sort: { a: 'up' } })).toEqual(illegal('Unknown SortOrder [up]'));
    expect(fail({ sort: { a: { mode: 'mean' } } })).toEqual(illegal('Unknown SortMode [mean]'));
    expect(fail({ sort: { a: { ordre: 'asc' } } })).toEqual({
      status: 400,
      type: 'x_content_parse_exception',
      reason: '[field_sort] unknown field [ordre] did you mean [order]?',
    });
    expect(fail({ sort: [1] })).toEqual(illegal('malformed sort format, within the sort array, an object, or an actual string are allowed'));
    expect(fail({ sort: { _script: { type: 'number' } } })).toEqual(illegal('[sort] _script is not supported by Infino'));
    expect(fail({ sort: { a: { nested: { path: 'x' } } } }).reason).toMatch(/nested is not supported/);
  });
});

describe('search_after', () => {
  it('takes as many values as sort keys', () => {
    expect(parse({ sort: [{ ts: 'desc' }, 'id'], search_after: [1700000000000, 'abc'] }).searchAfter).toEqual([1700000000000, 'abc']);
  });

  it('refuses a count mismatch, no sort, a non-zero from and bad values', () => {
    expect(fail({ sort: ['a', 'b'], search_after: [1] })).toEqual(illegal('search_after has 1 value(s) but sort has 2.'));
    expect(fail({ search_after: [1] })).toEqual(illegal('Sort must contain at least one field.'));
    expect(fail({ sort: ['a'], search_after: [1], from: 5 })).toEqual(illegal('`from` parameter must be set to 0 when `search_after` is used.'));
    expect(fail({ sort: ['a'], search_after: [] })).toEqual(illegal('Values must contains at least one value.'));
    expect(fail({ sort: ['a'], search_after: [{ x: 1 }] })).toEqual(
      parsing('Expected [VALUE_STRING] or [VALUE_NUMBER] or [VALUE_BOOLEAN] or [VALUE_NULL] but found [START_OBJECT] inside search_after.'),
    );
    // null is the sort value of a doc without the field: paging past it sends it back.
    expect(parseSearchRequest({ sort: ['a'], search_after: [null] }).searchAfter).toEqual([null]);
  });
});

describe('_source and fields', () => {
  it('takes booleans, patterns, lists and includes/excludes objects', () => {
    expect(parse({ _source: false }).source).toBe(false);
    expect(parse({ _source: true }).source).toBe(true);
    expect(parse({ _source: 'user.*' }).source).toEqual({ includes: ['user.*'], excludes: [] });
    expect(parse({ _source: ['a', 'b'] }).source).toEqual({ includes: ['a', 'b'], excludes: [] });
    expect(parse({ _source: { includes: ['a*'], excludes: 'a.secret' } }).source).toEqual({ includes: ['a*'], excludes: ['a.secret'] });
    expect(parse({ _source: { include: 'a', exclude: ['b'] } }).source).toEqual({ includes: ['a'], excludes: ['b'] });
    expect(parse({ _source: { includes: [] } }).source).toBe(true);
  });

  it('refuses other _source shapes', () => {
    expect(fail({ _source: 1 })).toEqual(parsing('Expected one of [VALUE_BOOLEAN, START_OBJECT] but found [VALUE_NUMBER]'));
    expect(fail({ _source: { only: ['a'] } })).toEqual(parsing('Unknown key for a START_ARRAY in [only].'));
  });

  it('collects fields and docvalue_fields as paths', () => {
    expect(parse({ fields: ['a', { field: 'ts', format: 'epoch_millis' }], docvalue_fields: [{ field: 'n' }] }).fields).toEqual(['a', 'ts', 'n']);
    expect(fail({ fields: [{ format: 'x' }] })).toEqual(illegal('Required [field]'));
    expect(fail({ fields: [{ field: 'a', fromat: 'x' }] }).reason).toBe('[fetch_field_and_format] unknown field [fromat] did you mean [format]?');
    expect(fail({ fields: 'a' })).toEqual(parsing('Unknown key for a VALUE_STRING in [fields].'));
  });
});

describe('highlight', () => {
  it('reads global settings and fields as an object', () => {
    expect(
      parse({
        query: { match: { t: 'fox' } },
        highlight: {
          pre_tags: ['<b>'],
          post_tags: '</b>',
          fragment_size: 50,
          number_of_fragments: 2,
          require_field_match: false,
          type: 'unified',
          order: 'score',
          fields: { t: {}, 'body.*': { fragment_size: 100, highlight_query: { match: { body: 'dog' } }, type: 'plain' } },
        },
      }).highlight,
    ).toEqual({
      preTags: ['<b>'],
      postTags: ['</b>'],
      fragmentSize: 50,
      numberOfFragments: 2,
      requireFieldMatch: false,
      fields: [{ pattern: 't' }, { pattern: 'body.*', fragmentSize: 100, highlightQuery: { kind: 'match', field: 'body', query: 'dog' } }],
    });
  });

  it('keeps the order of fields given as an array, and applies tags_schema', () => {
    expect(parse({ highlight: { tags_schema: 'styled', fields: [{ b: {} }, { a: { number_of_fragments: 0 } }] } }).highlight).toEqual({
      preTags: ['<em class="hlt">'],
      postTags: ['</em>'],
      fields: [{ pattern: 'b' }, { pattern: 'a', numberOfFragments: 0 }],
    });
  });

  it('refuses bad fields, types and options', () => {
    expect(fail({ highlight: { fields: [{ a: {}, b: {} }] } }).type).toBe('x_content_parse_exception');
    expect(fail({ highlight: { fields: { a: {} }, type: 'fvh' } }).reason).toMatch(/fvh.*not supported/);
    expect(fail({ highlight: { fields: { a: { type: 'fancy' } } } })).toEqual(illegal('unknown highlighter type [fancy] for the field [a]'));
    expect(fail({ highlight: { fields: { a: {} }, pre_tag: ['<b>'] } })).toEqual({
      status: 400,
      type: 'x_content_parse_exception',
      reason: '[highlight] unknown field [pre_tag] did you mean any of [pre_tags, post_tags]?',
    });
    expect(fail({ highlight: { tags_schema: 'bold' } })).toEqual(illegal('Unknown tag schema [bold]'));
    expect(fail({ highlight: { fields: { a: { highlight_query: { nope: {} } } } } })).toEqual(parsing('unknown query [nope]'));
  });
});

describe('aggregations', () => {
  it('hands aggs and aggregations to the aggregations parser with the query parser', () => {
    expect(parse({ size: 0, aggs: { by_tag: { terms: { field: 'tag' } } } }).aggs).toEqual([{ name: 'by_tag', type: 'stub', body: {}, subs: [] }]);
    expect(parseAggregations).toHaveBeenCalledWith({ by_tag: { terms: { field: 'tag' } } }, parseQuery);
    expect(parse({ aggregations: { x: {} } }).aggs).toHaveLength(1);
    expect(fail({ aggs: [] })).toEqual(parsing('Unknown key for a START_ARRAY in [aggs].'));
  });
});

describe('URL parameters', () => {
  it('q builds a query_string query with df, default_operator, analyze_wildcard and lenient, replacing the body query', () => {
    expect(parse({ query: { match_none: {} } }, { q: 'type:PushEvent fox', df: 'body', default_operator: 'AND', analyze_wildcard: 'true', lenient: '' }).query).toEqual(
      parseQueryString({ query: 'type:PushEvent fox', defaultField: 'body', defaultOperator: 'and', analyzeWildcard: true, lenient: true }),
    );
    expect(fail({}, { q: 'x', analyzer: 'simple' }).reason).toMatch(/analyzer \[simple\].*not supported/);
  });

  it('size, from, timeout, terminate_after, track_scores and track_total_hits override the body', () => {
    expect(
      parse(
        { size: 1, from: 1, timeout: '1s', track_total_hits: false },
        { size: '3', from: '2', timeout: '250ms', terminate_after: '7', track_scores: '', track_total_hits: 'true' },
      ),
    ).toEqual({
      query: { kind: 'match_all' },
      from: 2,
      size: 3,
      timeoutMs: 250,
      terminateAfter: 7,
      trackScores: true,
      trackTotalHits: true,
      source: true,
    });
    expect(parse({}, { track_total_hits: '50' }).trackTotalHits).toBe(50);
  });

  it('refuses malformed numbers and booleans', () => {
    expect(fail({}, { size: 'ten' })).toEqual(illegal('Failed to parse int parameter [size] with value [ten]'));
    expect(fail({}, { from: '1.5' })).toEqual(illegal('Failed to parse int parameter [from] with value [1.5]'));
    expect(fail({}, { size: '-1' })).toEqual(illegal('[size] parameter cannot be negative, found [-1]'));
    expect(fail({}, { track_scores: 'yes' })).toEqual(illegal('Failed to parse value [yes] as only [true] or [false] are allowed.'));
    expect(fail({}, { track_total_hits: 'lots' })).toEqual(illegal('Failed to parse int parameter [track_total_hits] with value [lots]'));
    expect(fail({}, { size: '10001' }).reason).toMatch(/^Result window is too large/);
  });

  it('sort=a:asc,b adds keys after the body sort and skips unknown suffixes as ES does', () => {
    expect(parse({ sort: ['x'] }, { sort: 'a:desc,b,_score,c:up' }).sort).toEqual([
      { field: 'x', order: 'asc' },
      { field: 'a', order: 'desc' },
      { field: 'b', order: 'asc' },
      { field: '_score', order: 'desc' },
    ]);
    expect(parse({}, { sort: 'actor.id:desc', search_after: 'ignored' }).sort).toEqual([{ field: 'actor.id', order: 'desc' }]);
  });

  it('_source, _source_includes and _source_excludes replace the body _source', () => {
    expect(parse({ _source: ['a'] }, { _source: 'false' }).source).toBe(false);
    expect(parse({ _source: false }, { _source: 'true' }).source).toBe(true);
    expect(parse({}, { _source: 'a,b*' }).source).toEqual({ includes: ['a', 'b*'], excludes: [] });
    expect(parse({}, { _source: 'a', _source_includes: 'c', _source_excludes: 'c.x,d' }).source).toEqual({ includes: ['c'], excludes: ['c.x', 'd'] });
    expect(parse({}, { _source: 'false', _source_includes: 'c' }).source).toBe(false);
  });
});
