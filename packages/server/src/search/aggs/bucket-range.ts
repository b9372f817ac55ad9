/**
 * `range` and `date_range`: `from` inclusive, `to` exclusive; every range is a bucket (empty ones
 * too), in order of `from` then `to` as Elasticsearch sorts them. Ranges may overlap, and a
 * multi-valued document falls in each range one of its values does: keys are then a LIST.
 */
import { resolveDateMath } from '../../query/datemath.js';
import type { BucketPlan } from './buckets.js';
import type { DateRangeConf, RangeConf } from './config.js';
import { datePrinter, type DatePrinter } from './date-print.js';
import { illegalArgument } from './errors.js';
import { isMulti, missingLiteral, numericValues, sqlNumber, toNumberSql, valueSql, type Values } from './fields.js';
import { javaDouble } from './numbers.js';
import { num, type Row } from './plan.js';
import type { AggContext, AggSpec } from './types.js';

interface Resolved {
  key: string;
  from?: number;
  to?: number;
}

export function compileRange(spec: AggSpec, ctx: AggContext): BucketPlan {
  const conf = spec.conf as RangeConf;
  const v = numericValues(ctx, conf.field, 'range');
  const printer = v.type === 'date' ? datePrinter(undefined) : undefined;
  const ranges = conf.ranges.map((r) => ({ ...r }));
  return plan(v, ranges, conf.keyed, conf.missing, ctx, printer);
}

export function compileDateRange(spec: AggSpec, ctx: AggContext): BucketPlan {
  const conf = spec.conf as DateRangeConf;
  const v = numericValues(ctx, conf.field, 'date_range', ['date', 'long', 'double']);
  const timeZone = conf.tz.fixedMs === 0 ? undefined : conf.tz.id;
  const resolve = (x: string | number | undefined) => {
    if (x === undefined) return undefined;
    const ms = resolveDateMath(x, false, ctx.now, { format: conf.format, timeZone });
    if (ms === undefined) throw illegalArgument(`failed to parse date field [${x}] with format [${conf.format ?? 'strict_date_optional_time||epoch_millis'}]`);
    return ms;
  };
  const ranges = conf.ranges.map((r) => ({ key: r.key, from: resolve(r.from), to: resolve(r.to) }));
  const printer = v.type === 'long' || v.type === 'double' ? undefined : datePrinter(conf.format, conf.tz);
  return plan(v.type === 'none' ? { ...v, type: 'date' } : v, ranges, conf.keyed, conf.missing, ctx, printer);
}

function plan(
  v: Values,
  specs: Array<{ key?: string; from?: number; to?: number }>,
  keyed: boolean,
  missing: string | number | undefined,
  ctx: AggContext,
  printer: DatePrinter | undefined,
): BucketPlan {
  const bound = (x: number | undefined) => (x === undefined ? '*' : printer ? printer(x) : javaDouble(x));
  const ranges: Resolved[] = specs
    .map((r) => ({ key: r.key ?? `${bound(r.from)}-${bound(r.to)}`, from: r.from, to: r.to }))
    .sort((a, b) => (a.from ?? -Infinity) - (b.from ?? -Infinity) || (a.to ?? Infinity) - (b.to ?? Infinity));
  const typed: Values = v.type === 'none' ? { ...v, type: 'double' } : v;
  const missingSql = missing === undefined ? undefined : missingLiteral(typed, missing, 'range', ctx.now);
  const value = valueSql(v, missingSql, typed.type === 'date' ? 'TIMESTAMP' : 'DOUBLE');
  const cond = (x: string, r: Resolved) =>
    [r.from !== undefined ? `${x} >= ${sqlNumber(r.from)}` : '', r.to !== undefined ? `${x} < ${sqlNumber(r.to)}` : ''].filter(Boolean).join(' AND ') || 'true';
  const number = (x: string) => toNumberSql(typed.type, x);
  const overlap = ranges.some((r, i) => i > 0 && (ranges[i - 1].to ?? Infinity) > (r.from ?? -Infinity));
  let key;
  if (isMulti(v)) {
    const any = (r: Resolved) => `len(list_filter(${value}, __y -> ${cond(number('__y'), r)})) > 0`;
    key = { expr: `list_filter([${ranges.map((r, i) => `CASE WHEN ${any(r)} THEN ${i} END`).join(', ')}], __r -> __r IS NOT NULL)`, list: true };
  } else if (overlap) {
    const x = number(value);
    key = { expr: `list_filter([${ranges.map((r, i) => `CASE WHEN ${cond(x, r)} THEN ${i} END`).join(', ')}], __r -> __r IS NOT NULL)`, list: true };
  } else {
    const x = number(value);
    key = { expr: `(CASE ${ranges.map((r, i) => `WHEN ${cond(x, r)} THEN ${i}`).join(' ')} END)` };
  }
  return {
    keys: [{ ...key, out: (c: string) => `${c}::INTEGER` }],
    render: ({ rows, key: keyOf, docCount, sub, pipelines }) => {
      const byIndex = new Map<number, Row>();
      for (const row of rows) byIndex.set(num(keyOf(row, 0))!, row);
      const buckets = pipelines(
        ranges.map((r, i) => {
          const row = byIndex.get(i);
          const b: Record<string, unknown> = { key: r.key };
          if (r.from !== undefined) Object.assign(b, { from: r.from }, printer ? { from_as_string: printer(r.from) } : {});
          if (r.to !== undefined) Object.assign(b, { to: r.to }, printer ? { to_as_string: printer(r.to) } : {});
          b.doc_count = docCount(row);
          return Object.assign(b, sub(row, [i]));
        }),
      );
      if (!keyed) return { buckets };
      return { buckets: Object.fromEntries(buckets.map(({ key, ...rest }) => [key as string, rest])) };
    },
  };
}
