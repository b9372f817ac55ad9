/** Settings of the bucket aggregations, validated with Elasticsearch's messages. */
import type {
  BucketConf,
  CompositeConf,
  CompositeSource,
  DateHistogramConf,
  FiltersConf,
  HistogramConf,
  IncludeExclude,
  OrderKey,
  RangeSpec,
  TermsConf,
} from './config.js';
import { datePrinter } from './date-print.js';
import { parseCalendarInterval, parseFixedInterval, parseLegacyInterval, parseOffset, type DateRounding } from './date-rounding.js';
import { contentError, illegalArgument, parsingError, tokenOf } from './errors.js';
import type { QueryParser } from './parse.js';
import { BodyReader, isObject, isScalar, subReader } from './reader.js';
import { parseTimeZone, UTC, type TimeZone } from '../../query/timezone.js';

const VALUES_SOURCE = ['field', 'missing', 'format', 'value_type', 'script'];

export function parseBucketConf(type: string, body: Record<string, unknown>, at: string, parseQuery: QueryParser): BucketConf {
  switch (type) {
    case 'terms':
      return parseTerms(body, at);
    case 'histogram':
      return parseHistogram(body, at);
    case 'date_histogram':
      return parseDateHistogram(body, at);
    case 'range':
    case 'date_range':
      return parseRange(type, body, at);
    case 'filter':
      // `"filter": {}` is match_all, as for any empty top-level query in Elasticsearch.
      return { kind: 'filter', query: Object.keys(body).length ? parseQuery(body, at) : { kind: 'match_all' } };
    case 'filters':
      return parseFilters(body, at, parseQuery);
    case 'missing':
      return { kind: 'missing', field: requiredField(new BodyReader(body, at, ['field', 'value_type'])) };
    case 'global':
      new BodyReader(body, at, []);
      return { kind: 'global' };
    default:
      return parseComposite(body, at);
  }
}

export function requiredField(r: BodyReader): string {
  const field = r.string('field');
  if (field === undefined) throw illegalArgument(`[${r.where}] Required one of fields [field, script], but none were specified.`);
  return field;
}

/** `order`: `{"_count": "desc"}` or an array of such objects; `_term` is the old name of `_key`. */
export function parseOrder(r: BodyReader, fallback: OrderKey[], aggType: string): OrderKey[] {
  const raw = r.body.order;
  if (raw === undefined || raw === null) return fallback;
  const items = Array.isArray(raw) ? raw : [raw];
  const out: OrderKey[] = [];
  for (const item of items) {
    if (!isObject(item)) throw parsingError(`[${r.where}] order doesn't support values of type: ${tokenOf(item)}`);
    for (const [path, dir] of Object.entries(item)) {
      const d = typeof dir === 'string' ? dir.toLowerCase() : '';
      if (d !== 'asc' && d !== 'desc') throw parsingError(`Unknown ${aggType} order direction [${String(dir)}]`);
      out.push({ path: path === '_term' || path === '_time' ? '_key' : path, asc: d === 'asc' });
    }
  }
  if (out.length === 0) throw parsingError(`[${r.where}] Must specify at least one field for [order]`);
  return out;
}

function nonNegative(r: BodyReader, k: string, name: string, fallback: number): number {
  const v = r.int(k) ?? fallback;
  if (v < 0) throw illegalArgument(`[${k}] must be greater than or equal to 0. Found [${v}] in [${name}]`);
  return v;
}

const aggName = (at: string) => at.split('.').slice(-2, -1)[0];

function parseIncludeExclude(r: BodyReader, k: 'include' | 'exclude'): IncludeExclude | undefined {
  const v = r.body[k];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return { regex: v };
  if (Array.isArray(v)) {
    if (!v.every(isScalar)) throw contentError(`[${r.where}] [${k}] values must be strings or numbers`);
    return { values: v };
  }
  if (isObject(v) && k === 'include') {
    const p = new BodyReader(v, `${r.where}.include`, ['partition', 'num_partitions']);
    const partition = p.int('partition');
    const numPartitions = p.int('num_partitions');
    if (partition === undefined || numPartitions === undefined) throw contentError(`[${r.where}] [include] partition needs [partition] and [num_partitions]`);
    if (numPartitions < 1 || partition < 0 || partition >= numPartitions) {
      throw illegalArgument(`[${r.where}] [include] partition must be in [0, num_partitions), got [${partition}] of [${numPartitions}]`);
    }
    return { partition, numPartitions };
  }
  throw contentError(`[${r.where}] ${k} doesn't support values of type: ${tokenOf(v)}`);
}

function parseTerms(body: Record<string, unknown>, at: string): TermsConf {
  const r = new BodyReader(body, at, [
    ...VALUES_SOURCE,
    'size', 'shard_size', 'min_doc_count', 'shard_min_doc_count', 'order', 'include', 'exclude',
    'execution_hint', 'collect_mode', 'show_term_doc_count_error',
  ]);
  const name = aggName(at);
  const size = r.int('size') ?? 10;
  if (size <= 0) throw illegalArgument(`[size] must be greater than 0. Found [${size}] in [${name}]`);
  const conf: TermsConf = {
    kind: 'terms',
    field: requiredField(r),
    size,
    minDocCount: nonNegative(r, 'min_doc_count', name, 1),
    order: parseOrder(r, [{ path: '_count', asc: false }], 'terms'),
    showTermDocCountError: r.bool('show_term_doc_count_error') ?? false,
  };
  nonNegative(r, 'shard_size', name, 1);
  const missing = r.scalar('missing');
  if (missing !== undefined) conf.missing = missing;
  const include = parseIncludeExclude(r, 'include');
  const exclude = parseIncludeExclude(r, 'exclude');
  if (include) conf.include = include;
  if (exclude) conf.exclude = exclude;
  const format = r.format();
  if (format !== undefined) conf.format = format;
  return conf;
}

function bounds(r: BodyReader, k: string): { min?: number; max?: number } | undefined {
  const b = subReader(r, k, ['min', 'max']);
  if (!b) return undefined;
  const out: { min?: number; max?: number } = {};
  const min = b.number('min');
  const max = b.number('max');
  if (min !== undefined) out.min = min;
  if (max !== undefined) out.max = max;
  return out;
}

function parseHistogram(body: Record<string, unknown>, at: string): HistogramConf {
  const r = new BodyReader(body, at, [...VALUES_SOURCE, 'interval', 'offset', 'min_doc_count', 'extended_bounds', 'hard_bounds', 'keyed', 'order']);
  const name = aggName(at);
  const field = requiredField(r);
  const interval = r.number('interval');
  if (interval === undefined) throw illegalArgument(`[${at}] Required [interval]`);
  if (!(interval > 0)) throw illegalArgument(`[interval] must be >0 for histogram aggregation [${name}]`);
  const conf: HistogramConf = {
    kind: 'histogram',
    field,
    interval,
    offset: r.number('offset') ?? 0,
    minDocCount: nonNegative(r, 'min_doc_count', name, 0),
    keyed: r.bool('keyed') ?? false,
    order: parseOrder(r, [{ path: '_key', asc: true }], 'histogram'),
  };
  const extended = bounds(r, 'extended_bounds');
  if (extended) {
    if (extended.min !== undefined && extended.max !== undefined && extended.min > extended.max) {
      throw illegalArgument(`[extended_bounds.min][${extended.min}] cannot be greater than [extended_bounds.max][${extended.max}] for histogram aggregation [${name}]`);
    }
    conf.extendedBounds = extended;
  }
  const hard = bounds(r, 'hard_bounds');
  if (hard) conf.hardBounds = hard;
  const missing = r.number('missing');
  if (missing !== undefined) conf.missing = missing;
  return conf;
}

export function timeZoneOf(r: BodyReader): TimeZone {
  const s = r.string('time_zone');
  if (s === undefined) return UTC;
  const tz = parseTimeZone(s);
  if (!tz) throw illegalArgument(`[${r.where}] failed to parse field [time_zone]: Unknown time-zone ID: ${s}`);
  return tz;
}

/** Validates a `format` up front (an unknown pattern letter is a 400 before anything runs). */
export function checkedFormat(r: BodyReader): string | undefined {
  const f = r.format();
  if (f !== undefined) datePrinter(f);
  return f;
}

export function dateRounding(r: BodyReader): DateRounding {
  const calendar = r.string('calendar_interval');
  const fixed = r.string('fixed_interval');
  const legacy = r.scalar('interval');
  if (calendar !== undefined && fixed !== undefined) throw illegalArgument('Cannot use [fixed_interval] with [calendar_interval] configuration option.');
  if (legacy !== undefined && (calendar !== undefined || fixed !== undefined)) {
    throw illegalArgument('Cannot use [interval] with [fixed_interval] or [calendar_interval] configuration options.');
  }
  let interval;
  if (calendar !== undefined) interval = parseCalendarInterval(calendar, r.where);
  else if (fixed !== undefined) interval = parseFixedInterval(fixed, r.where);
  else if (legacy !== undefined && typeof legacy !== 'boolean') interval = parseLegacyInterval(legacy, r.where);
  else throw illegalArgument('Invalid interval specified, must be non-null and non-empty');
  const offset = r.scalar('offset');
  return {
    interval,
    tz: timeZoneOf(r),
    offsetMs: offset === undefined || typeof offset === 'boolean' ? 0 : parseOffset(offset, r.where),
  };
}

function dateBounds(r: BodyReader, k: string): { min?: string | number; max?: string | number } | undefined {
  const b = subReader(r, k, ['min', 'max']);
  if (!b) return undefined;
  const out: { min?: string | number; max?: string | number } = {};
  for (const side of ['min', 'max'] as const) {
    const v = b.scalar(side);
    if (typeof v === 'boolean') throw contentError(`[${b.where}] ${side} doesn't support values of type: VALUE_BOOLEAN`);
    if (v !== undefined) out[side] = v;
  }
  return out;
}

function parseDateHistogram(body: Record<string, unknown>, at: string): DateHistogramConf {
  const r = new BodyReader(body, at, [
    ...VALUES_SOURCE,
    'calendar_interval', 'fixed_interval', 'interval', 'time_zone', 'offset', 'min_doc_count', 'extended_bounds', 'hard_bounds', 'keyed', 'order',
  ]);
  const name = aggName(at);
  const field = requiredField(r);
  const conf: DateHistogramConf = {
    kind: 'date_histogram',
    field,
    rounding: dateRounding(r),
    minDocCount: nonNegative(r, 'min_doc_count', name, 0),
    keyed: r.bool('keyed') ?? false,
    order: parseOrder(r, [{ path: '_key', asc: true }], 'date_histogram'),
  };
  const format = checkedFormat(r);
  if (format !== undefined) conf.format = format;
  const extended = dateBounds(r, 'extended_bounds');
  if (extended) conf.extendedBounds = extended;
  const hard = dateBounds(r, 'hard_bounds');
  if (hard) conf.hardBounds = hard;
  const missing = r.scalar('missing');
  if (missing !== undefined && typeof missing !== 'boolean') conf.missing = missing;
  return conf;
}

function parseRange(type: 'range' | 'date_range', body: Record<string, unknown>, at: string): BucketConf {
  const r = new BodyReader(body, at, [...VALUES_SOURCE, 'ranges', 'keyed', ...(type === 'date_range' ? ['time_zone'] : [])]);
  const field = requiredField(r);
  const list = r.array('ranges');
  if (!list || list.length === 0) throw illegalArgument(`No [ranges] specified for the [${aggName(at)}] aggregation`);
  const ranges = list.map((item, i) => {
    if (!isObject(item)) throw contentError(`[${at}.ranges] [${i}] doesn't support values of type: ${tokenOf(item)}`);
    const b = new BodyReader(item, `${at}.ranges[${i}]`, ['key', 'from', 'to']);
    const spec: RangeSpec<string | number> = {};
    const key = b.string('key');
    if (key !== undefined) spec.key = key;
    for (const side of ['from', 'to'] as const) {
      const v = b.scalar(side);
      if (v === undefined) continue;
      if (typeof v === 'boolean') throw contentError(`[${b.where}] ${side} doesn't support values of type: VALUE_BOOLEAN`);
      if (type === 'range') {
        const n = Number(v);
        if (typeof v === 'string' && (v.trim() === '' || !Number.isFinite(n))) throw contentError(`[${b.where}] failed to parse field [${side}]: [${v}] is not a number`);
        spec[side] = n;
      } else spec[side] = v;
    }
    return spec;
  });
  const keyed = r.bool('keyed') ?? false;
  if (type === 'range') {
    const missing = r.number('missing');
    return { kind: 'range', field, ranges: ranges as Array<RangeSpec<number>>, keyed, ...(missing !== undefined ? { missing } : {}) };
  }
  const missing = r.scalar('missing');
  const format = checkedFormat(r);
  return {
    kind: 'date_range',
    field,
    ranges,
    keyed,
    tz: timeZoneOf(r),
    ...(format !== undefined ? { format } : {}),
    ...(missing !== undefined && typeof missing !== 'boolean' ? { missing } : {}),
  };
}

function parseFilters(body: Record<string, unknown>, at: string, parseQuery: QueryParser): FiltersConf {
  const r = new BodyReader(body, at, ['filters', 'other_bucket', 'other_bucket_key', 'keyed']);
  const raw = r.body.filters;
  let filters: FiltersConf['filters'];
  let named: boolean;
  if (Array.isArray(raw)) {
    named = false;
    filters = raw.map((q, i) => ({ key: String(i), query: parseQuery(q, `${at}.filters[${i}]`) }));
  } else if (isObject(raw)) {
    named = true;
    filters = Object.entries(raw)
      .map(([key, q]) => ({ key, query: parseQuery(q, `${at}.filters.${key}`) }))
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  } else if (raw === undefined || raw === null) {
    throw illegalArgument(`[${at}] Required [filters]`);
  } else {
    throw parsingError(`[${at}] filters doesn't support values of type: ${tokenOf(raw)}`);
  }
  if (filters.length === 0) throw illegalArgument('[filters] cannot be empty.');
  const otherBucketKey = r.string('other_bucket_key');
  return {
    kind: 'filters',
    filters,
    named,
    otherBucket: r.bool('other_bucket') ?? otherBucketKey !== undefined,
    otherBucketKey: otherBucketKey ?? '_other_',
    keyed: r.bool('keyed') ?? true,
  };
}

function parseComposite(body: Record<string, unknown>, at: string): CompositeConf {
  const r = new BodyReader(body, at, ['size', 'sources', 'after']);
  const size = r.int('size') ?? 10;
  if (size <= 0) throw illegalArgument(`[size] must be greater than 0. Found [${size}] in [${aggName(at)}]`);
  const list = r.array('sources');
  if (!list || list.length === 0) throw illegalArgument('Composite [sources] cannot be null or empty');
  const sources = list.map((item, i) => parseSource(item, `${at}.sources[${i}]`));
  const names = sources.map((s) => s.name);
  const dupes = names.filter((n, i) => names.indexOf(n) !== i);
  if (dupes.length) throw illegalArgument(`Composite source names must be unique, found duplicates: [${[...new Set(dupes)].join(', ')}]`);
  const conf: CompositeConf = { kind: 'composite', size, sources };
  const after = r.object('after');
  if (after) {
    for (const s of sources) {
      if (!(s.name in after)) throw illegalArgument(`[after] has ${Object.keys(after).length} value(s) but [sources] has ${sources.length}`);
    }
    conf.after = after;
  }
  return conf;
}

function parseSource(item: unknown, where: string): CompositeSource {
  if (!isObject(item) || Object.keys(item).length !== 1) {
    throw parsingError(`[${where}] a composite source must be an object with exactly one named source`);
  }
  const [name, def] = Object.entries(item)[0];
  if (!isObject(def) || Object.keys(def).length !== 1) throw parsingError(`[${where}.${name}] must hold exactly one source type`);
  const [type, sourceBody] = Object.entries(def)[0];
  if (type !== 'terms' && type !== 'histogram' && type !== 'date_histogram') {
    throw parsingError(`Unknown composite source type [${type}] in [${where}.${name}]; expected one of [terms, histogram, date_histogram]`);
  }
  if (!isObject(sourceBody)) throw parsingError(`[${where}.${name}.${type}] must be an object`);
  const common = ['field', 'order', 'missing_bucket', 'missing_order', 'value_type', 'script', 'format'];
  const extra = type === 'terms' ? [] : type === 'histogram' ? ['interval', 'offset'] : ['calendar_interval', 'fixed_interval', 'interval', 'time_zone', 'offset'];
  const r = new BodyReader(sourceBody, `${where}.${name}.${type}`, [...common, ...extra]);
  const order = r.string('order') ?? 'asc';
  if (order !== 'asc' && order !== 'desc') throw parsingError(`Unknown order direction [${order}] in [${r.where}]`);
  const missingOrder = r.string('missing_order') ?? 'default';
  if (missingOrder !== 'first' && missingOrder !== 'last' && missingOrder !== 'default') {
    throw illegalArgument(`[${r.where}] Unknown MissingOrder value [${missingOrder}]`);
  }
  const source: CompositeSource = {
    name,
    type,
    field: requiredField(r),
    asc: order === 'asc',
    missingBucket: r.bool('missing_bucket') ?? false,
    missingOrder,
  };
  if (type === 'histogram') {
    const interval = r.number('interval');
    if (!(interval !== undefined && interval > 0)) throw illegalArgument(`[interval] must be greater than 0 for [histogram] source [${name}]`);
    source.interval = interval;
    source.offset = r.number('offset') ?? 0;
  } else if (type === 'date_histogram') {
    source.rounding = dateRounding(r);
  }
  const format = type === 'date_histogram' ? checkedFormat(r) : r.format();
  if (format !== undefined) source.format = format;
  return source;
}
