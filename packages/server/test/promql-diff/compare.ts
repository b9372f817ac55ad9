/**
 * Corpus loading and result comparison for the differential test. Comparison rules (README):
 * same HTTP status, `status` and `errorType`; same `resultType`; same label sets; same timestamps;
 * values equal within 1e-9 relative (plus a 1e-12 absolute margin, because summation order may
 * legitimately differ and leave ±1e-17 where the exact answer is 0), and written identically when
 * they are the same number; NaN equals NaN; "+Inf"/"-Inf" must match as strings. Result order is checked only where PromQL defines it (sort*, sort_by_label).
 * Error messages are not compared: their wording is not part of the contract, their class is.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface CorpusEntry {
  name: string;
  query: string;
  kind: 'instant' | 'range';
  /** Seconds relative to the data set start. */
  time?: number;
  start?: number;
  end?: number;
  step?: number;
  tags: string[];
  /** The result order is part of the answer (sort, sort_desc). */
  ordered?: boolean;
}

/** A query whose 3.x answer differs from 2.42's, with how the test obtains the 3.x expectation. */
export interface KnownDifference extends CorpusEntry {
  reason: string;
  /** A query that makes Prometheus 2.42 compute the 3.x answer of `query`. */
  prometheusQuery?: string;
  /** Infino's result must be the prometheusQuery result sorted by these labels (sort_by_label). */
  sortedBy?: { labels: string[]; desc: boolean };
  /** Labels the 3.x answer has on top of the prometheusQuery result (e.g. UTF-8 label names). */
  addLabels?: Record<string, string>;
  /** Infino's result is computed here from the raw samples Prometheus returns for prometheusQuery. */
  compute?: 'mad_over_time' | 'rate' | 'increase';
  /** Range of the window, seconds (compute rate/increase). */
  window?: number;
}

const DIR = join(dirname(fileURLToPath(import.meta.url)), 'corpus');

export function loadCorpus(): CorpusEntry[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.json') && f !== 'known-differences.json')
    .sort()
    .flatMap((f) => JSON.parse(readFileSync(join(DIR, f), 'utf8')) as CorpusEntry[]);
}

export function loadKnownDifferences(): KnownDifference[] {
  return JSON.parse(readFileSync(join(DIR, 'known-differences.json'), 'utf8')) as KnownDifference[];
}

/** Corpus entry name → id of the reported Infino bug it fails on (infino-open-bugs.json). */
export function loadOpenBugs(): Map<string, string> {
  const doc = JSON.parse(readFileSync(join(DIR, '..', 'infino-open-bugs.json'), 'utf8')) as {
    bugs: Array<{ id: string; entries: Array<{ name: string; query: string }> }>;
  };
  const queries = new Map(loadCorpus().map((e) => [e.name, e.query]));
  const out = new Map<string, string>();
  for (const b of doc.bugs) {
    for (const { name, query } of b.entries) {
      // Name and query must both match, so renumbering the corpus cannot skip the wrong entry.
      if (queries.get(name) !== query) throw new Error(`infino-open-bugs.json: no corpus entry ${name} with query ${query}`);
      out.set(name, b.id);
    }
  }
  return out;
}

export interface Answer {
  http: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

type Point = [number, string];
interface Series {
  metric: Record<string, string>;
  points: Point[];
}

const labelKey = (m: Record<string, string>) =>
  JSON.stringify(
    Object.keys(m)
      .sort()
      .map((k) => [k, m[k]]),
  );

function sameValue(a: string, b: string): boolean {
  if (a === b) return true;
  const x = Number(a);
  const y = Number(b);
  if (Number.isNaN(x) || Number.isNaN(y)) return Number.isNaN(x) && Number.isNaN(y) && a === b;
  if (!Number.isFinite(x) || !Number.isFinite(y)) return false;
  return Math.abs(x - y) <= 1e-12 + 1e-9 * Math.max(Math.abs(x), Math.abs(y));
}

/** Vector/matrix/scalar/string payloads as a list of series with points. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function seriesOf(data: any): Series[] {
  switch (data.resultType) {
    case 'scalar':
    case 'string':
      return [{ metric: {}, points: [data.result as Point] }];
    case 'vector':
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return (data.result as any[]).map((s) => ({ metric: s.metric ?? {}, points: [s.value as Point] }));
    case 'matrix':
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return (data.result as any[]).map((s) => ({ metric: s.metric ?? {}, points: s.values as Point[] }));
    default:
      throw new Error(`unknown resultType ${String(data.resultType)}`);
  }
}

const short = (v: unknown) => {
  const s = JSON.stringify(v);
  return s.length > 600 ? `${s.slice(0, 600)}…` : s;
};

/** Differences between the expected (Prometheus) and actual (Infino) answer; empty when equal. */
export function compareAnswers(expected: Answer, actual: Answer, ordered = false): string[] {
  const e = expected.body;
  const a = actual.body;
  if (!a || typeof a !== 'object') return [`infino body is not JSON: ${short(a)}`];
  if (e.status !== a.status) {
    const side = (b: Answer) => (b.body.status === 'success' ? `success ${b.http}` : `${b.http} ${short(b.body)}`);
    return [`status: prometheus ${side(expected)} vs infino ${side(actual)}`];
  }
  const out: string[] = [];
  if (expected.http !== actual.http) out.push(`http status: prometheus ${expected.http} vs infino ${actual.http}`);
  if (e.status === 'error') {
    if (e.errorType !== a.errorType) out.push(`errorType: prometheus ${e.errorType} (${e.error}) vs infino ${a.errorType} (${a.error})`);
    return out;
  }
  if (e.data.resultType !== a.data?.resultType) return [...out, `resultType: prometheus ${e.data.resultType} vs infino ${a.data?.resultType}`];
  const es = seriesOf(e.data);
  const as = seriesOf(a.data);
  const byKey = new Map(as.map((s) => [labelKey(s.metric), s]));
  if (byKey.size !== as.length) out.push('infino returned duplicate label sets');
  const missing = es.filter((s) => !byKey.has(labelKey(s.metric)));
  const eKeys = new Set(es.map((s) => labelKey(s.metric)));
  const extra = as.filter((s) => !eKeys.has(labelKey(s.metric)));
  if (missing.length) out.push(`missing in infino (${missing.length}): ${short(missing.slice(0, 3).map((s) => s.metric))}`);
  if (extra.length) out.push(`extra in infino (${extra.length}): ${short(extra.slice(0, 3).map((s) => s.metric))}`);
  for (const s of es) {
    const o = byKey.get(labelKey(s.metric));
    if (!o) continue;
    const diff = pointsDiff(s.points, o.points);
    if (diff) out.push(`${short(s.metric)}: ${diff}`);
    if (out.length > 6) break;
  }
  if (ordered && out.length === 0) {
    const ek = es.map((s) => labelKey(s.metric));
    const ak = as.map((s) => labelKey(s.metric));
    // Ties may come in either order; the values must still be in the same sequence.
    const ev = es.map((s) => s.points[0]?.[1]);
    const av = as.map((s) => s.points[0]?.[1]);
    if (ek.join() !== ak.join() && ev.join() !== av.join()) out.push(`order: prometheus ${short(ek)} vs infino ${short(ak)}`);
  }
  return out;
}

function pointsDiff(e: Point[], a: Point[]): string | undefined {
  const at = new Map(a.map((p) => [p[0], p[1]]));
  const et = new Set(e.map((p) => p[0]));
  for (const [t, v] of e) {
    const got = at.get(t);
    if (got === undefined) return `no infino point at ${t} (prometheus ${v}); infino has ${a.length} points vs ${e.length}`;
    if (!sameValue(v, got)) return `at ${t}: prometheus ${v} vs infino ${got}`;
    // Equal numbers must also be written alike (Prometheus: Go's shortest 'f' format, no exponent).
    if (Number(v) === Number(got) && v !== got) return `at ${t}: value written as ${got}, prometheus writes ${v}`;
  }
  const stray = a.find((p) => !et.has(p[0]));
  if (stray) return `extra infino point at ${stray[0]} (${stray[1]})`;
  return undefined;
}

/** Absolute seconds of an entry's time parameters. */
export function absTimes(e: CorpusEntry, startSec: number): { time: number; start: number; end: number; step: number } {
  const time = startSec + (e.time ?? e.end ?? 0);
  // An instant entry also runs as a 30-minute range query ending at its time.
  const start = startSec + (e.start ?? (e.time ?? 0) - 1800);
  const end = startSec + (e.end ?? e.time ?? 0);
  return { time, start, end, step: e.step ?? 60 };
}
