/**
 * The PromQL engine on Prometheus 3.x's newer semantics: the experimental min_of/max_of and info()
 * functions, delayed removal of the metric name, and the `__type__`/`__unit__` labels. Hand-computed
 * expectations over an in-memory source; the promqltest suite covers the breadth.
 */
import { describe, expect, it } from 'vitest';
import { evaluate } from '../src/promql/engine.js';
import { PromqlError } from '../src/promql/errors.js';
import { parsePromql } from '../src/promql/parser.js';
import type { Labels, Value } from '../src/promql/values.js';
import { MemorySource } from './promql/memory-source.js';

const S = 1000;
const MIN = 60 * S;

/** Async, so that parse errors reject like evaluation errors. */
async function instant(src: MemorySource, q: string, t: number): Promise<Value> {
  return evaluate(parsePromql(q), { startMs: t, endMs: t, stepMs: 0, source: src });
}

function range(src: MemorySource, q: string, start: number, end: number, step: number): Promise<Value> {
  return evaluate(parsePromql(q), { startMs: start, endMs: end, stepMs: step, source: src });
}

function text(l: Labels): string {
  const name = l.__name__ ?? '';
  const rest = Object.keys(l)
    .filter((k) => k !== '__name__')
    .sort()
    .map((k) => `${k}="${l[k]}"`)
    .join(',');
  return `${name}{${rest}}`;
}

/** An instant vector as { labels: value }. */
async function vec(p: Promise<Value>): Promise<Record<string, number>> {
  const v = await p;
  if (v.type !== 'vector') throw new Error(`expected a vector, got ${v.type}`);
  const out: Record<string, number> = {};
  for (const s of v.samples) out[text(s.metric)] = s.v;
  return out;
}

/** A matrix as { labels: [[tSeconds, value]…] }. */
async function mat(p: Promise<Value>): Promise<Record<string, Array<[number, number]>>> {
  const v = await p;
  if (v.type !== 'matrix') throw new Error(`expected a matrix, got ${v.type}`);
  const out: Record<string, Array<[number, number]>> = {};
  for (const s of v.series) out[text(s.metric)] = Array.from(s.t, (t, i) => [t / S, s.v[i]]);
  return out;
}

async function fails(p: Promise<unknown>, type: string, message: string | RegExp): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PromqlError);
  expect((err as PromqlError).errorType).toBe(type);
  if (typeof message === 'string') expect((err as PromqlError).message).toBe(message);
  else expect((err as PromqlError).message).toMatch(message);
}

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
