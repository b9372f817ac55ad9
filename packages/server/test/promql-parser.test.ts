/**
 * PromQL parser (issue #5): text → AST for everything Prometheus 3.x parses (native-histogram
 * literals aside), Prometheus's precedence
 * rules, its static checks and its error wording with positions. The last block parses every
 * `eval` expression of Prometheus's own promqltest files (read in place from
 * `../shared/reference/promqltest` or `$INFINO_SHARED_DIR`; skipped when absent).
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Expr, LabelMatcher, VectorSelector } from '../src/promql/ast.js';
import { PromqlError } from '../src/promql/errors.js';
import { parseDurationMs, parseNumber, unquoteString } from '../src/promql/parse-literals.js';
import { compileGoRegex } from '../src/promql/parse-regex.js';
import { type QueryContext, parsePromql } from '../src/promql/parser.js';
import { FUNCTIONS } from '../src/promql/signatures.js';

// ---- compact AST builders ----------------------------------------------------------------------

const eq = (name: string, value: string): LabelMatcher => ({ name, type: '=', value });
function vs(name: string | undefined, matchers: LabelMatcher[] = [], extra: Partial<VectorSelector> = {}): VectorSelector {
  const all = name === undefined ? matchers : [...matchers, eq('__name__', name)];
  return { type: 'vector_selector', ...(name === undefined ? {} : { name }), matchers: all, offsetMs: 0, ...extra };
}
const num = (value: number): Expr => ({ type: 'number', value });
const str = (value: string): Expr => ({ type: 'string', value });
const paren = (expr: Expr): Expr => ({ type: 'paren', expr });
const neg = (expr: Expr): Expr => ({ type: 'unary', op: '-', expr });
const VV = { card: 'one-to-one', on: false, labels: [], include: [] } as const;
const SET = { ...VV, card: 'many-to-many' } as const;
/** Binary expression; `matching` defaults to Prometheus's default when both sides are vectors. */
function bin(op: string, lhs: Expr, rhs: Expr, more: Record<string, unknown> = {}): Expr {
  return { type: 'binary', op, lhs, rhs, returnBool: false, ...more } as Expr;
}
const call = (func: string, ...args: Expr[]): Expr => ({ type: 'call', func, args });
const m5 = 5 * 60_000;

function parseFails(q: string): string {
  try {
    parsePromql(q);
  } catch (err) {
    expect(err).toBeInstanceOf(PromqlError);
    expect((err as PromqlError).errorType).toBe('bad_data');
    return (err as PromqlError).message;
  }
  throw new Error(`expected ${q} to fail`);
}

describe('parsePromql: selectors', () => {
  const cases: [string, Expr][] = [
    ['foo', vs('foo')],
    ['foo:bar_baz', vs('foo:bar_baz')],
    [
      'foo{a="b", c!="d", e=~"f.*", g!~"h|i"}',
      vs('foo', [eq('a', 'b'), { name: 'c', type: '!=', value: 'd' }, { name: 'e', type: '=~', value: 'f.*' }, { name: 'g', type: '!~', value: 'h|i' }]),
    ],
    ['foo{a="b",}', vs('foo', [eq('a', 'b')])],
    ['{__name__="foo"}', vs(undefined, [eq('__name__', 'foo')])],
    ['{"foo.bar"}', vs(undefined, [eq('__name__', 'foo.bar')])],
    ['{"foo.bar", "label.x"="v"}', vs(undefined, [eq('__name__', 'foo.bar'), eq('label.x', 'v')])],
    ['{job=~".+"}', vs(undefined, [{ name: 'job', type: '=~', value: '.+' }])],
    ['foo[5m]', { type: 'matrix_selector', vector: vs('foo'), rangeMs: m5 }],
    ['foo[1h30m]', { type: 'matrix_selector', vector: vs('foo'), rangeMs: 90 * 60_000 }],
    ['foo[90]', { type: 'matrix_selector', vector: vs('foo'), rangeMs: 90_000 }],
    ['foo[1.5]', { type: 'matrix_selector', vector: vs('foo'), rangeMs: 1500 }],
    ['foo[100ms]', { type: 'matrix_selector', vector: vs('foo'), rangeMs: 100 }],
    ['foo[1y]', { type: 'matrix_selector', vector: vs('foo'), rangeMs: 365 * 86_400_000 }],
    ['foo[1h+5m]', { type: 'matrix_selector', vector: vs('foo'), rangeMs: 65 * 60_000 }],
    ['foo[max_of(1m, 2m)]', { type: 'matrix_selector', vector: vs('foo'), rangeMs: 120_000 }],
  ];
  it.each(cases)('%s', (q, want) => expect(parsePromql(q)).toEqual(want));
});

describe('parsePromql: modifiers', () => {
  const cases: [string, Expr][] = [
    ['foo offset 5m', vs('foo', [], { offsetMs: m5 })],
    ['foo offset -5m', vs('foo', [], { offsetMs: -m5 })],
    ['foo OFFSET 1w', vs('foo', [], { offsetMs: 7 * 86_400_000 })],
    ['foo offset 30', vs('foo', [], { offsetMs: 30_000 })],
    ['foo @ 100', vs('foo', [], { at: { kind: 'time', ms: 100_000 } })],
    ['foo @ -1.5', vs('foo', [], { at: { kind: 'time', ms: -1500 } })],
    ['foo @ start()', vs('foo', [], { at: { kind: 'start' } })],
    ['foo @ end()', vs('foo', [], { at: { kind: 'end' } })],
    ['foo @ 10 offset 5m', vs('foo', [], { offsetMs: m5, at: { kind: 'time', ms: 10_000 } })],
    ['foo offset 5m @ 10', vs('foo', [], { offsetMs: m5, at: { kind: 'time', ms: 10_000 } })],
    ['foo[5m] offset 1m @ end()', { type: 'matrix_selector', vector: vs('foo', [], { offsetMs: 60_000, at: { kind: 'end' } }), rangeMs: m5 }],
    ['foo[5m:1m]', { type: 'subquery', expr: vs('foo'), rangeMs: m5, stepMs: 60_000, offsetMs: 0 }],
    ['foo[5m:]', { type: 'subquery', expr: vs('foo'), rangeMs: m5, offsetMs: 0 }],
    [
      'rate(foo[1m])[5m:] offset 1m @ start()',
      { type: 'subquery', expr: call('rate', { type: 'matrix_selector', vector: vs('foo'), rangeMs: 60_000 }), rangeMs: m5, offsetMs: 60_000, at: { kind: 'start' } },
    ],
    // Postfix modifiers bind tighter than any binary operator (lezer alone would not do this).
    ['a + b offset 5m', bin('+', vs('a'), vs('b', [], { offsetMs: m5 }), { matching: VV })],
    ['a * b @ 5', bin('*', vs('a'), vs('b', [], { at: { kind: 'time', ms: 5000 } }), { matching: VV })],
    ['-foo offset 5m', neg(vs('foo', [], { offsetMs: m5 }))],
    // Experimental extended range selectors: they land on the (range) vector selector.
    ['foo[5m] anchored', { type: 'matrix_selector', vector: vs('foo', [], { extension: 'anchored' }), rangeMs: m5 }],
    ['foo smoothed', vs('foo', [], { extension: 'smoothed' })],
    [
      'rate(foo[5m] offset 1m @ 10 smoothed)',
      call('rate', { type: 'matrix_selector', vector: vs('foo', [], { offsetMs: 60_000, at: { kind: 'time', ms: 10_000 }, extension: 'smoothed' }), rangeMs: m5 }),
    ],
    ['foo[5m] anchored offset 1m', { type: 'matrix_selector', vector: vs('foo', [], { offsetMs: 60_000, extension: 'anchored' }), rangeMs: m5 }],
    ['a + b smoothed', bin('+', vs('a'), vs('b', [], { extension: 'smoothed' }), { matching: VV })],
    // Only modifiers: the words stay names elsewhere.
    ['anchored{smoothed="1"}', vs('anchored', [eq('smoothed', '1')])],
  ];
  it.each(cases)('%s', (q, want) => expect(parsePromql(q)).toEqual(want));
});

describe('parsePromql: literals', () => {
  const numbers: [string, number][] = [
    ['1', 1],
    ['1.5e3', 1500],
    ['.5', 0.5],
    ['2.', 2],
    ['0x1F', 31],
    ['0X1f', 31],
    ['010', 8],
    ['1_000', 1000],
    ['-7', -7],
    ['+7', 7],
    ['Inf', Infinity],
    ['-inf', -Infinity],
    ['1h', 3600],
    ['5m', 300],
    ['1ms', 0.001],
  ];
  it.each(numbers)('number %s', (q, v) => expect(parsePromql(q)).toEqual(num(v)));
  it('NaN', () => {
    const e = parsePromql('NaN');
    expect(e.type === 'number' && Number.isNaN(e.value)).toBe(true);
  });
  const strings: [string, string][] = [
    ['"a\\nb"', 'a\nb'],
    ["'it''s'".replace("''", "\\'"), "it's"],
    ['`raw \\n`', 'raw \\n'],
    ['"\\x41\\u00e9\\U0001F600\\101\\t"', 'Aé😀A\t'],
    ['"\\xc3\\xa9"', 'é'],
    ['"é"', 'é'],
  ];
  it.each(strings)('string %s', (q, v) => expect(parsePromql(q)).toEqual(str(v)));
  it('durations follow model.ParseDuration', () => {
    expect(parseDurationMs('1h30m')).toBe(5_400_000);
    expect(parseDurationMs('1d')).toBe(86_400_000);
    expect(parseDurationMs('1w2d')).toBe(9 * 86_400_000);
    expect(parseDurationMs('0')).toBe(0);
    expect(() => parseDurationMs('5m1h')).toThrow('not a valid duration string: "5m1h"');
    expect(() => parseDurationMs('1m1m')).toThrow('not a valid duration string');
    expect(parseNumber('1e-3')).toBe(0.001);
    expect(() => unquoteString('"\\q"')).toThrow('unknown escape sequence');
  });
});

describe('parsePromql: operators and precedence', () => {
  const a = vs('a');
  const b = vs('b');
  const c = vs('c');
  const cases: [string, Expr][] = [
    ['1 + 2 * 3', bin('+', num(1), bin('*', num(2), num(3)))],
    ['1 * 2 + 3', bin('+', bin('*', num(1), num(2)), num(3))],
    ['1 - 2 - 3', bin('-', bin('-', num(1), num(2)), num(3))],
    ['2 ^ 3 ^ 2', bin('^', num(2), bin('^', num(3), num(2)))],
    ['-2 ^ 2', neg(bin('^', num(2), num(2)))],
    ['-a ^ 2', neg(bin('^', a, num(2)))],
    ['2 ^ -1', bin('^', num(2), num(-1))],
    ['a * -2 ^ 2', bin('*', a, neg(bin('^', num(2), num(2))))],
    ['-(1)', neg(paren(num(1)))],
    ['- - 1', num(1)],
    ['a atan2 b', bin('atan2', a, b, { matching: VV })],
    ['a % b', bin('%', a, b, { matching: VV })],
    ['a or b and c', bin('or', a, bin('and', b, c, { matching: SET }), { matching: SET })],
    ['a unless b or c', bin('or', bin('unless', a, b, { matching: SET }), c, { matching: SET })],
    ['a == b + c', bin('==', a, bin('+', b, c, { matching: VV }), { matching: VV })],
    ['a > bool 1', bin('>', a, num(1), { returnBool: true })],
    ['1 < bool 2', bin('<', num(1), num(2), { returnBool: true })],
    ['a != bool b', bin('!=', a, b, { returnBool: true, matching: VV })],
    ['a + on(x, y) b', bin('+', a, b, { matching: { ...VV, on: true, labels: ['x', 'y'] } })],
    ['a + ignoring(x) b', bin('+', a, b, { matching: { ...VV, labels: ['x'] } })],
    ['a * on(x) group_left(z) b', bin('*', a, b, { matching: { card: 'many-to-one', on: true, labels: ['x'], include: ['z'] } })],
    ['a * ignoring(x) group_right b', bin('*', a, b, { matching: { card: 'one-to-many', on: false, labels: ['x'], include: [] } })],
    ['a and on(x) b', bin('and', a, b, { matching: { ...SET, on: true, labels: ['x'] } })],
    ['a >= on() b', bin('>=', a, b, { matching: { ...VV, on: true } })],
    // A scalar side drops vector matching, as in Prometheus.
    ['a + on() 1', bin('+', a, num(1))],
    // Binop fill modifiers: fill(v) sets both sides; values are number or duration literals.
    ['a + fill(0) b', bin('+', a, b, { matching: { ...VV, fillLeft: 0, fillRight: 0 } })],
    ['a - fill_left(-1.5) b', bin('-', a, b, { matching: { ...VV, fillLeft: -1.5 } })],
    ['a - fill_right(1m) b', bin('-', a, b, { matching: { ...VV, fillRight: 60 } })],
    ['a / fill_right(NaN) fill_left(- Inf) b', bin('/', a, b, { matching: { ...VV, fillLeft: -Infinity, fillRight: NaN } })],
    [
      'a > bool on(x) group_left(y) fill_left(1) fill_right(0x10) b',
      bin('>', a, b, { returnBool: true, matching: { card: 'many-to-one', on: true, labels: ['x'], include: ['y'], fillLeft: 1, fillRight: 16 } }),
    ],
    // `fill` and friends are metric names unless followed by `(`.
    ['fill + FILL(2) fill_left', bin('+', vs('fill'), vs('fill_left'), { matching: { ...VV, fillLeft: 2, fillRight: 2 } })],
  ];
  it.each(cases)('%s', (q, want) => expect(parsePromql(q)).toEqual(want));
});

describe('parsePromql: aggregations and calls', () => {
  const x = vs('x');
  const agg = (op: string, expr: Expr, grouping: string[] = [], without = false, param?: Expr): Expr =>
    ({ type: 'aggregate', op, expr, grouping, without, ...(param ? { param } : {}) }) as Expr;
  const cases: [string, Expr][] = [
    ['sum(x)', agg('sum', x)],
    ['SUM(x)', agg('sum', x)],
    ['sum by (a, b) (x)', agg('sum', x, ['a', 'b'])],
    ['sum(x) by (a)', agg('sum', x, ['a'])],
    ['avg without (a) (x)', agg('avg', x, ['a'], true)],
    ['max(x) without ()', agg('max', x, [], true)],
    ['count by ("a.b") (x)', agg('count', x, ['a.b'])],
    ['sum by (on, group) (x)', agg('sum', x, ['on', 'group'])],
    ['topk(3, x)', agg('topk', x, [], false, num(3))],
    ['bottomk by (a) (2, x)', agg('bottomk', x, ['a'], false, num(2))],
    ['quantile(0.9, x)', agg('quantile', x, [], false, num(0.9))],
    ['count_values("v", x)', agg('count_values', x, [], false, str('v'))],
    ['limitk(2, x)', agg('limitk', x, [], false, num(2))],
    ['limit_ratio(0.5, x)', agg('limit_ratio', x, [], false, num(0.5))],
    ['group(x)', agg('group', x)],
    ['stddev(x) + stdvar(x)', bin('+', agg('stddev', x), agg('stdvar', x), { matching: VV })],
    ['time()', call('time')],
    ['rate(x[5m])', call('rate', { type: 'matrix_selector', vector: x, rangeMs: m5 })],
    ['round(x)', call('round', x)],
    ['round(x, 5)', call('round', x, num(5))],
    ['label_replace(x, "d", "$1", "s", "(.*)")', call('label_replace', x, str('d'), str('$1'), str('s'), str('(.*)'))],
    ['label_join(x, "d", ",", "a", "b", "c")', call('label_join', x, str('d'), str(','), str('a'), str('b'), str('c'))],
    ['sort_by_label(x, "a", "b")', call('sort_by_label', x, str('a'), str('b'))],
    ['histogram_quantile(0.9, rate(x[5m]))', call('histogram_quantile', num(0.9), call('rate', { type: 'matrix_selector', vector: x, rangeMs: m5 }))],
    ['double_exponential_smoothing(x[5m], 0.5, 0.5)', call('double_exponential_smoothing', { type: 'matrix_selector', vector: x, rangeMs: m5 }, num(0.5), num(0.5))],
    ['mad_over_time(x[5m])', call('mad_over_time', { type: 'matrix_selector', vector: x, rangeMs: m5 })],
    ['ts_of_max_over_time(x[5m])', call('ts_of_max_over_time', { type: 'matrix_selector', vector: x, rangeMs: m5 })],
    ['info(x, {k="v"})', call('info', x, vs(undefined, [eq('k', 'v')]))],
    ['info(x, {k=~".*"})', call('info', x, vs(undefined, [{ name: 'k', type: '=~', value: '.*' }]))],
    ['sum_over_time(x[5m:])', call('sum_over_time', { type: 'subquery', expr: x, rangeMs: m5, offsetMs: 0 })],
    ['x # a comment', x],
  ];
  it.each(cases)('%s', (q, want) => expect(parsePromql(q)).toEqual(want));

  it('the function table follows Prometheus 3.x (holt_winters is gone, experimental ones marked)', () => {
    expect(FUNCTIONS.has('holt_winters')).toBe(false);
    expect(FUNCTIONS.get('double_exponential_smoothing')?.experimental).toBe(true);
    expect(FUNCTIONS.get('sort_by_label')?.variadic).toBe(-1);
    expect(FUNCTIONS.get('rate')).toEqual({ name: 'rate', args: ['matrix'], variadic: 0, returns: 'vector' });
  });
});

describe('parsePromql: query-context functions', () => {
  const ctx: QueryContext = { startMs: 1000_000, endMs: 1600_000, stepMs: 15_000 };
  it('folds start(), end(), range(), step() into numbers', () => {
    expect(parsePromql('start()', ctx)).toEqual(num(1000));
    expect(parsePromql('end()', ctx)).toEqual(num(1600));
    expect(parsePromql('range()', ctx)).toEqual(num(600));
    expect(parsePromql('vector(step())', ctx)).toEqual(call('vector', num(15)));
  });
  it('folds step()/range() in duration expressions', () => {
    expect(parsePromql('foo[step() * 2]', ctx)).toEqual({ type: 'matrix_selector', vector: vs('foo'), rangeMs: 30_000 });
    expect(parsePromql('foo offset -STEP()', ctx)).toEqual(vs('foo', [], { offsetMs: -15_000 }));
    expect(parsePromql('foo[min_of(range(), 1m):step()]', ctx)).toEqual({ type: 'subquery', expr: vs('foo'), rangeMs: 60_000, stepMs: 15_000, offsetMs: 0 });
  });
  it('min_of/max_of are scalar functions outside duration expressions, folded inside them', () => {
    expect(parsePromql('min_of(3, 5)')).toEqual(call('min_of', num(3), num(5)));
    expect(parsePromql('max_of(scalar(x), -1) * 2')).toEqual(bin('*', call('max_of', call('scalar', vs('x')), num(-1)), num(2)));
    expect(parsePromql('foo offset max_of(3s, min_of(step(), 1s))', ctx)).toEqual(vs('foo', [], { offsetMs: 3000 }));
    expect(parsePromql('foo offset (min_of(step(), 2s) - 5) + min_of(1, 2)', ctx)).toEqual(
      bin('+', vs('foo', [], { offsetMs: -3000 }), call('min_of', num(1), num(2))),
    );
    expect(parseFails('min_of(1)')).toBe('1:1: parse error: expected 2 argument(s) in call to "min_of", got 1');
    expect(parseFails('max_of(x, 1)')).toBe('1:8: parse error: expected type scalar in call to function "max_of", got instant vector');
  });
  it('needs the context', () => {
    expect(parseFails('step()')).toBe("1:1: parse error: step() needs the query's time range, which is not known here");
  });
});

describe('parsePromql: errors with positions', () => {
  const cases: [string, string][] = [
    ['', '1:1: parse error: no expression found in input'],
    ['1 +', '1:4: parse error: unexpected end of input'],
    ['*1', '1:1: parse error: unexpected <op:*>'],
    ['.', "1:1: parse error: unexpected character: '.'"],
    ['2.5.', '1:1: parse error: bad number or duration syntax: "2.5."'],
    ['foo[5mm]', '1:5: parse error: bad number or duration syntax: "5mm"'],
    ['(1))', "1:4: parse error: unexpected right parenthesis ')'"],
    ['((1)', '1:5: parse error: unclosed left parenthesis'],
    ['{', '1:2: parse error: unexpected end of input inside braces'],
    ['"abc', '1:1: parse error: unterminated quoted string'],
    ['foo{a="\\q"}', "1:7: parse error: unknown escape sequence U+0071 'q'"],
    ['foo{a=b}', '1:7: parse error: unexpected identifier "b" in label matching, expected string'],
    ['foo{a:b="b"}', "1:6: parse error: unexpected character inside braces: ':'"],
    ['foo{__name__="bar" lol}', '1:20: parse error: unexpected identifier "lol" in label matching, expected "," or "}"'],
    ['foo{a=~"("}', '1:5: parse error: error parsing regexp: missing closing ): `(`'],
    ['{}', '1:1: parse error: vector selector must contain at least one non-empty matcher'],
    ['{x=~".*"}', '1:1: parse error: vector selector must contain at least one non-empty matcher'],
    ['{x!="a"}', '1:1: parse error: vector selector must contain at least one non-empty matcher'],
    ['foo{__name__="bar"}', '1:1: parse error: metric name must not be set twice: "foo" or "bar"'],
    ['foo[0m]', '1:5: parse error: duration must be greater than 0'],
    ['foo[-1]', '1:5: parse error: duration must be greater than 0'],
    ['foo[]', '1:5: parse error: unexpected "]" in subquery or range selector, expected number, duration, step(), or range()'],
    ['(foo + bar)[5m]', '1:12: parse error: ranges only allowed for vector selectors'],
    ['foo offset 1m [5m]', '1:15: parse error: no offset modifiers allowed before range'],
    ['foo @ 1 [5m]', '1:9: parse error: no @ modifiers allowed before range'],
    ['1 offset 1d', '1:1: parse error: offset modifier must be preceded by an instant vector selector or range vector selector or a subquery'],
    ['foo offset 1s offset 2s', '1:1: parse error: offset may not be set multiple times'],
    ['rate(foo[5m]) @ 1', '1:1: parse error: @ modifier must be preceded by an instant vector selector or range vector selector or a subquery'],
    ['foo @ 1 @ 2', '1:1: parse error: @ <timestamp> may not be set multiple times'],
    ['foo @ +Inf', '1:1: parse error: timestamp out of bounds for @ modifier: +Inf'],
    ['foo offset', '1:11: parse error: unexpected end of input in offset, expected number, duration, step(), or range()'],
    ['foo @', '1:6: parse error: unexpected end of input in @, expected timestamp'],
    ['1 == 1', '1:3: parse error: comparisons between scalars must use BOOL modifier'],
    ['foo + bool bar', '1:5: parse error: bool modifier can only be used on comparison operators'],
    ['1 and 1', '1:1: parse error: set operator "and" not allowed in binary scalar expression'],
    ['foo or 1', '1:1: parse error: set operator "or" not allowed in binary scalar expression'],
    ['foo and on(a) group_left(b) bar', '1:1: parse error: no grouping allowed for "and" operation'],
    ['foo + group_left(b) bar', '1:7: parse error: unexpected <group_left>'],
    ['a - on(b) ignoring(c) d', '1:11: parse error: unexpected <ignoring>'],
    ['1 + on(a) foo', '1:1: parse error: vector matching only allowed between instant vectors'],
    ['x + on(a) group_left(a) y', '1:3: parse error: label "a" must not occur in ON and GROUP clause at once'],
    ['foo + bar[5m]', '1:7: parse error: binary expression must contain only scalar and instant vector types'],
    ['-"s"', '1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "string"'],
    ['-foo[5m]', '1:1: parse error: unary expression only allowed on expressions of type scalar or instant vector, got "range vector"'],
    ['foo[5m][5m:]', '1:1: parse error: subquery is only allowed on instant vector, got matrix instead'],
    ['sum()', '1:1: parse error: no arguments for aggregate expression provided'],
    ['topk(foo)', '1:1: parse error: wrong number of arguments for aggregate expression provided, expected 2, got 1'],
    ['topk(foo, bar)', '1:6: parse error: expected type scalar in aggregation parameter, got instant vector'],
    ['count_values(5, foo)', '1:14: parse error: expected type string in aggregation parameter, got scalar'],
    ['sum(foo[5m])', '1:5: parse error: expected type instant vector in aggregation expression, got range vector'],
    ['sum (foo) by bar', '1:14: parse error: unexpected identifier "bar" in grouping opts, expected "("'],
    ['sum without(,)(foo)', '1:13: parse error: unexpected "," in grouping opts, expected label'],
    ['sum (foo) without (a) by (b)', '1:23: parse error: unexpected <by>'],
    ['floor()', '1:1: parse error: expected 1 argument(s) in call to "floor", got 0'],
    ['floor(1)', '1:7: parse error: expected type instant vector in call to function "floor", got scalar'],
    ['hour(a, b, c)', '1:1: parse error: expected at most 1 argument(s) in call to "hour", got 3'],
    ['label_join(x)', '1:1: parse error: expected at least 3 argument(s) in call to "label_join", got 1'],
    ['rate(foo)', '1:6: parse error: expected type range vector in call to function "rate", got instant vector'],
    ['topk(1, foo,)', '1:13: parse error: trailing commas not allowed in function call args'],
    ['no_such_fn(foo)', '1:1: parse error: unknown function with name "no_such_fn"'],
    ['info(x, y)', '1:9: parse error: expected label selectors only, got vector selector instead'],
    ['x[5m] anchored smoothed', '1:1: parse error: anchored and smoothed modifiers cannot be used together'],
    ['x smoothed anchored', '1:1: parse error: anchored and smoothed modifiers cannot be used together'],
    ['rate(x[5m:1m] smoothed)', '1:6: parse error: smoothed modifier is not supported for subqueries'],
    ['rate(x[5m]) anchored', '1:1: parse error: anchored modifier not implemented'],
    ['1 + 2 smoothed', '1:5: parse error: smoothed modifier not implemented'],
    ['x and fill(0) y', '1:1: parse error: filling in missing series not allowed for set operators'],
    ['x + fill(0) 1', '1:1: parse error: filling in missing series only allowed between instant vectors'],
    ['1 + fill_left(0) x', '1:1: parse error: filling in missing series only allowed between instant vectors'],
    ['x + fill(0) fill(1) y', '1:13: parse error: unexpected <fill>'],
    ['x + fill_left(0) fill_left(1) y', '1:18: parse error: unexpected <fill_left>'],
    ['x + fill(y) z', '1:10: parse error: unexpected identifier "y"'],
    ['x + fill() y', '1:10: parse error: unexpected ")"'],
    ['x + fill(5mm) y', '1:10: parse error: bad number or duration syntax: "5mm"'],
    ['x + fill(0) on(a) y', '1:13: parse error: unexpected <on>'],
    ['foo +\n  bar{', '2:7: parse error: unexpected end of input inside braces'],
    ['"é" + é', "1:8: parse error: unexpected character: 'é'"],
  ];
  it.each(cases)('%j', (q, want) => expect(parseFails(q)).toBe(want));
});

describe('Go regex translation', () => {
  const cases: [string, string, boolean][] = [
    ['f.*', 'foo', true],
    ['f.*', 'xfoo', false],
    ['a.b', 'a\nb', true],
    ['(?i)foo', 'FoO', true],
    ['(?i:PRO).*', 'production', true],
    ['x(?i:a)b', 'xAb', true],
    ['x(?i:a)b', 'xAB', false],
    ['((?i)PRO)duction', 'proDuction', false],
    ['[[:digit:]]+', '123', true],
    ['(?P<n>a)+', 'aaa', true],
    ['\\Qa.b\\E', 'a.b', true],
    ['\\Qa.b\\E', 'axb', false],
    ['a{2}', 'aa', true],
    ['a{', 'a{', true],
    ['[a-c]+', 'abcab', true],
    ['(?i)[a-c]+', 'ABC', true],
    ['\\pL+', 'héllo', true],
    ['', '', true],
  ];
  it.each(cases)('%s ~ %j → %s', (re, s, want) => expect(compileGoRegex(re).test(s)).toBe(want));
  it('rejects what RE2 rejects', () => {
    expect(() => compileGoRegex('(')).toThrow('error parsing regexp');
    expect(() => compileGoRegex('[a')).toThrow('missing closing ]');
    expect(() => compileGoRegex('\\1')).toThrow('invalid escape sequence');
  });
});

// ---- Prometheus's own promqltest files ----------------------------------------------------------

const HERE = dirname(fileURLToPath(import.meta.url));
const SUITE = resolve(process.env.INFINO_SHARED_DIR ?? resolve(HERE, '../../../../shared'), 'reference/promqltest');

interface EvalCase {
  where: string;
  expr: string;
  expectFail: boolean;
}

function evalCases(): EvalCase[] {
  const out: EvalCase[] = [];
  for (const file of readdirSync(SUITE).filter((f) => f.endsWith('.test')).sort()) {
    const lines = readFileSync(resolve(SUITE, file), 'utf8').split('\n');
    lines.forEach((line, i) => {
      const m = /^eval(_\w+)?\s+(?:instant\s+at\s+\S+|range\s+from\s+\S+\s+to\s+\S+\s+step\s+\S+)\s+(.*)$/.exec(line);
      if (!m) return;
      let expectFail = m[1] === '_fail';
      for (let j = i + 1; j < lines.length && /^\s+\S/.test(lines[j]); j++) if (/^\s+expect fail/.test(lines[j])) expectFail = true;
      out.push({ where: `${file}:${i + 1}`, expr: m[2].trim(), expectFail });
    });
  }
  return out;
}

/** Syntax we deliberately do not parse: native histograms (the store keeps floats only). */
function unsupported(expr: string): string | undefined {
  if (expr.includes('{{') || /[<>]\//.test(expr)) return 'native-histogram syntax';
  return undefined;
}

describe.skipIf(!existsSync(SUITE))('promqltest eval expressions', () => {
  const cases = existsSync(SUITE) ? evalCases() : [];
  const ctx: QueryContext = { startMs: 0, endMs: 600_000, stepMs: 60_000 };
  const supported = cases.filter((c) => !c.expectFail && !unsupported(c.expr));
  const skipped = cases.filter((c) => !c.expectFail && unsupported(c.expr));
  const failing = cases.filter((c) => c.expectFail && !unsupported(c.expr));

  it(`parses all ${supported.length} supported non-failing evals (${skipped.length} use unsupported syntax)`, () => {
    const broken = supported.flatMap((c) => {
      try {
        parsePromql(c.expr, ctx);
        return [];
      } catch (err) {
        return [`${c.where} ${c.expr}: ${(err as Error).message}`];
      }
    });
    expect(broken).toEqual([]);
  });

  it(`unsupported syntax fails cleanly with a parse error (${skipped.length} evals)`, () => {
    for (const c of skipped) {
      expect(() => parsePromql(c.expr, ctx), c.where).toThrow(PromqlError);
    }
  });

  // `expect fail` cases mostly fail at evaluation, not parsing; we only require no crash.
  const parseRejected = failing.filter((c) => {
    try {
      parsePromql(c.expr, ctx);
      return false;
    } catch (err) {
      if (!(err instanceof PromqlError)) throw err;
      return true;
    }
  }).length;
  it(`${failing.length} "expect fail" evals: ${parseRejected} rejected by the parser, ${failing.length - parseRejected} left to evaluation`, () => {
    expect(parseRejected).toBeLessThanOrEqual(failing.length);
  });
});
