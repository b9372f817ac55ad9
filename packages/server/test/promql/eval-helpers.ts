/** Shared helpers of the PromQL engine tests: evaluate over a MemorySource and read results compactly. */
import { expect } from 'vitest';
import { evaluate } from '../../src/promql/engine.js';
import { PromqlError } from '../../src/promql/errors.js';
import { parsePromql } from '../../src/promql/parser.js';
import type { Labels, Value } from '../../src/promql/values.js';
import type { MemorySource } from './memory-source.js';

export const S = 1000;
export const MIN = 60 * S;

export type Extra = { maxSamples?: number; deadline?: number; lookbackDeltaMs?: number };

/** Async, so that parse errors reject like evaluation errors. */
export async function instant(src: MemorySource, q: string, t: number, extra: Extra = {}): Promise<Value> {
  return evaluate(parsePromql(q), { startMs: t, endMs: t, stepMs: 0, source: src, ...extra });
}

export function range(src: MemorySource, q: string, start: number, end: number, step: number): Promise<Value> {
  return evaluate(parsePromql(q), { startMs: start, endMs: end, stepMs: step, source: src });
}

export function text(l: Labels): string {
  const name = l.__name__ ?? '';
  const rest = Object.keys(l)
    .filter((k) => k !== '__name__')
    .sort()
    .map((k) => `${k}="${l[k]}"`)
    .join(',');
  return `${name}{${rest}}`;
}

/** An instant vector as { labels: value }. */
export async function vec(p: Promise<Value>): Promise<Record<string, number>> {
  const v = await p;
  if (v.type !== 'vector') throw new Error(`expected a vector, got ${v.type}`);
  const out: Record<string, number> = {};
  for (const s of v.samples) out[text(s.metric)] = s.v;
  return out;
}

/** An instant vector's labels in result order. */
export async function order(p: Promise<Value>): Promise<string[]> {
  const v = await p;
  if (v.type !== 'vector') throw new Error(`expected a vector, got ${v.type}`);
  return v.samples.map((s) => text(s.metric));
}

export async function scalar(p: Promise<Value>): Promise<number> {
  const v = await p;
  if (v.type !== 'scalar') throw new Error(`expected a scalar, got ${v.type}`);
  return v.v;
}

/** A matrix as { labels: [[tSeconds, value]…] }. */
export async function mat(p: Promise<Value>): Promise<Record<string, Array<[number, number]>>> {
  const v = await p;
  if (v.type !== 'matrix') throw new Error(`expected a matrix, got ${v.type}`);
  const out: Record<string, Array<[number, number]>> = {};
  for (const s of v.series) out[text(s.metric)] = Array.from(s.t, (t, i) => [t / S, s.v[i]]);
  return out;
}

export async function fails(p: Promise<unknown>, type: string, message: string | RegExp): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(PromqlError);
  expect((err as PromqlError).errorType).toBe(type);
  if (typeof message === 'string') expect((err as PromqlError).message).toBe(message);
  else expect((err as PromqlError).message).toMatch(message);
}

export function closeTo(got: Record<string, number>, want: Record<string, number>): void {
  expect(Object.keys(got).sort()).toEqual(Object.keys(want).sort());
  for (const k of Object.keys(want)) {
    if (Number.isNaN(want[k])) expect(got[k]).toBeNaN();
    else expect(got[k]).toBeCloseTo(want[k], 9);
  }
}
