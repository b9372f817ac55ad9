/**
 * PromQL functions, as Prometheus's promql/functions.go (native-histogram functions excepted;
 * info() is in functions-info.ts), for the signatures in signatures.ts. Functions over instant
 * vectors run step by step; functions over range vectors slice each series' window per step
 * (functions-range.ts).
 */
import type { Call, Expr, LabelMatcher } from './ast.js';
import type { Evaluator } from './engine.js';
import {
  type EvalValue,
  type Sample,
  type StepSeries,
  evalError,
  keyOf,
  labelsCompare,
  makeLabels,
  stepTime,
  stepwise,
} from './engine-types.js';
import { PromqlError } from './errors.js';
import { evalInfo } from './functions-info.js';
import { labelJoin, labelReplace, naturalCompare } from './functions-labels.js';
import { checkExtensionAllowed, extensionMargins } from './functions-extended.js';
import { KEEPS_NAME, RANGE_FUNCTIONS, type Window } from './functions-range.js';
import { type Bucket, bucketFraction, bucketQuantile } from './quantile.js';
import { FUNCTIONS, arityError } from './signatures.js';
import type { Labels } from './values.js';

const MATH_FUNCTIONS: Record<string, (x: number) => number> = {
  abs: Math.abs,
  ceil: Math.ceil,
  floor: Math.floor,
  exp: Math.exp,
  sqrt: Math.sqrt,
  ln: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  sgn: (x) => (x < 0 ? -1 : x > 0 ? 1 : x),
  sin: Math.sin,
  cos: Math.cos,
  tan: Math.tan,
  asin: Math.asin,
  acos: Math.acos,
  atan: Math.atan,
  sinh: Math.sinh,
  cosh: Math.cosh,
  tanh: Math.tanh,
  asinh: Math.asinh,
  acosh: Math.acosh,
  atanh: Math.atanh,
  deg: (x) => (x * 180) / Math.PI,
  rad: (x) => (x * Math.PI) / 180,
};
const DATE_FUNCTIONS: Record<string, (d: Date) => number> = {
  day_of_month: (d) => d.getUTCDate(),
  day_of_week: (d) => d.getUTCDay(),
  day_of_year: (d) => Math.round((Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000) + 1,
  days_in_month: (d) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate(),
  hour: (d) => d.getUTCHours(),
  minute: (d) => d.getUTCMinutes(),
  month: (d) => d.getUTCMonth() + 1,
  year: (d) => d.getUTCFullYear(),
};

function stringArg(e: Expr, fn: string): string {
  while (e.type === 'paren') e = e.expr;
  if (e.type !== 'string') throw new PromqlError('bad_data', `expected type string in call to function "${fn}"`);
  return e.value;
}

async function scalarArg(ev: Evaluator, e: Expr, fn: string): Promise<Float64Array> {
  const v = await ev.eval(e);
  if (v.kind !== 'scalar') throw new PromqlError('bad_data', `expected type scalar in call to function "${fn}", got ${v.kind}`);
  return v.v;
}

async function vectorArg(ev: Evaluator, e: Expr, fn: string): Promise<StepSeries[]> {
  const v = await ev.eval(e);
  if (v.kind !== 'vector') throw new PromqlError('bad_data', `expected type instant vector in call to function "${fn}", got ${v.kind}`);
  return v.series;
}

/** Each sample's value mapped, the metric name marked for removal (functions change what the value means). */
function mapSamples(vec: Sample[], f: (x: number) => number): Sample[] {
  return vec.map((s) => ({ metric: s.metric, v: f(s.v), dropName: true }));
}

function vectorOf(series: StepSeries[]): EvalValue {
  return { kind: 'vector', series };
}

export async function evalCall(ev: Evaluator, e: Call): Promise<EvalValue> {
  const ctx = ev.ctx;
  const name = e.func;
  // The parser has checked this already; an AST built by hand gets the same answer here.
  const sig = FUNCTIONS.get(name);
  if (!sig) throw new PromqlError('bad_data', `unknown function with name ${JSON.stringify(name)}`);
  const arity = arityError(sig, e.args.length);
  if (arity) throw new PromqlError('bad_data', arity);
  if (name === 'info') return evalInfo(ev, e);

  const math = MATH_FUNCTIONS[name];
  if (math) {
    const vec = await vectorArg(ev, e.args[0], name);
    return vectorOf(stepwise(ctx, [vec], (vals) => mapSamples(vals[0] as Sample[], math)));
  }
  const date = DATE_FUNCTIONS[name];
  if (date) {
    const toDate = (sec: number) => new Date(Math.trunc(sec) * 1000);
    if (e.args.length === 0) {
      return vectorOf(stepwise(ctx, [], (_v, _i, ts) => [{ metric: {}, v: date(toDate(ts / 1000)) }]));
    }
    const vec = await vectorArg(ev, e.args[0], name);
    return vectorOf(stepwise(ctx, [vec], (vals) => mapSamples(vals[0] as Sample[], (x) => (Number.isFinite(x) ? date(toDate(x)) : NaN))));
  }
  if (RANGE_FUNCTIONS[name] || name === 'absent_over_time') return evalRangeFunction(ev, e);

  switch (name) {
    case 'time':
      return { kind: 'scalar', v: Float64Array.from({ length: ctx.numSteps }, (_, i) => stepTime(ctx, i) / 1000) };
    case 'pi':
      return { kind: 'scalar', v: new Float64Array(ctx.numSteps).fill(Math.PI) };
    case 'start':
    case 'end':
    case 'range':
    case 'step': {
      const value = { start: ctx.queryStart, end: ctx.queryEnd, range: ctx.queryEnd - ctx.queryStart, step: ctx.queryStep }[name];
      return { kind: 'scalar', v: new Float64Array(ctx.numSteps).fill(value / 1000) };
    }
    case 'min_of':
    case 'max_of': {
      const a = await scalarArg(ev, e.args[0], name);
      const b = await scalarArg(ev, e.args[1], name);
      return { kind: 'scalar', v: a.map((x, i) => (name === 'min_of' ? goMin(x, b[i]) : goMax(x, b[i]))) };
    }
    case 'vector': {
      const sc = await scalarArg(ev, e.args[0], name);
      return vectorOf(stepwise(ctx, [sc], (vals) => [{ metric: {}, v: vals[0] as number }]));
    }
    case 'scalar': {
      const vec = await vectorArg(ev, e.args[0], name);
      const v = new Float64Array(ctx.numSteps).fill(NaN);
      stepwise(ctx, [vec], (vals, i) => {
        const samples = vals[0] as Sample[];
        if (samples.length === 1) v[i] = samples[0].v;
        return [];
      });
      return { kind: 'scalar', v };
    }
    case 'absent': {
      const vec = await vectorArg(ev, e.args[0], name);
      const labels = absentLabels(e.args[0]);
      return vectorOf(stepwise(ctx, [vec], (vals) => ((vals[0] as Sample[]).length > 0 ? [] : [{ metric: labels, v: 1 }])));
    }
    case 'timestamp': {
      let arg = e.args[0];
      while (arg.type === 'paren') arg = arg.expr;
      // A selector's samples carry their own timestamps; anything else is stamped with the step time.
      if (arg.type === 'vector_selector') return vectorOf(await ev.evalSampleTimestamps(arg));
      const vec = await vectorArg(ev, arg, name);
      return vectorOf(stepwise(ctx, [vec], (vals, _i, ts) => mapSamples(vals[0] as Sample[], () => ts / 1000)));
    }
    case 'clamp':
    case 'clamp_min':
    case 'clamp_max': {
      const vec = await vectorArg(ev, e.args[0], name);
      const a = await scalarArg(ev, e.args[1], name);
      const b = name === 'clamp' ? await scalarArg(ev, e.args[2], name) : a;
      return vectorOf(
        stepwise(ctx, [vec, a, b], (vals) => {
          const lo = name === 'clamp_max' ? -Infinity : (vals[1] as number);
          const hi = name === 'clamp_min' ? Infinity : (vals[2] as number);
          if (hi < lo) return [];
          return mapSamples(vals[0] as Sample[], (x) => goMax(lo, goMin(hi, x)));
        }),
      );
    }
    case 'round': {
      const vec = await vectorArg(ev, e.args[0], name);
      const to = e.args.length > 1 ? await scalarArg(ev, e.args[1], name) : new Float64Array(ctx.numSteps).fill(1);
      return vectorOf(
        stepwise(ctx, [vec, to], (vals) => {
          const inv = 1 / (vals[1] as number);
          return mapSamples(vals[0] as Sample[], (x) => Math.floor(x * inv + 0.5) / inv);
        }),
      );
    }
    case 'histogram_quantile': {
      const q = await scalarArg(ev, e.args[0], name);
      const vec = await vectorArg(ev, e.args[1], name);
      return vectorOf(stepwise(ctx, [q, vec], (vals) => histogramQuantile(vals[0] as number, vals[1] as Sample[])));
    }
    case 'histogram_fraction': {
      const lower = await scalarArg(ev, e.args[0], name);
      const upper = await scalarArg(ev, e.args[1], name);
      const vec = await vectorArg(ev, e.args[2], name);
      return vectorOf(
        stepwise(ctx, [lower, upper, vec], (vals) =>
          classicHistograms(vals[2] as Sample[]).map((g) => ({ metric: g.metric, v: bucketFraction(vals[0] as number, vals[1] as number, g.buckets), dropName: true })),
        ),
      );
    }
    case 'histogram_quantiles': {
      // histogram_quantiles(v, "label", q1, q2, …): one output series per quantile, labelled with it.
      const vec = await vectorArg(ev, e.args[0], name);
      const label = stringArg(e.args[1], name);
      if (label === '') throw evalError('invalid quantile label name ""');
      const qs = [];
      for (const a of e.args.slice(2)) qs.push(await scalarArg(ev, a, name));
      return vectorOf(
        stepwise(ctx, [vec, ...qs], (vals) => {
          const groups = classicHistograms(vals[0] as Sample[]);
          const out: Sample[] = [];
          for (const q of vals.slice(1) as number[]) {
            for (const g of groups) {
              out.push({ metric: makeLabels({ ...g.metric, [label]: openMetricsFloat(q) }), v: bucketQuantile(q, g.buckets), dropName: true });
            }
          }
          return out;
        }),
      );
    }
    case 'label_replace': {
      const vec = await vectorArg(ev, e.args[0], name);
      const [dst, repl, src, re] = e.args.slice(1).map((a) => stringArg(a, name));
      return vectorOf(labelReplace(vec, dst, repl, src, re));
    }
    case 'label_join': {
      const vec = await vectorArg(ev, e.args[0], name);
      const [dst, sep, ...srcs] = e.args.slice(1).map((a) => stringArg(a, name));
      return vectorOf(labelJoin(vec, dst, sep, srcs));
    }
    case 'sort':
    case 'sort_desc':
    case 'sort_by_label':
    case 'sort_by_label_desc': {
      const vec = await vectorArg(ev, e.args[0], name);
      const labels = e.args.slice(1).map((a) => stringArg(a, name));
      return vectorOf(stepwise(ctx, [vec], (vals) => sortVector(name, vals[0] as Sample[], labels)));
    }
    default:
      throw new PromqlError('bad_data', `function "${name}" is not supported`);
  }
}

/** Go's math.Max/Min: NaN wins. */
const goMax = (a: number, b: number) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.max(a, b));
const goMin = (a: number, b: number) => (Number.isNaN(a) || Number.isNaN(b) ? NaN : Math.min(a, b));

function sortVector(name: string, vec: Sample[], labels: string[]): Sample[] {
  const out = [...vec];
  if (name === 'sort' || name === 'sort_desc') {
    const desc = name === 'sort_desc';
    // NaN sorts last either way, as Prometheus's heaps order it.
    return out.sort((a, b) => {
      const an = Number.isNaN(a.v);
      const bn = Number.isNaN(b.v);
      if (an || bn) return an && bn ? 0 : an ? 1 : -1;
      return desc ? b.v - a.v : a.v - b.v;
    });
  }
  const sign = name === 'sort_by_label_desc' ? -1 : 1;
  return out.sort((a, b) => {
    for (const l of labels) {
      const x = a.metric[l] ?? '';
      const y = b.metric[l] ?? '';
      if (x === y) continue;
      return sign * naturalCompare(x, y);
    }
    return sign * labelsCompare(a.metric, b.metric);
  });
}

/** Go's strconv.ParseFloat for `le` values (Inf/NaN spellings included); NaN marks invalid. */
function parseBound(s: string | undefined): number | undefined {
  if (s === undefined || s.trim() !== s || s === '') return undefined;
  const lower = s.toLowerCase();
  if (['+inf', 'inf', '+infinity', 'infinity'].includes(lower)) return Infinity;
  if (['-inf', '-infinity'].includes(lower)) return -Infinity;
  if (lower === 'nan') return NaN;
  const n = Number(s.replace(/_/g, ''));
  return Number.isNaN(n) ? undefined : n;
}

/** Go's labels.FormatOpenMetricsFloat: integers get a `.0`. */
function openMetricsFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (!Number.isFinite(f)) return f > 0 ? '+Inf' : '-Inf';
  const s = String(f);
  return /[.e]/.test(s) ? s : `${s}.0`;
}

function histogramQuantile(q: number, vec: Sample[]): Sample[] {
  return classicHistograms(vec).map((g) => ({ metric: g.metric, v: bucketQuantile(q, g.buckets), dropName: true }));
}

/**
 * Classic histograms in a vector: buckets grouped by every label except `le` (the name included,
 * so two histograms never mix); the output labels lose `le` (the name goes later, the caller marks it).
 */
function classicHistograms(vec: Sample[]): Array<{ metric: Labels; buckets: Bucket[] }> {
  const groups = new Map<string, { metric: Labels; buckets: Bucket[] }>();
  for (const s of vec) {
    const upper = parseBound(s.metric.le);
    if (upper === undefined) continue;
    const rest: Record<string, string> = { ...s.metric };
    delete rest.le;
    const k = keyOf(makeLabels(rest));
    let g = groups.get(k);
    if (!g) groups.set(k, (g = { metric: makeLabels(rest), buckets: [] }));
    g.buckets.push({ upperBound: upper, count: s.v });
  }
  return [...groups.values()];
}

/** absent()'s output labels: the selector's equality matchers, unless a label is matched twice. */
function absentLabels(arg: Expr): Labels {
  while (arg.type === 'paren') arg = arg.expr;
  let matchers: LabelMatcher[];
  if (arg.type === 'vector_selector') matchers = arg.matchers;
  else if (arg.type === 'matrix_selector') matchers = arg.vector.matchers;
  else return {};
  const out: Record<string, string> = {};
  const has = new Set<string>();
  for (const m of matchers) {
    if (m.name === '__name__') continue;
    if (m.type === '=' && !has.has(m.name)) {
      out[m.name] = m.value;
      has.add(m.name);
    } else {
      delete out[m.name];
    }
  }
  return makeLabels(out);
}

async function evalRangeFunction(ev: Evaluator, e: Call): Promise<EvalValue> {
  const ctx = ev.ctx;
  const name = e.func;
  const mIdx = FUNCTIONS.get(name)!.args.indexOf('matrix');
  const scalars: Float64Array[] = [];
  const arg = e.args[mIdx];
  for (let i = 0; i < e.args.length; i++) if (i !== mIdx) scalars.push(await scalarArg(ev, e.args[i], name));
  const input = await ev.evalRange(arg);
  checkExtensionAllowed(input.extension, name);
  const fn = RANGE_FUNCTIONS[name];
  const keepName = KEEPS_NAME.has(name);
  const out: StepSeries[] = [];
  const covered = new Uint8Array(ctx.numSteps);
  // One window object and one scalar list, refilled per step (range functions do not keep them).
  const w: Window = {
    t: new Float64Array(0),
    v: new Float64Array(0),
    lo: 0,
    hi: 0,
    rangeStart: 0,
    rangeEnd: 0,
    rangeMs: input.rangeMs,
    ts: 0,
    extension: input.extension,
  };
  // An anchored/smoothed selector reads beyond the range by the lookback delta (functions-extended.ts).
  const [before, after] = extensionMargins(input.extension, ctx.lookback);
  const stepScalars: number[] = scalars.map(() => NaN);
  for (const s of input.series) {
    const idx: number[] = [];
    const v: number[] = [];
    const t = s.t;
    w.t = t;
    w.v = s.v;
    // Window edges only move forward over the grid (or stay, under `@`): two pointers, no search.
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < ctx.numSteps; i++) {
      if ((i & 255) === 0) ctx.limits.check();
      const ref = input.refAt(i);
      const start = ref - input.rangeMs;
      if (i > 0 && ref < input.refAt(i - 1)) lo = hi = 0;
      while (lo < t.length && t[lo] <= start - before) lo++;
      if (hi < lo) hi = lo;
      while (hi < t.length && t[hi] <= ref + after) hi++;
      if (hi <= lo) continue;
      covered[i] = 1;
      if (name === 'absent_over_time') continue;
      ctx.limits.add(hi - lo);
      w.lo = lo;
      w.hi = hi;
      w.rangeStart = start;
      w.rangeEnd = ref;
      w.ts = stepTime(ctx, i);
      for (let k = 0; k < scalars.length; k++) stepScalars[k] = scalars[k][i];
      const val = fn(w, stepScalars);
      ctx.limits.release(hi - lo);
      if (val === undefined) continue;
      ctx.limits.add(1);
      idx.push(i);
      v.push(val);
    }
    // last/first_over_time act like an offset: the input's mark (from a subquery) carries over.
    if (idx.length > 0) out.push(keepName && !s.dropName ? { metric: s.metric, idx, v } : { metric: s.metric, idx, v, dropName: true });
  }
  if (name === 'absent_over_time') {
    const idx: number[] = [];
    for (let i = 0; i < ctx.numSteps; i++) if (!covered[i]) idx.push(i);
    const labels = absentLabels(arg);
    return vectorOf(idx.length === 0 ? [] : [{ metric: labels, idx, v: idx.map(() => 1) }]);
  }
  const seen = new Set<string>();
  for (const s of out) {
    const k = keyOf(s.metric);
    if (seen.has(k)) throw evalError('vector cannot contain metrics with the same labelset');
    seen.add(k);
  }
  return vectorOf(out);
}
