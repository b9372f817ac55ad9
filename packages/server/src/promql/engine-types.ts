/**
 * The engine's internal shapes and the label helpers every evaluation file shares. Like
 * Prometheus's evaluator, an expression is evaluated once over the whole step grid; an instant
 * vector becomes a set of series with points at some of the steps (`StepSeries`), so range queries
 * cost one pass per node rather than one pass per step.
 */
import { PromqlError } from './errors.js';
import type { Labels } from './values.js';

/*
 * Delayed name removal (Prometheus 3.x's `EnableDelayedNameRemoval`, on in its test suite): an
 * operation that changes what a value means (functions, unary minus, vector–scalar arithmetic,
 * comparisons with `bool`) does not drop `__name__` (and `__type__`/`__unit__`) at once but marks
 * the series `dropName`; the labels go only when the query's result is assembled
 * (`removeMarkedNames`). In between, `label_replace(rate(x[1m]), "__name__", …)` still sees the
 * name, `sum by (__name__)` groups by it, and `-a or -b` does not collide halfway.
 */

/** One element of an instant vector at a step. */
export interface Sample {
  metric: Labels;
  v: number;
  /** The metadata labels go when the result is assembled (delayed name removal). */
  dropName?: boolean;
}

/** An instant-vector series over the step grid: `idx` are step indexes (ascending), `v` values. */
export interface StepSeries {
  metric: Labels;
  idx: number[];
  v: number[];
  dropName?: boolean;
}

/** A series with raw timestamps (matrix selectors, subquery results). */
export interface RawSeries {
  metric: Labels;
  t: Float64Array;
  v: Float64Array;
  dropName?: boolean;
}

export type EvalValue =
  | { kind: 'scalar'; v: Float64Array }
  | { kind: 'string'; v: string }
  | { kind: 'vector'; series: StepSeries[] }
  /** Only a matrix selector or subquery evaluated at the top of an instant query. */
  | { kind: 'matrix'; series: RawSeries[] };

/** What every evaluation step needs: the grid, the limits, the source. */
export interface EvalContext {
  /** The grid this (sub)evaluation runs on. */
  start: number;
  end: number;
  interval: number;
  numSteps: number;
  /** The outermost query's start and end, for `@ start()` / `@ end()`. */
  queryStart: number;
  queryEnd: number;
  /** The outermost query's step; 0 for an instant query (what `step()` returns). */
  queryStep: number;
  lookback: number;
  /** Resolution of subqueries without an explicit step. */
  defaultSubqueryStep: number;
  limits: Limits;
  source: import('./values.js').SeriesSource;
}

/** Sample accounting and the deadline, shared by a query and its subqueries. */
export class Limits {
  current = 0;
  constructor(
    readonly maxSamples: number,
    readonly deadline: number,
  ) {}

  /** Count samples now held in memory; Prometheus's `--query.max-samples` guard. */
  add(n: number): void {
    this.current += n;
    if (this.current > this.maxSamples) {
      throw new PromqlError('execution', 'query processing would load too many samples into memory in query execution');
    }
  }

  release(n: number): void {
    this.current = Math.max(0, this.current - n);
  }

  check(where = 'expression evaluation'): void {
    if (performance.now() > this.deadline) throw new PromqlError('timeout', `query timed out in ${where}`);
  }
}

export function stepTime(ctx: EvalContext, i: number): number {
  return ctx.start + i * ctx.interval;
}

export function evalError(message: string): PromqlError {
  return new PromqlError('execution', message);
}

// ---- labels ----

const keyCache = new WeakMap<Labels, string>();

/** Canonical key of a label set (keys are kept sorted by every helper here). */
export function keyOf(l: Labels): string {
  let k = keyCache.get(l);
  if (k === undefined) {
    k = '';
    for (const name of Object.keys(l).sort()) k += `${name}\u0000${l[name]}\u0001`;
    keyCache.set(l, k);
  }
  return k;
}

/** A new label set with keys sorted and empty values removed (`x=""` means "no x"). */
export function makeLabels(entries: Record<string, string>): Labels {
  const out: Record<string, string> = {};
  for (const name of Object.keys(entries).sort()) if (entries[name] !== '') out[name] = entries[name];
  return out;
}

/** Metadata labels a value-changing operation drops (Prometheus's `schema.IsMetadataLabel`). */
const METADATA_LABELS = new Set(['__name__', '__type__', '__unit__']);

export function withoutMetadata(l: Labels): Labels {
  if (!('__name__' in l) && !('__type__' in l) && !('__unit__' in l)) return l;
  const out: Record<string, string> = {};
  for (const k of Object.keys(l)) if (!METADATA_LABELS.has(k)) out[k] = l[k];
  return out;
}

export function setLabel(l: Labels, name: string, value: string): Labels {
  return makeLabels({ ...l, [name]: value });
}

/** Prometheus's `labels.Compare`: label by label in name order, names first, then values. */
export function labelsCompare(a: Labels, b: Labels): number {
  const ak = Object.keys(a).sort();
  const bk = Object.keys(b).sort();
  const n = Math.min(ak.length, bk.length);
  for (let i = 0; i < n; i++) {
    if (ak[i] !== bk[i]) return ak[i] < bk[i] ? -1 : 1;
    const av = a[ak[i]];
    const bv = b[bk[i]];
    if (av !== bv) return av < bv ? -1 : 1;
  }
  return ak.length - bk.length;
}

/** Prometheus's `Labels.String()`: `{__name__="x", a="b"}`, used in error messages. */
export function labelsString(l: Labels): string {
  const parts = Object.keys(l)
    .sort()
    .map((k) => `${/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k) ? k : JSON.stringify(k)}=${JSON.stringify(l[k])}`);
  return `{${parts.join(', ')}}`;
}

/** Signature for vector matching: `on(...)` keeps only the listed labels; `ignoring(...)` drops them and the name. */
export function matchSignature(l: Labels, on: boolean, names: readonly string[]): string {
  let k = '';
  if (on) {
    for (const name of [...names].sort()) if (l[name] !== undefined) k += `${name}\u0000${l[name]}\u0001`;
  } else {
    for (const name of Object.keys(l).sort()) {
      if (name === '__name__' || names.includes(name)) continue;
      k += `${name}\u0000${l[name]}\u0001`;
    }
  }
  return k;
}

/** The labels a signature is built from, as a label set (error messages, fill values). */
export function matchLabels(l: Labels, on: boolean, names: readonly string[]): Labels {
  const out: Record<string, string> = {};
  for (const k of Object.keys(l).sort()) {
    if (on ? names.includes(k) : k !== '__name__' && !names.includes(k)) out[k] = l[k];
  }
  return out;
}

// ---- numerics ----

/** Kahan–Neumaier summation step, as Prometheus's `kahansum.Inc`. Returns [sum, compensation]. */
export function kahanInc(inc: number, sum: number, c: number): [number, number] {
  const t = sum + inc;
  if (!Number.isFinite(t) && !Number.isNaN(t)) return [t, 0];
  if (Math.abs(sum) >= Math.abs(inc)) c += sum - t + inc;
  else c += inc - t + sum;
  return [t, c];
}

/** Go's `strconv.FormatFloat(f, 'f', -1, 64)`: shortest round-trip digits, never exponent notation. */
export function formatFloatPlain(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (Object.is(f, -0)) return '-0';
  const s = String(f);
  if (!/e/i.test(s)) return s;
  const neg = f < 0;
  const [mant, expStr] = (neg ? s.slice(1) : s).split('e');
  const exp = Number(expStr);
  const [ip, fp = ''] = mant.split('.');
  const digits = ip + fp;
  const point = ip.length + exp;
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return neg ? `-${out}` : out;
}

// ---- step-wise evaluation ----

/** A per-step argument: a scalar's value, or the vector's samples at that step. */
export type StepArg = number | Sample[];

/**
 * Prometheus's `rangeEval`: call `fn` once per step with every argument's value at that step and
 * gather the output samples into series. Two outputs with one label set at one step is the
 * error Prometheus reports for it.
 */
export function stepwise(
  ctx: EvalContext,
  args: Array<StepSeries[] | Float64Array>,
  fn: (vals: StepArg[], i: number, ts: number) => Sample[],
): StepSeries[] {
  const cursors = args.map((a) => (a instanceof Float64Array ? null : new Int32Array(a.length)));
  const out = new Map<string, StepSeries>();
  for (let i = 0; i < ctx.numSteps; i++) {
    if ((i & 63) === 0) ctx.limits.check();
    const vals: StepArg[] = args.map((a, ai) => {
      if (a instanceof Float64Array) return a[i];
      const cur = cursors[ai]!;
      const vec: Sample[] = [];
      for (let s = 0; s < a.length; s++) {
        const ser = a[s];
        const c = cur[s];
        if (c < ser.idx.length && ser.idx[c] === i) {
          vec.push(ser.dropName ? { metric: ser.metric, v: ser.v[c], dropName: true } : { metric: ser.metric, v: ser.v[c] });
          cur[s] = c + 1;
        }
      }
      return vec;
    });
    const res = fn(vals, i, stepTime(ctx, i));
    for (const s of res) {
      const k = keyOf(s.metric);
      let ser = out.get(k);
      if (!ser) {
        ser = s.dropName ? { metric: s.metric, idx: [], v: [], dropName: true } : { metric: s.metric, idx: [], v: [] };
        out.set(k, ser);
      } else if (ser.idx[ser.idx.length - 1] === i) {
        throw evalError('vector cannot contain metrics with the same labelset');
      }
      ser.idx.push(i);
      ser.v.push(s.v);
    }
  }
  return [...out.values()];
}

/** Series whose labels became equal (name dropped, label_replace) merge if they never overlap. */
export function mergeSameLabelset(series: StepSeries[]): StepSeries[] {
  const byKey = new Map<string, StepSeries[]>();
  for (const s of series) {
    const k = keyOf(s.metric);
    const list = byKey.get(k);
    if (list) list.push(s);
    else byKey.set(k, [s]);
  }
  if (byKey.size === series.length) return series;
  const out: StepSeries[] = [];
  for (const list of byKey.values()) {
    if (list.length === 1) {
      out.push(list[0]);
      continue;
    }
    const points = new Map<number, number>();
    for (const s of list) {
      for (let j = 0; j < s.idx.length; j++) {
        if (points.has(s.idx[j])) throw evalError('vector cannot contain metrics with the same labelset');
        points.set(s.idx[j], s.v[j]);
      }
    }
    const idx = [...points.keys()].sort((a, b) => a - b);
    out.push({ ...list[0], idx, v: idx.map((i) => points.get(i)!) });
  }
  return out;
}

/**
 * The end of delayed name removal: marked series lose their metadata labels, and series that now
 * share a label set merge (an instant vector, or overlapping steps, cannot hold two).
 */
export function removeMarkedNames(series: StepSeries[]): StepSeries[] {
  if (!series.some((s) => s.dropName)) return series;
  return mergeSameLabelset(series.map((s) => (s.dropName ? { metric: withoutMetadata(s.metric), idx: s.idx, v: s.v } : s)));
}

export function countPoints(series: Array<{ v: ArrayLike<number> }>): number {
  let n = 0;
  for (const s of series) n += s.v.length;
  return n;
}

/**
 * Prometheus's mean of `n` values (`at(0)` … `at(n-1)`, n ≥ 1): the Kahan-summed direct mean,
 * which is more accurate, until the running sum overflows; from then on the incremental mean.
 * `avg` and `avg_over_time` both use it.
 */
export function kahanMean(n: number, at: (i: number) => number): number {
  let sum = at(0);
  let c = 0;
  let mean = 0;
  let incremental = false;
  for (let i = 1; i < n; i++) {
    const f = at(i);
    const count = i + 1;
    if (!incremental) {
      const [ns, nc] = kahanInc(f, sum, c);
      if (Number.isNaN(ns) || Number.isFinite(ns)) {
        [sum, c] = [ns, nc];
        continue;
      }
      incremental = true;
      mean = sum / (count - 1);
      c /= count - 1;
    }
    const q = (count - 1) / count;
    [mean, c] = kahanInc(f / count, q * mean, q * c);
  }
  return incremental ? mean + c : sum / n + c / n;
}
