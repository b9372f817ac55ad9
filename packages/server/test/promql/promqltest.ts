/**
 * Parser for Prometheus's `promqltest` scripting language (promql/promqltest/test.go upstream; the
 * format is summarised in ../shared/reference/NOTICE.md) and the case model our runner executes.
 *
 * A file is turned into a list of cases, one per `eval`. Each case carries the load state it runs
 * against (everything loaded since the last `clear`, as an immutable snapshot shared by all evals
 * between two loads), so cases can run — and be reported — one by one. Parsing follows upstream
 * line for line where it matters for meaning: lines are trimmed, a `#` line becomes an empty line
 * (and so ends a block, as upstream), a bare number ends an eval block, and the old `eval_fail` /
 * `expected_fail_message` forms are accepted next to the new `expect …` lines.
 *
 * Native histograms (`{{…}}`) are not evaluated by us; their positions are kept (so timestamps of
 * the float samples around them stay right) and the series/case is flagged so the runner can skip it.
 */
import { type Labels, normalizeLabels } from '../../src/promql/values.js';

/**
 * One position of a value sequence: a float, a staleness marker, a gap, or a native histogram.
 * The marker is its own kind, not STALE_NAN: V8 canonicalises NaN payloads in plain number arrays,
 * so the special NaN would not survive being copied around.
 */
export type SeqValue = { kind: 'float'; v: number } | { kind: 'stale' } | { kind: 'omitted' } | { kind: 'histogram'; text: string };

export interface LoadedSeries {
  labels: Labels;
  /** Float samples only, t ascending (ms); `'stale'` is a staleness marker. */
  t: number[];
  v: Array<number | 'stale'>;
  /** Timestamps that hold native histograms (not loadable into our float store). */
  histogramTs: number[];
  /** Some sample carries an explicit start timestamp (`metric@st …` line). */
  hasStartTimestamps: boolean;
}

/** What has been loaded since the last `clear`; immutable once a case refers to it. */
export interface LoadState {
  /** Unique within a file; cases with the same id share one store. */
  id: number;
  series: LoadedSeries[];
  /** Native-histogram-with-custom-buckets series that `load_with_nhcb` would add (labels only). */
  nhcbSeries: Labels[];
}

export interface ExpectedSeries {
  labels: Labels;
  values: SeqValue[];
  /** 1-based position among the expected result lines (for `expect ordered`). */
  pos: number;
}

export interface MessageMatcher {
  /** Exact message (`msg:`) — or a pattern (`regex:`); neither means "any". */
  message?: string;
  regex?: RegExp;
}

export interface Expectation {
  /** The query must fail (`expect fail`, `eval_fail`), optionally with this message. */
  fail?: MessageMatcher;
  ordered: boolean;
  /** Annotation expectations (`expect warn|info|no_warn|no_info`, `eval_warn|eval_info`). We emit no annotations; kept for notes. */
  annotations: string[];
  /** Expected value: series (vector/matrix), a scalar, or a string. No result lines = empty vector/matrix. */
  result: { kind: 'series'; series: ExpectedSeries[] } | { kind: 'scalar'; value: SeqValue } | { kind: 'string'; value: string };
  /** `expect range vector from … to … step …`: an instant query returning a range vector. */
  rangeVector?: { startMs: number; endMs: number; stepMs: number };
}

export interface PromqlTestCase {
  /** Stable id: `<file>:<line of the eval>`. */
  id: string;
  file: string;
  line: number;
  expr: string;
  kind: 'instant' | 'range';
  /** Evaluation time of an instant query (for a range query: endMs). */
  evalMs: number;
  /**
   * Range query: its range. Instant query: startMs = endMs = evalMs, stepMs = 0 — except with
   * `expect range vector`, where they give the grid the expected matrix sits on.
   */
  startMs: number;
  endMs: number;
  stepMs: number;
  expect: Expectation;
  state: LoadState;
  /** The expectation itself contains native histograms. */
  expectsNativeHistogram: boolean;
  /** Between `ignore` and `resume` (a convention of some forks of the format; upstream has none today). */
  ignored: boolean;
}

export class PromqlTestParseError extends Error {}

// ---------------------------------------------------------------------------------------------
// Durations and numbers

const DURATION_UNITS: Record<string, number> = {
  y: 365 * 24 * 3600_000,
  w: 7 * 24 * 3600_000,
  d: 24 * 3600_000,
  h: 3600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
};

/** Prometheus's `model.ParseDuration`: `0`, or units in descending order (`1h30m`, `10s53ms`). */
export function parseDuration(s: string): number {
  if (s === '0') return 0;
  const re = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
  const m = re.exec(s);
  if (!s || !m) throw new PromqlTestParseError(`not a valid duration string: "${s}"`);
  const units = ['y', 'w', 'd', 'h', 'm', 's', 'ms'];
  let ms = 0;
  units.forEach((u, i) => {
    if (m[i + 1] !== undefined) ms += Number(m[i + 1]) * DURATION_UNITS[u];
  });
  return ms;
}

/** A float as PromQL's lexer writes it in series descriptions: decimal, exponent, `_` separators, Inf, NaN. */
const NUMBER_RE = /^(?:[iI][nN][fF]|[nN][aA][nN]|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?)/;

function numberValue(text: string): number {
  const t = text.replace(/_/g, '').toLowerCase();
  if (t === 'inf') return Infinity;
  if (t === 'nan') return NaN;
  return Number(t);
}

/** Upstream's `parseNumber` for a bare scalar result line: Go ParseInt(base 0), then ParseFloat. */
export function parseBareNumber(s: string): number | undefined {
  const intRe = /^[+-]?(?:0[xX][0-9a-fA-F_]+|0[oO]?[0-7_]+|0[bB][01_]+|[1-9][\d_]*|0)$/;
  if (intRe.test(s)) {
    const neg = s.startsWith('-');
    let body = s.replace(/^[+-]/, '').replace(/_/g, '');
    if (/^0[0-7]+$/.test(body)) body = `0o${body.slice(1)}`;
    const n = Number(body);
    if (!Number.isNaN(n)) return neg ? -n : n;
  }
  if (/^[+-]?(?:inf|infinity|nan)$/i.test(s)) {
    const body = s.replace(/^[+-]/, '').toLowerCase();
    if (body === 'nan') return NaN;
    return s.startsWith('-') ? -Infinity : Infinity;
  }
  if (/^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/.test(s)) return Number(s);
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Series descriptions: `metric{l="v"} <values>`

/** Unquote a Go/PromQL string literal ("…", '…' with escapes, `…` raw). */
export function unquote(lit: string): string {
  const q = lit[0];
  if (lit.length < 2 || lit[lit.length - 1] !== q || !`"'\``.includes(q)) throw new PromqlTestParseError(`bad string literal ${lit}`);
  const body = lit.slice(1, -1);
  if (q === '`') return body;
  const bytes: number[] = [];
  const pushStr = (s: string) => bytes.push(...Buffer.from(s, 'utf8'));
  const simple: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'" };
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      const cp = body.codePointAt(i)!;
      pushStr(String.fromCodePoint(cp));
      if (cp > 0xffff) i++;
      continue;
    }
    const e = body[++i];
    if (e in simple) pushStr(simple[e]);
    else if (e === 'x') {
      bytes.push(parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      pushStr(String.fromCodePoint(parseInt(body.slice(i + 1, i + 1 + n), 16)));
      i += n;
    } else if (e >= '0' && e <= '7') {
      bytes.push(parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else throw new PromqlTestParseError(`unknown escape \\${e} in ${lit}`);
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Scans a quoted string starting at `s[i]`; returns the index after its closing quote. */
function scanString(s: string, i: number): number {
  const q = s[i];
  for (let j = i + 1; j < s.length; j++) {
    if (s[j] === '\\' && q !== '`') j++;
    else if (s[j] === q) return j + 1;
  }
  throw new PromqlTestParseError(`unterminated string in ${s}`);
}

/** Parses `name{a="b", "c"="d", "utf8.name"}`; returns the labels and the index after the metric. */
function parseMetric(s: string): { labels: Labels; end: number } {
  const out: Record<string, string> = {};
  let i = 0;
  const ident = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(s);
  if (ident) {
    out.__name__ = ident[0];
    i = ident[0].length;
    const ws = /^[ \t]*\{(?!\{)/.exec(s.slice(i));
    if (!ws) return { labels: normalizeLabels(out), end: i };
    i += ws[0].length - 1;
  }
  if (s[i] !== '{') throw new PromqlTestParseError(`expected a metric, got "${s}"`);
  i++;
  const skipWs = () => {
    while (s[i] === ' ' || s[i] === '\t') i++;
  };
  for (;;) {
    skipWs();
    if (s[i] === '}') return { labels: normalizeLabels(out), end: i + 1 };
    let name: string;
    if (s[i] === '"' || s[i] === "'" || s[i] === '`') {
      const e = scanString(s, i);
      name = unquote(s.slice(i, e));
      i = e;
    } else {
      const m = /^[a-zA-Z_][a-zA-Z0-9_]*/.exec(s.slice(i));
      if (!m) throw new PromqlTestParseError(`bad label name at "${s.slice(i)}"`);
      name = m[0];
      i += m[0].length;
    }
    skipWs();
    if (s[i] === '=') {
      i++;
      skipWs();
      if (!`"'\``.includes(s[i] ?? '')) throw new PromqlTestParseError(`expected a string label value at "${s.slice(i)}"`);
      const e = scanString(s, i);
      out[name] = unquote(s.slice(i, e));
      i = e;
    } else {
      // A lone quoted string in braces is the metric name (UTF-8 names).
      out.__name__ = name;
    }
    skipWs();
    if (s[i] === ',') i++;
    else if (s[i] !== '}') throw new PromqlTestParseError(`expected "," or "}" in "${s}"`);
  }
}

/** Splits the values part into items; a `{{…}}` histogram (with spaces inside) stays one item with its suffix. */
function splitItems(s: string): string[] {
  const items: string[] = [];
  let i = 0;
  while (i < s.length) {
    if (s[i] === ' ' || s[i] === '\t') {
      i++;
      continue;
    }
    let j = i;
    while (j < s.length && s[j] !== ' ' && s[j] !== '\t') {
      if (s.startsWith('{{', j)) {
        const close = s.indexOf('}}', j);
        if (close < 0) throw new PromqlTestParseError(`unterminated histogram in "${s}"`);
        j = close + 2;
      } else j++;
    }
    items.push(s.slice(i, j));
    i = j;
  }
  return items;
}

function repeat(n: number, v: SeqValue): SeqValue[] {
  return Array.from({ length: n }, () => v);
}

/** Expands one item: `_`, `_xN`, `stale`, `a`, `axN`, `a+bxN`, `a-bxN`, `{{…}}`, `{{…}}xN`, `{{…}}+{{…}}xN`. */
function expandItem(item: string): SeqValue[] {
  if (item === '_') return [{ kind: 'omitted' }];
  const blank = /^_x(\d+)$/.exec(item);
  if (blank) return repeat(Number(blank[1]), { kind: 'omitted' });
  if (item === 'stale') return [{ kind: 'stale' }];
  if (item.startsWith('{{')) {
    // Only the positions matter to us: n+1 of them for a repetition, else one.
    const rep = /\}\}x(\d+)$/.exec(item);
    if (rep) return repeat(Number(rep[1]) + 1, { kind: 'histogram', text: item });
    if (!item.endsWith('}}')) throw new PromqlTestParseError(`bad histogram item "${item}"`);
    return [{ kind: 'histogram', text: item }];
  }
  let rest = item;
  const signed = (): number => {
    const sign = rest[0] === '-' ? -1 : 1;
    if (rest[0] === '+' || rest[0] === '-') rest = rest.slice(1);
    const m = NUMBER_RE.exec(rest);
    if (!m) throw new PromqlTestParseError(`bad series value "${item}"`);
    rest = rest.slice(m[0].length);
    return sign * numberValue(m[0]);
  };
  const start = signed();
  let step = 0;
  if (rest[0] === '+' || rest[0] === '-') step = signed();
  if (rest === '') {
    if (step !== 0 || /\d[+-]/.test(item)) throw new PromqlTestParseError(`series value "${item}" needs a repetition (xN)`);
    return [{ kind: 'float', v: start }];
  }
  const rep = /^x(\d+)$/.exec(rest);
  if (!rep) throw new PromqlTestParseError(`bad series value "${item}"`);
  const out: SeqValue[] = [];
  // n+1 values: upstream adds the value at time 0 on top of the n steps.
  let v = start;
  for (let k = 0; k <= Number(rep[1]); k++) {
    out.push({ kind: 'float', v });
    v += step;
  }
  return out;
}

/** Parses a series line: its labels and expanded values. */
export function parseSeriesLine(line: string): { labels: Labels; values: SeqValue[] } {
  const { labels, end } = parseMetric(line);
  const rest = line.slice(end);
  if (rest !== '' && !/^[ \t]/.test(rest)) throw new PromqlTestParseError(`expected whitespace after the metric in "${line}"`);
  return { labels, values: splitItems(rest).flatMap(expandItem) };
}

/** Start-timestamp lines (`metric{…}@st <offsets>`): we only need to know that they exist. */
function isStartTimestampLine(line: string): boolean {
  const sp = line.search(/[ \t]/);
  return sp > 0 && line.slice(0, sp).endsWith('@st');
}

// ---------------------------------------------------------------------------------------------
// Files

const PAT_LOAD = /^load(?:_(with_nhcb))?\s+(.+?)$/;
const PAT_EVAL_INSTANT = /^eval(?:_(fail|warn|ordered|info))?\s+instant\s+(?:at\s+(.+?))?\s+(.+)$/;
const PAT_EVAL_RANGE = /^eval(?:_(fail|warn|info))?\s+range\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+?)\s+(.+)$/;
const PAT_EXPECT = /^expect\s+(ordered|fail|warn|no_warn|info|no_info)(?:\s+(regex|msg):(.+))?$/;
const PAT_EXPECT_RANGE = /^expect range vector\s+from\s+(.+)\s+to\s+(.+)\s+step\s+(.+)$/;

/** Sample key for merging loads: one series per label set. */
function seriesKey(l: Labels): string {
  return JSON.stringify(Object.entries(l));
}

/** The histogram series `load_with_nhcb` derives from classic `_bucket`/`_count`/`_sum` series. */
function nhcbBase(l: Labels): Labels | undefined {
  const m = /^(.*)_(bucket|count|sum)$/.exec(l.__name__ ?? '');
  if (!m) return undefined;
  const { le: _le, ...rest } = l;
  if (m[2] === 'bucket' && _le === undefined) return undefined;
  return normalizeLabels({ ...rest, __name__: m[1] });
}

interface MutableState {
  series: Map<string, LoadedSeries>;
  nhcb: Map<string, Labels>;
}

function applyLoad(state: MutableState, intervalMs: number, withNhcb: boolean, lines: { labels: Labels; values: SeqValue[]; st: boolean }[]): void {
  // Within one load a repeated series replaces the earlier line (upstream keeps one def per series).
  const defs = new Map<string, { labels: Labels; values: SeqValue[]; st: boolean }>();
  for (const l of lines) defs.set(seriesKey(l.labels), l);
  for (const [key, def] of defs) {
    let s = state.series.get(key);
    if (!s) {
      s = { labels: def.labels, t: [], v: [], histogramTs: [], hasStartTimestamps: false };
      state.series.set(key, s);
    }
    const merged = new Map<number, number | 'stale'>();
    s.t.forEach((t, i) => merged.set(t, s!.v[i]));
    def.values.forEach((val, i) => {
      const t = i * intervalMs;
      // A second sample at a taken timestamp is refused by upstream's storage: the first stays.
      if ((val.kind === 'float' || val.kind === 'stale') && !merged.has(t)) merged.set(t, val.kind === 'stale' ? 'stale' : val.v);
      else if (val.kind === 'histogram') s!.histogramTs.push(t);
    });
    const ts = [...merged.keys()].sort((a, b) => a - b);
    s.t = ts;
    s.v = ts.map((t) => merged.get(t)!);
    s.hasStartTimestamps ||= def.st;
    if (withNhcb) {
      const base = nhcbBase(def.labels);
      if (base) state.nhcb.set(seriesKey(base), base);
    }
  }
}

function snapshot(state: MutableState, id: number): LoadState {
  return {
    id,
    series: [...state.series.values()].map((s) => ({ ...s, t: [...s.t], v: [...s.v], histogramTs: [...s.histogramTs] })),
    nhcbSeries: [...state.nhcb.values()],
  };
}

/** Upstream's getLines: trimmed, `#` lines blanked (so a comment ends a block, as upstream). */
function getLines(text: string): string[] {
  return text.split('\n').map((l) => {
    const t = l.trim();
    return t.startsWith('#') ? '' : t;
  });
}

/** Parses one `.test` file into its eval cases. Throws PromqlTestParseError with `file:line` on bad input. */
export function parseTestFile(file: string, text: string): PromqlTestCase[] {
  const lines = getLines(text);
  const cases: PromqlTestCase[] = [];
  let state: MutableState = { series: new Map(), nhcb: new Map() };
  let current: LoadState | undefined;
  let nextStateId = 0;
  let ignoring = false;
  const fail = (i: number, msg: string): never => {
    throw new PromqlTestParseError(`${file}:${i + 1}: ${msg}`);
  };
  const wrap = <T>(i: number, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      return fail(i, (e as Error).message);
    }
  };

  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    if (l === '') continue;
    const cmd = l.split(/[\t ]+/, 1)[0].toLowerCase();
    if (cmd === 'ignore' || cmd === 'resume') {
      ignoring = cmd === 'ignore';
    } else if (cmd === 'clear') {
      state = { series: new Map(), nhcb: new Map() };
      current = undefined;
    } else if (cmd.startsWith('load')) {
      const m = PAT_LOAD.exec(l) ?? fail(i, 'invalid load command. (load[_with_nhcb] <step:duration>)');
      const interval = wrap(i, () => parseDuration(m[2]));
      const defs: { labels: Labels; values: SeqValue[]; st: boolean }[] = [];
      let pendingSt = false;
      while (i + 1 < lines.length && lines[i + 1] !== '') {
        i++;
        if (isStartTimestampLine(lines[i])) {
          pendingSt = true;
          continue;
        }
        const def = wrap(i, () => parseSeriesLine(lines[i]));
        defs.push({ ...def, st: pendingSt });
        pendingSt = false;
      }
      applyLoad(state, interval, m[1] === 'with_nhcb', defs);
      current = undefined;
    } else if (cmd.startsWith('eval')) {
      current ??= snapshot(state, nextStateId++);
      const parsed = parseEval(lines, i, file, current, fail, wrap);
      cases.push({ ...parsed.testCase, ignored: ignoring });
      i = parsed.end;
    } else fail(i, `invalid command "${l}"`);
  }
  return cases;
}

function parseEval(
  lines: string[],
  start: number,
  file: string,
  state: LoadState,
  fail: (i: number, msg: string) => never,
  wrap: <T>(i: number, f: () => T) => T,
): { testCase: PromqlTestCase; end: number } {
  const head = lines[start];
  const inst = PAT_EVAL_INSTANT.exec(head);
  const rng = inst ? null : PAT_EVAL_RANGE.exec(head);
  if (!inst && !rng) fail(start, `invalid evaluation command "${head}"`);
  const mod = inst ? inst[1] : rng![1];
  const expr = inst ? inst[3] : rng![5];
  let startMs: number;
  let endMs: number;
  let stepMs = 0;
  if (inst) {
    startMs = endMs = wrap(start, () => parseDuration(inst[2] ?? ''));
  } else {
    startMs = wrap(start, () => parseDuration(rng![2]));
    endMs = wrap(start, () => parseDuration(rng![3]));
    stepMs = wrap(start, () => parseDuration(rng![4]));
    if (endMs < startMs) fail(start, `end timestamp (${rng![3]}) is before start timestamp (${rng![2]})`);
  }
  const expect: Expectation = { ordered: mod === 'ordered', annotations: [], result: { kind: 'series', series: [] } };
  if (mod === 'fail') expect.fail = {};
  if (mod === 'warn' || mod === 'info') expect.annotations.push(`eval_${mod}`);
  const series: ExpectedSeries[] = [];
  let expectsNativeHistogram = false;
  let failLines = 0;
  let i = start;
  while (i + 1 < lines.length && lines[i + 1] !== '') {
    i++;
    const line = lines[i];
    if (expect.fail && line.startsWith('expected_fail_message')) {
      expect.fail.message = line.slice('expected_fail_message'.length).trim();
      break;
    }
    if (expect.fail && line.startsWith('expected_fail_regexp')) {
      expect.fail.regex = wrap(i, () => new RegExp(line.slice('expected_fail_regexp'.length).trim()));
      break;
    }
    if (line.startsWith('expect range vector')) {
      const m = PAT_EXPECT_RANGE.exec(line) ?? fail(i, `invalid range vector definition "${line}"`);
      expect.rangeVector = wrap(i, () => ({ startMs: parseDuration(m[1]), endMs: parseDuration(m[2]), stepMs: parseDuration(m[3]) }));
      continue;
    }
    if (line.startsWith('expect string')) {
      const lit = line.slice('expect string'.length).trim();
      if (!lit) fail(i, 'expected string literal not valid - a quoted string literal is required');
      expect.result = { kind: 'string', value: wrap(i, () => unquote(lit)) };
      continue;
    }
    if (line.split(' ')[0] === 'expect') {
      const m = PAT_EXPECT.exec(line) ?? fail(i, 'invalid expect statement, must match `expect <type> <match_type>: <string>` format');
      const matcher: MessageMatcher = {};
      if (m[2] === 'msg') matcher.message = m[3].trim();
      // Go's RE2 syntax; the patterns in the suite are plain enough for JS regexes.
      else if (m[2] === 'regex') matcher.regex = wrap(i, () => new RegExp(m[3].trim()));
      if (m[1] === 'fail') {
        if (++failLines > 1) fail(i, 'invalid expect lines, multiple expect fail lines are not allowed');
        expect.fail = matcher;
      } else if (m[1] === 'ordered') expect.ordered = true;
      else expect.annotations.push(line);
      continue;
    }
    const n = parseBareNumber(line);
    if (n !== undefined) {
      expect.result = { kind: 'scalar', value: { kind: 'float', v: n } };
      break;
    }
    if (line.startsWith('{{')) {
      // A bare histogram: a scalar-like histogram expectation; only the flag matters to us.
      expectsNativeHistogram = true;
      expect.result = { kind: 'scalar', value: { kind: 'histogram', text: line } };
      break;
    }
    const def = wrap(i, () => parseSeriesLine(line));
    if (def.values.length > 1 && inst && !expect.rangeVector) {
      fail(i, 'expecting multiple values in instant evaluation not allowed (use "expect range vector")');
    }
    if (def.values.some((v) => v.kind === 'histogram')) expectsNativeHistogram = true;
    const existing = series.findIndex((s) => seriesKey(s.labels) === seriesKey(def.labels));
    const entry = { labels: def.labels, values: def.values, pos: series.length + 1 };
    if (existing >= 0) series[existing] = { ...entry, pos: series[existing].pos };
    else series.push(entry);
  }
  if (expect.result.kind === 'series') expect.result.series = series;
  if (expect.rangeVector) {
    // Upstream evaluates at the range's end (not the `at` time) and compares the matrix on that grid.
    startMs = expect.rangeVector.startMs;
    endMs = expect.rangeVector.endMs;
    stepMs = expect.rangeVector.stepMs;
  }
  const evalMs = endMs;
  return {
    testCase: {
      id: `${file}:${start + 1}`,
      file,
      line: start + 1,
      expr,
      kind: inst ? 'instant' : 'range',
      evalMs,
      startMs,
      endMs,
      stepMs,
      expect,
      state,
      expectsNativeHistogram,
      ignored: false,
    },
    end: i,
  };
}
