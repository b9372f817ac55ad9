/**
 * The deterministic data set of the differential test: the same samples go to real Prometheus
 * (OpenMetrics text → `promtool tsdb create-blocks-from openmetrics`) and to Infino (text
 * exposition with millisecond timestamps → `POST /{dataset}/metrics`).
 *
 * Why the shape below:
 * - Seeded PRNG only (no Math.random), so a failure reproduces byte for byte.
 * - Every scrape timestamp sits a few hundred milliseconds *off* the whole second. Queries use
 *   whole-second times, steps and ranges, so no sample ever lies exactly on a window boundary —
 *   the one place where Prometheus 2.42 (left-closed windows) and 3.x (left-open) disagree. The
 *   single exception is `aligned_gauge`, scraped on the whole 15 s grid on purpose, which feeds the
 *   documented boundary cases in known-differences.json.
 * - Values are printed with String(v) (shortest round-trip form), which Go's ParseFloat and our
 *   parser both read back to the identical float64.
 * - No NaN sample values: NaN vs. NaN arithmetic is equal on both sides, but NaN inside sums
 *   and sorts makes orderings engine-specific and says nothing about the semantics we test.
 */
import { mulberry32 } from '../prng.js';

export const START_MS = Date.UTC(2025, 0, 1, 0, 0, 0); // 1735689600000
export const STEP_MS = 15_000;
export const DURATION_MS = 3 * 3600_000;
export const SCRAPES = DURATION_MS / STEP_MS + 1;

export type Kind = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface GenSeries {
  /** Metric name of the sample line, e.g. `request_duration_seconds_bucket`. */
  name: string;
  labels: Record<string, string>;
  t: number[];
  v: number[];
}

export interface Family {
  name: string;
  kind: Kind;
  help: string;
  series: GenSeries[];
}

const prng = mulberry32;

// `|| 0` turns -0 into 0: String(-0) is "0", so the generator would otherwise disagree with itself.
const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits || 0;

interface Target {
  job: string;
  instance: string;
  /** Constant offset from the 15 s grid (ms); with the jitter it never reaches a whole second. */
  offsetMs: number;
  /** Scrape indexes where this target is present (gaps and late start/early stop). */
  present: (i: number, rnd: () => number) => boolean;
  /** Scrape indexes at which this target's counters restart from zero. */
  resets: number[];
}

const MIN = 60_000 / STEP_MS; // scrapes per minute

const TARGETS: Target[] = [
  { job: 'api', instance: 'a:8080', offsetMs: 1234, present: () => true, resets: [] },
  { job: 'api', instance: 'b:8080', offsetMs: 2345, present: () => true, resets: [50 * MIN] },
  // Random missed scrapes plus one 10-minute hole: longer than the 5 m lookback, so instant
  // selectors must return nothing for part of the hole.
  { job: 'api', instance: 'c:8080', offsetMs: 3456, present: (i, r) => !(i >= 60 * MIN && i < 70 * MIN) && r() > 0.1, resets: [] },
  { job: 'db', instance: 'x:5432', offsetMs: 4567, present: () => true, resets: [40 * MIN, 100 * MIN + 3] },
  { job: 'db', instance: 'y:5432', offsetMs: 5678, present: (i) => i < 150 * MIN, resets: [] },
];

/** Timestamp of scrape i of a target: grid + offset + 0..299 ms jitter (ms part stays in 234..977). */
function scrapeTimes(target: Target, rnd: () => number): number[] {
  const ms = target.offsetMs % 1000;
  // The whole point of the offset: no sample may land on a whole second (see the file comment).
  if (ms === 0 || ms + 299 >= 1000) throw new Error(`offset ${target.offsetMs} ms can reach a whole second`);
  const out: number[] = [];
  for (let i = 0; i < SCRAPES; i++) if (target.present(i, rnd)) out.push(START_MS + i * STEP_MS + target.offsetMs + Math.floor(rnd() * 300));
  return out;
}

const idx = (t: number) => Math.floor((t - START_MS) / STEP_MS);

/** A counter: non-negative random increments, back to 0 at the target's reset scrapes. */
function counter(times: number[], resets: number[], rnd: () => number, rate: number, digits = 0): number[] {
  let c = round(rnd() * rate * 100, digits);
  return times.map((t) => {
    if (resets.includes(idx(t))) c = 0;
    c = round(c + rnd() * rate, digits);
    return c;
  });
}

export function generate(seed = 20250101): Family[] {
  const rnd = prng(seed);
  const fam = new Map<string, Family>();
  const add = (family: string, kind: Kind, help: string, s: GenSeries) => {
    if (!fam.has(family)) fam.set(family, { name: family, kind, help, series: [] });
    fam.get(family)!.series.push(s);
  };

  for (const target of TARGETS) {
    const t = scrapeTimes(target, rnd);
    const base = { job: target.job, instance: target.instance };
    const phase = rnd() * Math.PI * 2;

    add('up', 'gauge', 'Whether the target is up.', { name: 'up', labels: base, t, v: t.map(() => (rnd() < 0.03 ? 0 : 1)) });
    for (const method of ['GET', 'POST']) {
      for (const code of ['200', '500']) {
        const r = (method === 'GET' ? 40 : 10) * (code === '200' ? 1 : 0.05);
        add('http_requests', 'counter', 'HTTP requests served.', {
          name: 'http_requests_total',
          labels: { ...base, method, code },
          t,
          v: counter(t, target.resets, rnd, r),
        });
      }
    }
    add('process_cpu_seconds', 'counter', 'CPU time.', {
      name: 'process_cpu_seconds_total',
      labels: base,
      t,
      v: counter(t, target.resets, rnd, 0.8, 3),
    });
    add('memory_usage_bytes', 'gauge', 'Resident memory.', {
      name: 'memory_usage_bytes',
      labels: base,
      t,
      v: t.map((_, i) => 2e8 + Math.round(5e7 * Math.sin(i / 40 + phase)) + Math.floor(rnd() * 1e6)),
    });
    // Swings through zero so abs/sgn/clamp/sqrt-of-negative etc. see both signs.
    add('temperature_celsius', 'gauge', 'Temperature, may be negative.', {
      name: 'temperature_celsius',
      labels: { ...base, room: target.job === 'api' ? 'north' : 'south' },
      t,
      v: t.map((_, i) => round(25 * Math.sin(i / 25 + phase) + 5 + rnd() * 2 - 1, 2)),
    });
    add('queue_depth', 'gauge', 'Items waiting.', {
      name: 'queue_depth',
      labels: base,
      t,
      v: t.map(() => Math.floor(rnd() * 50)),
    });

    if (target.job === 'api') histogram(add, base, t, target.resets, rnd);
    else summary(add, base, t, target.resets, rnd);
  }

  // Batch job: only alive from 30 m to 90 m (series starting and stopping mid-range).
  const batch: Target = { job: 'batch', instance: 'z:9100', offsetMs: 6123, present: (i) => i >= 30 * MIN && i < 90 * MIN, resets: [] };
  const bt = scrapeTimes(batch, rnd);
  const bbase = { job: 'batch', instance: 'z:9100' };
  add('batch_records_processed', 'counter', 'Records processed.', { name: 'batch_records_processed_total', labels: bbase, t: bt, v: counter(bt, [], rnd, 500) });
  add('batch_last_success_timestamp_seconds', 'gauge', 'Last success.', {
    name: 'batch_last_success_timestamp_seconds',
    labels: bbase,
    t: bt,
    v: bt.map((t) => Math.floor(t / 60_000) * 60),
  });

  // Info-style series with label values that exercise regex anchoring and escaping.
  const it = scrapeTimes({ job: 'meta', instance: 'm:1', offsetMs: 7321, present: () => true, resets: [] }, rnd);
  for (const [version, env, path] of [
    ['1.2.3', 'prod', '/api/v1'],
    ['1.2.10', 'staging', '/api/v2'],
    ['2.0.0-rc.1', 'dev', 'C:\\temp "quoted"'],
  ]) {
    add('app_info', 'gauge', 'Build info.', { name: 'app_info', labels: { job: 'meta', instance: 'm:1', version, env, path }, t: it, v: it.map(() => 1) });
  }

  // A counter born at zero at 20 m: the only series where rate/increase extrapolation hits the
  // zero-point clamp, whose order relative to the start-gap threshold changed in 3.x
  // (known-differences.json computes the 3.x answer from the raw samples).
  const fresh: Target = { job: 'fresh', instance: 'f:1', offsetMs: 8456, present: (i) => i >= 20 * MIN, resets: [] };
  const ft = scrapeTimes(fresh, rnd);
  let fc = 0;
  add('fresh_counter', 'counter', 'Counter created at 20 m.', {
    name: 'fresh_counter_total',
    labels: { job: 'fresh', instance: 'f:1' },
    t: ft,
    v: ft.map(() => (fc += 1 + Math.floor(rnd() * 10))),
  });

  // Scraped exactly on the 15 s grid (the only such series): feeds the documented 2.42 vs 3.x
  // window-boundary cases and nothing else.
  const at: number[] = [];
  for (let i = 0; i < SCRAPES; i += 4) at.push(START_MS + i * STEP_MS);
  add('aligned_gauge', 'gauge', 'Samples on whole minutes.', { name: 'aligned_gauge', labels: { job: 'aligned' }, t: at, v: at.map((_, i) => i % 7) });

  return [...fam.values()];
}

// `le` values already in the canonical form Prometheus 3.x normalises classic-histogram labels to
// on ingestion ("1" → "1.0"), so 2.42 and 3.x-style ingest give identical label sets.
const BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5];
const LE = ['0.05', '0.1', '0.25', '0.5', '1.0', '2.5'];

function histogram(add: (f: string, k: Kind, h: string, s: GenSeries) => void, base: Record<string, string>, t: number[], resets: number[], rnd: () => number): void {
  const counts = new Array<number>(BUCKETS.length + 1).fill(0);
  let sum = 0;
  const bucketV = counts.map(() => [] as number[]);
  const sumV: number[] = [];
  const countV: number[] = [];
  const observe = () => {
    const n = Math.floor(rnd() * 20);
    for (let k = 0; k < n; k++) {
      const obs = round(Math.exp(rnd() * 3 - 3.5) * (1 + rnd()), 4); // mostly 0.03..1.5 s
      sum = round(sum + obs, 4);
      for (let b = 0; b <= BUCKETS.length; b++) if (b === BUCKETS.length || obs <= BUCKETS[b]!) counts[b]!++;
    }
  };
  // The process ran before the data set starts: counters begin far from zero, so rate's
  // zero-point clamp (ordered differently in 2.42 and 3.x) never decides the extrapolation.
  // `fresh_counter_total` covers the counter-born-at-zero case on purpose.
  for (let k = 0; k < 100; k++) observe();
  for (const ts of t) {
    if (resets.includes(idx(ts))) {
      counts.fill(0);
      sum = 0;
    }
    observe();
    counts.forEach((c, b) => bucketV[b]!.push(c));
    sumV.push(sum);
    countV.push(counts[BUCKETS.length]!);
  }
  const les = [...LE, '+Inf'];
  les.forEach((le, b) =>
    add('request_duration_seconds', 'histogram', 'Request latency.', { name: 'request_duration_seconds_bucket', labels: { ...base, le }, t, v: bucketV[b]! }),
  );
  add('request_duration_seconds', 'histogram', 'Request latency.', { name: 'request_duration_seconds_sum', labels: base, t, v: sumV });
  add('request_duration_seconds', 'histogram', 'Request latency.', { name: 'request_duration_seconds_count', labels: base, t, v: countV });
}

function summary(add: (f: string, k: Kind, h: string, s: GenSeries) => void, base: Record<string, string>, t: number[], resets: number[], rnd: () => number): void {
  for (const q of ['0.5', '0.9', '0.99']) {
    const scale = Number(q) * 0.2;
    add('rpc_duration_seconds', 'summary', 'RPC latency.', {
      name: 'rpc_duration_seconds',
      labels: { ...base, quantile: q },
      t,
      v: t.map(() => round(scale + rnd() * scale, 5)),
    });
  }
  add('rpc_duration_seconds', 'summary', 'RPC latency.', { name: 'rpc_duration_seconds_sum', labels: base, t, v: counter(t, resets, rnd, 3, 4) });
  add('rpc_duration_seconds', 'summary', 'RPC latency.', { name: 'rpc_duration_seconds_count', labels: base, t, v: counter(t, resets, rnd, 30) });
}

const escapeLabel = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

function seriesId(s: GenSeries): string {
  const ls = Object.entries(s.labels).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return ls.length ? `${s.name}{${ls.join(',')}}` : s.name;
}

/** Millisecond timestamp as float seconds, written exactly (no binary-float detour). */
function seconds(ms: number): string {
  const frac = ms % 1000;
  return frac === 0 ? String(ms / 1000) : `${Math.floor(ms / 1000)}.${String(frac).padStart(3, '0')}`;
}

/** OpenMetrics text for promtool: one family at a time, series-major, float-second timestamps. */
export function toOpenMetrics(families: Family[]): string {
  const out: string[] = [];
  for (const f of families) {
    out.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.kind}`);
    for (const s of f.series) {
      const id = seriesId(s);
      for (let i = 0; i < s.t.length; i++) out.push(`${id} ${String(s.v[i])} ${seconds(s.t[i]!)}`);
    }
  }
  out.push('# EOF', '');
  return out.join('\n');
}

/**
 * Prometheus text exposition 0.0.4 with millisecond timestamps, cut into bodies of at most
 * `maxBytes`; each body repeats the `# TYPE` line of every family it contains.
 */
export function toExpositionChunks(families: Family[], maxBytes = 5 * 1024 * 1024): string[] {
  const chunks: string[] = [];
  let cur: string[] = [];
  let size = 0;
  const flush = () => {
    if (cur.length) chunks.push(cur.join('\n') + '\n');
    cur = [];
    size = 0;
  };
  for (const f of families) {
    let typed = false;
    for (const s of f.series) {
      const id = seriesId(s);
      for (let i = 0; i < s.t.length; i++) {
        const line = `${id} ${String(s.v[i])} ${s.t[i]}`;
        if (size + line.length + 200 > maxBytes) {
          flush();
          typed = false;
        }
        if (!typed) {
          // 0.0.4 names a counter family by its sample name (OpenMetrics strips `_total`).
          const head = `# TYPE ${f.kind === 'counter' ? `${f.name}_total` : f.name} ${f.kind}`;
          cur.push(head);
          size += head.length + 1;
          typed = true;
        }
        cur.push(line);
        size += line.length + 1;
      }
    }
  }
  flush();
  return chunks;
}

export function sampleCount(families: Family[]): number {
  return families.reduce((n, f) => n + f.series.reduce((m, s) => m + s.t.length, 0), 0);
}
