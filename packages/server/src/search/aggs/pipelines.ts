/**
 * Pipeline aggregations, computed from rendered buckets as Elasticsearch computes them at reduce:
 * parent pipelines (`cumulative_sum`, `derivative`, `bucket_sort`) rewrite their parent's bucket
 * list; sibling pipelines (`max_bucket`, `avg_bucket`, ...) summarise a sibling's buckets.
 */
import type { GapPolicy, OrderKey, PipelineConf } from './config.js';
import { illegalArgument } from './errors.js';
import { javaDouble } from './numbers.js';
import { splitPath } from './order.js';

type Bucket = Record<string, unknown>;

export interface NamedPipeline {
  name: string;
  conf: PipelineConf;
}

const isObj = (v: unknown): v is Bucket => v !== null && typeof v === 'object' && !Array.isArray(v);

const badPath = (path: string) =>
  illegalArgument(`No aggregation found for path [${path}]; buckets_path must reference either a number value or a single value numeric metric aggregation`);

/** The number at `path` inside a bucket: `_count`, `_key`, `agg`, `agg.key`, `agg[key]`, `single>agg.key`; null if absent. */
export function bucketValue(bucket: Bucket, path: string): number | string | null {
  const steps = path.split('>');
  let at: Bucket = bucket;
  for (let i = 0; i < steps.length - 1; i++) {
    const next = at[steps[i]];
    if (!isObj(next)) throw badPath(path);
    at = next;
  }
  const last = steps[steps.length - 1];
  if (last === '_count') return (at.doc_count as number) ?? null;
  if (last === '_key') return (at.key as number | string) ?? null;
  const { name, sub } = splitPath(last);
  const agg = at[name];
  if (!isObj(agg)) throw badPath(path);
  let v: unknown;
  if (sub === undefined) v = 'value' in agg ? agg.value : agg.doc_count;
  else if (sub === '_count') v = agg.doc_count;
  else if (sub === '_bucket_count') v = Array.isArray(agg.buckets) ? agg.buckets.length : isObj(agg.buckets) ? Object.keys(agg.buckets).length : undefined;
  else if (isObj(agg.values)) v = agg.values[sub] ?? agg.values[javaDouble(Number(sub))];
  else v = sub in agg ? agg[sub] : undefined;
  if (v === undefined) throw badPath(path);
  return typeof v === 'number' || typeof v === 'string' || v === null ? v : null;
}

function numberAt(bucket: Bucket, path: string, gap: GapPolicy): number | null {
  const v = bucketValue(bucket, path);
  const n = typeof v === 'number' && Number.isFinite(v) ? v : null;
  return n === null && gap === 'insert_zeros' ? 0 : n;
}

/** A comparator for bucket orders resolved on rendered buckets (histogram `order`, bucket_sort). */
export function compareBuckets(order: OrderKey[]): (a: Bucket, b: Bucket) => number {
  const keys = order.some((o) => o.path === '_key') ? order : [...order, { path: '_key', asc: true }];
  return (a, b) => {
    for (const o of keys) {
      const [x, y] = [valueFor(a, o.path), valueFor(b, o.path)];
      const c = compareValues(x, y);
      if (c !== 0) return o.asc ? c : -c;
    }
    return 0;
  };
}

const valueFor = (b: Bucket, path: string) => (path === '_count' ? b.doc_count : path === '_key' ? b.key : bucketValue(b, path));

/** Numbers before strings; a missing value is the greatest (Java's Double.compare puts NaN last). */
function compareValues(x: unknown, y: unknown): number {
  if (x === y) return 0;
  if (x === null || x === undefined) return 1;
  if (y === null || y === undefined) return -1;
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  return String(x) < String(y) ? -1 : 1;
}

export function applyParentPipelines(buckets: Bucket[], pipelines: NamedPipeline[]): Bucket[] {
  let out = buckets;
  for (const { name, conf } of pipelines) {
    if (conf.kind === 'cumulative_sum') {
      let sum = 0;
      for (const b of out) {
        sum += numberAt(b, conf.path, 'insert_zeros') ?? 0;
        b[name] = { value: sum };
      }
    } else if (conf.kind === 'derivative') {
      let last: { value: number; key: number } | null = null;
      for (const b of out) {
        const value = numberAt(b, conf.path, conf.gapPolicy);
        const key = b.key as number;
        if (last !== null && value !== null) {
          const diff = value - last.value;
          b[name] = conf.unitMs ? { value: diff, normalized_value: diff / ((key - last.key) / conf.unitMs) } : { value: diff };
        }
        last = value === null ? null : { value, key };
      }
    }
  }
  for (const { conf } of pipelines) {
    if (conf.kind !== 'bucket_sort') continue;
    let kept = out;
    if (conf.sort.length) {
      if (conf.gapPolicy === 'skip') kept = kept.filter((b) => conf.sort.every((s) => valueFor(b, s.path) !== null));
      kept = [...kept].sort(compareSorted(conf.sort));
    }
    out = kept.slice(conf.from, conf.size === undefined ? undefined : conf.from + conf.size);
  }
  return out;
}

/** bucket_sort compares only the given keys (a stable sort keeps the rest in place). */
function compareSorted(order: OrderKey[]): (a: Bucket, b: Bucket) => number {
  return (a, b) => {
    for (const o of order) {
      const c = compareValues(valueFor(a, o.path), valueFor(b, o.path));
      if (c !== 0) return o.asc ? c : -c;
    }
    return 0;
  };
}

/** The key Elasticsearch lists in `keys` of max_bucket/min_bucket. */
function keyString(b: Bucket, name: string | undefined): string {
  if (typeof b.key_as_string === 'string') return b.key_as_string;
  if (name !== undefined) return name;
  return typeof b.key === 'number' ? (Number.isInteger(b.key) ? String(b.key) : javaDouble(b.key)) : String(b.key);
}

export function siblingPipeline(name: string, conf: PipelineConf, siblings: Record<string, unknown>): Record<string, unknown> {
  if (conf.kind === 'cumulative_sum' || conf.kind === 'derivative' || conf.kind === 'bucket_sort') throw new Error('not a sibling pipeline');
  const [first, ...rest] = conf.path.split('>');
  const target = siblings[first];
  if (!isObj(target) || target.buckets === undefined) {
    throw illegalArgument(`buckets_path [${conf.path}] of [${name}] must point to a multi-bucket aggregation followed by a metric`);
  }
  const entries: Array<[string | undefined, Bucket]> = Array.isArray(target.buckets)
    ? (target.buckets as Bucket[]).map((b) => [undefined, b])
    : Object.entries(target.buckets as Record<string, Bucket>);
  const inner = rest.length ? rest.join('>') : '_count';
  const values: Array<{ key: string; value: number }> = [];
  for (const [k, b] of entries) {
    const value = numberAt(b, inner, conf.gapPolicy);
    if (value !== null) values.push({ key: keyString(b, k), value });
  }
  const nums = values.map((v) => v.value);
  const sum = nums.reduce((a, b) => a + b, 0);
  switch (conf.kind) {
    case 'max_bucket':
    case 'min_bucket': {
      if (!nums.length) return { value: null, keys: [] };
      const best = conf.kind === 'max_bucket' ? Math.max(...nums) : Math.min(...nums);
      return { value: best, keys: values.filter((v) => v.value === best).map((v) => v.key) };
    }
    case 'avg_bucket':
      return { value: nums.length ? sum / nums.length : null };
    case 'sum_bucket':
      return { value: sum };
    case 'stats_bucket':
      return nums.length
        ? { count: nums.length, min: Math.min(...nums), max: Math.max(...nums), avg: sum / nums.length, sum }
        : { count: 0, min: null, max: null, avg: null, sum: 0 };
  }
}
