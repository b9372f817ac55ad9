/**
 * Functions over range vectors (Prometheus's extrapolatedRate, instantValue, the *_over_time
 * family, deriv, predict_linear, double_exponential_smoothing, changes, resets). Each gets one
 * series' window as typed-array bounds `[lo, hi)` and returns a value, or undefined for "no
 * output at this step".
 */
import { evalError, kahanInc, kahanMean } from './engine-types.js';
import { type Extension, anchorIndex, extendedRate } from './functions-extended.js';
import { quantile } from './quantile.js';

export interface Window {
  t: Float64Array;
  v: Float64Array;
  lo: number;
  hi: number;
  /** Exclusive start and inclusive end of the window, ms. */
  rangeStart: number;
  rangeEnd: number;
  rangeMs: number;
  /** The evaluation time of the step, ms. */
  ts: number;
  /** An anchored/smoothed selector: [lo, hi) then reaches beyond the range by the lookback delta. */
  extension?: Extension;
}

export type RangeFn = (w: Window, scalars: number[]) => number | undefined;

/**
 * rate/increase/delta: the change over the window's samples, extrapolated towards the window
 * edges — all the way when the first/last sample is within 1.1 average intervals of the edge,
 * else by half an interval; a counter is never extrapolated below zero.
 */
function extrapolatedRate(w: Window, isCounter: boolean, isRate: boolean): number | undefined {
  const { t, v, lo, hi } = w;
  if (w.extension) return extendedRate(t, v, lo, hi, w.rangeStart, w.rangeEnd, w.extension === 'smoothed', isCounter, isRate);
  const n = hi - lo;
  if (n < 2) return undefined;
  let result = v[hi - 1] - v[lo];
  if (isCounter) {
    for (let i = lo + 1; i < hi; i++) if (v[i] < v[i - 1]) result += v[i - 1];
  }
  let durationToStart = (t[lo] - w.rangeStart) / 1000;
  let durationToEnd = (w.rangeEnd - t[hi - 1]) / 1000;
  const sampledInterval = (t[hi - 1] - t[lo]) / 1000;
  const averageDurationBetweenSamples = sampledInterval / (n - 1);
  const extrapolationThreshold = averageDurationBetweenSamples * 1.1;
  if (durationToStart >= extrapolationThreshold) durationToStart = averageDurationBetweenSamples / 2;
  if (isCounter) {
    let durationToZero = durationToStart;
    if (result > 0 && v[lo] >= 0) durationToZero = sampledInterval * (v[lo] / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  if (durationToEnd >= extrapolationThreshold) durationToEnd = averageDurationBetweenSamples / 2;
  let factor = 1;
  if (sampledInterval !== 0) factor = (sampledInterval + durationToStart + durationToEnd) / sampledInterval;
  if (isRate) factor /= w.rangeMs / 1000;
  return result * factor;
}

/** irate/idelta: the last two samples only. */
function instantValue(w: Window, isRate: boolean): number | undefined {
  const { t, v, hi } = w;
  if (hi - w.lo < 2) return undefined;
  const [t0, t1, v0, v1] = [t[hi - 2], t[hi - 1], v[hi - 2], v[hi - 1]];
  const interval = t1 - t0;
  if (interval === 0) return undefined;
  // A counter reset: the new value is the increase since the reset.
  let result = isRate && v1 < v0 ? v1 : v1 - v0;
  if (isRate) result /= interval / 1000;
  return result;
}

/** Least squares with x in seconds relative to interceptTime; Kahan sums as Prometheus. */
function linearRegression(w: Window, interceptTime: number): [number, number] {
  const { t, v, lo, hi } = w;
  let n = 0;
  let [sumX, cX, sumY, cY, sumXY, cXY, sumX2, cX2] = [0, 0, 0, 0, 0, 0, 0, 0];
  const initY = v[lo];
  let constY = true;
  for (let i = lo; i < hi; i++) {
    if (constY && i > lo && v[i] !== initY) constY = false;
    n++;
    const x = (t[i] - interceptTime) / 1e3;
    [sumX, cX] = kahanInc(x, sumX, cX);
    [sumY, cY] = kahanInc(v[i], sumY, cY);
    [sumXY, cXY] = kahanInc(x * v[i], sumXY, cXY);
    [sumX2, cX2] = kahanInc(x * x, sumX2, cX2);
  }
  if (constY) {
    if (!Number.isFinite(initY) && !Number.isNaN(initY)) return [NaN, NaN];
    return [0, initY];
  }
  sumX += cX;
  sumY += cY;
  sumXY += cXY;
  sumX2 += cX2;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  const slope = covXY / varX;
  return [slope, sumY / n - (slope * sumX) / n];
}

function avgOverTime({ v, lo, hi }: Window): number {
  return kahanMean(hi - lo, (i) => v[lo + i]);
}

function varianceOverTime({ v, lo, hi }: Window): number {
  let count = 0;
  let [mean, cMean, aux, cAux] = [0, 0, 0, 0];
  for (let i = lo; i < hi; i++) {
    count++;
    const delta = v[i] - (mean + cMean);
    [mean, cMean] = kahanInc(delta / count, mean, cMean);
    [aux, cAux] = kahanInc(delta * (v[i] - (mean + cMean)), aux, cAux);
  }
  return (aux + cAux) / count;
}

/** max/min_over_time and their ts_of_ variants: NaN only wins when nothing else is there. */
function compareOverTime(w: Window, better: (cur: number, best: number) => boolean, returnTs: boolean): number {
  const { t, v, lo, hi } = w;
  let best = v[lo];
  let bestT = t[lo];
  for (let i = lo; i < hi; i++) {
    if (better(v[i], best) || Number.isNaN(best)) {
      best = v[i];
      bestT = t[i];
    }
  }
  return returnTs ? bestT / 1000 : best;
}

/** changes/resets: an anchored window starts at its anchor sample. */
const startOf = (w: Window): number | undefined => (w.extension === 'anchored' ? anchorIndex(w.t, w.lo, w.hi, w.rangeStart) : w.lo);

const values = (w: Window): number[] => Array.from(w.v.subarray(w.lo, w.hi));

/** Go's %f: six decimals. */
const goF = (x: number) => (Number.isFinite(x) ? x.toFixed(6) : Number.isNaN(x) ? 'NaN' : x > 0 ? '+Inf' : '-Inf');

export const RANGE_FUNCTIONS: Record<string, RangeFn> = {
  rate: (w) => extrapolatedRate(w, true, true),
  increase: (w) => extrapolatedRate(w, true, false),
  delta: (w) => extrapolatedRate(w, false, false),
  irate: (w) => instantValue(w, true),
  idelta: (w) => instantValue(w, false),
  deriv: (w) => (w.hi - w.lo < 2 ? undefined : linearRegression(w, w.t[w.lo])[0]),
  predict_linear: (w, [duration]) => {
    if (w.hi - w.lo < 2) return undefined;
    const [slope, intercept] = linearRegression(w, w.ts);
    return slope * duration + intercept;
  },
  double_exponential_smoothing: (w, [sf, tf]) => {
    if (!(sf > 0 && sf < 1)) throw evalError(`invalid smoothing factor. Expected: 0 < sf < 1, got: ${goF(sf)}`);
    if (!(tf > 0 && tf < 1)) throw evalError(`invalid trend factor. Expected: 0 < tf < 1, got: ${goF(tf)}`);
    const { v, lo, hi } = w;
    if (hi - lo < 2) return undefined;
    let s0 = 0;
    let s1 = v[lo];
    let b = v[lo + 1] - v[lo];
    for (let i = 1; i < hi - lo; i++) {
      const x = sf * v[lo + i];
      // The trend at the first step is the initial slope; later it is smoothed.
      if (i - 1 !== 0) b = tf * (s1 - s0) + (1 - tf) * b;
      const y = (1 - sf) * (s1 + b);
      [s0, s1] = [s1, x + y];
    }
    return s1;
  },
  avg_over_time: avgOverTime,
  sum_over_time: ({ v, lo, hi }) => {
    let [sum, c] = [0, 0];
    for (let i = lo; i < hi; i++) [sum, c] = kahanInc(v[i], sum, c);
    return !Number.isFinite(sum) && !Number.isNaN(sum) ? sum : sum + c;
  },
  count_over_time: (w) => w.hi - w.lo,
  min_over_time: (w) => compareOverTime(w, (c, b) => c < b, false),
  max_over_time: (w) => compareOverTime(w, (c, b) => c > b, false),
  ts_of_min_over_time: (w) => compareOverTime(w, (c, b) => c <= b, true),
  ts_of_max_over_time: (w) => compareOverTime(w, (c, b) => c >= b, true),
  first_over_time: (w) => w.v[w.lo],
  last_over_time: (w) => w.v[w.hi - 1],
  ts_of_first_over_time: (w) => w.t[w.lo] / 1000,
  ts_of_last_over_time: (w) => w.t[w.hi - 1] / 1000,
  present_over_time: () => 1,
  quantile_over_time: (w, [q]) => quantile(q, values(w)),
  stddev_over_time: (w) => Math.sqrt(varianceOverTime(w)),
  stdvar_over_time: (w) => varianceOverTime(w),
  mad_over_time: (w) => {
    const vals = values(w);
    if (vals.some((x) => Number.isNaN(x))) return NaN;
    const median = quantile(0.5, vals);
    return quantile(
      0.5,
      vals.map((x) => Math.abs(x - median)),
    );
  },
  changes: (w) => {
    const { v, hi } = w;
    const lo = startOf(w);
    if (lo === undefined) return undefined;
    let n = 0;
    for (let i = lo + 1; i < hi; i++) if (v[i] !== v[i - 1] && !(Number.isNaN(v[i]) && Number.isNaN(v[i - 1]))) n++;
    return n;
  },
  resets: (w) => {
    const { v, hi } = w;
    const lo = startOf(w);
    if (lo === undefined) return undefined;
    let n = 0;
    for (let i = lo + 1; i < hi; i++) if (v[i] < v[i - 1]) n++;
    return n;
  },
};

/** Range functions whose result keeps the metric name (they act like a selector). */
export const KEEPS_NAME = new Set(['last_over_time', 'first_over_time']);
