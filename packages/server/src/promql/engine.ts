/**
 * The PromQL evaluator: Prometheus 3.x's promql/engine.go in our shapes. An expression is
 * evaluated once over the query's step grid (an instant query is a grid of one step); selectors
 * read the source once for the whole grid and then slice windows per step over typed arrays.
 *
 * Semantics kept from Prometheus: the instant-vector lookback window and range windows are
 * left-open, `(t - window, t]`; a staleness marker ends a series; `offset` and `@` shift or pin the
 * evaluation time of a selector or subquery (`@ start()`/`@ end()` are the outermost query's start
 * and end); subqueries run on a grid aligned to multiples of their step. The experimental
 * `anchored`/`smoothed` selectors read a lookback delta beyond their windows
 * (functions-extended.ts).
 *
 * Subqueries without a step (`x[1h:]`) run at `defaultSubqueryStepMs`, 60 s unless given: what
 * Prometheus does with its default global evaluation interval (1m), whatever the query's step.
 */
import type { AtModifier, Expr, MatrixSelector, SubqueryExpr, VectorSelector } from './ast.js';
import { evalAggregate } from './aggregate.js';
import { evalBinary } from './binary.js';
import {
  type EvalContext,
  type EvalValue,
  type RawSeries,
  type StepSeries,
  Limits,
  countPoints,
  evalError,
  labelsCompare,
  removeMarkedNames,
  stepTime,
  withoutMetadata,
} from './engine-types.js';
import { PromqlError } from './errors.js';
import { evalCall } from './functions.js';
import { type Extension, extendedPoints, extensionMargins, smoothedValue } from './functions-extended.js';
import { typeOf } from './parse-check.js';
import { type Series, type SeriesSource, type Value, isStale, labelsKey } from './values.js';

export interface EvaluateOptions {
  startMs: number;
  endMs: number;
  stepMs: number;
  /** Instant-vector lookback; Prometheus's default is 5 minutes. */
  lookbackDeltaMs?: number;
  /** Most samples held in memory at once (Prometheus's `--query.max-samples`, default 50,000,000). */
  maxSamples?: number;
  /** `performance.now()` value after which the query fails with a timeout. */
  deadline?: number;
  /** Resolution of subqueries written without a step (`x[1h:]`); Prometheus's global evaluation interval, default 60 s. */
  defaultSubqueryStepMs?: number;
  source: SeriesSource;
}

const DEFAULT_LOOKBACK_MS = 5 * 60 * 1000;
const DEFAULT_MAX_SAMPLES = 50_000_000;
const DEFAULT_SUBQUERY_STEP_MS = 60 * 1000;

/** A range vector at each step: raw series, and the window `(ref - rangeMs, ref]` of step i. */
export interface RangeInput {
  series: RawSeries[];
  rangeMs: number;
  refAt(i: number): number;
  /** An anchored/smoothed matrix selector; its series then also hold samples beyond the windows. */
  extension?: Extension;
}

/**
 * Index range [lo, hi) of step i's samples in `s`: the window `(ref - rangeMs, ref]`, widened by
 * the lookback delta for an anchored/smoothed selector (functions-extended.ts).
 */
export function rangeWindow(ctx: EvalContext, r: RangeInput, s: RawSeries, i: number): [number, number] {
  const ref = r.refAt(i);
  const [before, after] = extensionMargins(r.extension, ctx.lookback);
  return windowBounds(s.t, ref - r.rangeMs - before, ref + after);
}

/** What the function and aggregation code may ask of the evaluator. */
export interface Evaluator {
  ctx: EvalContext;
  eval(e: Expr): Promise<EvalValue>;
  evalRange(e: Expr): Promise<RangeInput>;
  /** `timestamp(selector)`: the selected samples' own timestamps, in seconds. */
  evalSampleTimestamps(vs: VectorSelector): Promise<StepSeries[]>;
}

/** Evaluate a parsed query: an instant query when start === end, else a range query. */
export async function evaluate(expr: Expr, opts: EvaluateOptions): Promise<Value> {
  const { startMs, endMs } = opts;
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs)) throw new PromqlError('bad_data', 'invalid query time range');
  if (endMs < startMs) throw new PromqlError('bad_data', 'invalid parameter "end": end timestamp must not be before start time');
  const instant = startMs === endMs;
  if (!instant && !(opts.stepMs > 0)) {
    throw new PromqlError('bad_data', 'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer');
  }
  const interval = instant ? 1 : opts.stepMs;
  const type = typeOf(expr);
  if (!instant && (type === 'matrix' || type === 'string')) {
    const name = type === 'matrix' ? 'range vector' : 'string';
    throw new PromqlError('bad_data', `invalid expression type "${name}" for range query, must be Scalar or instant Vector`);
  }
  const ctx: EvalContext = {
    start: startMs,
    end: endMs,
    interval,
    numSteps: Math.floor((endMs - startMs) / interval) + 1,
    queryStart: startMs,
    queryEnd: endMs,
    queryStep: instant ? 0 : opts.stepMs,
    lookback: opts.lookbackDeltaMs && opts.lookbackDeltaMs > 0 ? opts.lookbackDeltaMs : DEFAULT_LOOKBACK_MS,
    defaultSubqueryStep: opts.defaultSubqueryStepMs && opts.defaultSubqueryStepMs > 0 ? opts.defaultSubqueryStepMs : DEFAULT_SUBQUERY_STEP_MS,
    limits: new Limits(opts.maxSamples ?? DEFAULT_MAX_SAMPLES, opts.deadline ?? Infinity),
    source: opts.source,
  };
  const ev = makeEvaluator(ctx);
  ctx.limits.check();
  if (type === 'matrix') {
    const r = await ev.evalRange(expr);
    const series: RawSeries[] = [];
    const ref = r.refAt(0);
    for (const s of r.series) {
      const [lo, hi] = rangeWindow(ctx, r, s, 0);
      if (hi <= lo) continue;
      if (!r.extension) {
        series.push({ metric: s.metric, t: s.t.slice(lo, hi), v: s.v.slice(lo, hi), dropName: s.dropName });
        continue;
      }
      const p = extendedPoints(s.t, s.v, lo, hi, ref - r.rangeMs, ref, r.extension === 'smoothed');
      if (p) series.push({ metric: s.metric, t: Float64Array.from(p.t), v: Float64Array.from(p.v), dropName: s.dropName });
    }
    ctx.limits.add(countPoints(series));
    return { type: 'matrix', series: removeMarkedRawNames(series).sort((a, b) => labelsCompare(a.metric, b.metric)) };
  }
  const evaluated = await ev.eval(expr);
  const val = evaluated.kind === 'vector' ? { kind: 'vector' as const, series: removeMarkedNames(evaluated.series) } : evaluated;
  ctx.limits.check('query execution');
  switch (val.kind) {
    case 'string':
      return { type: 'string', t: startMs, v: val.v };
    case 'scalar':
      if (instant) return { type: 'scalar', t: startMs, v: val.v[0] };
      return { type: 'matrix', series: [{ metric: {}, t: gridTimes(ctx, ctx.numSteps), v: Float64Array.from(val.v) }] };
    case 'vector':
      if (instant) {
        return { type: 'vector', samples: val.series.filter((s) => s.idx.length > 0).map((s) => ({ metric: s.metric, t: startMs, v: s.v[0] })) };
      }
      return {
        type: 'matrix',
        series: val.series
          .filter((s) => s.idx.length > 0)
          .map((s) => toSeries(ctx, s))
          .sort((a, b) => labelsCompare(a.metric, b.metric)),
      };
    default:
      throw new PromqlError('bad_data', 'unexpected matrix result');
  }
}

/** removeMarkedNames for a range vector at the top of an instant query: equal label sets merge by timestamp. */
function removeMarkedRawNames(series: RawSeries[]): Series[] {
  const byKey = new Map<string, RawSeries[]>();
  for (const s of series) {
    const metric = s.dropName ? withoutMetadata(s.metric) : s.metric;
    const k = labelsKey(metric);
    const list = byKey.get(k);
    if (list) list.push({ ...s, metric });
    else byKey.set(k, [{ ...s, metric }]);
  }
  const out: Series[] = [];
  for (const list of byKey.values()) {
    if (list.length === 1) {
      out.push({ metric: list[0].metric, t: list[0].t, v: list[0].v });
      continue;
    }
    const points = list.flatMap((s) => Array.from(s.t, (t, i) => [t, s.v[i]] as const)).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < points.length; i++) {
      if (points[i][0] === points[i - 1][0]) throw evalError('vector cannot contain metrics with the same labelset');
    }
    out.push({ metric: list[0].metric, t: Float64Array.from(points, (p) => p[0]), v: Float64Array.from(points, (p) => p[1]) });
  }
  return out;
}

function gridTimes(ctx: EvalContext, n: number): Float64Array {
  const t = new Float64Array(n);
  for (let i = 0; i < n; i++) t[i] = stepTime(ctx, i);
  return t;
}

/** Step points as a timestamped series (plain loops: typed-array `from` with a map is slow in V8). */
function toSeries(ctx: EvalContext, s: StepSeries): Series {
  const n = s.idx.length;
  const t = new Float64Array(n);
  const v = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    t[j] = stepTime(ctx, s.idx[j]);
    v[j] = s.v[j];
  }
  return { metric: s.metric, t, v };
}

export function makeEvaluator(ctx: EvalContext): Evaluator {
  const ev: Evaluator = {
    ctx,
    async eval(e) {
      ctx.limits.check();
      // Children's samples are released once the parent's result exists (as Prometheus does).
      const before = ctx.limits.current;
      const val = await evalNode(ev, e);
      ctx.limits.current = before;
      if (val.kind === 'vector') ctx.limits.add(countPoints(val.series));
      else if (val.kind === 'scalar') ctx.limits.add(val.v.length);
      return val;
    },
    evalRange: (e) => evalRange(ev, e),
    evalSampleTimestamps: (vs) => selectVector(ctx, vs, true),
  };
  return ev;
}

async function evalNode(ev: Evaluator, e: Expr): Promise<EvalValue> {
  const ctx = ev.ctx;
  switch (e.type) {
    case 'number':
      return { kind: 'scalar', v: new Float64Array(ctx.numSteps).fill(e.value) };
    case 'string':
      return { kind: 'string', v: e.value };
    case 'paren':
      return ev.eval(e.expr);
    case 'vector_selector':
      return { kind: 'vector', series: await selectVector(ctx, e, false) };
    case 'unary': {
      const val = await ev.eval(e.expr);
      if (e.op === '+') return val;
      if (val.kind === 'scalar') return { kind: 'scalar', v: val.v.map((x) => -x) };
      if (val.kind !== 'vector') throw new PromqlError('bad_data', `unary expression only allowed on expressions of type scalar or instant vector, got "${val.kind}"`);
      return {
        kind: 'vector',
        series: val.series.map((s) => ({ metric: s.metric, idx: s.idx, v: s.v.map((x) => -x), dropName: true })),
      };
    }
    case 'binary':
      return evalBinary(ev, e);
    case 'aggregate':
      return evalAggregate(ev, e);
    case 'call':
      return evalCall(ev, e);
    case 'matrix_selector':
    case 'subquery':
      throw new PromqlError('bad_data', 'range vector not allowed in this position (expected scalar or instant vector)');
  }
}

/** Where an `@` pins evaluation; undefined when it does not. */
function atTime(ctx: EvalContext, at: AtModifier | undefined): number | undefined {
  if (!at) return undefined;
  if (at.kind === 'start') return ctx.queryStart;
  if (at.kind === 'end') return ctx.queryEnd;
  return at.ms;
}

/** Index range [lo, hi) of the samples with lower < t <= upper. */
export function windowBounds(t: Float64Array, lower: number, upper: number): [number, number] {
  return [upperBound(t, lower), upperBound(t, upper)];
}

/** First index with t[i] > x. */
function upperBound(t: Float64Array, x: number): number {
  let lo = 0;
  let hi = t.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (t[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

async function fetchSeries(ctx: EvalContext, vs: VectorSelector, from: number, to: number): Promise<Series[]> {
  if (vs.matchers.length === 0) throw new PromqlError('bad_data', 'vector selector must contain at least one non-empty matcher');
  const got = await ctx.source.select(vs.matchers, from, to);
  ctx.limits.check();
  // Storage order is label order in Prometheus; limitk and friends depend on a stable order.
  return [...got].sort((a, b) => labelsCompare(a.metric, b.metric));
}

/**
 * An instant vector selector over the grid: at step i the newest sample in
 * `(ref - lookback, ref]`, unless that sample is a staleness marker.
 */
async function selectVector(ctx: EvalContext, vs: VectorSelector, timestamps: boolean): Promise<StepSeries[]> {
  const pinned = atTime(ctx, vs.at);
  const refAt = (i: number) => (pinned ?? stepTime(ctx, i)) - vs.offsetMs;
  if (ctx.numSteps === 0) return [];
  const first = refAt(0);
  const last = refAt(ctx.numSteps - 1);
  // `timestamp(x smoothed)` reads the samples as they are, as upstream does.
  const smoothed = vs.extension === 'smoothed' && !timestamps;
  const raw = await fetchSeries(ctx, vs, Math.min(first, last) - ctx.lookback, Math.max(first, last) + (smoothed ? ctx.lookback : 0));
  if (smoothed) return smoothSeries(ctx, raw.map(withoutStale), refAt);
  const out: StepSeries[] = [];
  for (const s of raw) {
    const idx: number[] = [];
    const v: number[] = [];
    let j = 0;
    for (let i = 0; i < ctx.numSteps; i++) {
      const ref = refAt(i);
      if (pinned !== undefined) j = 0;
      while (j < s.t.length && s.t[j] <= ref) j++;
      const k = j - 1;
      if (k < 0 || s.t[k] <= ref - ctx.lookback || isStale(s.v[k])) continue;
      idx.push(i);
      v.push(timestamps ? s.t[k] / 1000 : s.v[k]);
    }
    if (idx.length > 0) out.push(timestamps ? { metric: s.metric, idx, v, dropName: true } : { metric: s.metric, idx, v });
  }
  ctx.limits.add(countPoints(out));
  return out;
}

/**
 * `x smoothed`: at each step the value at the step's time, interpolated between the samples
 * around it within a lookback delta either side (staleness markers are not samples here).
 */
function smoothSeries(ctx: EvalContext, raw: RawSeries[], refAt: (i: number) => number): StepSeries[] {
  const out: StepSeries[] = [];
  for (const s of raw) {
    const idx: number[] = [];
    const v: number[] = [];
    for (let i = 0; i < ctx.numSteps; i++) {
      const ref = refAt(i);
      const [lo, hi] = windowBounds(s.t, ref - ctx.lookback, ref + ctx.lookback);
      const val = smoothedValue(s.t, s.v, lo, hi, ref);
      if (val === undefined) continue;
      idx.push(i);
      v.push(val);
    }
    if (idx.length > 0) out.push({ metric: s.metric, idx, v });
  }
  ctx.limits.add(countPoints(out));
  return out;
}

async function evalRange(ev: Evaluator, e: Expr): Promise<RangeInput> {
  while (e.type === 'paren') e = e.expr;
  if (e.type === 'matrix_selector') return selectMatrix(ev.ctx, e);
  if (e.type === 'subquery') return evalSubquery(ev, e);
  throw new PromqlError('bad_data', `expected type range vector, got ${typeOf(e)}`);
}

/** Samples of a matrix selector for all steps at once; staleness markers are not samples. */
async function selectMatrix(ctx: EvalContext, ms: MatrixSelector): Promise<RangeInput> {
  const vs = ms.vector;
  const pinned = atTime(ctx, vs.at);
  const refAt = (i: number) => (pinned ?? stepTime(ctx, i)) - vs.offsetMs;
  const n = Math.max(ctx.numSteps, 1);
  const [before, after] = extensionMargins(vs.extension, ctx.lookback);
  const lo = Math.min(refAt(0), refAt(n - 1)) - ms.rangeMs - before;
  const hi = Math.max(refAt(0), refAt(n - 1)) + after;
  const raw = await fetchSeries(ctx, vs, lo, hi);
  const series = raw.map(withoutStale);
  return { series, rangeMs: ms.rangeMs, refAt, extension: vs.extension };
}

/** A series without its staleness markers (range windows take samples only). */
function withoutStale(s: Series): RawSeries {
  let stale = 0;
  for (let i = 0; i < s.v.length; i++) if (isStale(s.v[i])) stale++;
  if (stale === 0) return s;
  const t = new Float64Array(s.t.length - stale);
  const v = new Float64Array(s.t.length - stale);
  let k = 0;
  for (let i = 0; i < s.v.length; i++) {
    if (isStale(s.v[i])) continue;
    t[k] = s.t[i];
    v[k++] = s.v[i];
  }
  return { metric: s.metric, t, v };
}

/**
 * A subquery runs its expression on its own grid, aligned to multiples of its step, covering
 * every window the outer steps will look at; the outer steps then read windows like a matrix
 * selector's.
 */
async function evalSubquery(ev: Evaluator, sq: SubqueryExpr): Promise<RangeInput> {
  const ctx = ev.ctx;
  const step = sq.stepMs && sq.stepMs > 0 ? sq.stepMs : ctx.defaultSubqueryStep;
  const pinned = atTime(ctx, sq.at);
  const refAt = (i: number) => (pinned ?? stepTime(ctx, i)) - sq.offsetMs;
  const n = Math.max(ctx.numSteps, 1);
  const firstRef = Math.min(refAt(0), refAt(n - 1));
  const end = Math.max(refAt(0), refAt(n - 1));
  let start = step * Math.floor((firstRef - sq.rangeMs) / step);
  if (start <= firstRef - sq.rangeMs) start += step;
  const inner: EvalContext = { ...ctx, start, end, interval: step, numSteps: end < start ? 0 : Math.floor((end - start) / step) + 1 };
  const innerEv = makeEvaluator(inner);
  const val = await innerEv.eval(sq.expr);
  let series: RawSeries[];
  if (val.kind === 'vector') {
    series = val.series.map((s) => ({ ...toSeries(inner, s), dropName: s.dropName }));
  } else if (val.kind === 'scalar') {
    series = [{ metric: {}, t: gridTimes(inner, inner.numSteps), v: Float64Array.from(val.v) }];
  } else {
    throw new PromqlError('bad_data', `subquery is only allowed on instant vector, got ${val.kind} instead`);
  }
  return { series, rangeMs: sq.rangeMs, refAt };
}
