/**
 * Metric aggregations: the aggregate columns each adds to its enclosing bucket's GROUP BY, the
 * value it sorts buckets by (terms `order`), and its Elasticsearch JSON. Statistics are computed
 * the way ES does from count/sum/min/max/sum of squares; percentiles interpolate exactly as ES's
 * t-digest does while it still holds every sample (under 2,000 values), and use DuckDB's
 * `quantile_cont` beyond that (where ES is approximate anyway).
 */
import type { MetricConf, PercentilesConf, WeightedAvgConf } from './config.js';
import { datePrinter, type DatePrinter } from './date-print.js';
import { illegalArgument } from './errors.js';
import { anyValues, isMulti, mapValue, missingLiteral, numericValues, sqlNumber, toNumberSql, valueSql, type Values } from './fields.js';
import { javaDouble } from './numbers.js';
import { num, type Row } from './plan.js';
import type { AggContext, AggSpec } from './types.js';

export interface MetricSql {
  /** `expr AS col` over the bucket's rows (inside its GROUP BY). */
  aggs: string[];
  /** `expr AS col` over the grouped relation, before `outs` (derived helper columns). */
  preps: string[];
  /** `expr AS col` over the grouped relation: what the statement returns. */
  outs: string[];
  /** SQL over the grouped relation of the value buckets sort by (`stats.max`: sub = `max`). */
  order(sub: string | undefined): string;
  render(row: Row | undefined): Record<string, unknown>;
}

/** ES's HybridDigest keeps every sample (exact percentiles) below this many values. */
const EXACT_SAMPLES = 2000;

/**
 * A numeric metric's input as SQL: the number (epoch ms for dates, 0/1 for booleans; a LIST if the
 * field is multi-valued), with `missing` applied. An unmapped field with a `missing` takes the
 * missing value's kind (a date string, else a number).
 */
function numericInput(ctx: AggContext, field: string, missing: MetricConf['missing'], agg: string) {
  const v = numericValues(ctx, field, agg);
  const typed: Values = v.type === 'none' && missing !== undefined ? { ...v, type: typeof missing === 'string' && !/^-?[\d.]+$/.test(missing) ? 'date' : 'double' } : v;
  const missingSql = missing === undefined ? undefined : missingLiteral(typed, missing, agg, ctx.now);
  const multi = isMulti(v);
  const expr = mapValue(valueSql(v, missingSql), multi, (x) => toNumberSql(typed.type, x));
  return { expr, multi, type: typed.type };
}

const sumOf = (e: string, multi: boolean, type: string) => (multi ? `sum(list_sum(${e}))` : type === 'double' ? `fsum(${e})` : `sum(${e})`);
const countOf = (e: string, multi: boolean) => (multi ? `coalesce(sum(len(${e})), 0)::BIGINT` : `count(${e})`);
const minOf = (e: string, multi: boolean) => (multi ? `min(list_min(${e}))` : `min(${e})`);
const maxOf = (e: string, multi: boolean) => (multi ? `max(list_max(${e}))` : `max(${e})`);
const squaresOf = (e: string, multi: boolean) =>
  multi ? `sum(list_sum(list_transform(${e}, __y -> __y::DOUBLE * __y::DOUBLE)))` : `fsum(${e}::DOUBLE * ${e}::DOUBLE)`;

export function compileMetric(spec: AggSpec, id: number, ctx: AggContext): MetricSql {
  const conf = spec.conf;
  switch (conf.kind) {
    case 'percentiles':
    case 'percentile_ranks':
      return percentiles(conf, id, ctx, spec.name);
    case 'weighted_avg':
      return weightedAvg(conf, id, ctx);
    case 'avg':
    case 'sum':
    case 'min':
    case 'max':
    case 'value_count':
    case 'cardinality':
    case 'stats':
    case 'extended_stats':
      return simple(conf, id, ctx, spec.name);
    default:
      throw new Error(`not a metric: ${conf.kind}`);
  }
}

function simple(conf: MetricConf, id: number, ctx: AggContext, name: string): MetricSql {
  const c = (s: string) => `m${id}_${s}`;
  const outs = (cols: string[]) => cols.map((k) => `${c(k)}::DOUBLE AS ${c(k)}`);
  if (conf.kind === 'value_count' || conf.kind === 'cardinality') {
    const v = anyValues(ctx, conf.field);
    const missingSql = conf.missing === undefined ? undefined : missingLiteral(v, conf.missing, conf.kind, ctx.now);
    const multi = isMulti(v);
    // Lucene keeps a keyword array's values as a set per document; numeric arrays keep duplicates.
    const e = multi && (v.type === 'keyword' || v.type === 'text') ? `list_distinct(${valueSql(v, missingSql)})` : valueSql(v, missingSql, 'VARCHAR');
    const agg =
      conf.kind === 'value_count' ? countOf(e, multi) : multi ? `len(list_distinct(flatten(list(${e}))))` : `count(DISTINCT ${e})`;
    return {
      aggs: [`${agg} AS ${c('v')}`],
      preps: [],
      outs: outs(['v']),
      order: (sub) => singleValue(sub, name, c('v')),
      render: (row) => ({ value: num(row?.[c('v')]) ?? 0 }),
    };
  }
  const input = numericInput(ctx, conf.field, conf.missing, conf.kind);
  const { expr: e, multi } = input;
  const printer = input.type === 'date' ? datePrinter(conf.format) : undefined;
  const asString = (v: number) => printer!(Math.trunc(v));
  switch (conf.kind) {
    case 'avg':
      return {
        aggs: [`${sumOf(e, multi, input.type)} AS ${c('s')}`, `${countOf(e, multi)} AS ${c('c')}`],
        preps: [],
        outs: outs(['s', 'c']),
        order: (sub) => singleValue(sub, name, `(${c('s')} / nullif(${c('c')}, 0))`),
        render: (row) => {
          const count = num(row?.[c('c')]) ?? 0;
          const value = count > 0 ? num(row![c('s')])! / count : null;
          return value !== null && printer ? { value, value_as_string: asString(value) } : { value };
        },
      };
    case 'sum':
      return {
        aggs: [`${sumOf(e, multi, input.type)} AS ${c('s')}`],
        preps: [],
        outs: outs(['s']),
        order: (sub) => singleValue(sub, name, `coalesce(${c('s')}, 0)`),
        render: (row) => {
          const value = num(row?.[c('s')]) ?? 0;
          return printer ? { value, value_as_string: asString(value) } : { value };
        },
      };
    case 'min':
    case 'max':
      return {
        aggs: [`${(conf.kind === 'min' ? minOf : maxOf)(e, multi)} AS ${c('v')}`],
        preps: [],
        outs: outs(['v']),
        order: (sub) => singleValue(sub, name, c('v')),
        render: (row) => {
          const value = num(row?.[c('v')]);
          return value !== null && printer ? { value, value_as_string: asString(value) } : { value };
        },
      };
    default: {
      const extended = conf.kind === 'extended_stats';
      const cols = ['c', 's', 'mn', 'mx', ...(extended ? ['sq'] : [])];
      const aggs = [
        `${countOf(e, multi)} AS ${c('c')}`,
        `${sumOf(e, multi, input.type)} AS ${c('s')}`,
        `${minOf(e, multi)} AS ${c('mn')}`,
        `${maxOf(e, multi)} AS ${c('mx')}`,
      ];
      if (extended) aggs.push(`${squaresOf(e, multi)} AS ${c('sq')}`);
      return {
        aggs,
        preps: [],
        outs: outs(cols),
        order: (sub) => statsOrder(sub, name, c, extended, conf.sigma),
        render: (row) => renderStats(row, c, extended, conf.sigma, printer),
      };
    }
  }
}

function singleValue(sub: string | undefined, name: string, sql: string): string {
  if (sub !== undefined && sub !== 'value') {
    throw illegalArgument(`Invalid aggregation order path [${name}.${sub}]. Unknown value key [${sub}] for single-value metric aggregation [${name}]. Either use [value] as key or drop the key all together`);
  }
  return sql;
}

function statsOrder(sub: string | undefined, name: string, c: (s: string) => string, extended: boolean, sigma: number): string {
  if (sub === undefined) {
    throw illegalArgument(`Invalid aggregation order path [${name}]. When ordering on a multi-value metrics aggregation a metric name must be specified.`);
  }
  const [n, s, sq] = [c('c'), c('s'), c('sq')];
  const avg = `(${s} / nullif(${n}, 0))`;
  const varPop = `greatest((${sq} - ${s} * ${s} / ${n}) / nullif(${n}, 0), 0)`;
  const varSample = `greatest((${sq} - ${s} * ${s} / ${n}) / nullif(${n} - 1, 0), 0)`;
  const base: Record<string, string> = { count: n, sum: s, min: c('mn'), max: c('mx'), avg };
  const more: Record<string, string> = {
    sum_of_squares: sq,
    variance: varPop,
    variance_population: varPop,
    variance_sampling: varSample,
    std_deviation: `sqrt(${varPop})`,
    std_deviation_population: `sqrt(${varPop})`,
    std_deviation_sampling: `sqrt(${varSample})`,
    std_upper: `(${avg} + sqrt(${varPop}) * ${sigma})`,
    std_lower: `(${avg} - sqrt(${varPop}) * ${sigma})`,
  };
  const sql = base[sub] ?? (extended ? more[sub] : undefined);
  if (sql === undefined) throw illegalArgument(`Invalid aggregation order path [${name}.${sub}]. Unknown value key [${sub}] for multi-value metric aggregation [${name}]`);
  return sql;
}

/** JSON numbers cannot be NaN or infinite: Elasticsearch writes them as strings. */
export const jsonDouble = (v: number) => (Number.isFinite(v) ? v : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity');

function renderStats(row: Row | undefined, c: (s: string) => string, extended: boolean, sigma: number, printer: DatePrinter | undefined): Record<string, unknown> {
  const count = num(row?.[c('c')]) ?? 0;
  if (count === 0) {
    const out: Record<string, unknown> = { count: 0, min: null, max: null, avg: null, sum: 0 };
    if (extended) {
      Object.assign(out, { sum_of_squares: null, variance: null, variance_population: null, variance_sampling: null });
      Object.assign(out, { std_deviation: null, std_deviation_population: null, std_deviation_sampling: null });
      out.std_deviation_bounds = { upper: null, lower: null, upper_population: null, lower_population: null, upper_sampling: null, lower_sampling: null };
    }
    return out;
  }
  const sum = num(row![c('s')])!;
  const [min, max] = [num(row![c('mn')])!, num(row![c('mx')])!];
  const avg = sum / count;
  const out: Record<string, unknown> = { count, min, max, avg, sum };
  if (printer) Object.assign(out, { min_as_string: printer(min), max_as_string: printer(max), avg_as_string: printer(Math.trunc(avg)), sum_as_string: printer(sum) });
  if (!extended) return out;
  const sq = num(row![c('sq')])!;
  const varPop = Math.max((sq - (sum * sum) / count) / count, 0);
  const rawSample = (sq - (sum * sum) / count) / (count - 1);
  const varSample = rawSample < 0 ? 0 : rawSample;
  const [sdPop, sdSample] = [Math.sqrt(varPop), Math.sqrt(varSample)];
  Object.assign(out, {
    sum_of_squares: sq,
    variance: varPop,
    variance_population: varPop,
    variance_sampling: jsonDouble(varSample),
    std_deviation: sdPop,
    std_deviation_population: sdPop,
    std_deviation_sampling: jsonDouble(sdSample),
    std_deviation_bounds: {
      upper: avg + sdPop * sigma,
      lower: avg - sdPop * sigma,
      upper_population: avg + sdPop * sigma,
      lower_population: avg - sdPop * sigma,
      upper_sampling: jsonDouble(avg + sdSample * sigma),
      lower_sampling: jsonDouble(avg - sdSample * sigma),
    },
  });
  return out;
}

function weightedAvg(conf: WeightedAvgConf, id: number, ctx: AggContext): MetricSql {
  const c = (s: string) => `m${id}_${s}`;
  const value = numericInput(ctx, conf.value.field, conf.value.missing, 'weighted_avg');
  const weight = numericInput(ctx, conf.weight.field, conf.weight.missing, 'weighted_avg');
  if (weight.multi) throw illegalArgument(`Encountered more than one weight for a single document. Use a script to combine multiple weights-per-doc into a single value.`);
  const w = weight.expr;
  const [products, weights] = value.multi
    ? [`sum(list_sum(list_transform(${value.expr}, __y -> __y * ${w})))`, `sum(len(${value.expr}) * ${w})`]
    : [`fsum(${value.expr}::DOUBLE * ${w}) FILTER (WHERE ${w} IS NOT NULL)`, `fsum(${w}::DOUBLE) FILTER (WHERE ${value.expr} IS NOT NULL)`];
  return {
    aggs: [`${products} AS ${c('vw')}`, `${weights} AS ${c('w')}`],
    preps: [],
    outs: [`${c('vw')}::DOUBLE AS ${c('vw')}`, `${c('w')}::DOUBLE AS ${c('w')}`],
    order: (sub) => singleValue(sub, 'weighted_avg', `(${c('vw')} / nullif(${c('w')}, 0))`),
    render: (row) => {
      const total = num(row?.[c('w')]);
      return { value: total ? num(row![c('vw')])! / total : null };
    },
  };
}

/** Percent 0.5 → the double ES computes (percent / 100), written so DuckDB reads exactly that double. */
const exactDouble = (v: number) => `'${v}'::DOUBLE`;

function percentiles(conf: PercentilesConf, id: number, ctx: AggContext, name: string): MetricSql {
  const c = (s: string) => `m${id}_${s}`;
  const input = numericInput(ctx, conf.field, conf.missing, conf.kind);
  const { expr: e, multi } = input;
  const printer = input.type === 'date' ? datePrinter(conf.format) : undefined;
  const keys = conf.points.map(javaDouble);
  const n = c('n');
  const aggs = [`${countOf(e, multi)} AS ${n}`];
  const preps: string[] = [];
  const outs: string[] = [];
  if (conf.kind === 'percentiles') {
    const qs = conf.points.map((p) => exactDouble(p / 100));
    const all = multi ? `flatten(list(list_transform(${e}, __y -> __y::DOUBLE)))` : `list(${e}::DOUBLE)`;
    const approx = multi ? `list_aggregate(${all}, 'quantile_cont', [${qs.join(', ')}])` : `quantile_cont(${e}::DOUBLE, [${qs.join(', ')}])`;
    aggs.push(`${all} AS ${c('l')}`, `${approx} AS ${c('qc')}`);
    preps.push(`CASE WHEN ${n} < ${EXACT_SAMPLES} THEN list_sort(${c('l')}) END AS ${c('ls')}`);
    qs.forEach((q, i) => {
      // Elasticsearch's SortingDigest: linear interpolation at index q·(n−1), clamped to the ends.
      const idx = `(${q} * (${n} - 1))`;
      const low = `(CASE WHEN ${idx} <= 0 THEN 0 WHEN ${idx} >= ${n} - 1 THEN ${n} - 1 ELSE floor(${idx}) END)::BIGINT`;
      const weight = `(CASE WHEN ${idx} <= 0 OR ${idx} >= ${n} - 1 THEN 0 ELSE ${idx} - floor(${idx}) END)`;
      const ls = c('ls');
      const exact = `(${ls}[${low} + 1] + ${weight} * (${ls}[least(${low} + 2, ${n})] - ${ls}[${low} + 1]))`;
      outs.push(`(CASE WHEN ${n} = 0 THEN NULL WHEN ${n} < ${EXACT_SAMPLES} THEN ${exact} ELSE ${c('qc')}[${i + 1}] END)::DOUBLE AS ${c(`p${i}`)}`);
    });
  } else {
    aggs.push(`${minOf(e, multi)}::DOUBLE AS ${c('mn')}`, `${maxOf(e, multi)}::DOUBLE AS ${c('mx')}`);
    outs.push(`${c('mn')} AS ${c('mn')}`, `${c('mx')} AS ${c('mx')}`);
    conf.points.forEach((v, i) => {
      const lit = sqlNumber(v);
      const where = (cond: string) => (multi ? `coalesce(sum(len(list_filter(${e}, __y -> __y ${cond}))), 0)` : `count(*) FILTER (WHERE ${e} ${cond})`);
      const pick = (fn: 'max' | 'min', cond: string) => (multi ? `${fn}(list_${fn}(list_filter(${e}, __y -> __y ${cond})))` : `${fn}(${e}) FILTER (WHERE ${e} ${cond})`);
      aggs.push(`${where(`< ${lit}`)} AS ${c(`lt${i}`)}`, `${where(`= ${lit}`)} AS ${c(`eq${i}`)}`);
      aggs.push(`${pick('max', `<= ${lit}`)}::DOUBLE AS ${c(`pv${i}`)}`, `${pick('min', `> ${lit}`)}::DOUBLE AS ${c(`nx${i}`)}`);
      for (const k of [`lt${i}`, `eq${i}`, `pv${i}`, `nx${i}`]) outs.push(`${c(k)}::DOUBLE AS ${c(k)}`);
    });
  }
  outs.push(`${n}::DOUBLE AS ${n}`);
  const valueAt = (row: Row | undefined, i: number): number | null => {
    if (!row || !num(row[n])) return null;
    return conf.kind === 'percentiles' ? num(row[c(`p${i}`)]) : rank(row, c, i, conf.points[i]);
  };
  return {
    aggs,
    preps,
    outs,
    order: (sub) => {
      const i = sub === undefined ? -1 : conf.points.findIndex((p) => p === Number(sub));
      if (i < 0) throw illegalArgument(`Invalid aggregation order path [${name}${sub === undefined ? '' : `.${sub}`}]. Unknown value key [${sub ?? ''}] for multi-value metric aggregation [${name}]`);
      if (conf.kind !== 'percentiles') throw illegalArgument(`Invalid aggregation order path [${name}.${sub}]. Ordering by [${conf.kind}] is not supported`);
      return c(`p${i}`);
    },
    render: (row) => {
      const values = conf.points.map((_, i) => valueAt(row, i));
      if (conf.keyed) {
        const out: Record<string, unknown> = {};
        values.forEach((v, i) => {
          out[keys[i]] = v;
          if (v !== null && printer) out[`${keys[i]}_as_string`] = printer(Math.trunc(v));
        });
        return { values: out };
      }
      return {
        values: values.map((v, i) => (v !== null && printer ? { key: conf.points[i], value: v, value_as_string: printer(Math.trunc(v)) } : { key: conf.points[i], value: v })),
      };
    },
  };
}

/** ES's exact cdf (Dist.cdf over the sorted samples), ×100, from counts around the value. */
function rank(row: Row, c: (s: string) => string, i: number, x: number): number {
  const n = num(row[c('n')])!;
  const [min, max] = [num(row[c('mn')])!, num(row[c('mx')])!];
  if (x < min) return 0;
  const less = num(row[c(`lt${i}`)])! - (min < x ? 1 : 0);
  const equal = num(row[c(`eq${i}`)])! - (min === x ? 1 : 0);
  let cdf: number;
  if (max > x) {
    if (equal > 0) cdf = (0.5 + less + 0.5 * equal) / n;
    else {
      const prev = num(row[c(`pv${i}`)])!;
      const next = num(row[c(`nx${i}`)])!;
      cdf = (0.5 + less + (x - prev) / (next - prev)) / n;
    }
  } else cdf = (n - 0.5 * equal) / n;
  return cdf * 100;
}
