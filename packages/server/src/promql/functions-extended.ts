/**
 * Prometheus's experimental extended range selectors (`x[5m] anchored`, `x[5m] smoothed`,
 * `x smoothed`), floats only. The engine widens the selected windows by the lookback delta (back
 * for both, forward too for `smoothed`); the code here turns such a widened window into values at
 * the exact range boundaries, as upstream's extendedRate / extendFloats / pickFirstSampleIndices /
 * smoothSeries do:
 *
 * - anchored: the value at the range start is the last sample at or before it (else the first one
 *   inside), the value at the end the last sample inside;
 * - smoothed: both are interpolated linearly between the samples around the boundary.
 */
import type { VectorSelector } from './ast.js';
import { evalError } from './engine-types.js';

export type Extension = NonNullable<VectorSelector['extension']>;

/** Functions that accept each modifier (upstream's AnchoredSafeFunctions / SmoothedSafeFunctions). */
const SAFE_FUNCTIONS: Record<Extension, string[]> = {
  anchored: ['changes', 'delta', 'increase', 'rate', 'resets'],
  smoothed: ['delta', 'increase', 'rate'],
};

/** The evaluation error Prometheus raises for any other function over an extended range. */
export function checkExtensionAllowed(ext: Extension | undefined, func: string): void {
  if (!ext || SAFE_FUNCTIONS[ext].includes(func)) return;
  throw evalError(`${ext} modifier can only be used with: ${SAFE_FUNCTIONS[ext].join(', ')} - not with ${func}`);
}

/** How far an extended selector reads beyond its range: [before the start, after the end]. */
export function extensionMargins(ext: Extension | undefined, lookback: number): [number, number] {
  if (ext === 'anchored') return [lookback, 0];
  if (ext === 'smoothed') return [lookback, lookback];
  return [0, 0];
}

/**
 * Linear interpolation at `at` between (t1, y1) and (t2, y2). For a counter that reset in between,
 * the counter is taken to restart from zero.
 */
export function interpolate(t1: number, y1: number, t2: number, y2: number, at: number, isCounter: boolean): number {
  if (isCounter && y2 < y1) y1 = 0;
  return y1 + ((y2 - y1) * (at - t1)) / (t2 - t1);
}

/** First index in [lo, hi) with pred true, else hi (pred must be monotonic). */
function search(lo: number, hi: number, pred: (i: number) => boolean): number {
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (pred(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The boundary values of a range, and the samples strictly inside it: indexes [first, last]. */
export interface Edges {
  left: number;
  right: number;
  first: number;
  last: number;
}

/**
 * Boundary values of the range (rangeStart, rangeEnd] from a widened window t[lo, hi) (non-empty);
 * undefined when no sample lies after the range start.
 */
export function rangeEdges(
  t: Float64Array,
  v: Float64Array,
  lo: number,
  hi: number,
  rangeStart: number,
  rangeEnd: number,
  smoothed: boolean,
  isCounter: boolean,
): Edges | undefined {
  let last = hi - 1;
  // The last sample at or before the range start, or the first sample when there is none.
  const first = Math.max(lo, search(lo, last, (i) => t[i] > rangeStart) - 1);
  // Smoothed: the first sample at or after the range end closes the range.
  if (smoothed) last = search(lo, last, (i) => t[i] >= rangeEnd);
  if (t[last] <= rangeStart) return undefined;
  const left = smoothed && t[first] < rangeStart ? interpolate(t[first], v[first], t[first + 1], v[first + 1], rangeStart, isCounter) : v[first];
  const right =
    smoothed && last > lo && t[last] > rangeEnd ? interpolate(t[last - 1], v[last - 1], t[last], v[last], rangeEnd, isCounter) : v[last];
  return {
    left,
    right,
    first: t[first] <= rangeStart ? first + 1 : first,
    last: t[last] >= rangeEnd ? last - 1 : last,
  };
}

/** rate/increase/delta over an anchored or smoothed range: the change between the boundary values. */
export function extendedRate(
  t: Float64Array,
  v: Float64Array,
  lo: number,
  hi: number,
  rangeStart: number,
  rangeEnd: number,
  smoothed: boolean,
  isCounter: boolean,
  isRate: boolean,
): number | undefined {
  const edges = rangeEdges(t, v, lo, hi, rangeStart, rangeEnd, smoothed, isCounter);
  // Smoothed with every sample after the range: nothing to interpolate from.
  if (!edges || (smoothed && t[lo] > rangeEnd)) return undefined;
  let result = edges.right - edges.left;
  if (isCounter) {
    // Resets at the boundaries are already in the interpolated values; correct for those inside.
    let prev = edges.left;
    for (let i = edges.first; i <= edges.last; i++) {
      if (v[i] < prev) result += prev;
      prev = v[i];
    }
    if (edges.right < prev) result += prev;
  }
  return isRate ? result / ((rangeEnd - rangeStart) / 1000) : result;
}

/**
 * Where changes()/resets() start over an anchored window: the last sample at or before the range
 * start (the anchor), else the first sample; undefined when no sample lies after the range start.
 */
export function anchorIndex(t: Float64Array, lo: number, hi: number, rangeStart: number): number | undefined {
  const after = search(lo, hi, (i) => t[i] > rangeStart);
  if (after >= hi) return undefined;
  return after > lo ? after - 1 : lo;
}

/**
 * A range vector returned as such (`x[5m] anchored` as the query): the samples inside the range
 * with the boundary values added at the range start and end.
 */
export function extendedPoints(
  t: Float64Array,
  v: Float64Array,
  lo: number,
  hi: number,
  rangeStart: number,
  rangeEnd: number,
  smoothed: boolean,
): { t: number[]; v: number[] } | undefined {
  const edges = rangeEdges(t, v, lo, hi, rangeStart, rangeEnd, smoothed, false);
  if (!edges) return undefined;
  const ts = [rangeStart];
  const vs = [edges.left];
  for (let i = edges.first; i <= edges.last; i++) {
    ts.push(t[i]);
    vs.push(v[i]);
  }
  ts.push(rangeEnd);
  vs.push(edges.right);
  return { t: ts, v: vs };
}

/**
 * `x smoothed` at one step: the sample at `ref`, else interpolated between the samples around it,
 * else the last one before it (within the lookback window t[lo, hi)); undefined when all samples
 * come after `ref`.
 */
export function smoothedValue(t: Float64Array, v: Float64Array, lo: number, hi: number, ref: number): number | undefined {
  const i = search(lo, hi, (k) => t[k] >= ref);
  if (i < hi && t[i] === ref) return v[i];
  if (i === lo) return undefined;
  if (i < hi) return interpolate(t[i - 1], v[i - 1], t[i], v[i], ref, false);
  return v[i - 1];
}
