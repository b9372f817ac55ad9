/**
 * Prometheus's experimental extended range selectors (`anchored`, `smoothed`) in the engine, with
 * hand-computed expectations; extended_vectors.test in the promqltest suite covers the breadth.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../src/promql/engine.js';
import { PromqlError } from '../src/promql/errors.js';
import { parsePromql } from '../src/promql/parser.js';
import type { Value } from '../src/promql/values.js';
import { MemorySource } from './promql/memory-source.js';

const S = 1000;
const MIN = 60 * S;

const src = new MemorySource()
  // A counter with a reset between 3m and 4m.
  .load({ __name__: 'c' }, MIN, [0, 10, 20, 30, 5, 15])
  .load({ __name__: 'g' }, MIN, [1, 1, 2, 2])
  .load({ __name__: 's' }, MIN, [0, 10, 'stale', 30]);

// async: a parse error rejects like an evaluation error.
async function instant(q: string, t: number): Promise<Value> {
  return evaluate(parsePromql(q), { startMs: t, endMs: t, stepMs: 0, source: src });
}

async function range(q: string, start: number, end: number, step: number): Promise<Value> {
  return evaluate(parsePromql(q), { startMs: start, endMs: end, stepMs: step, source: src });
}

/** The single value of an instant vector, or undefined when it is empty. */
async function one(q: string, t: number): Promise<number | undefined> {
  const v = await instant(q, t);
  if (v.type !== 'vector') throw new Error(`expected a vector, got ${v.type}`);
  expect(v.samples.length).toBeLessThanOrEqual(1);
  return v.samples[0]?.v;
}

/** The only series of a matrix as [tSeconds, value] pairs. */
async function points(p: Promise<Value>): Promise<Array<[number, number]>> {
  const v = await p;
  if (v.type !== 'matrix') throw new Error(`expected a matrix, got ${v.type}`);
  expect(v.series).toHaveLength(1);
  const s = v.series[0];
  return Array.from(s.t, (t, i) => [t / S, s.v[i]]);
}

async function fails(p: Promise<unknown>, type: string, message: string): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PromqlError);
  expect((err as PromqlError).errorType).toBe(type);
  expect((err as PromqlError).message).toBe(message);
}

describe('anchored ranges', () => {
  it('rate/increase/delta run from the last sample at or before the range start to the last one inside', async () => {
    // (90s, 150s] holds only 20@120s; the anchor is 10@60s.
    expect(await one('increase(c[1m])', 150 * S)).toBeUndefined();
    expect(await one('increase(c[1m] anchored)', 150 * S)).toBe(10);
    expect(await one('rate(c[1m] anchored)', 150 * S)).toBeCloseTo(10 / 60, 12);
    // Anchor 30@180s, then the reset to 5@240s: a counter adds the value before the reset.
    expect(await one('increase(c[1m] anchored)', 270 * S)).toBe(5);
    expect(await one('delta(c[1m] anchored)', 270 * S)).toBe(-25);
    // One sample after the range start and no anchor: no change.
    expect(await one('increase(c[1m] anchored)', 30 * S)).toBe(0);
    // Nothing after the range start: no result.
    expect(await one('increase(c[1m] anchored)', 11 * MIN)).toBeUndefined();
  });

  it('changes/resets count the step from the anchor into the range', async () => {
    expect(await one('changes(g[1m])', 2 * MIN)).toBe(0);
    expect(await one('changes(g[1m] anchored)', 2 * MIN)).toBe(1);
    expect(await one('changes(g[1m] anchored)', 210 * S)).toBe(0);
    expect(await one('changes(g[1m] anchored)', 270 * S)).toBeUndefined();
    expect(await one('resets(c[1m])', 4 * MIN)).toBe(0);
    expect(await one('resets(c[1m] anchored)', 4 * MIN)).toBe(1);
  });

  it('offset and @ move the range as for plain selectors', async () => {
    expect(await one('increase(c[1m] anchored offset 2m)', 270 * S)).toBe(10);
    expect(await one('increase(c[1m] anchored @ 150)', 20 * MIN)).toBe(10);
  });

  it('a range query gives at every step what an instant query gives', async () => {
    const v = await range('increase(c[1m] anchored)', 0, 6 * MIN, 30 * S);
    if (v.type !== 'matrix') throw new Error(v.type);
    const got = Array.from(v.series[0].t, (t, i) => [t, v.series[0].v[i]]);
    const want: number[][] = [];
    for (let t = 0; t <= 6 * MIN; t += 30 * S) {
      const x = await one('increase(c[1m] anchored)', t);
      if (x !== undefined) want.push([t, x]);
    }
    expect(got).toEqual(want);
  });

  it('returned as a range vector, it carries the boundary values at the range start and end', async () => {
    expect(await points(instant('c[1m] anchored', 150 * S))).toEqual([
      [90, 10],
      [120, 20],
      [150, 20],
    ]);
  });
});

describe('smoothed ranges', () => {
  it('interpolates the boundary values, a counter restarting from zero at a reset', async () => {
    // left: between 30@180s and 5@240s at 210s, as a counter 0 → 5: 2.5; right: between 5@240s and 15@300s at 270s: 10.
    expect(await one('increase(c[1m] smoothed)', 270 * S)).toBe(7.5);
    expect(await one('rate(c[1m] smoothed)', 270 * S)).toBeCloseTo(7.5 / 60, 12);
    // Not a counter: left is 17.5, halfway from 30 to 5.
    expect(await one('delta(c[1m] smoothed)', 270 * S)).toBe(-7.5);
    // Exact samples at both boundaries.
    expect(await one('increase(c[2m] smoothed)', 2 * MIN)).toBe(20);
  });

  it('no result when every sample lies before or after the range', async () => {
    expect(await one('increase(c[1m] smoothed)', -2 * MIN)).toBeUndefined();
    expect(await one('increase(c[1m] smoothed)', 11 * MIN)).toBeUndefined();
  });

  it('returned as a range vector, it carries the interpolated boundary values', async () => {
    expect(await points(instant('c[1m] smoothed', 150 * S))).toEqual([
      [90, 15],
      [120, 20],
      [150, 25],
    ]);
  });
});

describe('smoothed instant selectors', () => {
  it('interpolate at the evaluation time, carry the last value forward, skip before the first sample', async () => {
    expect(await one('s smoothed', 30 * S)).toBe(5);
    expect(await one('s smoothed', MIN)).toBe(10);
    // A staleness marker is not a sample here: 2m lies between 10@1m and 30@3m.
    expect(await one('s', 2 * MIN)).toBeUndefined();
    expect(await one('s smoothed', 2 * MIN)).toBe(20);
    expect(await one('s smoothed', 200 * S)).toBe(30);
    expect(await one('s smoothed', -10 * S)).toBeUndefined();
    // Past the lookback window of the last sample, as for a plain selector.
    expect(await one('s smoothed', 8 * MIN)).toBeUndefined();
  });

  it('keep the metric name, and follow offset and @ over a range query', async () => {
    const v = await instant('s smoothed', 30 * S);
    expect(v.type === 'vector' && v.samples[0].metric).toEqual({ __name__: 's' });
    expect(await points(range('s offset 30s smoothed', MIN, 2 * MIN, 30 * S))).toEqual([
      [60, 5],
      [90, 10],
      [120, 15],
    ]);
    expect(await points(range('s @ 30 smoothed', 0, 2 * MIN, MIN))).toEqual([
      [0, 5],
      [60, 5],
      [120, 5],
    ]);
  });

  it('timestamp() reads the selected sample as it is', async () => {
    expect(await one('timestamp(s smoothed)', 30 * S)).toBe(0);
  });
});

describe('errors', () => {
  it('only the functions Prometheus allows take an extended range, whatever the data', async () => {
    await fails(instant('deriv(c[3m] smoothed)', MIN), 'execution', 'smoothed modifier can only be used with: delta, increase, rate - not with deriv');
    await fails(instant('changes(nothing[3m] smoothed)', MIN), 'execution', 'smoothed modifier can only be used with: delta, increase, rate - not with changes');
    await fails(
      instant('absent_over_time(c[1m] anchored)', MIN),
      'execution',
      'anchored modifier can only be used with: changes, delta, increase, rate, resets - not with absent_over_time',
    );
    await fails(
      instant('quantile_over_time(0.5, c[1m] anchored)', MIN),
      'execution',
      'anchored modifier can only be used with: changes, delta, increase, rate, resets - not with quantile_over_time',
    );
  });

  it('misplaced modifiers are parse errors with positions', async () => {
    await fails(instant('max_over_time(c[1m:] anchored)', MIN), 'bad_data', '1:15: parse error: anchored modifier is not supported for subqueries');
    await fails(instant('sum(c) smoothed', MIN), 'bad_data', '1:1: parse error: smoothed modifier not implemented');
  });
});
