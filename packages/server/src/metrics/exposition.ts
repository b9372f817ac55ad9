/**
 * Prometheus text exposition (format 0.0.4) and OpenMetrics 1.0 text parser.
 *
 * A hand-written scanner (no regex per line): ingest has to keep up with ~1 M samples/s. A line
 * whose series text was seen before (any earlier request) is parsed in place in the body, only its
 * value and timestamp read, and lands in a columnar batch (metrics/batch.ts). Each bad line is
 * reported by number and the parse goes on, so a request keeps its valid lines.
 *
 * Format rule (documented for `POST /{dataset}/metrics`): the text is OpenMetrics when the caller
 * says so (content type `application/openmetrics-text`) or when it contains a `# EOF` line;
 * otherwise it is Prometheus text 0.0.4. The formats differ in the sample timestamp: integer
 * milliseconds in Prometheus text, float seconds in OpenMetrics. A sample without a timestamp takes
 * the receive time. OpenMetrics `_created` series of counters, histograms and summaries are skipped,
 * as Prometheus 3 does by default (they are creation times, not samples).
 */
import { normalizeLabels, type Labels } from '../promql/values.js';
import { BatchBuilder, type BatchSeries, type SampleBatch } from './batch.js';
import { parseDecimal, parseMillis } from './numbers.js';

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'gaugehistogram' | 'summary' | 'info' | 'stateset' | 'untyped' | 'unknown';

export interface MetricMetadata {
  type: MetricType;
  help?: string;
  unit?: string;
}

export interface LineError {
  /** 1-based line number in the request body. */
  line: number;
  message: string;
}

export interface ExpositionResult {
  format: 'prometheus' | 'openmetrics';
  samples: SampleBatch;
  /** Per metric family name (as named by `# TYPE`/`# HELP`/`# UNIT`). */
  metadata: Map<string, MetricMetadata>;
  errors: LineError[];
}

const PROM_TYPES = new Set<MetricType>(['counter', 'gauge', 'histogram', 'summary', 'untyped']);
const OM_TYPES = new Set<MetricType>(['counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset', 'unknown']);

class LineFailure extends Error {}

const fail = (message: string): never => {
  throw new LineFailure(message);
};

const isNameStart = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95; // a-z A-Z _
const isDigit = (c: number) => c >= 48 && c <= 57;
const isMetricStart = (c: number) => isNameStart(c) || c === 58; // + ':'
const isMetricChar = (c: number) => isMetricStart(c) || isDigit(c);
const isLabelChar = (c: number) => isNameStart(c) || isDigit(c);
const isBlank = (c: number) => c === 32 || c === 9;

export function isValidMetricName(s: string): boolean {
  if (s.length === 0 || !isMetricStart(s.charCodeAt(0))) return false;
  for (let i = 1; i < s.length; i++) if (!isMetricChar(s.charCodeAt(i))) return false;
  return true;
}

export function isValidLabelName(s: string): boolean {
  if (s.length === 0 || !isNameStart(s.charCodeAt(0))) return false;
  for (let i = 1; i < s.length; i++) if (!isLabelChar(s.charCodeAt(i))) return false;
  return true;
}

/** Go's strconv.ParseFloat forms Prometheus accepts: decimals, exponents, NaN, ±Inf (any case). */
export function parseFloatStrict(s: string): number | undefined {
  const lower = s.toLowerCase();
  switch (lower) {
    case 'nan':
      return NaN;
    case 'inf':
    case '+inf':
    case 'infinity':
    case '+infinity':
      return Infinity;
    case '-inf':
    case '-infinity':
      return -Infinity;
  }
  if (!/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(s)) return undefined;
  return Number(s);
}

export function looksLikeOpenMetrics(text: string, contentType?: string): boolean {
  if (contentType && /application\/openmetrics-text/i.test(contentType)) return true;
  // indexOf, not a regex over the whole body: the body may be megabytes.
  for (let at = text.indexOf('# EOF'); at >= 0; at = text.indexOf('# EOF', at + 1)) {
    if (at > 0 && text.charCodeAt(at - 1) !== 10) continue;
    let i = at + 5;
    while (i < text.length && isBlank(text.charCodeAt(i))) i++;
    if (i < text.length && text.charCodeAt(i) === 13) i++;
    if (i === text.length || text.charCodeAt(i) === 10) return true;
  }
  return false;
}

/** The family a sample belongs to: its name minus a known suffix, when that family was typed. */
function familyOf(name: string, metadata: Map<string, MetricMetadata>): string {
  if (metadata.has(name)) return name;
  for (const suffix of ['_total', '_created', '_bucket', '_count', '_sum', '_gcount', '_gsum', '_info']) {
    if (name.endsWith(suffix)) {
      const base = name.slice(0, -suffix.length);
      if (metadata.has(base)) return base;
    }
  }
  return name;
}

export interface ParseOptions {
  /** Forces the format; by default detected with `looksLikeOpenMetrics`. */
  format?: 'prometheus' | 'openmetrics';
  contentType?: string;
}

/**
 * A series as parsed from its exact text (`name{a="1",b="2"}`), cached across requests: a scrape
 * repeats the same series text every interval, so label parsing, sorting and key building run once
 * per series, not per sample. `batch`/`ref` place it in the batch being built; `verdict` is its
 * check against the family metadata as it stood at `stamp`. Bounded by clearing when full.
 */
interface CachedSeries extends BatchSeries {
  batch: number;
  ref: number;
  stamp: number;
  /** undefined: store the sample; SKIP: an OpenMetrics `_created` sample; a string: the line's error. */
  verdict: string | typeof SKIP | undefined;
}

const SKIP = Symbol('skip');
const seriesCache = new Map<string, CachedSeries>();
const SERIES_CACHE_MAX = 1_000_000;
/** Numbers the batch being built; a cached series holds the number of the last batch it joined. */
let batchCounter = 0;
/** Moves on whenever family metadata may have changed: verdicts from before are redone. */
let metaStamp = 0;
/** Value and time of the sample line just parsed (module scope: no object per sample). */
let gotT = 0;
let gotV = 0;

export function parseExposition(text: string, receivedAtMs: number, options: ParseOptions = {}): ExpositionResult {
  const format = options.format ?? (looksLikeOpenMetrics(text, options.contentType) ? 'openmetrics' : 'prometheus');
  const om = format === 'openmetrics';
  const metadata = new Map<string, MetricMetadata>();
  const errors: LineError[] = [];
  const builder = new BatchBuilder(text.length >> 6);
  const batch = ++batchCounter;
  metaStamp++;
  const typed = new Set<string>();
  const n = text.length;
  let eofLine = 0;
  let lineNo = 0;
  /** The next `#` at or after the current line (-1: none left): a line without one may take the fast path. */
  let hash = text.indexOf('#');
  for (let pos = 0; pos < n; ) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = n;
    const end = nl > pos && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    const from = pos;
    pos = nl + 1;
    lineNo++;
    if (nl === n && end === from) break;
    if (hash >= 0 && hash < from) hash = text.indexOf('#', from);
    try {
      let entry = !eofLine && (hash < 0 || hash >= end) ? cachedSampleLine(text, from, end, om, receivedAtMs) : undefined;
      if (!entry) {
        const line = text.slice(from, end);
        if (eofLine) fail(`content after "# EOF" (line ${eofLine})`);
        if (line.trim() === '') {
          if (om) fail('empty lines are not allowed in OpenMetrics');
          continue;
        }
        if (line.charCodeAt(0) === 35 /* # */) {
          if (/^#[ \t]*EOF[ \t]*$/.test(line) && om) {
            eofLine = lineNo;
            continue;
          }
          metaStamp++;
          parseComment(line, om, metadata, typed);
          continue;
        }
        entry = parseSampleLine(line, om, receivedAtMs);
      }
      if (entry.stamp !== metaStamp) {
        entry.verdict = judge(entry.labels, om, metadata);
        entry.stamp = metaStamp;
      }
      if (entry.verdict === SKIP) continue;
      if (entry.verdict !== undefined) fail(entry.verdict);
      if (entry.batch !== batch) {
        entry.batch = batch;
        entry.ref = builder.series.length;
        builder.series.push(entry);
      }
      builder.push(entry.ref, gotT, gotV);
    } catch (e) {
      if (!(e instanceof LineFailure)) throw e;
      errors.push({ line: lineNo, message: e.message });
    }
  }
  return { format, samples: builder.finish(), metadata, errors };
}

/** What a sample of this series means for its family's type: store, skip, or the line's error. */
function judge(labels: Labels, om: boolean, metadata: Map<string, MetricMetadata>): string | typeof SKIP | undefined {
  const name = labels.__name__;
  const family = familyOf(name, metadata);
  const meta = metadata.get(family);
  if (meta) {
    try {
      checkAgainstType(name, family, meta.type, labels, om);
    } catch (e) {
      if (e instanceof LineFailure) return e.message;
      throw e;
    }
  }
  if (om && name === family + '_created' && (meta?.type === 'counter' || meta?.type === 'histogram' || meta?.type === 'summary')) return SKIP;
  return undefined;
}

function parseComment(line: string, om: boolean, metadata: Map<string, MetricMetadata>, typed: Set<string>): void {
  const m = /^#[ \t]+(HELP|TYPE|UNIT)[ \t]+(\S+)(?:[ \t]+(.*)|[ \t]*)$/.exec(line);
  if (!m) {
    if (om) fail(`invalid comment line "${clip(line)}": OpenMetrics allows only # HELP, # TYPE, # UNIT and # EOF`);
    return; // Prometheus text: any other comment is ignored
  }
  const [, keyword, name, rest = ''] = m;
  if (!isValidMetricName(name)) fail(`invalid metric name "${clip(name)}" in # ${keyword}`);
  const meta = metadata.get(name) ?? { type: om ? 'unknown' : 'untyped' };
  switch (keyword) {
    case 'TYPE': {
      const type = rest.trim() as MetricType;
      if (!(om ? OM_TYPES : PROM_TYPES).has(type)) fail(`invalid metric type "${clip(rest.trim())}" for ${name}`);
      if (typed.has(name)) fail(`second # TYPE line for metric ${name}`);
      typed.add(name);
      meta.type = type;
      break;
    }
    case 'HELP':
      if (meta.help !== undefined) fail(`second # HELP line for metric ${name}`);
      meta.help = unescapeHelp(rest, om);
      break;
    case 'UNIT':
      if (!om) fail('# UNIT is OpenMetrics only (end the text with "# EOF" to send OpenMetrics)');
      if (rest !== '' && !name.endsWith('_' + rest.trim())) fail(`unit "${clip(rest)}" is not a suffix of metric name ${name}`);
      meta.unit = rest.trim();
      break;
  }
  metadata.set(name, meta);
}

function unescapeHelp(s: string, om: boolean): string {
  if (!s.includes('\\')) return s;
  return s.replace(/\\(.)/g, (all, c: string) => (c === 'n' ? '\n' : c === '\\' ? '\\' : c === '"' && om ? '"' : all));
}

/** The consistency checks Prometheus's parsers make between a sample and its family's type. */
function checkAgainstType(name: string, family: string, type: MetricType, labels: Labels, om: boolean): void {
  if ((type === 'histogram' || type === 'gaugehistogram') && name === family + '_bucket') {
    if (labels.le === undefined) fail(`histogram bucket ${name} has no "le" label`);
    if (parseFloatStrict(labels.le) === undefined) fail(`invalid "le" label value "${clip(labels.le)}" in ${name}`);
  }
  if (type === 'summary' && name === family && labels.quantile !== undefined && parseFloatStrict(labels.quantile) === undefined) {
    fail(`invalid "quantile" label value "${clip(labels.quantile)}" in ${name}`);
  }
  if (om && type === 'counter' && name === family) fail(`counter sample ${name} must be named ${family}_total in OpenMetrics`);
}

/**
 * The fast path of a sample line `text[from, end)` with no `#` in it: when its series text is
 * cached, only the value and timestamp are parsed (into gotT/gotV). Undefined: take the full path.
 */
function cachedSampleLine(text: string, from: number, end: number, om: boolean, receivedAtMs: number): CachedSeries | undefined {
  let i = from;
  if (i >= end || !isMetricStart(text.charCodeAt(i))) return undefined;
  while (i < end && isMetricChar(text.charCodeAt(i))) i++;
  let seriesEnd = i;
  if (i < end && text.charCodeAt(i) === 123 /* { */) {
    // The series text ends at the line's last `}`: values and timestamps have none.
    let j = end - 1;
    while (j > i && text.charCodeAt(j) !== 125) j--;
    if (j === i) return undefined;
    seriesEnd = j + 1;
  } else if (i < end && !isBlank(text.charCodeAt(i))) return undefined;
  const entry = seriesCache.get(text.slice(from, seriesEnd));
  if (entry) parseValueAndTime(text, seriesEnd, end, om, receivedAtMs, entry.labels.__name__);
  return entry;
}

/** The full path of a sample line: its series (cached from now on) and, into gotT/gotV, its value and time. */
function parseSampleLine(line: string, om: boolean, receivedAtMs: number): CachedSeries {
  let i = 0;
  const n = line.length;
  const labels: Record<string, string> = {};
  // The metric name: `name{...}`, `name ...`.
  while (i < n && isMetricChar(line.charCodeAt(i))) i++;
  const name = line.slice(0, i);
  if (name === '' || !isMetricStart(name.charCodeAt(0))) fail(`invalid metric name at the start of "${clip(line)}"`);
  labels.__name__ = name;
  if (i < n && line.charCodeAt(i) === 123 /* { */) i = parseLabels(line, i + 1, labels);
  else if (i < n && !isBlank(line.charCodeAt(i))) fail(`invalid character "${line[i]}" in metric name "${clip(line.slice(0, i + 1))}"`);
  parseValueAndTime(line, i, n, om, receivedAtMs, name);
  const text = line.slice(0, i);
  const cached = seriesCache.get(text);
  if (cached) return cached;
  const normal = normalizeLabels(labels);
  const entry: CachedSeries = { labels: normal, key: JSON.stringify(normal), batch: 0, ref: 0, stamp: 0, verdict: undefined };
  if (seriesCache.size >= SERIES_CACHE_MAX) seriesCache.clear();
  seriesCache.set(text, entry);
  return entry;
}

/** The value, optional timestamp and optional exemplar in `s[i, n)`, after the series text, into gotT/gotV. */
function parseValueAndTime(s: string, i: number, n: number, om: boolean, receivedAtMs: number, name: string): void {
  let j: number;
  // Value.
  if (i >= n || !isBlank(s.charCodeAt(i))) fail(`expected a value after ${name}`);
  while (i < n && isBlank(s.charCodeAt(i))) i++;
  j = i;
  while (j < n && !isBlank(s.charCodeAt(j))) j++;
  if (j === i) fail(`expected a value after ${name}`);
  let v = parseDecimal(s, i, j);
  if (v === undefined) {
    const valueText = s.slice(i, j);
    v = parseFloatStrict(valueText);
    if (v === undefined) fail(`invalid value "${clip(valueText)}" for ${name}`);
  }
  i = j;
  while (i < n && isBlank(s.charCodeAt(i))) i++;
  // Optional timestamp, then an optional exemplar (`# {...} value [ts]`, validated loosely, ignored).
  let t = receivedAtMs;
  if (i < n && s.charCodeAt(i) !== 35) {
    j = i;
    while (j < n && !isBlank(s.charCodeAt(j))) j++;
    t = parseTimestamp(s, i, j, om, name);
    i = j;
    while (i < n && isBlank(s.charCodeAt(i))) i++;
  }
  if (i < n) {
    if (s.charCodeAt(i) !== 35) fail(`unexpected text "${clip(s.slice(i, n))}" after the sample of ${name}`);
    checkExemplar(s.slice(i + 1, n), name);
  }
  gotT = t;
  gotV = v!;
}

function parseTimestamp(s: string, from: number, to: number, om: boolean, name: string): number {
  if (om) {
    const sec = parseDecimal(s, from, to) ?? parseFloatStrict(s.slice(from, to));
    if (sec === undefined || !Number.isFinite(sec)) fail(`invalid timestamp "${clip(s.slice(from, to))}" for ${name} (OpenMetrics: seconds)`);
    const ms = Math.round(sec! * 1000);
    // Stored as int64 milliseconds, written exactly only within the safe range (as Prometheus text's).
    if (!Number.isSafeInteger(ms)) fail(`timestamp "${clip(s.slice(from, to))}" for ${name} is out of range`);
    return ms;
  }
  const fast = parseMillis(s, from, to);
  if (fast !== undefined) return fast;
  const text = s.slice(from, to);
  if (!/^-?\d+$/.test(text)) fail(`invalid timestamp "${clip(text)}" for ${name} (Prometheus text: integer milliseconds)`);
  const ms = Number(text);
  if (!Number.isSafeInteger(ms)) fail(`timestamp "${clip(text)}" for ${name} is out of range`);
  return ms;
}

function checkExemplar(rest: string, name: string): void {
  const s = rest.trimStart();
  if (s.charCodeAt(0) !== 123) fail(`invalid exemplar after ${name}: expected "# {labels} value [timestamp]"`);
  const labels: Record<string, string> = {};
  const after = parseLabels(s, 1, labels);
  const parts = s.slice(after).trim().split(/[ \t]+/);
  if (parts[0] === '' || parseFloatStrict(parts[0]) === undefined) fail(`invalid exemplar value after ${name}`);
  if (parts.length > 2 || (parts.length === 2 && parseFloatStrict(parts[1]) === undefined)) fail(`invalid exemplar timestamp after ${name}`);
}

/** Parses `a="1",b="2"}` from `i` (just after `{`) into `labels`; returns the index after `}`. */
function parseLabels(line: string, i: number, labels: Record<string, string>): number {
  const n = line.length;
  const skip = () => {
    while (i < n && isBlank(line.charCodeAt(i))) i++;
  };
  const metric = labels.__name__ ?? 'the exemplar';
  for (;;) {
    skip();
    if (i >= n) fail(`unterminated label set of ${metric}`);
    if (line.charCodeAt(i) === 125 /* } */) return i + 1;
    const s = i;
    while (i < n && isLabelChar(line.charCodeAt(i))) i++;
    const label = line.slice(s, i);
    if (label === '' || !isNameStart(label.charCodeAt(0))) {
      let e = s;
      while (e < n && !'="},'.includes(line[e]) && !isBlank(line.charCodeAt(e))) e++;
      fail(`invalid label name "${clip(line.slice(s, Math.max(e, s + 1)))}" in ${metric}`);
    }
    if (label === '__name__') fail(`label __name__ is not allowed in the label set of ${metric}`);
    skip();
    if (line.charCodeAt(i) !== 61 /* = */) fail(`expected "=" after label name "${label}" in ${metric}`);
    i++;
    skip();
    if (line.charCodeAt(i) !== 34 /* " */) fail(`expected a quoted value for label "${label}" in ${metric}`);
    i++;
    let value = '';
    let from = i;
    for (;;) {
      if (i >= n) fail(`unterminated value of label "${label}" in ${metric}`);
      const c = line.charCodeAt(i);
      if (c === 34) break;
      if (c === 92 /* \ */) {
        if (i + 1 >= n) fail(`unterminated value of label "${label}" in ${metric}`);
        const e = line[i + 1];
        value += line.slice(from, i) + (e === 'n' ? '\n' : e === '\\' ? '\\' : e === '"' ? '"' : '\\' + e);
        i += 2;
        from = i;
        continue;
      }
      i++;
    }
    value += line.slice(from, i);
    i++;
    if (Object.prototype.hasOwnProperty.call(labels, label)) fail(`duplicate label name "${label}" in ${metric}`);
    labels[label] = value;
    skip();
    if (i >= n) fail(`unterminated label set of ${metric}`);
    const c = line.charCodeAt(i);
    if (c === 44 /* , */) {
      i++;
      continue;
    }
    if (c !== 125) fail(`expected "," or "}" after the value of label "${label}" in ${metric}`);
  }
}

const clip = (s: string) => (s.length > 60 ? s.slice(0, 57) + '...' : s);
