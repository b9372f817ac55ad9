/**
 * The common aggregations (sum, avg, count, group, min, max, stddev, stdvar, topk, bottomk) over
 * the step grid without an object per input point: each input series' group is found once, then
 * each step folds the values present into per-group state. Values are folded in input-series
 * order and groups are emitted in order of first appearance at each step, exactly as the general
 * path (aggregate.ts) does, so the floating-point results and the series order are the same.
 */
import { type EvalContext, type StepSeries, evalError, keyOf } from './engine-types.js';
import type { Labels } from './values.js';

export const FAST_OPS = new Set(['sum', 'avg', 'count', 'group', 'min', 'max', 'stddev', 'stdvar', 'topk', 'bottomk']);

export function fastAggregate(ctx: EvalContext, op: string, series: StepSeries[], groupOf: (l: Labels) => Labels, params: Float64Array | undefined): StepSeries[] {
  const n = series.length;
  const gid = new Int32Array(n);
  const groups: Labels[] = [];
  const byKey = new Map<string, number>();
  for (let s = 0; s < n; s++) {
    const g = groupOf(series[s].metric);
    const k = keyOf(g);
    let id = byKey.get(k);
    if (id === undefined) {
      id = groups.length;
      groups.push(g);
      byKey.set(k, id);
    }
    gid[s] = id;
  }
  const selectK = op === 'topk' || op === 'bottomk';
  if (!selectK && groups.length * ctx.numSteps <= aggregateTuning.gridCells) return foldBySeries(ctx, op, series, gid, groups);
  const state = new GroupState(groups.length);
  const out = new Emitter();
  const cursor = new Int32Array(n);
  const startedAt = new Int32Array(groups.length).fill(-1);
  // The step at which a series marked for name removal last joined each group (`by (__name__)`
  // keeps such a name: the group inherits the mark).
  const markedAt = new Int32Array(groups.length).fill(-1);
  const order: number[] = [];
  const top: Array<Array<{ s: number; v: number }>> = selectK ? groups.map(() => []) : [];
  for (let i = 0; i < ctx.numSteps; i++) {
    if ((i & 63) === 0) ctx.limits.check();
    order.length = 0;
    const bound = selectK ? Math.min(Math.trunc(params![i]), n) : 0;
    for (let s = 0; s < n; s++) {
      const ser = series[s];
      const c = cursor[s];
      if (c >= ser.idx.length || ser.idx[c] !== i) continue;
      cursor[s] = c + 1;
      const f = ser.v[c];
      const g = gid[s];
      const first = startedAt[g] !== i;
      if (first) {
        startedAt[g] = i;
        order.push(g);
      }
      if (ser.dropName) markedAt[g] = i;
      if (selectK) {
        if (first) top[g].length = 0;
        if (bound >= 1) insertTop(top[g], s, f, bound, op === 'topk');
      } else if (first) state.start(g, f);
      else state.fold(op, g, f);
    }
    for (const g of order) {
      if (!selectK) out.emit(groups[g], i, state.result(op, g), markedAt[g] === i);
      else for (const e of top[g]) out.emit(series[e.s].metric, i, e.v, series[e.s].dropName);
    }
  }
  return out.series;
}

/** Most (group, step) cells foldBySeries holds (~33 bytes each); a setting so tests reach both walks. */
export const aggregateTuning = { gridCells: 1 << 20 };

/**
 * The reductions with a state cell per (group, step), walking each series' points in turn: the
 * same folds in the same (input-series) order per cell as the step-by-step walk, without visiting
 * every series at every step. A step's groups are emitted in order of their first series.
 */
function foldBySeries(ctx: EvalContext, op: string, series: StepSeries[], gid: Int32Array, groups: Labels[]): StepSeries[] {
  const steps = ctx.numSteps;
  const state = new GroupState(groups.length * steps);
  const firstSeries = new Int32Array(groups.length * steps).fill(-1);
  const marked = new Uint8Array(groups.length * steps);
  for (let s = 0; s < series.length; s++) {
    if ((s & 63) === 0) ctx.limits.check();
    const { idx, v, dropName } = series[s];
    const base = gid[s] * steps;
    for (let j = 0; j < idx.length; j++) {
      const cell = base + idx[j];
      if (dropName) marked[cell] = 1;
      if (firstSeries[cell] < 0) {
        firstSeries[cell] = s;
        state.start(cell, v[j]);
      } else state.fold(op, cell, v[j]);
    }
  }
  const out = new Emitter();
  const order: number[] = [];
  for (let i = 0; i < steps; i++) {
    order.length = 0;
    for (let g = 0; g < groups.length; g++) if (firstSeries[g * steps + i] >= 0) order.push(g);
    order.sort((a, b) => firstSeries[a * steps + i] - firstSeries[b * steps + i]);
    for (const g of order) out.emit(groups[g], i, state.result(op, g * steps + i), marked[g * steps + i] === 1);
  }
  return out.series;
}

/** Keeps `list` the first `bound` entries of a stable sort by value (NaN last), adding (s, v) after its equals. */
function insertTop(list: Array<{ s: number; v: number }>, s: number, v: number, bound: number, desc: boolean): void {
  let p = list.length;
  while (p > 0 && before(v, list[p - 1].v, desc)) p--;
  if (p >= bound) return;
  list.splice(p, 0, { s, v });
  if (list.length > bound) list.pop();
}

/** Whether a strictly precedes b in topk (desc) or bottomk order; NaN goes last either way. */
function before(a: number, b: number, desc: boolean): boolean {
  const an = Number.isNaN(a);
  const bn = Number.isNaN(b);
  if (an || bn) return !an && bn;
  return desc ? a > b : a < b;
}

/**
 * Per-group running state, as the general path's reductions compute it: `a` the Kahan sum (or
 * min/max, or Welford's sum of squares), `c` its compensation, `m` a mean, `n` the count.
 */
class GroupState {
  private readonly a: Float64Array;
  private readonly c: Float64Array;
  private readonly m: Float64Array;
  private readonly n: Float64Array;
  /** avg switched to the incremental mean after its sum overflowed. */
  private readonly incremental: Uint8Array;

  constructor(size: number) {
    this.a = new Float64Array(size);
    this.c = new Float64Array(size);
    this.m = new Float64Array(size);
    this.n = new Float64Array(size);
    this.incremental = new Uint8Array(size);
  }

  start(g: number, f: number): void {
    this.a[g] = f;
    this.c[g] = 0;
    this.m[g] = f;
    this.n[g] = 1;
    this.incremental[g] = 0;
  }

  fold(op: string, g: number, f: number): void {
    const count = ++this.n[g];
    switch (op) {
      case 'sum':
        this.kahan(g, f);
        return;
      case 'avg': {
        if (!this.incremental[g]) {
          const sum = this.a[g];
          const t = sum + f;
          if (Number.isNaN(t) || Number.isFinite(t)) {
            this.kahan(g, f);
            return;
          }
          this.incremental[g] = 1;
          this.m[g] = sum / (count - 1);
          this.c[g] /= count - 1;
        }
        const q = (count - 1) / count;
        this.a[g] = q * this.m[g];
        this.c[g] = q * this.c[g];
        this.kahan(g, f / count);
        this.m[g] = this.a[g];
        return;
      }
      case 'min':
      case 'max': {
        const v = this.a[g];
        if (Number.isNaN(v) || (op === 'max' ? v < f : v > f)) this.a[g] = f;
        return;
      }
      case 'stddev':
      case 'stdvar': {
        if (count === 2) this.a[g] = Number.isFinite(this.m[g]) ? 0 : NaN;
        const delta = f - this.m[g];
        this.m[g] += delta / count;
        this.a[g] += delta * (f - this.m[g]);
        return;
      }
      case 'count':
      case 'group':
        return;
      default:
        throw evalError(`unknown aggregation operator "${op}"`);
    }
  }

  result(op: string, g: number): number {
    const n = this.n[g];
    switch (op) {
      case 'sum': {
        const sum = this.a[g];
        return Number.isFinite(sum) ? sum + this.c[g] : sum;
      }
      case 'avg':
        return this.incremental[g] ? this.m[g] + this.c[g] : this.a[g] / n + this.c[g] / n;
      case 'min':
      case 'max':
        return this.a[g];
      case 'count':
        return n;
      case 'group':
        return 1;
      case 'stddev':
      case 'stdvar': {
        const variance = (n === 1 ? (Number.isFinite(this.m[g]) ? 0 : NaN) : this.a[g]) / n;
        return op === 'stddev' ? Math.sqrt(variance) : variance;
      }
      default:
        throw evalError(`unknown aggregation operator "${op}"`);
    }
  }

  /** Kahan–Neumaier step of `a`/`c` (engine-types' kahanInc, without its array per call). */
  private kahan(g: number, inc: number): void {
    const sum = this.a[g];
    const t = sum + inc;
    if (!Number.isFinite(t) && !Number.isNaN(t)) {
      this.a[g] = t;
      this.c[g] = 0;
      return;
    }
    if (Math.abs(sum) >= Math.abs(inc)) this.c[g] += sum - t + inc;
    else this.c[g] += inc - t + sum;
    this.a[g] = t;
  }
}

/** Step results gathered into series, as engine-types' stepwise gathers them (same order, same error). */
class Emitter {
  readonly series: StepSeries[] = [];
  private readonly byKey = new Map<string, StepSeries>();

  /** `marked`: the result keeps a metric name due for removal (delayed name removal), as stepwise does. */
  emit(metric: Labels, i: number, v: number, marked = false): void {
    const k = keyOf(metric);
    let ser = this.byKey.get(k);
    if (!ser) {
      ser = marked ? { metric, idx: [], v: [], dropName: true } : { metric, idx: [], v: [] };
      this.byKey.set(k, ser);
      this.series.push(ser);
    } else if (ser.idx[ser.idx.length - 1] === i) {
      throw evalError('vector cannot contain metrics with the same labelset');
    }
    ser.idx.push(i);
    ser.v.push(v);
  }
}
