/**
 * The aggregation fast path (promql/aggregate-fast.ts) over range grids: ties and NaN in
 * topk/bottomk, series that come and go between steps, avg's switch to the incremental mean on
 * overflow, stddev of infinities, group order, and k parameters that change per step.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { aggregateTuning } from '../src/promql/aggregate-fast.js';
import { evaluate } from '../src/promql/engine.js';
import { parsePromql } from '../src/promql/parser.js';
import type { Series } from '../src/promql/values.js';
import { MemorySource } from './promql/memory-source.js';

const S = 1000;

async function range(src: MemorySource, q: string, start: number, end: number, step: number): Promise<Record<string, Array<[number, number]>>> {
  const v = await evaluate(parsePromql(q), { startMs: start, endMs: end, stepMs: step, source: src });
  if (v.type !== 'matrix') throw new Error(`expected a matrix, got ${v.type}`);
  const out: Record<string, Array<[number, number]>> = {};
  for (const s of v.series as Series[]) out[JSON.stringify(s.metric)] = Array.from(s.t, (t, i) => [t / S, s.v[i]]);
  return out;
}

describe.each([
  ['per (group, step) cell', 1 << 20],
  ['step by step', 0],
])('aggregation fast path, %s', (_walk, gridCells) => {
  const saved = aggregateTuning.gridCells;
  afterEach(() => {
    aggregateTuning.gridCells = saved;
  });
  const setWalk = () => {
    aggregateTuning.gridCells = gridCells;
  };

  const src = new MemorySource()
    .load({ __name__: 'x', job: 'a', i: '1' }, 10 * S, [1, 5, NaN, 2])
    .load({ __name__: 'x', job: 'a', i: '2' }, 10 * S, [5, 5, 3, undefined])
    .load({ __name__: 'x', job: 'b', i: '3' }, 10 * S, [5, NaN, NaN, 7])
    .load({ __name__: 'big', k: '1' }, 10 * S, [1.7e308, 1])
    .load({ __name__: 'big', k: '2' }, 10 * S, [1.7e308, Infinity])
    .load({ __name__: 'big', k: '3' }, 10 * S, [-1.7e308, -Infinity])
    .load({ __name__: 'k' }, 10 * S, [1, 2, 0, 3]);

  // Lookback (5m) carries each series' last value to later steps; NaN samples are values.
  it('topk keeps input order among equal values and puts NaN last', async () => {
    expect(await range(src, 'topk(2, x)', 0, 30 * S, 10 * S)).toEqual({
      '{"__name__":"x","i":"1","job":"a"}': [
        [10, 5],
        [20, NaN],
      ],
      '{"__name__":"x","i":"2","job":"a"}': [
        [0, 5],
        [10, 5],
        [20, 3],
        [30, 3],
      ],
      '{"__name__":"x","i":"3","job":"b"}': [
        [0, 5],
        [30, 7],
      ],
    });
  });

  it('bottomk per group, with k from a scalar that changes per step (k = 0: no output)', async () => {
    expect(await range(src, 'bottomk by (job) (scalar(k), x)', 0, 30 * S, 10 * S)).toEqual({
      '{"__name__":"x","i":"1","job":"a"}': [
        [0, 1],
        [10, 5],
        [30, 2],
      ],
      '{"__name__":"x","i":"2","job":"a"}': [
        [10, 5],
        [30, 3],
      ],
      '{"__name__":"x","i":"3","job":"b"}': [
        [0, 5],
        [10, NaN],
        [30, 7],
      ],
    });
  });

  it('sum by label, count, min, max, group', async () => {
    setWalk();
    expect(await range(src, 'sum by (job) (x)', 0, 30 * S, 10 * S)).toEqual({
      '{"job":"a"}': [
        [0, 6],
        [10, 10],
        [20, NaN],
        [30, 5],
      ],
      '{"job":"b"}': [
        [0, 5],
        [10, NaN],
        [20, NaN],
        [30, 7],
      ],
    });
    const one = async (q: string) => (await range(src, q, 0, 30 * S, 10 * S))['{}'].map((p) => p[1]);
    expect(await one('count(x)')).toEqual([3, 3, 3, 3]);
    expect(await one('min(x)')).toEqual([1, 5, 3, 2]);
    expect(await one('max(x)')).toEqual([5, 5, 3, 7]);
    expect(await one('group(x)')).toEqual([1, 1, 1, 1]);
  });

  it('avg switches to the incremental mean when the sum overflows; stddev/stdvar stream like Welford', async () => {
    setWalk();
    const one = async (q: string) => (await range(src, q, 0, 30 * S, 10 * S))['{}'].map((p) => p[1]);
    expect(await one('avg(big)')).toEqual([5.666666666666665e307, NaN, NaN, NaN]);
    expect(await one('stddev(big)')).toEqual([NaN, NaN, NaN, NaN]);
    expect(await one('stdvar(x)')).toEqual([3.555555555555556, NaN, NaN, 4.666666666666667]);
  });
});
