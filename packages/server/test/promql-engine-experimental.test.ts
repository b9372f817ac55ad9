/**
 * The PromQL engine on Prometheus 3.x's newer semantics: the experimental min_of/max_of and info()
 * functions, delayed removal of the metric name, the `__type__`/`__unit__` labels, and the function
 * table the parser and the engine share. Hand-computed expectations over an in-memory source; the
 * promqltest suite covers the breadth.
 */
import { describe, expect, it } from 'vitest';
import type { Expr } from '../src/promql/ast.js';
import { evaluate } from '../src/promql/engine.js';
import { FUNCTIONS, arityError } from '../src/promql/signatures.js';
import { fails, instant, mat, MIN, range, text, vec } from './promql/eval-helpers.js';
import { MemorySource } from './promql/memory-source.js';


describe('min_of / max_of', () => {
  const src = new MemorySource().load({ __name__: 'a' }, MIN, [1, 5, 3]);

  it('compare two scalars per step, NaN winning as in Go', async () => {
    const v = await instant(src, 'min_of(3, 5)', 0);
    expect(v).toEqual({ type: 'scalar', t: 0, v: 3 });
    expect(await mat(range(src, 'max_of(scalar(a), 2)', 0, 2 * MIN, MIN))).toEqual({ '{}': [[0, 2], [60, 5], [120, 3]] });
    expect(await mat(range(src, 'min_of(scalar(a), 2)', 0, 2 * MIN, MIN))).toEqual({ '{}': [[0, 1], [60, 2], [120, 2]] });
    const nan = await instant(src, 'max_of(NaN, 3)', 0);
    expect(nan.type === 'scalar' && Number.isNaN(nan.v)).toBe(true);
    expect(await vec(instant(src, 'vector(max_of(scalar(a), 4))', MIN))).toEqual({ '{}': 5 });
  });

  it('take two scalars', async () => {
    await fails(instant(src, 'min_of(a, 1)', 0), 'bad_data', '1:8: parse error: expected type scalar in call to function "min_of", got instant vector');
    await fails(instant(src, 'max_of(1, 2, 3)', 0), 'bad_data', '1:1: parse error: expected 2 argument(s) in call to "max_of", got 3');
  });
});

describe('delayed name removal', () => {
  const src = new MemorySource()
    .load({ __name__: 'a_total', env: '1' }, MIN, [0, 60, 120, 180, 240, 300])
    .load({ __name__: 'b_total', env: '1' }, MIN, [0, 30, 60, 90, 120, 150])
    .load({ __name__: 'g', env: '1' }, 10 * MIN, [1])
    .load({ __name__: 'h', env: '1' }, 10 * MIN, [3, 4]);
  const t = 5 * MIN;

  it('drops the name only at the end, so same-labelled results do not collide halfway', async () => {
    expect(await vec(instant(src, 'label_replace(rate({env="1"}[5m]), "src", "$1", "__name__", "(.+)")', t))).toEqual({
      '{env="1",src="a_total"}': 1,
      '{env="1",src="b_total"}': 0.5,
    });
    // Writing __name__ keeps it.
    expect(await vec(instant(src, 'label_join(rate(a_total[5m]), "__name__", "_", "__name__", "env")', t))).toEqual({ 'a_total_1{env="1"}': 1 });
    expect(await vec(instant(src, 'sum by (env) (rate({env="1"}[5m]))', t))).toEqual({ '{env="1"}': 1.5 });
  });

  it('aggregations group by a marked name and pass the mark on', async () => {
    expect(await vec(instant(src, 'sum by (__name__) (a_total)', t))).toEqual({ 'a_total{}': 300 });
    expect(await vec(instant(src, 'sum by (__name__) (a_total or label_replace(rate(a_total[5m]), "env", "2", "", ""))', t))).toEqual({ '{}': 301 });
    expect(await vec(instant(src, 'topk(1, sum by (__name__, env) (rate(a_total[5m])))', t))).toEqual({ '{env="1"}': 1 });
    await fails(instant(src, 'sum by (__name__) (rate({env="1"}[5m]))', t), 'execution', 'vector cannot contain metrics with the same labelset');
  });

  it('marks through subqueries, bool comparisons and vector–scalar arithmetic', async () => {
    expect(await vec(instant(src, 'last_over_time(abs(a_total)[5m:])', t))).toEqual({ '{env="1"}': 300 });
    expect(await vec(instant(src, 'last_over_time(a_total[5m])', t))).toEqual({ 'a_total{env="1"}': 300 });
    expect(await vec(instant(src, 'a_total > bool 100', t))).toEqual({ '{env="1"}': 1 });
    expect(await vec(instant(src, 'a_total > 100', t))).toEqual({ 'a_total{env="1"}': 300 });
    expect(await vec(instant(src, 'rate(a_total[5m]) > rate(b_total[5m])', t))).toEqual({ '{env="1"}': 1 });
    expect(await vec(instant(src, 'label_replace(a_total * 2, "n", "$1", "__name__", "(.*)")', t))).toEqual({ '{env="1",n="a_total"}': 600 });
    // Vector–vector arithmetic drops the name at once.
    expect(await vec(instant(src, 'label_replace(a_total - b_total, "n", "$1", "__name__", "(.*)")', t))).toEqual({ '{env="1"}': 150 });
  });

  it('merges range results that share a label set once the names are gone', async () => {
    expect(await mat(range(src, '-g or -h', 0, 20 * MIN, 10 * MIN))).toEqual({ '{env="1"}': [[0, -1], [600, -4]] });
    await fails(range(src, '-g or on(__name__) -h', 0, 0, MIN), 'execution', 'vector cannot contain metrics with the same labelset');
  });

  it('also works for a range vector at the top of an instant query', async () => {
    const m = await instant(src, 'abs(g)[20m:10m]', 10 * MIN);
    expect(m.type === 'matrix' && m.series.map((s) => text(s.metric))).toEqual(['{env="1"}']);
  });
});

describe('__type__ and __unit__', () => {
  const src = new MemorySource()
    .load({ __name__: 'req_total', __type__: 'counter', __unit__: 'request', job: 'a', i: '0' }, MIN, [10])
    .load({ __name__: 'req_total', __type__: 'gauge', job: 'a', i: '1' }, MIN, [20]);

  it('go with the name, and vector matching still sees them until then', async () => {
    expect(await vec(instant(src, '-req_total', 0))).toEqual({ '{i="0",job="a"}': -10, '{i="1",job="a"}': -20 });
    expect(await vec(instant(src, '+req_total{i="1"}', 0))).toEqual({ 'req_total{__type__="gauge",i="1",job="a"}': 20 });
    // `+ 1` only marks the metadata labels, so the right-hand side's same series matches and is dropped.
    expect(await vec(instant(src, '(req_total{i="0"} + 1) or req_total', 0))).toEqual({ '{i="0",job="a"}': 11, 'req_total{__type__="gauge",i="1",job="a"}': 20 });
    expect(await vec(instant(src, 'req_total{i="0"} - on(i, job) req_total', 0))).toEqual({ '{i="0",job="a"}': 0 });
  });
});

describe('info()', () => {
  const src = new MemorySource()
    .load({ __name__: 'm', instance: 'a', job: 'j', x: '1' }, MIN, [1, 2, 3, 4])
    .load({ __name__: 'm', instance: 'b.c', job: 'j' }, MIN, [5, 6, 7, 8])
    .load({ __name__: 'target_info', instance: 'a', job: 'j', region: 'eu', x: 'info' }, MIN, [1, 1, 'stale'])
    .load({ __name__: 'target_info', instance: 'a', job: 'j', region: 'us' }, MIN, [undefined, undefined, 1, 1])
    .load({ __name__: 'build_info', instance: 'b.c', job: 'j', version: 'v2' }, MIN, [1, 1, 1, 1])
    .load({ __name__: 'build_info', instance: 'bxc', job: 'j', version: 'wrong' }, MIN, [1, 1, 1, 1]);

  it('adds target_info data labels by instance and job, keeping labels the series has', async () => {
    expect(await vec(instant(src, 'info(m)', MIN))).toEqual({
      'm{instance="a",job="j",region="eu",x="1"}': 2,
      'm{instance="b.c",job="j"}': 6,
    });
  });

  it('follows the info series over time (the newest one wins)', async () => {
    expect(await mat(range(src, 'info(m{instance="a"})', 0, 3 * MIN, MIN))).toEqual({
      'm{instance="a",job="j",region="eu",x="1"}': [[0, 1], [60, 2]],
      'm{instance="a",job="j",region="us",x="1"}': [[120, 3], [180, 4]],
    });
  });

  it('a selector picks info metrics and data labels; identifying values are matched literally', async () => {
    expect(await vec(instant(src, 'info(m, {__name__="build_info"})', MIN))).toEqual({
      'm{instance="a",job="j",x="1"}': 2,
      'm{instance="b.c",job="j",version="v2"}': 6,
    });
    // A data-label matcher that rejects "" drops series without a match.
    expect(await vec(instant(src, 'info(m, {__name__=~".+_info", version=~".+"})', MIN))).toEqual({ 'm{instance="b.c",job="j",version="v2"}': 6 });
    expect(await vec(instant(src, 'info(m, {region="eu"})', MIN))).toEqual({ 'm{instance="a",job="j",region="eu",x="1"}': 2 });
    // Info series themselves pass through unchanged.
    expect(await vec(instant(src, 'info({__name__="build_info", instance="b.c"}, {__name__=~".+_info"})', MIN))).toEqual({
      'build_info{instance="b.c",job="j",version="v2"}': 1,
    });
  });

  it('reads the info series at the time the first argument looks at, and keeps a name mark', async () => {
    expect(await vec(instant(src, 'info(m{instance="a"} @ 60)', 10 * MIN))).toEqual({ 'm{instance="a",job="j",region="eu",x="1"}': 2 });
    expect(await vec(instant(src, 'info(m{instance="a"} offset 2m)', 3 * MIN))).toEqual({ 'm{instance="a",job="j",region="eu",x="1"}': 2 });
    expect(await vec(instant(src, 'info(-m{instance="a"})', MIN))).toEqual({ '{instance="a",job="j",region="eu",x="1"}': -2 });
  });

  it('fails on conflicting info metrics and bad arguments', async () => {
    const conflict = new MemorySource()
      .load({ __name__: 'm', instance: 'a', job: 'j' }, MIN, [1])
      .load({ __name__: 'target_info', instance: 'a', job: 'j', k: '1' }, MIN, [1])
      .load({ __name__: 'other_info', instance: 'a', job: 'j', k: '2' }, MIN, [1]);
    await fails(instant(conflict, 'info(m, {__name__=~".+_info"})', 0), 'execution', 'conflicting label: k');
    const dup = new MemorySource()
      .load({ __name__: 'm', instance: 'a', job: 'j' }, MIN, [1])
      .load({ __name__: 'target_info', instance: 'a', job: 'j', k: '1' }, MIN, [1])
      .load({ __name__: 'target_info', instance: 'a', job: 'j', k: '2' }, MIN, [1]);
    await fails(instant(dup, 'info(m)', 0), 'execution', /^found duplicate series for info metric: existing \{__name__="target_info", instance="a", job="j", k="1"\} @ 0, new/);
    await fails(instant(src, 'info(m, build_info)', 0), 'bad_data', '1:9: parse error: expected label selectors only, got vector selector instead');
    await fails(instant(src, 'info(m, {k="v"}, {k="w"})', 0), 'bad_data', /expected at most 2 argument\(s\) in call to "info", got 3/);
    await fails(instant(src, 'info(rate(m[1m]), 1)', 0), 'bad_data', /expected type instant vector in call to function "info", got scalar/);
  });
});

describe('one function table for the parser and the engine', () => {
  const src = new MemorySource().load({ __name__: 'a' }, MIN, [1]);
  const run = (e: Expr) => evaluate(e, { startMs: 0, endMs: 0, stepMs: 0, source: src });

  it('the engine checks a hand-built call like the parser does', async () => {
    const floor: Expr = { type: 'call', func: 'floor', args: [] };
    await fails(run(floor), 'bad_data', 'expected 1 argument(s) in call to "floor", got 0');
    await fails(instant(src, 'floor()', 0), 'bad_data', '1:1: parse error: expected 1 argument(s) in call to "floor", got 0');
    await fails(run({ type: 'call', func: 'nope', args: [] }), 'bad_data', 'unknown function with name "nope"');
    await fails(run({ type: 'call', func: 'histogram_count', args: [{ type: 'vector_selector', matchers: [{ name: '__name__', type: '=', value: 'a' }], offsetMs: 0 }] }), 'bad_data', 'function "histogram_count" is not supported');
    expect(await run({ type: 'call', func: 'start', args: [] })).toEqual({ type: 'scalar', t: 0, v: 0 });
  });

  it('arity follows Prometheus: exact, optional last, bounded and unbounded repeats', () => {
    const sig = (name: string) => FUNCTIONS.get(name)!;
    expect(arityError(sig('round'), 1)).toBeUndefined();
    expect(arityError(sig('round'), 3)).toBe('expected at most 2 argument(s) in call to "round", got 3');
    expect(arityError(sig('label_join'), 9)).toBeUndefined();
    expect(arityError(sig('label_join'), 2)).toBe('expected at least 3 argument(s) in call to "label_join", got 2');
    expect(arityError(sig('histogram_quantiles'), 13)).toBe('expected at most 12 argument(s) in call to "histogram_quantiles", got 13');
    expect(arityError(sig('step'), 0)).toBeUndefined();
  });
});
