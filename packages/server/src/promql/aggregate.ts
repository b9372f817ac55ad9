/**
 * Aggregation operators, as Prometheus's `aggregation`, `aggregationK` and
 * `aggregationCountValues`: sum (Kahan), avg (Kahan, switching to an incremental mean on
 * overflow), min/max (NaN only when nothing else), count, group, stddev/stdvar (Welford),
 * quantile, topk/bottomk, limitk/limit_ratio and count_values, with `by`/`without`.
 */
import { FAST_OPS, fastAggregate } from './aggregate-fast.js';
import type { AggregateExpr } from './ast.js';
import type { Evaluator } from './engine.js';
import {
  type EvalValue,
  type Sample,
  evalError,
  formatFloatPlain,
  keyOf,
  makeLabels,
  stepwise,
} from './engine-types.js';
import { PromqlError } from './errors.js';
import { validLabelName } from './functions-labels.js';
import { quantile } from './quantile.js';
import type { Labels } from './values.js';

const K_OPS = new Set(['topk', 'bottomk', 'limitk', 'limit_ratio']);

export async function evalAggregate(ev: Evaluator, e: AggregateExpr): Promise<EvalValue> {
  const ctx = ev.ctx;
  let params: Float64Array | undefined;
  let valueLabel = '';
  if (e.op === 'count_values') {
    if (!e.param || e.param.type !== 'string') throw new PromqlError('bad_data', 'count_values needs a string parameter');
    valueLabel = e.param.value;
    if (!validLabelName(valueLabel)) throw evalError(`invalid label name ${JSON.stringify(valueLabel)}`);
  } else if (['topk', 'bottomk', 'quantile', 'limitk', 'limit_ratio'].includes(e.op)) {
    if (!e.param) throw new PromqlError('bad_data', `${e.op} needs a parameter`);
    const p = await ev.eval(e.param);
    if (p.kind !== 'scalar') throw new PromqlError('bad_data', `expected type scalar in aggregation parameter, got ${p.kind}`);
    params = p.v;
  }
  const inner = await ev.eval(e.expr);
  if (inner.kind !== 'vector') throw new PromqlError('bad_data', `expected type instant vector in aggregation expression, got ${inner.kind}`);

  if (params && K_OPS.has(e.op)) checkKParams(e.op, params);

  const groupCache = new WeakMap<Labels, Labels>();
  const grouping = new Set(e.grouping);
  const groupOf = (l: Labels): Labels => {
    let g = groupCache.get(l);
    if (!g) {
      const b: Record<string, string> = {};
      for (const k of Object.keys(l)) {
        const keep = e.without ? k !== '__name__' && !grouping.has(k) : grouping.has(k);
        if (keep) b[k] = l[k];
      }
      g = makeLabels(b);
      groupCache.set(l, g);
    }
    return g;
  };

  if (FAST_OPS.has(e.op)) return { kind: 'vector', series: fastAggregate(ctx, e.op, inner.series, groupOf, params) };
  const series = stepwise(ctx, [inner.series], (vals, i) => {
    const vec = vals[0] as Sample[];
    if (vec.length === 0) return [];
    const param = params ? params[i] : NaN;
    if (e.op === 'count_values') return countValues(vec, e, valueLabel);
    // Group in order of first appearance, which is the order instant results keep.
    const groups = new Map<string, { labels: Labels; samples: Sample[] }>();
    for (const s of vec) {
      const g = groupOf(s.metric);
      const k = keyOf(g);
      let grp = groups.get(k);
      if (!grp) groups.set(k, (grp = { labels: g, samples: [] }));
      grp.samples.push(s);
    }
    const out: Sample[] = [];
    for (const grp of groups.values()) {
      if (K_OPS.has(e.op)) out.push(...selectK(e.op, grp.samples, param, vec.length));
      else {
        // `by (__name__)` keeps a name that is marked for removal: the group inherits the mark.
        const v = reduce(e.op, grp.samples, param);
        out.push(grp.samples.some((s) => s.dropName) ? { metric: grp.labels, v, dropName: true } : { metric: grp.labels, v });
      }
    }
    return out;
  });
  return { kind: 'vector', series };
}

/** 2^63: Prometheus rejects k values that do not fit an int64. */
const INT64_LIMIT = 2 ** 63;

function checkKParams(op: string, params: Float64Array): void {
  let anyNaN = false;
  let max = -Infinity;
  let min = Infinity;
  for (const p of params) {
    if (Number.isNaN(p)) anyNaN = true;
    else {
      max = Math.max(max, p);
      min = Math.min(min, p);
    }
  }
  if (op === 'limit_ratio') {
    if (max === 0 && min === 0) return;
    if (anyNaN) throw evalError('Ratio value is NaN');
    return;
  }
  if (!anyNaN && max < 1) return;
  if (anyNaN) throw evalError('Parameter value is NaN');
  if (min <= -INT64_LIMIT) throw evalError(`Scalar value ${formatFloatPlain(min)} underflows int64`);
  if (max >= INT64_LIMIT) throw evalError(`Scalar value ${formatFloatPlain(max)} overflows int64`);
}

/** The reductions fastAggregate does not take (it has sum, avg, min, max, count, group, stddev, stdvar). */
function reduce(op: string, samples: Sample[], param: number): number {
  if (op === 'quantile')
    return quantile(
      param,
      samples.map((s) => s.v),
    );
  throw evalError(`unknown aggregation operator "${op}"`);
}

function selectK(op: string, samples: Sample[], param: number, inputLen: number): Sample[] {
  if (op === 'limit_ratio') {
    if (param === 0) return [];
    const r = Math.max(-1, Math.min(1, param));
    return samples.filter((s) => ratioSampled(r, s.metric));
  }
  // limitk (topk and bottomk are fastAggregate's).
  const k = Math.min(Math.trunc(param), inputLen);
  if (!(k >= 1)) return [];
  return samples.slice(0, k);
}

/**
 * limit_ratio keeps a series when its label hash, scaled to [0, 1), falls below the ratio (or at or
 * above 1 + ratio for a negative ratio), so `limit_ratio(r, x)` and `limit_ratio(r - 1, x)` are
 * complementary. Prometheus hashes with xxhash; we use 64-bit FNV-1a, so the sampled subset differs
 * from Prometheus's but has the same properties.
 */
function ratioSampled(r: number, metric: Labels): boolean {
  const offset = labelHashUnit(metric);
  return (r >= 0 && offset < r) || (r < 0 && offset >= 1 + r);
}

const hashCache = new WeakMap<Labels, number>();
function labelHashUnit(metric: Labels): number {
  let h = hashCache.get(metric);
  if (h !== undefined) return h;
  let x = 0xcbf29ce484222325n;
  const key = keyOf(metric);
  for (let i = 0; i < key.length; i++) {
    x ^= BigInt(key.charCodeAt(i));
    x = (x * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  h = Number(x) / 2 ** 64;
  hashCache.set(metric, h);
  return h;
}

function countValues(vec: Sample[], e: AggregateExpr, valueLabel: string): Sample[] {
  const grouping = new Set(e.grouping);
  const counts = new Map<string, Sample>();
  for (const s of vec) {
    const b: Record<string, string> = {};
    for (const k of Object.keys(s.metric)) {
      const keep = e.without ? k !== '__name__' && !grouping.has(k) : grouping.has(k);
      if (keep) b[k] = s.metric[k];
    }
    b[valueLabel] = formatFloatPlain(s.v);
    const labels = makeLabels(b);
    const k = keyOf(labels);
    const cur = counts.get(k);
    if (cur) cur.v++;
    else counts.set(k, { metric: labels, v: 1 });
  }
  return [...counts.values()];
}
