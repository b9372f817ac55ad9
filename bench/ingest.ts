/**
 * Ingest benchmark (`npm run bench`): bulk ingest over HTTP with SigV4 through the real SDK into a
 * real `infino serve` process, next to the raw DuckDB appender on the same rows in the same run;
 * then point-get latency and disk size per million documents.
 *
 * BENCH_DOCS (default 1,000,000), BENCH_BATCH (5,000), BENCH_CONCURRENCY (4) tune it.
 */
import { type ChildProcess, execSync, spawn } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { InfinoClient } from '@infino/sdk';
import { AK, log, percentile, SK } from './common.js';
import { appendLogRow, bulkBodies, logDocs, logRowJson, RAW_LOGS_DDL, RAW_LOGS_JSON_COLUMNS } from './logs.js';

const DOCS = Number(process.env.BENCH_DOCS ?? 1_000_000);
const BATCH = Number(process.env.BENCH_BATCH ?? 5_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const ROOT = resolve('.bench-data');

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function serve(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['packages/server/bin/infino.js', 'serve', '--port', '0', '--data', dataDir, '--log-level', 'warn'], {
    env: { ...process.env, INFINO_ACCESS_KEY: AK, INFINO_SECRET_KEY: SK },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((ok, fail) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) ok({ child, url: m[1] });
    });
    child.on('exit', (code) => fail(new Error(`server exited (${code}): ${out}`)));
  });
}

async function httpIngest(bodies: string[]) {
  const dataDir = join(ROOT, 'server');
  const { child, url } = await serve(dataDir);
  const sdk = new InfinoClient({ accessKey: AK, secretKey: SK, endpoint: url, retry: { maxRetries: 1 } });
  await sdk.createDataset('logs');
  const sampleIds: string[] = [];
  const bytes = bodies.reduce((n, b) => n + Buffer.byteLength(b), 0);
  let next = 0;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const body = bodies[next++];
        const r = await sdk.uploadJsonToDataset('logs', body);
        if (r.errors) throw new Error('bulk reported item errors');
        sampleIds.push(Object.values(r.items[(done * 7919) % r.items.length])[0]!._id!);
        done++;
        if (done % 20 === 0) log(`  http ingest: ${fmt(done * BATCH)} docs`);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;

  // Point gets are measured on a quiet server: once writes stop, the idle maintenance merges the
  // postings runs and checkpoints, and gets measured during that would time the merge instead.
  log('  waiting for the background merge and checkpoint…');
  // Idle maintenance folds the per-batch postings runs into merged ones (one per merge, so a few
  // may remain) and checkpoints: wait until few runs are left and the count has settled.
  let runs = -1;
  for (let still = 0; still < 8; ) {
    const now = Number((await sdk.getDatasetMetadata('logs'))['segments.count']);
    still = now === runs && now <= 16 ? still + 1 : 0;
    runs = now;
    await new Promise((r) => setTimeout(r, 1_000));
  }

  const latencies: number[] = [];
  for (let i = 0; i < 500; i++) {
    const t = performance.now();
    const rec = await sdk.getRecord('logs', sampleIds[i % sampleIds.length]);
    latencies.push(performance.now() - t);
    if (!rec.found) throw new Error('point get missed');
  }
  const count = (await sdk.request<{ count: number }>('GET', 'logs/_count')).count;
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  const diskBytes = Number(execSync(`du -sb ${dataDir}`).toString().split('\t')[0]);
  return { seconds, bytes, count, latencies, diskBytes };
}

/** A fresh DuckDB file with the flattened logs table, configured as the server configures its own. */
async function rawLogsTable(name: string) {
  const dir = join(ROOT, name);
  mkdirSync(dir, { recursive: true });
  const db = await DuckDBInstance.create(join(dir, 'raw.duckdb'), { checkpoint_threshold: '256MB' });
  const c = await db.connect();
  await c.run(RAW_LOGS_DDL);
  const close = () => {
    c.closeSync();
    db.closeSync();
  };
  return { dir, c, close };
}

/** The raw engine: the same documents, flattened to typed columns, through DuckDB's appender. */
async function rawAppender(count: number) {
  const { c, close } = await rawLogsTable('raw');
  const started = performance.now();
  let appender = await c.createAppender('logs');
  let i = 0;
  for (const d of logDocs(count)) {
    appendLogRow(appender, `id${i}`, d);
    if (++i % BATCH === 0) {
      appender.closeSync(); // flush: one commit per batch, as the server commits each request
      appender = await c.createAppender('logs');
    }
  }
  appender.closeSync();
  const seconds = (performance.now() - started) / 1000;
  close();
  return { seconds };
}

/**
 * The raw engine on the server's own load path: the same flattened rows as NDJSON files, one
 * `INSERT … SELECT FROM read_json` and one commit per batch — the floor under the server's docs
 * table writes, without HTTP, auth, mapping or the text index.
 */
async function rawReadJson(count: number) {
  const { dir, c, close } = await rawLogsTable('raw-json');
  const file = join(dir, 'batch.ndjson');
  const started = performance.now();
  let lines: string[] = [];
  let i = 0;
  const load = async () => {
    writeFileSync(file, lines.join(''));
    lines = [];
    await c.run(`INSERT INTO logs SELECT * FROM read_json('${file}', format = 'newline_delimited', columns = ${RAW_LOGS_JSON_COLUMNS})`);
  };
  for (const d of logDocs(count)) {
    lines.push(logRowJson(`id${i++}`, d));
    if (lines.length === BATCH) await load();
  }
  if (lines.length) await load();
  const seconds = (performance.now() - started) / 1000;
  close();
  return { seconds };
}

async function main() {
  rmSync(ROOT, { recursive: true, force: true });
  mkdirSync(ROOT, { recursive: true });
  log(`generating ${fmt(DOCS)} log documents in batches of ${fmt(BATCH)}…`);
  const bodies = bulkBodies(DOCS, BATCH);
  log('HTTP + SigV4 bulk ingest into infino serve…');
  const http = await httpIngest(bodies);
  if (http.count !== DOCS) throw new Error(`expected ${DOCS} documents, found ${http.count}`);
  log('raw DuckDB appender on the same documents…');
  const raw = await rawAppender(DOCS);
  log('raw DuckDB read_json batches on the same documents…');
  const rawJson = await rawReadJson(DOCS);

  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(`### Ingest — ${fmt(DOCS)} log documents, batches of ${fmt(BATCH)}, ${CONCURRENCY} concurrent requests`);
  console.log(`Machine: ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}\n`);
  console.log('| path | docs/s | MB/s | notes |');
  console.log('|---|---:|---:|---|');
  console.log(
    `| Infino: HTTP + SigV4 bulk (\`POST /logs/json\`) | ${fmt(DOCS / http.seconds)} | ${(http.bytes / 2 ** 20 / http.seconds).toFixed(1)} | dynamic mapping, text analysis of every string field into postings, durable commit per request |`,
  );
  console.log(`| raw DuckDB appender, same rows | ${fmt(DOCS / raw.seconds)} | – | typed columns + _source only, no index, in-process, commit per batch |`);
  console.log(`| raw DuckDB \`read_json\` per batch, same rows | ${fmt(DOCS / rawJson.seconds)} | – | the server's load path alone: no HTTP, mapping or index, commit per batch |`);
  console.log(`\nPoint get (\`GET /logs/doc/{id}\` via the SDK, 500 calls): p50 ${percentile(http.latencies, 50).toFixed(2)} ms, p95 ${percentile(http.latencies, 95).toFixed(2)} ms.`);
  console.log(`Disk after shutdown: ${(http.diskBytes / 2 ** 20).toFixed(0)} MiB for ${fmt(DOCS)} docs = ${((http.diskBytes / 2 ** 20) * (1_000_000 / DOCS)).toFixed(0)} MiB per million (NDJSON input: ${(http.bytes / 2 ** 20).toFixed(0)} MiB).`);
  rmSync(ROOT, { recursive: true, force: true });
}

await main();
