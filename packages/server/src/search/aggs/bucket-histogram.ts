/**
 * `histogram` and `date_histogram`: keys computed in SQL (floor to the interval; calendar or fixed
 * rounding in a time zone), empty buckets between the first and last key (and `extended_bounds`)
 * filled in JS when `min_doc_count` is 0, as Elasticsearch does at reduce.
 */
import { ApiError } from '../../errors.js';
import { resolveDateMath } from '../../query/datemath.js';
import type { BucketPlan, RenderArgs } from './buckets.js';
import type { Bounds, DateHistogramConf, HistogramConf, OrderKey } from './config.js';
import { datePrinter } from './date-print.js';
import { dateKeySql, dateKeySteps, nextDate, roundDate } from './date-rounding.js';
import { illegalArgument } from './errors.js';
import { isMulti, mapValue, missingLiteral, numericValues, sqlNumber, toNumberSql, valueSql, type Values } from './fields.js';
import { javaDouble } from './numbers.js';
import { compareBuckets } from './pipelines.js';
import { num, valueKey, type KeyDef, type Row, type Step } from './plan.js';
import type { AggContext, AggSpec } from './types.js';

/** Elasticsearch's default `search.max_buckets`. */
export const MAX_BUCKETS = 65_536;

export const tooManyBuckets = (n: number) =>
  new ApiError(
    400,
    'too_many_buckets_exception',
    `Trying to create too many buckets. Must be less than or equal to: [${MAX_BUCKETS}] but was [${n}]. This limit can be set by changing the [search.max_buckets] cluster level setting.`,
  );

/** A key outside `hard_bounds` becomes NULL (no bucket). */
function boundsSql(hard: Bounds<number | undefined> | undefined): ((k: string) => string) | undefined {
  const conds = (k: string) =>
    [hard?.min !== undefined ? `${k} >= ${sqlNumber(hard.min)}` : '', hard?.max !== undefined ? `${k} <= ${sqlNumber(hard.max)}` : ''].filter(Boolean);
  return conds('k').length ? (k) => `(CASE WHEN ${conds(k).join(' AND ')} THEN ${k} END)` : undefined;
}

/** The bucket key of a field's value(s) from its steps, with hard bounds applied. */
function boundedKey(value: string, multi: boolean, steps: Step[], element: (x: string) => string, hard: Bounds<number | undefined> | undefined, out: (c: string) => string): KeyDef {
  const bound = boundsSql(hard);
  if (!bound) return valueKey(value, multi, steps, element, out);
  const last = steps.length;
  const key = valueKey(value, multi, [...steps, (s) => bound(s[last])], (x) => bound(element(x)), out);
  return { ...key, nullable: true };
}

export function compileHistogram(spec: AggSpec, ctx: AggContext): BucketPlan {
  const conf = spec.conf as HistogramConf;
  const v = numericValues(ctx, conf.field, 'histogram', ['long', 'double', 'date', 'boolean']);
  const missingSql = conf.missing === undefined ? undefined : missingLiteral(v.type === 'none' ? { ...v, type: 'double' } : v, conf.missing, 'histogram', ctx.now);
  const value = mapValue(valueSql(v, missingSql), isMulti(v), (x) => toNumberSql(v.type, x));
  const [interval, offset] = [sqlNumber(conf.interval), sqlNumber(conf.offset)];
  const key = (x: string) => `(floor((${x} - ${offset}) / ${interval}) * ${interval} + ${offset})`;
  const round = (x: number) => Math.floor((x - conf.offset) / conf.interval) * conf.interval + conf.offset;
  return {
    keys: [boundedKey(value, isMulti(v), [(s) => key(s[0])], key, conf.hardBounds, (c) => c)],
    select: conf.minDocCount > 1 ? (a) => ({ rel: `(SELECT * FROM ${a.group} WHERE dc >= ${conf.minDocCount})`, limited: false, outs: [] }) : undefined,
    render: (args) =>
      renderHistogram(args, conf, {
        bounds: conf.minDocCount === 0 ? clip(conf.extendedBounds, conf.hardBounds, round) : undefined,
        // Step by bucket index (i × interval + offset, as SQL computes keys): adding the interval drifts.
        next: (k) => (Math.round((k - conf.offset) / conf.interval) + 1) * conf.interval + conf.offset,
        bucket: (k) => ({ key: k }),
        keyString: javaDouble,
      }),
  };
}

/** Extended bounds rounded to keys, limited by hard bounds. */
function clip(ext: Bounds<number> | undefined, hard: Bounds<number> | undefined, round: (x: number) => number): Bounds<number> {
  const out: Bounds<number> = {};
  if (ext?.min !== undefined) out.min = round(hard?.min !== undefined ? Math.max(ext.min, hard.min) : ext.min);
  if (ext?.max !== undefined) out.max = round(hard?.max !== undefined ? Math.min(ext.max, hard.max) : ext.max);
  return out;
}

export function compileDateHistogram(spec: AggSpec, ctx: AggContext): BucketPlan {
  const conf = spec.conf as DateHistogramConf;
  const v = numericValues(ctx, conf.field, 'date_histogram', ['date', 'long', 'double']);
  const typed: Values = v.type === 'none' ? { ...v, type: 'date' } : v;
  const missingSql = conf.missing === undefined ? undefined : missingLiteral(typed, conf.missing, 'date_histogram', ctx.now);
  const value = mapValue(valueSql(v, missingSql, 'TIMESTAMP'), isMulti(v), (x) => (typed.type === 'date' ? `epoch_ms(${x})` : `${x}::BIGINT`));
  const r = conf.rounding;
  const resolve = (b: string | number | undefined, side: string) => {
    if (b === undefined) return undefined;
    // The aggregation's `format` parses bounds (as in ES), and ISO dates and epoch ms are accepted too.
    const timeZone = r.tz.fixedMs === 0 ? undefined : r.tz.id;
    const ms = resolveDateMath(b, false, ctx.now, { format: conf.format, timeZone }) ?? resolveDateMath(b, false, ctx.now, { timeZone });
    if (ms === undefined) throw illegalArgument(`[${spec.name}] failed to parse date field [${b}] in [${side}]`);
    return ms;
  };
  const hard = conf.hardBounds && { min: resolve(conf.hardBounds.min, 'hard_bounds.min'), max: resolve(conf.hardBounds.max, 'hard_bounds.max') };
  const ext = conf.extendedBounds && { min: resolve(conf.extendedBounds.min, 'extended_bounds.min'), max: resolve(conf.extendedBounds.max, 'extended_bounds.max') };
  const printer = datePrinter(conf.format, r.tz);
  return {
    keys: [boundedKey(value, isMulti(v), dateKeySteps(r), (x) => dateKeySql(r, x), hard, (c) => `${c}::DOUBLE`)],
    select: conf.minDocCount > 1 ? (a) => ({ rel: `(SELECT * FROM ${a.group} WHERE dc >= ${conf.minDocCount})`, limited: false, outs: [] }) : undefined,
    render: (args) =>
      renderHistogram(args, conf, {
        bounds: conf.minDocCount === 0 ? clip(ext, hard, (x) => roundDate(r, x)) : undefined,
        next: (k) => nextDate(r, k),
        bucket: (k) => ({ key_as_string: printer(k), key: k }),
        keyString: printer,
      }),
  };
}

interface HistogramShape {
  /** Set when empty buckets are filled: the (rounded) extended bounds. */
  bounds: Bounds<number> | undefined;
  next(key: number): number;
  bucket(key: number): Record<string, unknown>;
  keyString(key: number): string;
}

function renderHistogram(args: RenderArgs, conf: { keyed: boolean; order: OrderKey[] }, shape: HistogramShape): Record<string, unknown> {
  const byKey = new Map<number, Row>();
  for (const row of args.rows) byKey.set(num(args.key(row, 0))!, row);
  let keys = [...byKey.keys()].sort((a, b) => a - b);
  if (shape.bounds) keys = filled(keys, shape.bounds, shape.next);
  let buckets: Array<Record<string, unknown>> = keys.map((k) => {
    const row = byKey.get(k);
    return Object.assign(shape.bucket(k), { doc_count: args.docCount(row) }, args.sub(row, [k]));
  });
  const isDefault = conf.order.length === 1 && conf.order[0].path === '_key' && conf.order[0].asc;
  if (!isDefault) buckets.sort(compareBuckets(conf.order));
  buckets = args.pipelines(buckets);
  if (!conf.keyed) return { buckets };
  return { buckets: Object.fromEntries(buckets.map((b) => [shape.keyString(b.key as number), b])) };
}

/** Every key from the smallest to the largest (data or bounds), stepping with `next`. */
function filled(keys: number[], bounds: Bounds<number>, next: (k: number) => number): number[] {
  const lo = [keys[0], bounds.min].filter((x): x is number => x !== undefined);
  const hi = [keys[keys.length - 1], bounds.max].filter((x): x is number => x !== undefined);
  if (!lo.length || !hi.length) return keys;
  const [first, last] = [Math.min(...lo), Math.max(...hi)];
  const out: number[] = [];
  for (let k = first; k <= last; ) {
    out.push(k);
    if (out.length > MAX_BUCKETS) throw tooManyBuckets(out.length);
    const n = next(k);
    if (!(n > k)) break;
    k = n;
  }
  // A data key the stepping did not reach (a DST overlap makes two buckets of one wall-clock hour) stays.
  const stepped = new Set(out);
  const missed = keys.filter((k) => !stepped.has(k));
  return missed.length ? [...out, ...missed].sort((a, b) => a - b) : out;
}
