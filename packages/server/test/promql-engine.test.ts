/**
 * The PromQL engine over an in-memory series source, with hand-computed expectations (Prometheus
 * 3.x semantics: left-open windows, 5m lookback, staleness, rate extrapolation…). The promqltest
 * suite (promqltest.test.ts) covers the breadth; these pin the cases we reason about directly.
 */
import { describe, expect, it } from 'vitest';
import { closeTo, fails, instant, mat, MIN, order, range, S, scalar, vec } from './promql/eval-helpers.js';
import { MemorySource } from './promql/memory-source.js';


describe('selectors: lookback, staleness, offset, @', () => {
  const src = new MemorySource()
    .load({ __name__: 'a' }, MIN, [1, 2, 3])
    .load({ __name__: 'b' }, MIN, [1, 'stale', 3]);

  it('picks the newest sample in the left-open lookback window (t-5m, t]', async () => {
    expect(await vec(instant(src, 'a', 2 * MIN))).toEqual({ 'a{}': 3 });
    expect(await vec(instant(src, 'a', 2 * MIN + 30 * S))).toEqual({ 'a{}': 3 });
    expect(await vec(instant(src, 'a', 7 * MIN - 1))).toEqual({ 'a{}': 3 });
    // Exactly 5m after the last sample it has left the window.
    expect(await vec(instant(src, 'a', 7 * MIN))).toEqual({});
    expect(await vec(instant(src, 'a', 2 * MIN, { lookbackDeltaMs: 30 * S }))).toEqual({ 'a{}': 3 });
    expect(await vec(instant(src, 'a', 2 * MIN + 30 * S, { lookbackDeltaMs: 30 * S }))).toEqual({});
  });

  it('a staleness marker ends the series until the next sample', async () => {
    expect(await vec(instant(src, 'b', 30 * S))).toEqual({ 'b{}': 1 });
    expect(await vec(instant(src, 'b', MIN))).toEqual({});
    expect(await vec(instant(src, 'b', 90 * S))).toEqual({});
    expect(await vec(instant(src, 'b', 2 * MIN))).toEqual({ 'b{}': 3 });
    expect(await mat(range(src, 'b', 0, 3 * MIN, 30 * S))).toEqual({
      'b{}': [
        [0, 1],
        [30, 1],
        [120, 3],
        [150, 3],
        [180, 3],
      ],
    });
    // Markers are not samples of a range either.
    expect(await vec(instant(src, 'count_over_time(b[5m])', 2 * MIN))).toEqual({ '{}': 2 });
  });

  it('offset and @ shift or pin the evaluation time', async () => {
    expect(await vec(instant(src, 'a offset 1m', 2 * MIN))).toEqual({ 'a{}': 2 });
    expect(await vec(instant(src, 'a offset -1m', MIN))).toEqual({ 'a{}': 3 });
    expect(await vec(instant(src, 'a @ 60', 100 * MIN))).toEqual({ 'a{}': 2 });
    expect(await vec(instant(src, 'a @ 120 offset 1m', 0))).toEqual({ 'a{}': 2 });
    expect(await mat(range(src, 'a @ start()', MIN, 2 * MIN, MIN))).toEqual({
      'a{}': [
        [60, 2],
        [120, 2],
      ],
    });
    expect(await mat(range(src, 'a @ end()', MIN, 2 * MIN, MIN))).toEqual({
      'a{}': [
        [60, 3],
        [120, 3],
      ],
    });
  });

  it('a matrix selector is left-open: (t-range, t]', async () => {
    expect(await mat(instant(src, 'a[1m]', 2 * MIN))).toEqual({ 'a{}': [[120, 3]] });
    expect(await mat(instant(src, 'a[2m]', 2 * MIN))).toEqual({
      'a{}': [
        [60, 2],
        [120, 3],
      ],
    });
  });

  it('a range query returns every step with a sample in lookback', async () => {
    const got = await mat(range(src, 'a', 0, 8 * MIN, MIN));
    expect(got['a{}'].map(([t]) => t)).toEqual([0, 60, 120, 180, 240, 300, 360]);
  });
});

describe('rate, increase, delta, irate, idelta: Prometheus extrapolation', () => {
  const src = new MemorySource()
    // 0, 10, …, 100 every minute.
    .load({ __name__: 'c' }, MIN, [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100])
    // Starts inside the window: 5, 10, 15 at 3m, 4m, 5m.
    .add({ __name__: 'late' }, [
      [3 * MIN, 5],
      [4 * MIN, 10],
      [5 * MIN, 15],
    ])
    // Starts near zero: 1, 11, 21 at 3m, 4m, 5m.
    .add({ __name__: 'low' }, [
      [3 * MIN, 1],
      [4 * MIN, 11],
      [5 * MIN, 21],
    ])
    // A counter reset between 2m and 3m.
    .add({ __name__: 'reset' }, [
      [1 * MIN, 10],
      [2 * MIN, 20],
      [3 * MIN, 5],
      [4 * MIN, 15],
      [5 * MIN, 25],
    ])
    .add({ __name__: 'single' }, [[4 * MIN, 7]]);

  it('extrapolates to the window edges when samples are close to them', async () => {
    // (0, 5m]: 10..50, 40 over 240 s; 60 s to the start is within 1.1 intervals → ×300/240.
    closeTo(await vec(instant(src, 'increase(c[5m])', 5 * MIN)), { '{}': 50 });
    closeTo(await vec(instant(src, 'rate(c[5m])', 5 * MIN)), { '{}': 50 / 300 });
    closeTo(await vec(instant(src, 'delta(c[5m])', 5 * MIN)), { '{}': 50 });
  });

  it('extrapolates by half an interval when the series starts inside the window', async () => {
    // 10 over 120 s, start 180 s away → 30 s; end at the edge → ×150/120.
    closeTo(await vec(instant(src, 'increase(late[5m])', 5 * MIN)), { '{}': 12.5 });
  });

  it('never extrapolates a counter below zero', async () => {
    // 20 over 120 s; zero is reached 6 s before the first sample (< 30 s).
    closeTo(await vec(instant(src, 'increase(low[5m])', 5 * MIN)), { '{}': 21 });
    // delta is for gauges: no zero clamp.
    closeTo(await vec(instant(src, 'delta(low[5m])', 5 * MIN)), { '{}': 25 });
  });

  it('adds the value before a counter reset', async () => {
    // 25-10 + 20 = 35 over 240 s, ×300/240.
    closeTo(await vec(instant(src, 'increase(reset[5m])', 5 * MIN)), { '{}': 43.75 });
    closeTo(await vec(instant(src, 'rate(reset[5m])', 5 * MIN)), { '{}': 43.75 / 300 });
    closeTo(await vec(instant(src, 'resets(reset[5m])', 5 * MIN)), { '{}': 1 });
    closeTo(await vec(instant(src, 'changes(reset[5m])', 5 * MIN)), { '{}': 4 });
  });

  it('irate/idelta use the last two samples; irate treats a drop as a reset', async () => {
    closeTo(await vec(instant(src, 'irate(reset[5m])', 5 * MIN)), { '{}': 10 / 60 });
    closeTo(await vec(instant(src, 'idelta(reset[5m])', 5 * MIN)), { '{}': 10 });
    closeTo(await vec(instant(src, 'irate(reset[5m])', 3 * MIN)), { '{}': 5 / 60 });
    closeTo(await vec(instant(src, 'idelta(reset[5m])', 3 * MIN)), { '{}': -15 });
  });

  it('needs two samples in the window', async () => {
    expect(await vec(instant(src, 'rate(single[5m])', 5 * MIN))).toEqual({});
    expect(await vec(instant(src, 'irate(single[5m])', 5 * MIN))).toEqual({});
  });

  it('over a range query, per step', async () => {
    const got = await mat(range(src, 'increase(c[2m])', 2 * MIN, 4 * MIN, MIN));
    // (t-2m, t]: two samples 60 s apart, 10 apart; 60 s to the start → ×120/60 = 20.
    expect(got['{}'].map(([t, v]) => [t, Math.round(v * 1e9) / 1e9])).toEqual([
      [120, 20],
      [180, 20],
      [240, 20],
    ]);
  });

  it('deriv and predict_linear fit a line', async () => {
    closeTo(await vec(instant(src, 'deriv(c[5m])', 5 * MIN)), { '{}': 10 / 60 });
    closeTo(await vec(instant(src, 'predict_linear(c[5m], 60)', 5 * MIN)), { '{}': 60 });
    closeTo(await vec(instant(src, 'double_exponential_smoothing(c[5m], 0.5, 0.5)', 5 * MIN)), { '{}': 50 });
  });
});

describe('subqueries', () => {
  const src = new MemorySource().load({ __name__: 'a' }, MIN, [1, 2, 3]);

  it('evaluates on a grid aligned to the subquery step', async () => {
    // (2m-3m, 2m] at 1m steps: 0, 1m, 2m → 1+2+3.
    expect(await vec(instant(src, 'sum_over_time(a[3m:1m])', 2 * MIN))).toEqual({ '{}': 6 });
    // (1m, 2m] at 30 s steps: 1m30 (2 by lookback), 2m (3).
    expect(await vec(instant(src, 'sum_over_time(a[1m:30s])', 2 * MIN))).toEqual({ '{}': 5 });
    expect(await vec(instant(src, 'count_over_time(a[1m:30s] offset 1m)', 3 * MIN))).toEqual({ '{}': 2 });
    expect(await vec(instant(src, 'sum_over_time(a[1m:30s] @ 120)', 50 * MIN))).toEqual({ '{}': 5 });
  });

  it('in a range query, the inner grid covers every outer window', async () => {
    // Outer steps 2m, 3m; inner points every 30 s from 1m30 to 3m (a is 3 from 2m on by lookback).
    expect(await mat(range(src, 'sum_over_time(a[1m:30s])', 2 * MIN, 3 * MIN, MIN))).toEqual({
      '{}': [
        [120, 5],
        [180, 6],
      ],
    });
  });

  it('without a step, runs every minute', async () => {
    expect(await vec(instant(src, 'count_over_time(a[3m:])', 2 * MIN))).toEqual({ '{}': 3 });
    // Like Prometheus's global evaluation interval, not the query step (30 s would count 6).
    expect(await mat(range(src, 'count_over_time(a[3m:])', 2 * MIN, 2 * MIN + 30 * S, 30 * S))).toEqual({
      '{}': [
        [120, 3],
        [150, 3],
      ],
    });
  });

  it('a subquery alone is a matrix of the inner evaluations', async () => {
    expect(await mat(instant(src, 'a[1m:30s]', 2 * MIN))).toEqual({
      'a{}': [
        [90, 2],
        [120, 3],
      ],
    });
  });
});

describe('binary operators and vector matching', () => {
  const src = new MemorySource()
    .add({ __name__: 'x', job: 'a', inst: '1' }, [[0, 10]])
    .add({ __name__: 'x', job: 'a', inst: '2' }, [[0, 20]])
    .add({ __name__: 'x', job: 'b', inst: '1' }, [[0, 30]])
    .add({ __name__: 'y', job: 'a' }, [[0, 2]])
    .add({ __name__: 'y', job: 'b' }, [[0, 3]])
    .add({ __name__: 'z', job: 'a', team: 't1' }, [[0, 1]]);
  const at = MIN;

  it('scalar arithmetic, comparisons need bool', async () => {
    expect(await scalar(instant(src, '2 ^ 3', at))).toBe(8);
    expect(await scalar(instant(src, '7 % 3', at))).toBe(1);
    expect(await scalar(instant(src, '1 < bool 2', at))).toBe(1);
    expect(await scalar(instant(src, '-(1 + 2) * 2', at))).toBe(-6);
  });

  it('arithmetic with a scalar drops the name; a filtering comparison keeps it', async () => {
    expect(await vec(instant(src, 'y + 1', at))).toEqual({ '{job="a"}': 3, '{job="b"}': 4 });
    expect(await vec(instant(src, 'x > 15', at))).toEqual({ 'x{inst="2",job="a"}': 20, 'x{inst="1",job="b"}': 30 });
    expect(await vec(instant(src, '15 < x', at))).toEqual({ 'x{inst="2",job="a"}': 20, 'x{inst="1",job="b"}': 30 });
    expect(await vec(instant(src, 'x > bool 15', at))).toEqual({ '{inst="1",job="a"}': 0, '{inst="2",job="a"}': 1, '{inst="1",job="b"}': 1 });
    expect(await vec(instant(src, '-y', at))).toEqual({ '{job="a"}': -2, '{job="b"}': -3 });
  });

  it('one-to-one matching on all labels but the name, or on(…)/ignoring(…)', async () => {
    expect(await vec(instant(src, 'x == x', at))).toEqual({ 'x{inst="1",job="a"}': 10, 'x{inst="2",job="a"}': 20, 'x{inst="1",job="b"}': 30 });
    expect(await vec(instant(src, 'x{inst="1"} + ignoring(inst) y', at))).toEqual({ '{job="a"}': 12, '{job="b"}': 33 });
    expect(await vec(instant(src, 'x{inst="1"} - on(job) y', at))).toEqual({ '{job="a"}': 8, '{job="b"}': 27 });
  });

  it('group_left / group_right keep the "many" side labels and copy included ones', async () => {
    expect(await vec(instant(src, 'x / on(job) group_left y', at))).toEqual({
      '{inst="1",job="a"}': 5,
      '{inst="2",job="a"}': 10,
      '{inst="1",job="b"}': 10,
    });
    expect(await vec(instant(src, 'y * on(job) group_right x', at))).toEqual({
      '{inst="1",job="a"}': 20,
      '{inst="2",job="a"}': 40,
      '{inst="1",job="b"}': 90,
    });
    expect(await vec(instant(src, 'x * on(job) group_left(team) z', at))).toEqual({
      '{inst="1",job="a",team="t1"}': 10,
      '{inst="2",job="a",team="t1"}': 20,
    });
  });

  it("reports Prometheus's matching errors", async () => {
    await fails(
      instant(src, 'y / on(job) x', at),
      'execution',
      'found duplicate series for the match group {job="a"} on the right hand-side of the operation: [{__name__="x", inst="1", job="a"}, {__name__="x", inst="2", job="a"}];many-to-many matching not allowed: matching labels must be unique on one side',
    );
    await fails(instant(src, 'x / on(job) y', at), 'execution', 'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)');
    await fails(
      instant(src, 'x / on(job) group_right y', at),
      'execution',
      /^found duplicate series for the match group \{job="a"\} on the left hand-side of the operation/,
    );
  });

  it('and / or / unless', async () => {
    expect(await vec(instant(src, 'x and on(job) y{job="a"}', at))).toEqual({ 'x{inst="1",job="a"}': 10, 'x{inst="2",job="a"}': 20 });
    expect(await vec(instant(src, 'x unless on(job) y{job="a"}', at))).toEqual({ 'x{inst="1",job="b"}': 30 });
    expect(Object.keys(await vec(instant(src, 'y or x', at)))).toHaveLength(5);
    expect(await vec(instant(src, 'y or y{job="a"} * 10', at))).toEqual({ 'y{job="a"}': 2, 'y{job="b"}': 3 });
    expect(await vec(instant(src, 'x{job="a"} and nothing', at))).toEqual({});
  });
});

describe('binop fill modifiers', () => {
  const src = new MemorySource()
    .add({ __name__: 'l', k: 'a' }, [[0, 1]])
    .add({ __name__: 'l', k: 'b' }, [[0, 2]])
    .add({ __name__: 'r', k: 'a' }, [[0, 10]])
    .add({ __name__: 'r', k: 'c' }, [[0, 30]])
    .add({ __name__: 'many', k: 'a', i: '1' }, [[0, 1]])
    .add({ __name__: 'many', k: 'a', i: '2' }, [[0, 2]])
    .add({ __name__: 'many', k: 'b', i: '1' }, [[0, 3]])
    .add({ __name__: 'one', k: 'a', owner: 'x' }, [[0, 100]])
    .add({ __name__: 'one', k: 'c', owner: 'y' }, [[0, 300]]);
  const at = MIN;

  it('fills the missing side of one-to-one matches; the filled result has only the matching labels', async () => {
    expect(await vec(instant(src, 'l - fill(0) r', at))).toEqual({ '{k="a"}': -9, '{k="b"}': 2, '{k="c"}': -30 });
    expect(await vec(instant(src, 'l - fill_left(5) r', at))).toEqual({ '{k="a"}': -9, '{k="c"}': -25 });
    expect(await vec(instant(src, 'l - fill_right(5) r', at))).toEqual({ '{k="a"}': -9, '{k="b"}': -3 });
    expect(await vec(instant(src, 'l + on(k) fill(0) many{i="1"}', at))).toEqual({ '{k="a"}': 2, '{k="b"}': 5 });
  });

  it('comparisons keep the left value, or the fill value when the left side is filled', async () => {
    expect(await vec(instant(src, 'l < fill(20) r', at))).toEqual({ 'l{k="a"}': 1, 'l{k="b"}': 2, '{k="c"}': 20 });
    expect(await vec(instant(src, 'l > fill(20) r', at))).toEqual({});
    expect(await vec(instant(src, 'l != fill(2) r', at))).toEqual({ 'l{k="a"}': 1, '{k="c"}': 2 });
    expect(await vec(instant(src, 'l >= bool fill(2) r', at))).toEqual({ '{k="a"}': 0, '{k="b"}': 1, '{k="c"}': 0 });
  });

  it('group_left: fill_right fills the "one" side (no included labels), fill_left the "many" side', async () => {
    expect(await vec(instant(src, 'many + on(k) group_left(owner) fill(0) one', at))).toEqual({
      '{i="1",k="a",owner="x"}': 101,
      '{i="2",k="a",owner="x"}': 102,
      '{i="1",k="b"}': 3,
      '{k="c",owner="y"}': 300,
    });
  });

  it('group_right: as in Prometheus, fill_right fills the "one" side (left) and fill_left the "many" side', async () => {
    expect(await vec(instant(src, 'one * on(k) group_right fill_right(2) many', at))).toEqual({
      '{i="1",k="a"}': 100,
      '{i="2",k="a"}': 200,
      '{i="1",k="b"}': 6,
    });
    expect(await vec(instant(src, 'one * on(k) group_right fill_left(2) many', at))).toEqual({
      '{i="1",k="a"}': 100,
      '{i="2",k="a"}': 200,
      '{k="c"}': 600,
    });
  });

  it('works against an empty side and over a range query', async () => {
    expect(await vec(instant(src, 'nothing + fill_left(1) l', at))).toEqual({ '{k="a"}': 2, '{k="b"}': 3 });
    expect(await vec(instant(src, 'nothing + fill_right(1) l', at))).toEqual({});
    const m = await mat(range(src, 'l + fill(0) r{k="c"} offset 2m', 0, 3 * MIN, MIN));
    expect(m).toEqual({
      '{k="a"}': [[0, 1], [60, 1], [120, 1], [180, 1]],
      '{k="b"}': [[0, 2], [60, 2], [120, 2], [180, 2]],
      '{k="c"}': [[120, 30], [180, 30]],
    });
  });

  it('filled series still obey the matching rules', async () => {
    await fails(
      instant(src, 'many + on(k) fill_right(0) nothing', at),
      'execution',
      'multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)',
    );
  });
});

describe('aggregations', () => {
  const src = new MemorySource()
    .add({ __name__: 'm', g: 'a', i: '1' }, [[0, 1]])
    .add({ __name__: 'm', g: 'a', i: '2' }, [[0, 3]])
    .add({ __name__: 'm', g: 'b', i: '1' }, [[0, 5]])
    .add({ __name__: 'm', g: 'b', i: '3' }, [[0, 10]])
    .add({ __name__: 'n', k: '1' }, [[0, NaN]])
    .add({ __name__: 'n', k: '2' }, [[0, 1]]);
  const at = MIN;

  it('sum avg min max count group stddev stdvar by / without', async () => {
    expect(await vec(instant(src, 'sum by (g) (m)', at))).toEqual({ '{g="a"}': 4, '{g="b"}': 15 });
    expect(await vec(instant(src, 'sum without (i) (m)', at))).toEqual({ '{g="a"}': 4, '{g="b"}': 15 });
    expect(await vec(instant(src, 'sum(m)', at))).toEqual({ '{}': 19 });
    expect(await vec(instant(src, 'avg by (g) (m)', at))).toEqual({ '{g="a"}': 2, '{g="b"}': 7.5 });
    expect(await vec(instant(src, 'min by (g) (m)', at))).toEqual({ '{g="a"}': 1, '{g="b"}': 5 });
    expect(await vec(instant(src, 'max by (g) (m)', at))).toEqual({ '{g="a"}': 3, '{g="b"}': 10 });
    expect(await vec(instant(src, 'count by (g) (m)', at))).toEqual({ '{g="a"}': 2, '{g="b"}': 2 });
    expect(await vec(instant(src, 'group by (g) (m)', at))).toEqual({ '{g="a"}': 1, '{g="b"}': 1 });
    expect(await vec(instant(src, 'stddev by (g) (m)', at))).toEqual({ '{g="a"}': 1, '{g="b"}': 2.5 });
    expect(await vec(instant(src, 'stdvar by (g) (m)', at))).toEqual({ '{g="a"}': 1, '{g="b"}': 6.25 });
    expect(await vec(instant(src, 'sum by (__name__) (m)', at))).toEqual({ 'm{}': 19 });
  });

  it('min/max ignore NaN unless there is nothing else', async () => {
    expect(await vec(instant(src, 'max(n)', at))).toEqual({ '{}': 1 });
    expect(await vec(instant(src, 'min(n)', at))).toEqual({ '{}': 1 });
    closeTo(await vec(instant(src, 'max(n{k="1"})', at)), { '{}': NaN });
  });

  it('quantile interpolates between ranks', async () => {
    expect(await vec(instant(src, 'quantile(0.5, m)', at))).toEqual({ '{}': 4 });
    expect(await vec(instant(src, 'quantile by (g) (0.5, m)', at))).toEqual({ '{g="a"}': 2, '{g="b"}': 7.5 });
    expect(await vec(instant(src, 'quantile(2, m)', at))).toEqual({ '{}': Infinity });
  });

  it('topk / bottomk keep the series labels and order by value', async () => {
    expect(await order(instant(src, 'topk(2, m)', at))).toEqual(['m{g="b",i="3"}', 'm{g="b",i="1"}']);
    expect(await order(instant(src, 'bottomk(2, m)', at))).toEqual(['m{g="a",i="1"}', 'm{g="a",i="2"}']);
    expect(await vec(instant(src, 'topk by (g) (1, m)', at))).toEqual({ 'm{g="a",i="2"}': 3, 'm{g="b",i="3"}': 10 });
    expect(await vec(instant(src, 'topk(0, m)', at))).toEqual({});
    // NaN loses to every number.
    expect(await vec(instant(src, 'topk(1, n)', at))).toEqual({ 'n{k="2"}': 1 });
    expect(await vec(instant(src, 'bottomk(1, n)', at))).toEqual({ 'n{k="2"}': 1 });
  });

  it('limitk / limit_ratio select series without looking at values', async () => {
    expect(await vec(instant(src, 'limitk(1, m)', at))).toEqual({ 'm{g="a",i="1"}': 1 });
    expect(Object.keys(await vec(instant(src, 'limit_ratio(1, m)', at)))).toHaveLength(4);
    const half = await vec(instant(src, 'limit_ratio(0.5, m)', at));
    const rest = await vec(instant(src, 'limit_ratio(-0.5, m)', at));
    // Complementary ratios split the series between them.
    expect(Object.keys({ ...half, ...rest })).toHaveLength(4);
    expect(Object.keys(half).filter((k) => k in rest)).toEqual([]);
  });

  it('count_values counts per value, formatted as Go does', async () => {
    expect(await vec(instant(src, 'count_values("v", m)', at))).toEqual({ '{v="1"}': 1, '{v="3"}': 1, '{v="5"}': 1, '{v="10"}': 1 });
    expect(await vec(instant(src, 'count_values by (g) ("v", m > 2)', at))).toEqual({ '{g="a",v="3"}': 1, '{g="b",v="5"}': 1, '{g="b",v="10"}': 1 });
    expect(await vec(instant(src, 'count_values("v", vector(1e21))', at))).toEqual({ '{v="1000000000000000000000"}': 1 });
  });
});

describe('functions', () => {
  const src = new MemorySource()
    .add({ __name__: 'n' }, [[0, -1.5]])
    .load({ __name__: 'o', job: 'j' }, MIN, [1, 2, 4, 8])
    .load({ __name__: 'c' }, MIN, [0, 10, 20, 30, 40, 50])
    .add({ __name__: 'x', job: 'a', inst: '1' }, [[0, 10]])
    .add({ __name__: 'x', job: 'b', inst: '1' }, [[0, 30]])
    .add({ __name__: 'm', g: 'a', i: '1' }, [[0, 1]])
    .add({ __name__: 'm', g: 'a', i: '10' }, [[0, 3]])
    .add({ __name__: 'm', g: 'b', i: '1' }, [[0, NaN]])
    .add({ __name__: 'm', g: 'b', i: '2' }, [[0, -5]]);
  const at = MIN;

  it('math functions drop the name', async () => {
    expect(await vec(instant(src, 'abs(n)', at))).toEqual({ '{}': 1.5 });
    expect(await vec(instant(src, 'ceil(n)', at))).toEqual({ '{}': -1 });
    expect(await vec(instant(src, 'floor(n)', at))).toEqual({ '{}': -2 });
    expect(await vec(instant(src, 'round(n)', at))).toEqual({ '{}': -1 });
    expect(await vec(instant(src, 'round(n, 2)', at))).toEqual({ '{}': -2 });
    expect(await vec(instant(src, 'sgn(n)', at))).toEqual({ '{}': -1 });
    expect(await vec(instant(src, 'clamp(n, -1, 1)', at))).toEqual({ '{}': -1 });
    expect(await vec(instant(src, 'clamp(n, 1, -1)', at))).toEqual({});
    expect(await vec(instant(src, 'clamp_max(n, -2)', at))).toEqual({ '{}': -2 });
    expect(await vec(instant(src, 'clamp_min(n, 0)', at))).toEqual({ '{}': 0 });
    expect(await vec(instant(src, 'exp(vector(0))', at))).toEqual({ '{}': 1 });
    expect(await vec(instant(src, 'ln(vector(1))', at))).toEqual({ '{}': 0 });
    expect(await vec(instant(src, 'log2(vector(8))', at))).toEqual({ '{}': 3 });
    expect(await vec(instant(src, 'log10(vector(100))', at))).toEqual({ '{}': 2 });
    expect(await vec(instant(src, 'sqrt(vector(4))', at))).toEqual({ '{}': 2 });
    closeTo(await vec(instant(src, 'deg(vector(pi()))', at)), { '{}': 180 });
    closeTo(await vec(instant(src, 'rad(vector(180))', at)), { '{}': Math.PI });
    closeTo(await vec(instant(src, 'cos(vector(0)) + sin(vector(0)) + (vector(1) atan2 vector(1))', at)), { '{}': 1 + Math.PI / 4 });
  });

  it('time, vector, scalar, timestamp', async () => {
    expect(await scalar(instant(src, 'time()', 2 * MIN))).toBe(120);
    expect(await vec(instant(src, 'vector(time())', 2 * MIN))).toEqual({ '{}': 120 });
    expect(await scalar(instant(src, 'scalar(n)', at))).toBe(-1.5);
    expect(await scalar(instant(src, 'scalar(x)', at))).toBeNaN();
    // A selector's samples carry their own timestamps; other expressions the evaluation time.
    expect(await vec(instant(src, 'timestamp(o)', 3 * MIN + 30 * S))).toEqual({ '{job="j"}': 180 });
    expect(await vec(instant(src, 'timestamp(-o)', 3 * MIN + 30 * S))).toEqual({ '{job="j"}': 210 });
  });

  it('date functions read the value as Unix seconds, or the evaluation time', async () => {
    expect(await vec(instant(src, 'hour(vector(18420))', at))).toEqual({ '{}': 5 });
    expect(await vec(instant(src, 'minute(vector(18420))', at))).toEqual({ '{}': 7 });
    expect(await vec(instant(src, 'year(vector(0))', at))).toEqual({ '{}': 1970 });
    expect(await vec(instant(src, 'month(vector(0))', at))).toEqual({ '{}': 1 });
    expect(await vec(instant(src, 'day_of_month(vector(0))', at))).toEqual({ '{}': 1 });
    expect(await vec(instant(src, 'day_of_week(vector(0))', at))).toEqual({ '{}': 4 });
    expect(await vec(instant(src, 'day_of_year(vector(3456000))', at))).toEqual({ '{}': 41 });
    expect(await vec(instant(src, 'days_in_month(vector(3456000))', at))).toEqual({ '{}': 28 });
    expect(await vec(instant(src, 'year()', at))).toEqual({ '{}': 1970 });
  });

  it('*_over_time over (t-range, t]', async () => {
    const q = (f: string) => vec(instant(src, `${f}(o[3m])`, 3 * MIN));
    // Window (0, 3m]: 2, 4, 8.
    closeTo(await q('avg_over_time'), { '{job="j"}': 14 / 3 });
    expect(await q('sum_over_time')).toEqual({ '{job="j"}': 14 });
    expect(await q('count_over_time')).toEqual({ '{job="j"}': 3 });
    expect(await q('min_over_time')).toEqual({ '{job="j"}': 2 });
    expect(await q('max_over_time')).toEqual({ '{job="j"}': 8 });
    expect(await q('last_over_time')).toEqual({ 'o{job="j"}': 8 });
    expect(await q('present_over_time')).toEqual({ '{job="j"}': 1 });
    expect(await q('changes')).toEqual({ '{job="j"}': 2 });
    expect(await q('resets')).toEqual({ '{job="j"}': 0 });
    closeTo(await q('stdvar_over_time'), { '{job="j"}': 56 / 9 });
    closeTo(await q('stddev_over_time'), { '{job="j"}': Math.sqrt(56 / 9) });
    expect(await q('mad_over_time')).toEqual({ '{job="j"}': 2 });
    expect(await vec(instant(src, 'quantile_over_time(0.5, o[3m])', 3 * MIN))).toEqual({ '{job="j"}': 4 });
    expect(await vec(instant(src, 'absent_over_time(o[3m])', 3 * MIN))).toEqual({});
    expect(await vec(instant(src, 'absent_over_time(nope{job="q"}[3m])', 3 * MIN))).toEqual({ '{job="q"}': 1 });
  });

  it('absent', async () => {
    expect(await vec(instant(src, 'absent(nope{job="q", inst=~"x"})', at))).toEqual({ '{job="q"}': 1 });
    expect(await vec(instant(src, 'absent(o)', at))).toEqual({});
  });

  it('label_replace and label_join', async () => {
    expect(await vec(instant(src, 'label_replace(x, "dst", "$1-x", "job", "(.*)")', at))).toEqual({
      'x{dst="a-x",inst="1",job="a"}': 10,
      'x{dst="b-x",inst="1",job="b"}': 30,
    });
    expect(await vec(instant(src, 'label_replace(x, "dst", "${1}y", "job", "(a)")', at))).toEqual({
      'x{dst="ay",inst="1",job="a"}': 10,
      'x{inst="1",job="b"}': 30,
    });
    expect(await vec(instant(src, 'label_join(x, "j", "-", "job", "inst")', at))).toEqual({
      'x{inst="1",j="a-1",job="a"}': 10,
      'x{inst="1",j="b-1",job="b"}': 30,
    });
    // Removing the distinguishing label makes two series the same.
    await fails(instant(src, 'label_replace(x, "job", "", "job", ".*")', at), 'execution', 'vector cannot contain metrics with the same labelset');
    await fails(instant(src, 'label_replace(x, "dst", "", "job", "(")', at), 'execution', 'invalid regular expression in label_replace(): (');
  });

  it('sort, sort_desc (NaN last), sort_by_label (natural order)', async () => {
    expect(await order(instant(src, 'sort(m)', at))).toEqual(['m{g="b",i="2"}', 'm{g="a",i="1"}', 'm{g="a",i="10"}', 'm{g="b",i="1"}']);
    expect(await order(instant(src, 'sort_desc(m)', at))).toEqual(['m{g="a",i="10"}', 'm{g="a",i="1"}', 'm{g="b",i="2"}', 'm{g="b",i="1"}']);
    expect(await order(instant(src, 'sort_by_label(m, "i")', at))).toEqual(['m{g="a",i="1"}', 'm{g="b",i="1"}', 'm{g="b",i="2"}', 'm{g="a",i="10"}']);
    expect(await order(instant(src, 'sort_by_label_desc(m, "g", "i")', at))).toEqual(['m{g="b",i="2"}', 'm{g="b",i="1"}', 'm{g="a",i="10"}', 'm{g="a",i="1"}']);
  });
});

describe('histogram_quantile over classic buckets', () => {
  const src = new MemorySource();
  const buckets: Array<[string, string, number]> = [
    ['h_bucket', '1', 10],
    ['h_bucket', '2', 20],
    ['h_bucket', '4', 40],
    ['h_bucket', '+Inf', 50],
    ['nm_bucket', '1', 10],
    ['nm_bucket', '2', 8],
    ['nm_bucket', '4', 40],
    ['nm_bucket', '+Inf', 40],
    ['noinf_bucket', '1', 10],
    ['noinf_bucket', '2', 20],
  ];
  for (const [name, le, v] of buckets) src.add({ __name__: name, le, job: 'j' }, [[0, v]]);
  const at = MIN;
  const hq = (q: number, m = 'h_bucket') => vec(instant(src, `histogram_quantile(${q}, ${m})`, at));

  it('interpolates linearly inside the bucket that holds the rank', async () => {
    closeTo(await hq(0.5), { '{job="j"}': 2.5 });
    closeTo(await hq(0.2), { '{job="j"}': 1 });
    closeTo(await hq(0.1), { '{job="j"}': 0.5 });
    closeTo(await hq(0.7), { '{job="j"}': 3.5 });
  });

  it('a rank in the +Inf bucket returns the highest finite bound', async () => {
    closeTo(await hq(0.99), { '{job="j"}': 4 });
  });

  it('quantiles outside [0, 1], missing +Inf', async () => {
    closeTo(await hq(1.5), { '{job="j"}': Infinity });
    closeTo(await hq(-1), { '{job="j"}': -Infinity });
    closeTo(await hq(0.5, 'noinf_bucket'), { '{job="j"}': NaN });
  });

  it('repairs non-monotonic buckets by taking the running maximum', async () => {
    // 10, 8→10, 40, 40: rank 20 is in (2, 4], 10 of 30 in → 2 + 2×10/30.
    closeTo(await hq(0.5, 'nm_bucket'), { '{job="j"}': 2 + 20 / 30 });
  });

  it('histogram_fraction', async () => {
    closeTo(await vec(instant(src, 'histogram_fraction(0, 2, h_bucket)', at)), { '{job="j"}': 20 / 50 });
  });
});

describe('query shapes, limits and errors', () => {
  const src = new MemorySource()
    .load({ __name__: 'a', k: '2' }, MIN, [1, 2, 3])
    .load({ __name__: 'a', k: '1' }, MIN, [1, 2, 3])
    .load({ __name__: 'r1', job: 'j' }, MIN, [1, 2, 3])
    .load({ __name__: 'r2', job: 'j' }, MIN, [1, 2, 3]);

  it('a range query returns a matrix sorted by labels; a scalar becomes one series', async () => {
    const v = await range(src, 'a', 0, 2 * MIN, MIN);
    expect(v.type === 'matrix' && v.series.map((s) => s.metric.k)).toEqual(['1', '2']);
    expect(await mat(range(src, '1 + 1', 0, MIN, MIN))).toEqual({
      '{}': [
        [0, 2],
        [60, 2],
      ],
    });
    expect(await instant(src, '"hi"', MIN)).toEqual({ type: 'string', t: MIN, v: 'hi' });
  });

  it('absent and or over a range query fill the steps where the series is missing', async () => {
    expect(await mat(range(src, 'absent(a{k="1"})', 0, 8 * MIN, 2 * MIN))).toEqual({ '{k="1"}': [[480, 1]] });
    expect(await mat(range(src, 'a{k="1"} or vector(0)', 6 * MIN, 8 * MIN, MIN))).toEqual({
      'a{k="1"}': [[360, 3]],
      '{}': [
        [360, 0],
        [420, 0],
        [480, 0],
      ],
    });
  });

  it('rejects range vectors and strings in range queries', async () => {
    await fails(range(src, 'a[1m]', 0, MIN, MIN), 'bad_data', 'invalid expression type "range vector" for range query, must be Scalar or instant Vector');
    await fails(range(src, '"x"', 0, MIN, MIN), 'bad_data', 'invalid expression type "string" for range query, must be Scalar or instant Vector');
  });

  it('dropping the name may collide series', async () => {
    await fails(instant(src, 'rate({job="j"}[5m])', 2 * MIN), 'execution', 'vector cannot contain metrics with the same labelset');
    await fails(instant(src, '-{job="j"}', 2 * MIN), 'execution', 'vector cannot contain metrics with the same labelset');
  });

  it('stops at maxSamples', async () => {
    await fails(instant(src, 'a', 2 * MIN, { maxSamples: 1 }), 'execution', 'query processing would load too many samples into memory in query execution');
    expect(Object.keys(await vec(instant(src, 'a', 2 * MIN, { maxSamples: 2 })))).toHaveLength(2);
  });

  it('stops at the deadline', async () => {
    await fails(instant(src, 'a', 2 * MIN, { deadline: performance.now() - 1 }), 'timeout', 'query timed out in expression evaluation');
  });
});
