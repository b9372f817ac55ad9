import { describe, expect, it } from 'vitest';
import { ApiError } from '../src/errors.js';
import type { QueryNode } from '../src/query/ast.js';
import { parseQueryString, parseSimpleQueryString, type QueryStringOptions } from '../src/query/lucene/index.js';

/** query_string on one default field, so most expectations are plain `match` nodes. */
const qs = (query: string, opts: Partial<QueryStringOptions> = {}) => parseQueryString({ defaultField: 'f', ...opts, query });
const sqs = (query: string, opts: Partial<QueryStringOptions> & { flags?: string | number } = {}) =>
  parseSimpleQueryString({ fields: ['f'], ...opts, query });

const match = (query: string, field = 'f', extra: object = {}): QueryNode => ({ kind: 'match', field, query, ...extra });
const bool = (parts: { must?: QueryNode[]; filter?: QueryNode[]; should?: QueryNode[]; mustNot?: QueryNode[] }, extra: object = {}): QueryNode => ({
  kind: 'bool',
  must: parts.must ?? [],
  filter: parts.filter ?? [],
  should: parts.should ?? [],
  mustNot: parts.mustNot ?? [],
  ...extra,
});
const all = (query: string, extra: object = {}): QueryNode => ({ kind: 'multi_match', fields: ['*'], query, type: 'best_fields', lenient: true, ...extra });

function syntaxError(query: string, opts: Partial<QueryStringOptions> = {}): ApiError {
  try {
    qs(query, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return e as ApiError;
  }
  throw new Error(`expected [${query}] to fail`);
}

describe('query_string: terms, fields and phrases', () => {
  it('a bare term searches the default field', () => {
    expect(qs('foo')).toEqual(match('foo'));
  });

  it('without default_field or fields, words search all fields leniently', () => {
    expect(parseQueryString({ query: 'foo' })).toEqual(all('foo'));
    expect(parseQueryString({ query: 'foo', defaultField: '*' })).toEqual(all('foo'));
  });

  it('field:term, with explicit fields inheriting the all-fields leniency', () => {
    expect(parseQueryString({ query: 'type:PushEvent AND actor.login:jadonk' })).toEqual(
      bool({ must: [match('PushEvent', 'type', { lenient: true }), match('jadonk', 'actor.login', { lenient: true })] }),
    );
    expect(qs('title:foo')).toEqual(match('foo', 'title'));
  });

  it('plain words in a row are one text for the analyser (keyword fields see one term)', () => {
    expect(qs('new york city')).toEqual(match('new york city'));
    expect(qs('(new york city) OR (big apple)')).toEqual(bool({ should: [match('new york city'), match('big apple')] }));
  });

  it('words followed by an operator are separate clauses', () => {
    expect(qs('a b AND c')).toEqual(bool({ should: [match('a')], must: [match('b'), match('c')] }));
  });

  it('field:(a b) groups words under one field', () => {
    expect(qs('title:(quick brown)')).toEqual(match('quick brown', 'title'));
    expect(qs('title:(quick OR brown)')).toEqual(bool({ should: [match('quick', 'title'), match('brown', 'title')] }));
  });

  it('quoted phrases become match_phrase, ~N sets the slop', () => {
    expect(qs('"hello world"')).toEqual({ kind: 'match_phrase', field: 'f', query: 'hello world' });
    expect(qs('title:"hello world"~2')).toEqual({ kind: 'match_phrase', field: 'title', query: 'hello world', slop: 2 });
    expect(qs('"a b"', { phraseSlop: 3 })).toEqual({ kind: 'match_phrase', field: 'f', query: 'a b', slop: 3 });
  });

  it('a phrase on several fields is a multi_match of type phrase', () => {
    expect(parseQueryString({ query: '"a b"~1', fields: ['title', 'body^2'] })).toEqual({
      kind: 'multi_match', fields: ['title', 'body^2'], query: 'a b', type: 'phrase', slop: 1,
    });
  });

  it('field names may hold dots and patterns, escaped or not', () => {
    expect(qs('user.name:kimchy')).toEqual(match('kimchy', 'user.name'));
    const city = { kind: 'multi_match', fields: ['city.*'], query: 'this', type: 'best_fields' };
    expect(qs('city.\\*:this')).toEqual(city);
    expect(qs('city.*:this')).toEqual(city);
    expect(qs('*:foo')).toEqual({ ...city, fields: ['*'], query: 'foo' });
  });

  it('fields with boosts: one field is a boosted match, several a multi_match keeping the boosts', () => {
    expect(parseQueryString({ query: 'foo', fields: ['title^3'] })).toEqual(match('foo', 'title', { boost: 3 }));
    expect(parseQueryString({ query: 'foo', fields: ['title^3', '*_name'] })).toEqual({
      kind: 'multi_match', fields: ['title^3', '*_name'], query: 'foo', type: 'best_fields',
    });
  });

  it('a fields list holding `*` is lenient by default; an explicit lenient wins', () => {
    expect(parseQueryString({ query: 'foo', fields: ['*'] })).toEqual(all('foo'));
    expect(parseQueryString({ query: 'foo', lenient: false })).toEqual({ kind: 'multi_match', fields: ['*'], query: 'foo', type: 'best_fields' });
    expect(qs('foo', { lenient: true })).toEqual(match('foo', 'f', { lenient: true }));
  });

  it('default_operator AND is passed to the analysed text', () => {
    expect(qs('new york', { defaultOperator: 'and' })).toEqual(match('new york', 'f', { operator: 'and' }));
  });
});

describe('query_string: boolean logic', () => {
  it('AND / OR / NOT and their symbols', () => {
    const expected = bool({ must: [match('a'), match('b')], mustNot: [match('c')] });
    expect(qs('a AND b AND NOT c')).toEqual(expected);
    expect(qs('a && b && !c')).toEqual(expected);
    expect(qs('a || b')).toEqual(qs('a OR b'));
    expect(qs('a OR b')).toEqual(bool({ should: [match('a'), match('b')] }));
  });

  it('Lucene precedence with default_operator OR: `a AND b OR c` requires a and b', () => {
    expect(qs('a AND b OR c')).toEqual(bool({ must: [match('a'), match('b')], should: [match('c')] }));
    expect(qs('a OR b AND c')).toEqual(bool({ should: [match('a')], must: [match('b'), match('c')] }));
  });

  it('with default_operator AND, OR makes its left neighbour optional', () => {
    const and = { defaultOperator: 'and' } as const;
    const m = (q: string) => match(q, 'f', { operator: 'and' });
    expect(qs('a OR b', and)).toEqual(bool({ should: [m('a'), m('b')] }));
    expect(qs('a +b c', and)).toEqual(bool({ must: [m('a'), m('b'), m('c')] }));
    expect(qs('a b OR c', and)).toEqual(bool({ must: [m('a')], should: [m('b'), m('c')] }));
    expect(qs('a NOT b', and)).toEqual(bool({ must: [m('a')], mustNot: [m('b')] }));
  });

  it('+required, -prohibited and plain should clauses', () => {
    expect(qs('quick brown +fox -news')).toEqual(
      bool({ should: [match('quick brown')], must: [match('fox')], mustNot: [match('news')] }),
    );
  });

  it('`a OR NOT b` is `a AND NOT b`, as in Lucene', () => {
    expect(qs('a OR NOT b')).toEqual(bool({ should: [match('a')], mustNot: [match('b')] }));
  });

  it('AND does not turn a prohibited clause into a required one', () => {
    expect(qs('-a AND b')).toEqual(bool({ must: [match('b')], mustNot: [match('a')] }));
  });

  it('a purely negative query matches every other document (match_all filter)', () => {
    const allBut = (n: QueryNode) => bool({ filter: [{ kind: 'match_all' }], mustNot: [n] });
    expect(qs('NOT foo')).toEqual(allBut(match('foo')));
    expect(qs('-foo')).toEqual(allBut(match('foo')));
    // Nested groups too, as Elasticsearch fixes every boolean query it builds.
    expect(qs('a AND (-b)')).toEqual(bool({ must: [match('a'), allBut(match('b'))] }));
  });

  it('parentheses nest', () => {
    expect(qs('(a OR b) AND c')).toEqual(bool({ must: [bool({ should: [match('a'), match('b')] }), match('c')] }));
  });

  it('a lone +, - or ! followed by a space is dropped, as the analyser drops it in Lucene', () => {
    expect(qs('a - b')).toEqual(bool({ should: [match('a'), match('b')] }));
  });

  it('minimum_should_match applies to the top-level should clauses', () => {
    expect(qs('a OR b OR c', { minimumShouldMatch: 2 })).toEqual(bool({ should: [match('a'), match('b'), match('c')] }, { minimumShouldMatch: 2 }));
    expect(qs('this that thus', { minimumShouldMatch: '2' })).toEqual(match('this that thus', 'f', { minimumShouldMatch: '2' }));
    // ES: over several fields the words form a dis_max, to which it cannot be applied.
    expect(parseQueryString({ query: 'this that', fields: ['a', 'b'], minimumShouldMatch: 2 })).toEqual({
      kind: 'multi_match', fields: ['a', 'b'], query: 'this that', type: 'best_fields',
    });
    expect(qs('+a', { minimumShouldMatch: 1 })).toEqual(bool({ must: [match('a')] }));
  });
});

describe('query_string: boosts, fuzziness, wildcards, regex', () => {
  it('^boost on terms, phrases, groups and ranges', () => {
    expect(qs('foo^2')).toEqual(match('foo', 'f', { boost: 2 }));
    expect(qs('"a b"^1.5')).toEqual({ kind: 'match_phrase', field: 'f', query: 'a b', boost: 1.5 });
    expect(qs('(a OR b)^3')).toEqual(bool({ should: [match('a'), match('b')] }, { boost: 3 }));
    expect(qs('n:[1 TO 2]^4')).toEqual({ kind: 'range', field: 'n', gte: '1', lte: '2', boost: 4 });
  });

  it('query boost multiplies field and term boosts', () => {
    expect(parseQueryString({ query: 'foo^2', fields: ['title^3'], boost: 2 })).toEqual(match('foo', 'title', { boost: 12 }));
  });

  it('term~ is fuzzy with the default fuzziness, term~N with N edits (capped at 2)', () => {
    expect(qs('quikc~')).toEqual({ kind: 'fuzzy', field: 'f', value: 'quikc', fuzziness: 'AUTO' });
    expect(qs('quikc~', { fuzziness: 1 })).toEqual({ kind: 'fuzzy', field: 'f', value: 'quikc', fuzziness: 1 });
    expect(qs('quikc~1')).toEqual({ kind: 'fuzzy', field: 'f', value: 'quikc', fuzziness: 1 });
    expect(qs('quikc~5')).toEqual({ kind: 'fuzzy', field: 'f', value: 'quikc', fuzziness: 2 });
    expect(qs('quikc~1^2')).toEqual({ kind: 'fuzzy', field: 'f', value: 'quikc', fuzziness: 1, boost: 2 });
  });

  it('`*` and `?` make wildcard queries; a trailing `*` a prefix query', () => {
    expect(qs('qu?ck bro*')).toEqual(
      bool({ should: [{ kind: 'wildcard', field: 'f', value: 'qu?ck' }, { kind: 'prefix', field: 'f', value: 'bro' }] }),
    );
    expect(qs('fo*b?r')).toEqual({ kind: 'wildcard', field: 'f', value: 'fo*b?r' });
    expect(qs('*ing')).toEqual({ kind: 'wildcard', field: 'f', value: '*ing' });
  });

  it('upper-case patterns match case-insensitively (ES normalises them on text fields)', () => {
    expect(qs('Jou*al')).toEqual({ kind: 'wildcard', field: 'f', value: 'Jou*al', caseInsensitive: true });
    expect(qs('Jour*')).toEqual({ kind: 'prefix', field: 'f', value: 'Jour', caseInsensitive: true });
  });

  it('field:* is exists; * alone is match_all on all fields and exists on a default field', () => {
    expect(qs('title:*')).toEqual({ kind: 'exists', field: 'title' });
    expect(qs('*')).toEqual({ kind: 'exists', field: 'f' });
    expect(parseQueryString({ query: '*' })).toEqual({ kind: 'match_all' });
    expect(parseQueryString({ query: '*:*' })).toEqual({ kind: 'match_all' });
    expect(parseQueryString({ query: '*', fields: ['a', 'b'] })).toEqual({
      kind: 'dis_max', queries: [{ kind: 'exists', field: 'a' }, { kind: 'exists', field: 'b' }],
    });
  });

  it('allow_leading_wildcard: false rejects *foo but not foo*', () => {
    const e = syntaxError('*ing', { allowLeadingWildcard: false });
    expect(e.reason).toContain("'*' or '?' not allowed as first character in WildcardQuery");
    expect(qs('ing*', { allowLeadingWildcard: false })).toEqual({ kind: 'prefix', field: 'f', value: 'ing' });
  });

  it('term-level queries over several fields are a dis_max with per-field boosts', () => {
    expect(parseQueryString({ query: 'foo*', fields: ['title^2', 'body'] })).toEqual({
      kind: 'dis_max',
      queries: [{ kind: 'prefix', field: 'title', value: 'foo', boost: 2 }, { kind: 'prefix', field: 'body', value: 'foo' }],
    });
    // Patterns are left for the compiler to expand.
    expect(parseQueryString({ query: 'jour*' })).toEqual({ kind: 'prefix', field: '*', value: 'jour' });
  });

  it('/regex/ is a regexp query, with \\/ kept for the regex engine', () => {
    expect(qs('type:/pushevent/')).toEqual({ kind: 'regexp', field: 'type', value: 'pushevent' });
    expect(qs('path:/a\\/b.*/')).toEqual({ kind: 'regexp', field: 'path', value: 'a\\/b.*' });
  });
});

describe('query_string: ranges and _exists_', () => {
  it('inclusive, exclusive and mixed brackets', () => {
    expect(qs('age:[10 TO 20]')).toEqual({ kind: 'range', field: 'age', gte: '10', lte: '20' });
    expect(qs('tag:{alpha TO omega}')).toEqual({ kind: 'range', field: 'tag', gt: 'alpha', lt: 'omega' });
    expect(qs('age:[10 TO 20}')).toEqual({ kind: 'range', field: 'age', gte: '10', lt: '20' });
    expect(qs('age:{10 TO 20]')).toEqual({ kind: 'range', field: 'age', gt: '10', lte: '20' });
  });

  it('`*` opens an end; both open is exists', () => {
    expect(qs('age:[10 TO *]')).toEqual({ kind: 'range', field: 'age', gte: '10' });
    expect(qs('date:{* TO 2012-01-01}')).toEqual({ kind: 'range', field: 'date', lt: '2012-01-01' });
    expect(qs('age:[* TO *]')).toEqual({ kind: 'exists', field: 'age' });
  });

  it('dates and date math pass through as strings, quoted bounds lose their quotes', () => {
    expect(qs('@timestamp:[now-1d/d TO now]')).toEqual({ kind: 'range', field: '@timestamp', gte: 'now-1d/d', lte: 'now' });
    expect(qs('d:["2020-01-01 10:00" TO "2020-01-02"]')).toEqual({ kind: 'range', field: 'd', gte: '2020-01-01 10:00', lte: '2020-01-02' });
  });

  it('>, >=, <, <= on a field, in a group, and on the default field', () => {
    expect(qs('age:>10')).toEqual({ kind: 'range', field: 'age', gt: '10' });
    expect(qs('age:>=10')).toEqual({ kind: 'range', field: 'age', gte: '10' });
    expect(qs('age:<10')).toEqual({ kind: 'range', field: 'age', lt: '10' });
    expect(qs('age:<=10')).toEqual({ kind: 'range', field: 'age', lte: '10' });
    expect(qs('age:(>=10 AND <20)')).toEqual(bool({ must: [{ kind: 'range', field: 'age', gte: '10' }, { kind: 'range', field: 'age', lt: '20' }] }));
    expect(qs('>=10791466', { defaultField: 'actor.id' })).toEqual({ kind: 'range', field: 'actor.id', gte: '10791466' });
  });

  it('with a fields list (no default field) `>5` is plain text, as in Elasticsearch', () => {
    expect(parseQueryString({ query: '>5', fields: ['n'] })).toEqual(match('>5', 'n'));
  });

  it('_exists_:field', () => {
    expect(qs('_exists_:title')).toEqual({ kind: 'exists', field: 'title' });
    expect(qs('NOT _exists_:title')).toEqual(bool({ filter: [{ kind: 'match_all' }], mustNot: [{ kind: 'exists', field: 'title' }] }));
  });
});

describe('query_string: escaping', () => {
  it('escaped reserved characters are literal text', () => {
    expect(qs('\\(1\\+1\\)\\=2')).toEqual(match('(1+1)=2'));
    expect(qs('foo\\:bar')).toEqual(match('foo:bar'));
    expect(qs('a\\ b')).toEqual(match('a b'));
    expect(qs('\\"quoted\\"')).toEqual(match('"quoted"'));
    expect(qs('\\/path\\/x')).toEqual(match('/path/x'));
    expect(qs('jour\\?')).toEqual(match('jour?'));
  });

  it('an escaped * is not a wildcard; escapes stay in wildcard patterns', () => {
    expect(qs('foo\\*')).toEqual(match('foo*'));
    expect(qs('f\\*o*x')).toEqual({ kind: 'wildcard', field: 'f', value: 'f\\*o*x' });
  });

  it('\\uXXXX escapes are decoded', () => {
    expect(qs('caf\\u00e9')).toEqual(match('café'));
  });

  it('a hyphen inside a word is part of it; quotes keep operators literal', () => {
    expect(qs('wi-fi')).toEqual(match('wi-fi'));
    expect(qs('"a AND b"')).toEqual({ kind: 'match_phrase', field: 'f', query: 'a AND b' });
  });
});

describe('query_string: errors and edge cases', () => {
  it('a dangling operator is a query_shard_exception with Lucene\'s detail', () => {
    const e = syntaxError('foo AND');
    expect(e.status).toBe(400);
    expect(e.type).toBe('query_shard_exception');
    expect(e.reason).toBe('Failed to parse query [foo AND]: Cannot parse \'foo AND\': Encountered "<EOF>" at line 1, column 7.');
  });

  it.each([
    ['type:PushEvent OR'],
    ['(foo'],
    ['foo)'],
    ['a:'],
    ['foo^'],
    ['foo^x'],
    ['"unterminated'],
    ['[1 TO'],
    ['a:[1 2]'],
    ['foo\\'],
    ['NOT'],
    ['()'],
    ['a:-5'],
  ])('%s is a syntax error', (query) => {
    const e = syntaxError(query);
    expect(e.type).toBe('query_shard_exception');
    expect(e.reason.startsWith(`Failed to parse query [${query}]`)).toBe(true);
  });

  it('names the unexpected token and where it is', () => {
    expect(syntaxError('foo)').reason).toContain('Encountered " ")" ") "" at line 1, column 3.');
  });

  it('a blank query matches nothing', () => {
    expect(qs('')).toEqual({ kind: 'match_none' });
    expect(qs('   ')).toEqual({ kind: 'match_none' });
  });

  it('default_field together with fields is rejected', () => {
    expect(() => parseQueryString({ query: 'a', defaultField: 'x', fields: ['y'] })).toThrow(/cannot use \[fields\] parameter in conjunction with \[default_field\]/);
  });
});

describe('simple_query_string', () => {
  it('whitespace separates words, combined with the default operator', () => {
    expect(sqs('foo bar')).toEqual(bool({ should: [match('foo'), match('bar')] }));
    expect(sqs('foo bar', { defaultOperator: 'and' })).toEqual(bool({ must: [match('foo', 'f', { operator: 'and' }), match('bar', 'f', { operator: 'and' })] }));
  });

  it('`-` negates: `foo -bar` with OR matches foo OR not bar', () => {
    const notBar = bool({ should: [{ kind: 'match_all' }], mustNot: [match('bar')] });
    expect(sqs('foo -bar')).toEqual(bool({ should: [match('foo'), notBar] }));
    expect(sqs('--bar')).toEqual(match('bar'));
  });

  it('`+` and `|` bind left to right: an operator change wraps what came before', () => {
    expect(sqs('a + b | c')).toEqual(bool({ should: [bool({ must: [match('a'), match('b')] }), match('c')] }));
    expect(sqs('a | b + c')).toEqual(bool({ must: [bool({ should: [match('a'), match('b')] }), match('c')] }));
  });

  it('parentheses, phrases with slop, prefix and fuzzy', () => {
    expect(sqs('(a | b) + c')).toEqual(bool({ must: [bool({ should: [match('a'), match('b')] }), match('c')] }));
    expect(sqs('"a b"~2')).toEqual({ kind: 'match_phrase', field: 'f', query: 'a b', slop: 2 });
    expect(sqs('foo*')).toEqual({ kind: 'prefix', field: 'f', value: 'foo' });
    expect(sqs('quikc~')).toEqual({ kind: 'fuzzy', field: 'f', value: 'quikc', fuzziness: 2 });
    expect(sqs('quikc~1')).toEqual({ kind: 'fuzzy', field: 'f', value: 'quikc', fuzziness: 1 });
    expect(sqs('quikc~0')).toEqual(match('quikc'));
  });

  it('invalid syntax degrades instead of failing', () => {
    expect(sqs('"unclosed')).toEqual(match('unclosed'));
    expect(sqs('a (b')).toEqual(bool({ should: [match('a'), match('b')] }));
    expect(sqs('a)')).toEqual(match('a'));
    expect(sqs('+ | foo')).toEqual(match('foo'));
    expect(sqs('foo AND')).toEqual(bool({ should: [match('foo'), match('AND')] }));
    expect(sqs('-')).toEqual({ kind: 'match_none' });
    expect(sqs('')).toEqual({ kind: 'match_none' });
  });

  it('escapes make operators literal', () => {
    expect(sqs('foo\\*')).toEqual(match('foo*'));
    expect(sqs('\\-foo')).toEqual(match('-foo'));
  });

  it('flags switch operators off', () => {
    expect(sqs('foo* -bar', { flags: 'OR|AND|WHITESPACE' })).toEqual(bool({ should: [match('foo*'), match('-bar')] }));
    // Without WHITESPACE the whole text is one term.
    expect(sqs('foo* -bar', { flags: 'OR|AND' })).toEqual(match('foo* -bar'));
    expect(sqs('a b', { flags: 2 | 128 })).toEqual(bool({ should: [match('a'), match('b')] }));
    expect(sqs('a b', { flags: 'NONE' })).toEqual(match('a b'));
    expect(sqs('a b', { flags: 'none' })).toEqual(match('a b'));
    expect(sqs('"a b"~2', { flags: 'PHRASE|WHITESPACE' })).toEqual(bool({ should: [{ kind: 'match_phrase', field: 'f', query: 'a b' }, match('~2')] }));
    expect(() => sqs('a', { flags: 'BOGUS' })).toThrow(/Unknown simple_query_string flag \[BOGUS\]/);
  });

  it('several fields: most_fields for words, dis_max (tie 1) for prefix', () => {
    expect(sqs('foo', { fields: ['title^2', 'body'] })).toEqual({ kind: 'multi_match', fields: ['title^2', 'body'], query: 'foo', type: 'most_fields' });
    expect(sqs('foo*', { fields: ['title^2', 'body'] })).toEqual({
      kind: 'dis_max', tieBreaker: 1, queries: [{ kind: 'prefix', field: 'title', value: 'foo', boost: 2 }, { kind: 'prefix', field: 'body', value: 'foo' }],
    });
    expect(parseSimpleQueryString({ query: 'foo' })).toEqual({ kind: 'multi_match', fields: ['*'], query: 'foo', type: 'most_fields', lenient: true });
  });

  it('minimum_should_match and boost apply at the top', () => {
    expect(sqs('a b c', { minimumShouldMatch: '2', boost: 2 })).toEqual(bool({ should: [match('a'), match('b'), match('c')] }, { minimumShouldMatch: '2', boost: 2 }));
  });
});
