/**
 * Prometheus text exposition (format 0.0.4) and OpenMetrics 1.0 text parser.
 *
 * A hand-written scanner (no regex per line): ingest has to keep up with ~1 M samples/s. Each bad
 * line is reported by number and the parse goes on, so a request keeps its valid lines.
 *
 * Format rule (documented for `POST /{dataset}/metrics`): the text is OpenMetrics when the caller
 * says so (content type `application/openmetrics-text`) or when it contains a `# EOF` line;
 * otherwise it is Prometheus text 0.0.4. The formats differ in the sample timestamp: integer
 * milliseconds in Prometheus text, float seconds in OpenMetrics. A sample without a timestamp takes
 * the receive time. OpenMetrics `_created` series of counters, histograms and summaries are skipped,
 * as Prometheus 3 does by default (they are creation times, not samples).
 */
import { normalizeLabels, type Labels } from '../promql/values.js';

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'gaugehistogram' | 'summary' | 'info' | 'stateset' | 'untyped' | 'unknown';

export interface MetricMetadata {
  type: MetricType;
  help?: string;
  unit?: string;
}

export interface ParsedSample {
  /** Sorted keys, `__name__` included. */
  labels: Labels;
  /** `JSON.stringify(labels)`: the canonical series key (computed once per distinct series text). */
  key: string;
  /** Milliseconds since the epoch. */
  t: number;
  v: number;
}

export interface LineError {
  /** 1-based line number in the request body. */
  line: number;
  message: string;
}

export interface ExpositionResult {
  format: 'prometheus' | 'openmetrics';
  samples: ParsedSample[];
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
  return /(^|\n)# EOF[ \t]*\r?(\n|$)/.test(text);
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

export function parseExposition(text: string, receivedAtMs: number, options: ParseOptions = {}): ExpositionResult {
  const format = options.format ?? (looksLikeOpenMetrics(text, options.contentType) ? 'openmetrics' : 'prometheus');
  const om = format === 'openmetrics';
  const out: ExpositionResult = { format, samples: [], metadata: new Map(), errors: [] };
  const typed = new Set<string>();
  let eofLine = 0;
  let lineNo = 0;
  let start = 0;
  while (start <= text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lineNo++;
    let line = text.slice(start, end);
    const last = end === text.length;
    start = end + 1;
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (last && line === '') break;
    try {
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
        parseComment(line, om, out.metadata, typed);
        continue;
      }
      const sample = parseSampleLine(line, om, receivedAtMs);
      const name = sample.labels.__name__;
      const family = familyOf(name, out.metadata);
      const meta = out.metadata.get(family);
      if (meta) checkAgainstType(name, family, meta.type, sample.labels, om);
      if (om && name === family + '_created' && (meta?.type === 'counter' || meta?.type === 'histogram' || meta?.type === 'summary')) continue;
      out.samples.push(sample);
    } catch (e) {
      if (!(e instanceof LineFailure)) throw e;
      out.errors.push({ line: lineNo, message: e.message });
    }
  }
  return out;
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
 * Parsed label sets by their exact text (`name{a="1",b="2"}`): a scrape repeats the same series
 * text every interval, so the label parsing, sorting and key building run once per series, not per
 * sample. Only successfully parsed series are cached; bounded by clearing when full.
 */
const seriesCache = new Map<string, { labels: Labels; key: string }>();
const SERIES_CACHE_MAX = 1_000_000;

function parseSampleLine(line: string, om: boolean, receivedAtMs: number): ParsedSample {
  // Fast path: the series text ends at the last `}` (values and timestamps have none); lines with
  // a `#` (exemplars, or a `#` inside a label value) take the full path.
  const brace = line.indexOf('{');
  const end = brace < 0 ? line.search(/[ \t]/) : line.indexOf('#') < 0 ? line.lastIndexOf('}') + 1 : -1;
  if (end > 0) {
    const cached = seriesCache.get(line.slice(0, end));
    if (cached) {
      const rest = parseValueAndTime(line, end, om, receivedAtMs, cached.labels.__name__);
      return { labels: cached.labels, key: cached.key, t: rest.t, v: rest.v };
    }
  }
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
  const rest = parseValueAndTime(line, i, om, receivedAtMs, name);
  const normal = normalizeLabels(labels);
  const series = { labels: normal, key: JSON.stringify(normal) };
  if (seriesCache.size >= SERIES_CACHE_MAX) seriesCache.clear();
  seriesCache.set(line.slice(0, i), series);
  return { labels: series.labels, key: series.key, t: rest.t, v: rest.v };
}

/** The value, optional timestamp and optional exemplar after the series text (from `i`). */
function parseValueAndTime(line: string, i: number, om: boolean, receivedAtMs: number, name: string): { t: number; v: number } {
  const n = line.length;
  let j: number;
  // Value.
  if (i >= n || !isBlank(line.charCodeAt(i))) fail(`expected a value after ${name}`);
  while (i < n && isBlank(line.charCodeAt(i))) i++;
  j = i;
  while (j < n && !isBlank(line.charCodeAt(j))) j++;
  const valueText = line.slice(i, j);
  if (valueText === '') fail(`expected a value after ${name}`);
  const v = parseFloatStrict(valueText);
  if (v === undefined) fail(`invalid value "${clip(valueText)}" for ${name}`);
  i = j;
  while (i < n && isBlank(line.charCodeAt(i))) i++;
  // Optional timestamp, then an optional exemplar (`# {...} value [ts]`, validated loosely, ignored).
  let t = receivedAtMs;
  if (i < n && line.charCodeAt(i) !== 35) {
    j = i;
    while (j < n && !isBlank(line.charCodeAt(j))) j++;
    t = parseTimestamp(line.slice(i, j), om, name);
    i = j;
    while (i < n && isBlank(line.charCodeAt(i))) i++;
  }
  if (i < n) {
    if (line.charCodeAt(i) !== 35) fail(`unexpected text "${clip(line.slice(i))}" after the sample of ${name}`);
    checkExemplar(line.slice(i + 1), name);
  }
  return { t, v: v! };
}

function parseTimestamp(s: string, om: boolean, name: string): number {
  if (om) {
    const sec = parseFloatStrict(s);
    if (sec === undefined || !Number.isFinite(sec)) fail(`invalid timestamp "${clip(s)}" for ${name} (OpenMetrics: seconds)`);
    return Math.round(sec! * 1000);
  }
  if (!/^-?\d+$/.test(s)) fail(`invalid timestamp "${clip(s)}" for ${name} (Prometheus text: integer milliseconds)`);
  const ms = Number(s);
  if (!Number.isSafeInteger(ms)) fail(`timestamp "${clip(s)}" for ${name} is out of range`);
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
