/** Settings of the metric and pipeline aggregations, validated with Elasticsearch's messages. */
import type {
  BucketMetricConf,
  GapPolicy,
  MetricsConf,
  OrderKey,
  PipelineConf,
  SimpleMetricKind,
  TopHitSort,
  TopHitsConf,
} from './config.js';
import { timeValueMs } from './date-rounding.js';
import { contentError, illegalArgument, parsingError, tokenOf } from './errors.js';
import { checkedFormat, requiredField } from './parse-buckets.js';
import { BodyReader, isObject, subReader } from './reader.js';

const DEFAULT_PERCENTS = [1, 5, 25, 50, 75, 95, 99];
const aggName = (at: string) => at.split('.').slice(-2, -1)[0];

export function parseMetricConf(type: string, body: Record<string, unknown>, at: string): MetricsConf {
  switch (type) {
    case 'percentiles':
    case 'percentile_ranks':
      return parsePercentiles(type, body, at);
    case 'top_hits':
      return parseTopHits(body, at);
    case 'weighted_avg':
      return parseWeightedAvg(body, at);
    default:
      return parseSimple(type as SimpleMetricKind, body, at);
  }
}

function parseSimple(kind: SimpleMetricKind, body: Record<string, unknown>, at: string): MetricsConf {
  const known = ['field', 'missing', 'format', 'value_type', 'script'];
  if (kind === 'cardinality') known.push('precision_threshold', 'rehash', 'execution_hint');
  if (kind === 'extended_stats') known.push('sigma');
  const r = new BodyReader(body, at, known);
  const sigma = r.number('sigma') ?? 2;
  if (sigma < 0) throw illegalArgument(`[sigma] must be greater than or equal to 0. Found [${sigma}] in [${aggName(at)}]`);
  const conf: MetricsConf = { kind, field: requiredField(r), sigma };
  const missing = r.scalar('missing');
  if (missing !== undefined) conf.missing = missing;
  const format = checkedFormat(r);
  if (format !== undefined) conf.format = format;
  return conf;
}

function numberList(r: BodyReader, k: string): number[] | undefined {
  const list = r.array(k);
  if (!list) return undefined;
  return list.map((v, i) => {
    const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
    if (typeof n !== 'number' || !Number.isFinite(n)) throw contentError(`[${r.where}] ${k}[${i}] doesn't support values of type: ${tokenOf(v)}`);
    return n;
  });
}

function parsePercentiles(kind: 'percentiles' | 'percentile_ranks', body: Record<string, unknown>, at: string): MetricsConf {
  const pointsKey = kind === 'percentiles' ? 'percents' : 'values';
  const r = new BodyReader(body, at, ['field', 'missing', 'format', 'value_type', 'script', 'keyed', 'tdigest', 'hdr', 'method', 'compression', pointsKey]);
  subReader(r, 'tdigest', ['compression', 'execution_hint']);
  subReader(r, 'hdr', ['number_of_significant_value_digits']);
  if (r.has('tdigest') && r.has('hdr')) throw parsingError(`[${at}] Cannot specify both [tdigest] and [hdr]`);
  let points = numberList(r, pointsKey);
  if (kind === 'percentiles') {
    points ??= DEFAULT_PERCENTS;
    if (points.length === 0) throw illegalArgument(`[percents] must not be empty: [${aggName(at)}]`);
    for (const p of points) if (p < 0 || p > 100) throw illegalArgument(`percent must be in [0,100], got [${p}]: percent`);
  } else if (!points) {
    throw illegalArgument(`[values] must not be null: [${aggName(at)}]`);
  } else if (points.length === 0) {
    throw illegalArgument(`[values] must not be an empty array: [${aggName(at)}]`);
  }
  const conf: MetricsConf = { kind, field: requiredField(r), points, keyed: r.bool('keyed') ?? true };
  const missing = r.scalar('missing');
  if (missing !== undefined) conf.missing = missing;
  const format = checkedFormat(r);
  if (format !== undefined) conf.format = format;
  return conf;
}

function parseWeightedAvg(body: Record<string, unknown>, at: string): MetricsConf {
  const r = new BodyReader(body, at, ['value', 'weight', 'format', 'value_type']);
  const side = (k: 'value' | 'weight') => {
    const s = subReader(r, k, ['field', 'missing', 'script']);
    if (!s) throw illegalArgument(`[${at}] Required [${k}]`);
    const missing = s.number('missing');
    return { field: requiredField(s), ...(missing !== undefined ? { missing } : {}) };
  };
  return { kind: 'weighted_avg', value: side('value'), weight: side('weight') };
}

/** ES sort syntax: `"f"`, `{"f": "desc"}`, `{"f": {"order": "desc"}}`, or an array of these. */
export function parseSortList(raw: unknown, where: string): TopHitSort[] {
  const items = Array.isArray(raw) ? raw : [raw];
  const out: TopHitSort[] = [];
  for (const item of items) {
    if (typeof item === 'string') {
      out.push({ field: item, asc: item !== '_score' });
      continue;
    }
    if (!isObject(item)) throw parsingError(`[${where}] sort doesn't support values of type: ${tokenOf(item)}`);
    for (const [field, spec] of Object.entries(item)) {
      let order: unknown = spec;
      if (isObject(spec)) {
        const s = new BodyReader(spec, `${where}.${field}`, ['order', 'missing', 'unmapped_type', 'mode', 'numeric_type', 'format']);
        order = s.string('order') ?? (field === '_score' ? 'desc' : 'asc');
      }
      const dir = typeof order === 'string' ? order.toLowerCase() : '';
      if (dir !== 'asc' && dir !== 'desc') throw illegalArgument(`[${where}] Unknown sort order [${String(order)}] for [${field}]`);
      out.push({ field, asc: dir === 'asc' });
    }
  }
  return out;
}

function stringList(v: unknown, where: string): string[] {
  const list = Array.isArray(v) ? v : [v];
  if (!list.every((x) => typeof x === 'string')) throw parsingError(`[${where}] must be a string or an array of strings`);
  return list as string[];
}

function parseTopHits(body: Record<string, unknown>, at: string): TopHitsConf {
  const r = new BodyReader(body, at, ['from', 'size', 'sort', '_source', 'track_scores', 'version', 'seq_no_primary_term', 'explain']);
  const from = r.int('from') ?? 0;
  const size = r.int('size') ?? 3;
  if (from < 0) throw illegalArgument(`[from] must be greater than or equal to 0. Found [${from}] in [${aggName(at)}]`);
  if (size < 0) throw illegalArgument(`[size] must be greater than or equal to 0. Found [${size}] in [${aggName(at)}]`);
  if (from + size > 100) {
    throw illegalArgument(
      `Top hits result window is too large, the top hits aggregator [${aggName(at)}]'s from + size must be less than or equal to: [100] but was [${from + size}]. This limit can be set by changing the [index.max_inner_result_window] index level setting.`,
    );
  }
  const raw = r.body._source;
  let source: TopHitsConf['source'] = { includes: [], excludes: [] };
  if (raw === false || raw === 'false') source = false;
  else if (typeof raw === 'string' || Array.isArray(raw)) source = { includes: stringList(raw, `${at}._source`), excludes: [] };
  else if (isObject(raw)) {
    const s = new BodyReader(raw, `${at}._source`, ['includes', 'include', 'excludes', 'exclude']);
    const inc = s.body.includes ?? s.body.include;
    const exc = s.body.excludes ?? s.body.exclude;
    source = {
      includes: inc === undefined ? [] : stringList(inc, `${at}._source.includes`),
      excludes: exc === undefined ? [] : stringList(exc, `${at}._source.excludes`),
    };
  } else if (raw !== undefined && raw !== null && raw !== true && raw !== 'true') {
    throw parsingError(`[${at}] _source doesn't support values of type: ${tokenOf(raw)}`);
  }
  return {
    kind: 'top_hits',
    from,
    size,
    sort: r.has('sort') ? parseSortList(r.body.sort, `${at}.sort`) : [],
    source,
    trackScores: r.bool('track_scores') ?? false,
  };
}

// ---- pipelines ------------------------------------------------------------------------------------

function gapPolicy(r: BodyReader): GapPolicy {
  const g = r.string('gap_policy') ?? 'skip';
  if (g !== 'skip' && g !== 'insert_zeros' && g !== 'keep_values') {
    throw illegalArgument(`[${r.where}] Unknown gap_policy [${g}], expected one of [skip, insert_zeros, keep_values]`);
  }
  return g;
}

function bucketsPath(r: BodyReader): string {
  const raw = r.body.buckets_path;
  if (typeof raw === 'string') return raw;
  if (isObject(raw) && Object.keys(raw).length === 1 && typeof Object.values(raw)[0] === 'string') return Object.values(raw)[0] as string;
  if (Array.isArray(raw) && raw.length === 1 && typeof raw[0] === 'string') return raw[0];
  if (raw === undefined || raw === null) throw illegalArgument(`[${r.where}] Required [buckets_path]`);
  throw parsingError(`[${r.where}] buckets_path must be a single path`);
}

export function parsePipelineConf(type: string, body: Record<string, unknown>, at: string): PipelineConf {
  if (type === 'bucket_sort') {
    const r = new BodyReader(body, at, ['sort', 'from', 'size', 'gap_policy']);
    const sort: OrderKey[] = r.has('sort') ? parseSortList(r.body.sort, `${at}.sort`).map((s) => ({ path: s.field, asc: s.asc })) : [];
    const from = r.int('from') ?? 0;
    if (from < 0) throw illegalArgument(`[from] must be a non-negative integer: [${from}]`);
    const size = r.int('size');
    if (size !== undefined && size < 1) throw illegalArgument(`[size] must be a positive integer: [${size}]`);
    return { kind: 'bucket_sort', sort, from, ...(size !== undefined ? { size } : {}), gapPolicy: gapPolicy(r) };
  }
  if (type === 'cumulative_sum') {
    const r = new BodyReader(body, at, ['buckets_path', 'format']);
    return { kind: 'cumulative_sum', path: bucketsPath(r) };
  }
  if (type === 'derivative') {
    const r = new BodyReader(body, at, ['buckets_path', 'format', 'gap_policy', 'unit']);
    const unit = r.string('unit');
    let unitMs: number | undefined;
    if (unit !== undefined) {
      unitMs = timeValueMs(unit) ?? ({ second: 1000, minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 604_800_000 } as Record<string, number>)[unit];
      if (unitMs === undefined) throw illegalArgument(`[${at}] unable to parse [unit] with value [${unit}]`);
    }
    return { kind: 'derivative', path: bucketsPath(r), gapPolicy: gapPolicy(r), ...(unitMs !== undefined ? { unitMs } : {}) };
  }
  const r = new BodyReader(body, at, ['buckets_path', 'format', 'gap_policy']);
  return { kind: type as BucketMetricConf['kind'], path: bucketsPath(r), gapPolicy: gapPolicy(r) };
}
