/**
 * Metrics / PromQL benchmark (`npm run bench`, after the SQL benchmark), issue 5: N series × D hours
 * at 15 s resolution, ingested into Infino through the real server (text exposition and remote
 * write) and into a real Prometheus (promtool blocks, plus Prometheus's own remote-write receiver
 * for a like-for-like ingest number); then a range-query set over 1 h and D h windows, each query
 * timed on Infino (HTTP + SigV4 through the SDK) and on Prometheus (HTTP) alternately in the same
 * run, with the series and point counts of both answers compared.
 *
 * Data: 10 series per target (job × instance): a classic histogram family
 * `http_request_duration_seconds_bucket{le}` (6 buckets), `http_request_duration_seconds_sum`,
 * `http_requests_total`, `process_cpu_seconds_total` (counters) and `memory_usage_bytes` (gauge).
 * Values are closed-form functions of (target, scrape), so every path sees identical samples
 * without holding them in memory. Each target scrapes at a fixed offset of 100..899 ms off the
 * 15 s grid: queries use whole-second times, so no sample sits on a window edge (where Prometheus
 * 2.42's left-closed windows and 3.x's left-open ones differ).
 *
 * Ingest is sent in waves: a slice of scrapes × all series, split into BENCH_CONCURRENCY bodies of
 * disjoint series sent at once. Bodies are built before the clock starts (generation is not
 * ingest); the waves keep each series in time order, which Prometheus's receiver requires.
 *
 * Knobs: BENCH_SERIES (10,000), BENCH_HOURS (24), BENCH_BATCH (100,000 samples per request),
 * BENCH_CONCURRENCY (4), BENCH_RUNS (10 per query, after BENCH_WARMUP = 2), BENCH_RW (1: also
 * remote write into Infino; 0 skips it), BENCH_PROM_RW (1: also remote write into Prometheus).
 */
import { execFile } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync, statSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import snappy from 'snappy';
import { InfinoClient } from '@infino/sdk';
import { encodeWriteRequest, type RemoteSeries } from '../packages/server/src/metrics/remote-write.js';
import { type LaunchedPrometheus, launchPrometheus, PROMETHEUS_BIN, PROMTOOL_BIN } from '../packages/server/test/promql-diff/prometheus.js';
import { AK, log, percentile, SK, startBenchServer } from './common.js';

const SERIES = Number(process.env.BENCH_SERIES ?? 10_000);
const HOURS = Number(process.env.BENCH_HOURS ?? 24);
const BATCH = Number(process.env.BENCH_BATCH ?? 100_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 2);
const WITH_RW = process.env.BENCH_RW !== '0';
const WITH_PROM_RW = process.env.BENCH_PROM_RW !== '0';
const ROOT = resolve('.bench-data', 'promql');
const run = promisify(execFile);

const STEP_MS = 15_000;
const START_MS = Date.UTC(2025, 0, 1);
const SCRAPES = Math.round((HOURS * 3600_000) / STEP_MS);
const END_MS = START_MS + SCRAPES * STEP_MS;
const PER_TARGET = 10;
const TARGETS = Math.ceil(SERIES / PER_TARGET);
const INSTANCES_PER_JOB = 20;
const JOBS = Math.ceil(TARGETS / INSTANCES_PER_JOB);
const TOTAL_SAMPLES = TARGETS * PER_TARGET * SCRAPES;

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));

// ---- data ------------------------------------------------------------------------------------

/** A stateless integer mix → [0, 1): deterministic noise without a PRNG stream. */
function u(a: number, b: number): number {
  let h = Math.imul(a ^ Math.imul(b, 0x27d4eb2d), 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  return ((h ^ (h >>> 13)) >>> 0) / 4294967296;
}

const LE = ['0.05', '0.1', '0.25', '0.5', '1', '+Inf'];
const CDF = [0.3, 0.55, 0.8, 0.93, 0.99, 1];

interface Target {
  labels: Record<string, string>;
  offsetMs: number;
  rate: number;
  base: number;
}

const targets: Target[] = Array.from({ length: TARGETS }, (_, k) => ({
  labels: { job: `job-${String(Math.floor(k / INSTANCES_PER_JOB)).padStart(2, '0')}`, instance: `host-${String(k).padStart(4, '0')}:9100` },
  offsetMs: 100 + ((k * 37) % 800),
  rate: 5 + Math.floor(u(k, 1) * 50),
  base: Math.floor(u(k, 2) * 1e6),
}));

/** Series j of a target: its metric name and extra labels. */
function seriesLabels(t: Target, j: number): Record<string, string> {
  if (j < 6) return { __name__: 'http_request_duration_seconds_bucket', ...t.labels, le: LE[j]! };
  const name = ['http_request_duration_seconds_sum', 'http_requests_total', 'process_cpu_seconds_total', 'memory_usage_bytes'][j - 6]!;
  return { __name__: name, ...t.labels };
}

/** Series j of target k at scrape i. Counters are non-decreasing in i (floor of an increasing bound). */
function value(k: number, j: number, i: number): number {
  const t = targets[k]!;
  const count = t.base + Math.floor(t.rate * (i + u(k * 131 + 7, i)));
  if (j < 6) return Math.floor(count * CDF[j]!);
  if (j === 6) return Math.round(count * 210) / 1000;
  if (j === 7) return count;
  if (j === 8) return Math.round(50 * (i + u(k * 131 + 11, i))) / 100 + (t.base % 1000);
  return Math.round(2e8 + 5e7 * Math.sin(i / 240 + k) + 1e6 * u(k * 131 + 13, i));
}

const timeOf = (k: number, i: number) => START_MS + i * STEP_MS + targets[k]!.offsetMs;

/** `name{a="b",…}` for series (k, j), cached: label text is the same in every body. */
const idCache = new Map<number, string>();
function seriesId(k: number, j: number): string {
  const key = k * PER_TARGET + j;
  let id = idCache.get(key);
  if (id === undefined) {
    const { __name__, ...rest } = seriesLabels(targets[k]!, j);
    id = `${__name__}{${Object.entries(rest).map(([n, v]) => `${n}="${v}"`).join(',')}}`;
    idCache.set(key, id);
  }
  return id;
}

/** One wave: scrapes [i0, i1) × all series, as `shards` lists of disjoint targets. */
function waveShards(shards: number): number[][] {
  const out: number[][] = Array.from({ length: shards }, () => []);
  for (let k = 0; k < TARGETS; k++) out[k % shards]!.push(k);
  return out.filter((s) => s.length > 0);
}
const SHARDS = waveShards(CONCURRENCY);
const SCRAPES_PER_WAVE = Math.max(1, Math.floor((BATCH * SHARDS.length) / (TARGETS * PER_TARGET)));

/** A text body as the bytes a scraper sends (encoding the text is generation, not ingest). */
function textBody(ks: number[], i0: number, i1: number): Buffer {
  const lines: string[] = [];
  for (let i = i0; i < i1; i++) for (const k of ks) for (let j = 0; j < PER_TARGET; j++) lines.push(`${seriesId(k, j)} ${value(k, j, i)} ${timeOf(k, i)}`);
  return Buffer.from(lines.join('\n') + '\n');
}

function rwBody(ks: number[], i0: number, i1: number): Buffer {
  const series: RemoteSeries[] = [];
  for (const k of ks)
    for (let j = 0; j < PER_TARGET; j++) {
      const samples = [];
      for (let i = i0; i < i1; i++) samples.push({ t: timeOf(k, i), v: value(k, j, i) });
      series.push({ labels: seriesLabels(targets[k]!, j), samples });
    }
  return snappy.compressSync(Buffer.from(encodeWriteRequest(series)));
}

/**
 * Sends every wave through each of `senders` in turn (the same bodies to each), building up to 4 M
 * samples of bodies untimed before timing their sending. Returns the seconds each sender spent.
 */
async function ingest<B>(label: string, build: (ks: number[], i0: number, i1: number) => B, senders: Array<(body: B) => Promise<void>>): Promise<number[]> {
  const wavesPerChunk = Math.max(1, Math.floor(4_000_000 / (SCRAPES_PER_WAVE * TARGETS * PER_TARGET)));
  const sending = senders.map(() => 0);
  let sent = 0;
  let nextLog = 0;
  for (let i = 0; i < SCRAPES; ) {
    const chunk: B[][] = [];
    for (let w = 0; w < wavesPerChunk && i < SCRAPES; w++) {
      const i1 = Math.min(SCRAPES, i + SCRAPES_PER_WAVE);
      chunk.push(SHARDS.map((ks) => build(ks, i, i1)));
      sent += (i1 - i) * TARGETS * PER_TARGET;
      i = i1;
    }
    for (const [n, send] of senders.entries()) {
      const t0 = performance.now();
      for (const wave of chunk) await Promise.all(wave.map(send));
      sending[n]! += performance.now() - t0;
    }
    if (sent >= nextLog) {
      log(`  ${label}: ${fmt(sent)} / ${fmt(TOTAL_SAMPLES)} samples, ${sending.map((s) => fmt(sent / (s / 1000))).join(' / ')} samples/s so far`);
      nextLog = sent + TOTAL_SAMPLES / 10;
    }
  }
  return sending.map((s) => s / 1000);
}

/** OpenMetrics for promtool, series-major (each series' samples in time order), streamed to disk. */
async function writeOpenMetrics(file: string): Promise<void> {
  const seconds = (t: number) => `${Math.floor(t / 1000)}.${String(t % 1000).padStart(3, '0')}`;
  const out = createWriteStream(file);
  const write = (s: string) => (out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r())));
  for (let k = 0; k < TARGETS; k++)
    for (let j = 0; j < PER_TARGET; j++) {
      const id = seriesId(k, j);
      const lines: string[] = [];
      for (let i = 0; i < SCRAPES; i++) lines.push(`${id} ${value(k, j, i)} ${seconds(timeOf(k, i))}`);
      await write(lines.join('\n') + '\n');
    }
  await write('# EOF\n');
  await new Promise<void>((r, e) => out.end((err?: Error | null) => (err ? e(err) : r())));
}

// ---- Prometheus ------------------------------------------------------------------------------

/** Prometheus for the benchmark: larger limits, and up to 5 minutes to open a day of blocks. */
const launchBenchPrometheus = (dir: string, dataDir: string, extra: string[] = []) =>
  launchPrometheus(dir, dataDir, ['--query.max-samples=500000000', '--query.timeout=5m', ...extra], 300_000);

// ---- queries ---------------------------------------------------------------------------------

const QUERIES: Array<[string, string]> = [
  ['selector', 'memory_usage_bytes'],
  ['rate', 'rate(http_requests_total[5m])'],
  ['sum by (job) rate', 'sum by (job) (rate(http_requests_total[5m]))'],
  ['histogram_quantile', 'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))'],
  ['topk', 'topk(5, rate(http_requests_total[5m]))'],
  ['binary join', 'rate(process_cpu_seconds_total[5m]) / on(job, instance) rate(http_requests_total[5m])'],
];

/** Grafana-like step: the smallest of these that keeps a window at ≤ 1,440 points (15 s floor). */
function stepFor(windowSec: number): number {
  return [15, 30, 60, 120, 300, 600, 1800, 3600].find((s) => windowSec / s <= 1440) ?? 3600;
}

interface Answer {
  series: number;
  points: number;
  error?: string;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function shape(body: any): Answer {
  if (body?.status !== 'success') return { series: -1, points: -1, error: `${body?.errorType ?? '?'}: ${body?.error ?? JSON.stringify(body).slice(0, 200)}` };
  const result = (body.data?.result ?? []) as Array<{ values?: unknown[] }>;
  return { series: result.length, points: result.reduce((n, r) => n + (r.values?.length ?? 0), 0) };
}

async function main(): Promise<void> {
  rmSync(ROOT, { recursive: true, force: true });
  mkdirSync(ROOT, { recursive: true });
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}`;
  const promVersion = (await run(PROMETHEUS_BIN, ['--version']).then((r) => r.stdout || r.stderr)).split('\n')[0]!.trim();
  log(`PromQL benchmark: ${fmt(TARGETS * PER_TARGET)} series (${JOBS} jobs × ≤${INSTANCES_PER_JOB} instances × ${PER_TARGET}) × ${HOURS} h = ${fmt(TOTAL_SAMPLES)} samples`);
  log(`  waves of ${SCRAPES_PER_WAVE} scrapes × ${SHARDS.length} concurrent bodies of ≈${fmt((SCRAPES_PER_WAVE * TARGETS * PER_TARGET) / SHARDS.length)} samples`);

  const { server, engine } = await startBenchServer(ROOT);
  const sdk = new InfinoClient({ accessKey: AK, secretKey: SK, endpoint: server.url, retry: { maxRetries: 1 }, timeoutMs: 600_000 });
  const proms: LaunchedPrometheus[] = [];
  const ingestRows: string[] = [];
  const notes: string[] = [];
  try {
    // 1. Ingest into Infino by text exposition.
    const [textSec] = await ingest('Infino text', textBody, [
      async (body) => {
        await sdk.request('POST', 'bench_text/metrics', { headers: { 'content-type': 'text/plain; version=0.0.4' }, body });
      },
    ]);
    ingestRows.push(`| Infino \`POST /{dataset}/metrics\` (text 0.0.4, ms timestamps) | ${fmt(TOTAL_SAMPLES / textSec!)} | ${textSec!.toFixed(1)} | ${SHARDS.length} concurrent requests of ≈${fmt(BATCH)} samples |`);

    // 2. Remote write: the same bodies to Infino (a second dataset) and to Prometheus's own receiver
    // (an empty TSDB), one after the other per chunk, each timed alone.
    const rwSenders: Array<(body: Buffer) => Promise<void>> = [];
    const rwDir = join(ROOT, 'prom-rw');
    if (WITH_RW)
      rwSenders.push(async (body) => {
        await sdk.request('POST', 'api/v1/write', {
          headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '0.1.0', 'x-infino-dataset': 'bench_rw' },
          body,
        });
      });
    let rwProm: LaunchedPrometheus | undefined;
    if (WITH_PROM_RW) {
      mkdirSync(rwDir, { recursive: true });
      rwProm = await launchBenchPrometheus(rwDir, join(rwDir, 'data'), ['--web.enable-remote-write-receiver']);
      proms.push(rwProm);
      const url = `${rwProm.url}/api/v1/write`;
      rwSenders.push(async (body) => {
        const r = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '0.1.0' },
          body,
        });
        if (!r.ok) throw new Error(`Prometheus remote write: HTTP ${r.status} ${(await r.text()).slice(0, 300)}`);
      });
    }
    if (rwSenders.length > 0) {
      const secs = await ingest(WITH_RW && WITH_PROM_RW ? 'remote write (Infino / Prometheus)' : 'remote write', rwBody, rwSenders);
      if (WITH_RW) {
        const s = secs.shift()!;
        ingestRows.push(`| Infino \`POST /api/v1/write\` (remote write 1.0, snappy protobuf) | ${fmt(TOTAL_SAMPLES / s)} | ${s.toFixed(1)} | same waves, dataset \`bench_rw\` |`);
      }
      if (rwProm) {
        const s = secs.shift()!;
        ingestRows.push(`| Prometheus \`POST /api/v1/write\` (--web.enable-remote-write-receiver) | ${fmt(TOTAL_SAMPLES / s)} | ${s.toFixed(1)} | the same bodies as Infino's remote write |`);
        await rwProm.stop();
        rmSync(rwDir, { recursive: true, force: true });
      }
    }
    log('  Infino: maintenance (checkpoint)…');
    await engine().maintain();

    // 3. Prometheus for the queries: OpenMetrics → promtool blocks (a different, offline path).
    const dir = join(ROOT, 'prom');
    mkdirSync(dir, { recursive: true });
    const om = join(dir, 'data.om.txt');
    log('  writing OpenMetrics for promtool…');
    await writeOpenMetrics(om);
    log(`  promtool tsdb create-blocks-from openmetrics (${fmt(statSync(om).size / 2 ** 20)} MiB)…`);
    const t0 = performance.now();
    await run(PROMTOOL_BIN, ['tsdb', 'create-blocks-from', 'openmetrics', '--max-block-duration=24h', om, join(dir, 'data')], { maxBuffer: 64 << 20 });
    const promtoolSec = (performance.now() - t0) / 1000;
    rmSync(om, { force: true });
    ingestRows.push(`| promtool \`tsdb create-blocks-from openmetrics\` (offline, file → blocks; not HTTP) | ${fmt(TOTAL_SAMPLES / promtoolSec)} | ${promtoolSec.toFixed(1)} | Prometheus has no HTTP bulk ingest; this builds the blocks queried below |`);
    const prom = await launchBenchPrometheus(dir, join(dir, 'data'));
    proms.push(prom);

    // 4. Range queries, Infino and Prometheus alternately.
    const windows = [...new Set([1, Math.min(24, HOURS)])].filter((h) => h <= HOURS);
    const rows: string[] = [];
    for (const h of windows) {
      const endSec = END_MS / 1000;
      const startSec = endSec - h * 3600;
      const step = stepFor(h * 3600);
      const form = (q: string) => new URLSearchParams({ query: q, start: String(startSec), end: String(endSec), step: String(step) }).toString();
      for (const [name, q] of QUERIES) {
        const infino = async () =>
          shape(await sdk.request('POST', 'api/v1/query_range', { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form(q) + '&index=bench_text' }).catch((e: Error) => ({ status: 'error', error: e.message })));
        const prometheus = async () =>
          shape(await fetch(`${prom.url}/api/v1/query_range`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form(q) }).then((r) => r.json()));
        const ti: number[] = [];
        const tp: number[] = [];
        let ai: Answer = { series: 0, points: 0 };
        let ap: Answer = { series: 0, points: 0 };
        for (let r = 0; r < WARMUP + RUNS; r++) {
          let t = performance.now();
          ai = await infino();
          if (r >= WARMUP) ti.push(performance.now() - t);
          t = performance.now();
          ap = await prometheus();
          if (r >= WARMUP) tp.push(performance.now() - t);
          if (ai.error || ap.error) break;
        }
        const [i50, i95, p50, p95] = [percentile(ti, 50), percentile(ti, 95), percentile(tp, 50), percentile(tp, 95)];
        let check = `${fmt(ai.series)} series, ${fmt(ai.points)} points`;
        if (ai.error || ap.error) {
          check = `⚠ error — Infino: ${ai.error ?? 'ok'}; Prometheus: ${ap.error ?? 'ok'}`;
          notes.push(`${name} (${h} h): ${check}`);
        } else if (ai.series !== ap.series || ai.points !== ap.points) {
          check = `⚠ Infino ${fmt(ai.series)} series / ${fmt(ai.points)} points vs Prometheus ${fmt(ap.series)} / ${fmt(ap.points)}`;
          notes.push(`${name} (${h} h): ${check}`);
        }
        const cell = (x: number | undefined) => (x === undefined ? '—' : ms(x));
        const ratio = i50 !== undefined && p50 !== undefined ? `${(i50 / p50).toFixed(2)} ×` : '—';
        rows.push(`| \`${q}\` | ${h} h / ${step} s | ${cell(i50)} | ${cell(i95)} | ${cell(p50)} | ${cell(p95)} | ${ratio} | ${check} |`);
        log(`  ${name} ${h} h: Infino p50 ${cell(i50)} ms, Prometheus p50 ${cell(p50)} ms (${check})`);
      }
    }

    const full = SERIES >= 10_000 && HOURS >= 24;
    console.log(`\n### PromQL — ${fmt(TARGETS * PER_TARGET)} series × ${HOURS} h at 15 s = ${fmt(TOTAL_SAMPLES)} samples${full ? '' : ' (REDUCED: the issue asks for 10,000 series × 24 h = 57.6 M samples)'}`);
    console.log(`Machine: ${machine}, ${new Date().toISOString().slice(0, 10)}. Prometheus: ${promVersion}. Infino runs in the benchmark's own process (client and server share the event loop); Prometheus is a separate process.\n`);
    console.log('#### Ingest\n');
    console.log('| path | samples/s | seconds | notes |');
    console.log('|---|---:|---:|---|');
    for (const r of ingestRows) console.log(r);
    console.log(`\nBodies are built before timing; only sending is timed. Waves of ${SCRAPES_PER_WAVE} scrapes × all series, ${SHARDS.length} bodies of disjoint series in flight at once.`);
    console.log(`\n#### Range queries — p50/p95 ms over ${RUNS} runs after ${WARMUP} warm-up runs, Infino (\`POST /api/v1/query_range\`, SigV4 via the SDK, \`index=bench_text\`) and Prometheus (promtool blocks) alternately\n`);
    console.log('| query | window / step | Infino p50 | Infino p95 | Prometheus p50 | Prometheus p95 | Infino / Prometheus (p50) | answer check |');
    console.log('|---|---|---:|---:|---:|---:|---:|---|');
    for (const r of rows) console.log(r);
    if (notes.length > 0) console.log(`\n⚠ ${notes.length} mismatch/error(s):\n${notes.map((n) => `- ${n}`).join('\n')}`);
  } finally {
    for (const p of proms) await p.stop().catch(() => {});
    await server.close();
  }
}

await main();
