/**
 * PromQL function signatures, transcribed (as data, in our words) from Prometheus 3.x
 * `promql/parser/functions.go`: the one table both the parser (type checks) and the engine
 * (arity, which argument is the range vector) read.
 *
 * `variadic`: 0 = exactly `args.length` arguments; n > 0 = the last argument type may be
 * omitted or repeated up to n times in total; -1 = the last argument type repeats without limit.
 * (Prometheus's rule: at least `args.length - 1` arguments when variadic.)
 *
 * holt_winters is absent on purpose: Prometheus 3.0 removed it in favour of
 * double_exponential_smoothing. The parser folds `start()`, `end()`, `range()`, `step()` into
 * numbers from the query's time range (parser.ts); they are listed as Prometheus lists them.
 */
import type { ValueType } from './ast.js';

export interface FunctionSignature {
  name: string;
  args: ValueType[];
  variadic: number;
  returns: ValueType;
  /** Behind `--enable-feature=promql-experimental-functions` in Prometheus; we accept them. */
  experimental?: boolean;
}

const S: ValueType = 'scalar';
const V: ValueType = 'vector';
const M: ValueType = 'matrix';
const STR: ValueType = 'string';

function fn(name: string, args: ValueType[], returns: ValueType, variadic = 0, experimental = false): FunctionSignature {
  return experimental ? { name, args, variadic, returns, experimental } : { name, args, variadic, returns };
}

const LIST: FunctionSignature[] = [
  fn('abs', [V], V),
  fn('absent', [V], V),
  fn('absent_over_time', [M], V),
  fn('acos', [V], V),
  fn('acosh', [V], V),
  fn('asin', [V], V),
  fn('asinh', [V], V),
  fn('atan', [V], V),
  fn('atanh', [V], V),
  fn('avg_over_time', [M], V),
  fn('ceil', [V], V),
  fn('changes', [M], V),
  fn('clamp', [V, S, S], V),
  fn('clamp_max', [V, S], V),
  fn('clamp_min', [V, S], V),
  fn('cos', [V], V),
  fn('cosh', [V], V),
  fn('count_over_time', [M], V),
  fn('days_in_month', [V], V, 1),
  fn('day_of_month', [V], V, 1),
  fn('day_of_week', [V], V, 1),
  fn('day_of_year', [V], V, 1),
  fn('deg', [V], V),
  fn('delta', [M], V),
  fn('end', [], S, 0, true),
  fn('deriv', [M], V),
  fn('double_exponential_smoothing', [M, S, S], V, 0, true),
  fn('exp', [V], V),
  fn('first_over_time', [M], V),
  fn('floor', [V], V),
  fn('histogram_avg', [V], V),
  fn('histogram_count', [V], V),
  fn('histogram_fraction', [S, S, V], V),
  fn('histogram_quantile', [S, V], V),
  fn('histogram_quantiles', [V, STR, S, S], V, 9, true),
  fn('histogram_stddev', [V], V),
  fn('histogram_stdvar', [V], V),
  fn('histogram_sum', [V], V),
  fn('hour', [V], V, 1),
  fn('idelta', [M], V),
  fn('increase', [M], V),
  fn('info', [V, V], V, 1, true),
  fn('irate', [M], V),
  fn('label_join', [V, STR, STR, STR], V, -1),
  fn('label_replace', [V, STR, STR, STR, STR], V),
  fn('last_over_time', [M], V),
  fn('ln', [V], V),
  fn('log10', [V], V),
  fn('log2', [V], V),
  fn('mad_over_time', [M], V, 0, true),
  fn('max_of', [S, S], S, 0, true),
  fn('max_over_time', [M], V),
  fn('min_of', [S, S], S, 0, true),
  fn('min_over_time', [M], V),
  fn('minute', [V], V, 1),
  fn('month', [V], V, 1),
  fn('pi', [], S),
  fn('predict_linear', [M, S], V),
  fn('present_over_time', [M], V),
  fn('quantile_over_time', [S, M], V),
  fn('rad', [V], V),
  fn('range', [], S, 0, true),
  fn('rate', [M], V),
  fn('resets', [M], V),
  fn('round', [V, S], V, 1),
  fn('scalar', [V], S),
  fn('sgn', [V], V),
  fn('sin', [V], V),
  fn('sinh', [V], V),
  fn('sort', [V], V),
  fn('sort_by_label', [V, STR], V, -1, true),
  fn('sort_by_label_desc', [V, STR], V, -1, true),
  fn('sort_desc', [V], V),
  fn('sqrt', [V], V),
  fn('start', [], S, 0, true),
  fn('start_timestamp', [V], V, 0, true),
  fn('step', [], S, 0, true),
  fn('stddev_over_time', [M], V),
  fn('stdvar_over_time', [M], V),
  fn('sum_over_time', [M], V),
  fn('tan', [V], V),
  fn('tanh', [V], V),
  fn('time', [], S),
  fn('timestamp', [V], V),
  fn('ts_of_first_over_time', [M], V, 0, true),
  fn('ts_of_last_over_time', [M], V, 0, true),
  fn('ts_of_max_over_time', [M], V, 0, true),
  fn('ts_of_min_over_time', [M], V, 0, true),
  fn('vector', [S], V),
  fn('year', [V], V, 1),
];

export const FUNCTIONS: ReadonlyMap<string, FunctionSignature> = new Map(LIST.map((f) => [f.name, f]));

/** Why `n` arguments do not fit `sig` (Prometheus's wording, without the position), or undefined. */
export function arityError(sig: FunctionSignature, n: number): string | undefined {
  const want = sig.args.length;
  const name = JSON.stringify(sig.name);
  if (sig.variadic === 0) return n === want ? undefined : `expected ${want} argument(s) in call to ${name}, got ${n}`;
  if (n < want - 1) return `expected at least ${want - 1} argument(s) in call to ${name}, got ${n}`;
  if (sig.variadic > 0 && n > want - 1 + sig.variadic) return `expected at most ${want - 1 + sig.variadic} argument(s) in call to ${name}, got ${n}`;
  return undefined;
}

/** Aggregations taking a leading parameter, and the parameter's type. */
export const AGGREGATE_PARAM: Readonly<Record<string, ValueType>> = {
  topk: S,
  bottomk: S,
  quantile: S,
  limitk: S,
  limit_ratio: S,
  count_values: STR,
};

/** Experimental aggregations (Prometheus gates them behind the experimental-functions flag). */
export const EXPERIMENTAL_AGGREGATES: ReadonlySet<string> = new Set(['limitk', 'limit_ratio']);
