/**
 * Search benchmark (`npm run bench`, after the ingest benchmark): the 1M-log-document corpus is
 * loaded through the real server, then each query runs ≥ 50 times over HTTP with SigV4 through the
 * real SDK. Every statement the engine issued for a query is captured and replayed on a raw DuckDB
 * connection of the same database in the same process, so each figure stands next to DuckDB's own
 * time for the same SQL (the overhead ratio).
 *
 * BENCH_DOCS (default 1,000,000), BENCH_RUNS (60) tune it.
 */
import { rmSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { InfinoClient } from '@infino/sdk';
import { AK, log, percentile, SK, startBenchServer } from './common.js';
import { bulkBodies } from './logs.js';

const DOCS = Number(process.env.BENCH_DOCS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 60);
const ROOT = resolve('.bench-data', 'search');
const ms = (n: number) => n.toFixed(2);

/** The 1M-doc corpus starts 2026-01-01 with a document every 250 ms. */
const START = Date.UTC(2026, 0, 1);

const QUERIES: Array<{ name: string; body: Record<string, unknown>; target?: string }> = [
  { name: 'selective `match` top-10 (http.path "1234", ~100 hits)', body: { query: { match: { 'http.path': '1234' } } }, target: 'p50 ≤ 3 ms' },
  { name: 'common-term `match` top-10 (message "request")', body: { query: { match: { message: 'request' } } }, target: 'p50 ≤ 40 ms' },
  { name: '`match_phrase` top-10 (message "connection refused")', body: { query: { match_phrase: { message: 'connection refused' } } } },
  {
    name: '`bool`: match + range + term filter',
    body: {
      query: {
        bool: {
          must: [{ match: { message: 'timeout' } }],
          filter: [{ range: { '@timestamp': { gte: new Date(START).toISOString(), lt: new Date(START + DOCS * 125).toISOString() } } }, { term: { status: 500 } }],
        },
      },
    },
  },
  { name: '`terms` agg on a keyword (size 0)', body: { size: 0, aggs: { hosts: { terms: { field: 'host.keyword' } } } }, target: '≤ 1.2 × raw' },
  {
    name: '`date_histogram` 1h + `terms` sub-agg (size 0)',
    body: { size: 0, aggs: { per_hour: { date_histogram: { field: '@timestamp', fixed_interval: '1h' }, aggs: { status: { terms: { field: 'status' } } } } } },
    target: '≤ 1.2 × raw',
  },
  { name: '`cardinality` of client IPs (size 0)', body: { size: 0, aggs: { ips: { cardinality: { field: 'http.client.ip.keyword' } } } }, target: '≤ 1.2 × raw' },
  {
    name: 'deep page via `search_after` (sort @timestamp, after the middle doc)',
    body: { size: 10, sort: [{ '@timestamp': 'asc' }], search_after: [START + (DOCS / 2) * 250] },
  },
];

async function main(): Promise<void> {
  rmSync(ROOT, { recursive: true, force: true });
  let capture: string[] | undefined;
  const { server, engine, db } = await startBenchServer(ROOT, { onSearchSql: (sql) => capture?.push(sql) });
  const sdk = new InfinoClient({ accessKey: AK, secretKey: SK, endpoint: server.url, retry: { maxRetries: 1 } });
  try {
    log(`loading ${DOCS.toLocaleString('en-US')} log documents over HTTP…`);
    const bodies = bulkBodies(DOCS, 5_000);
    let next = 0;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (next < bodies.length) {
          const r = await sdk.uploadJsonToDataset('logs', bodies[next++]);
          if (r.errors) throw new Error('bulk reported item errors');
          if (next % 40 === 0) log(`  ${Math.min(DOCS, next * 5_000).toLocaleString('en-US')} docs`);
        }
      }),
    );
    log('merging postings and checkpointing…');
    await engine().maintain();

    const raw = await db().connect();
    const rows: string[] = [];
    for (const q of QUERIES) {
      for (let i = 0; i < 5; i++) await sdk.queryDatasetInQuerydsl('logs', q.body);
      const http: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t = performance.now();
        await sdk.queryDatasetInQuerydsl('logs', q.body);
        http.push(performance.now() - t);
      }
      capture = [];
      const result = (await sdk.queryDatasetInQuerydsl('logs', q.body)) as { hits: { total?: { value: number } } };
      const statements = capture;
      capture = undefined;
      const engineTimes: number[] = [];
      for (let i = 0; i < RUNS; i++) engineTimes.push(await replay(raw, statements));
      const h50 = percentile(http, 50);
      const r50 = percentile(engineTimes, 50);
      rows.push(
        `| ${q.name} | ${ms(h50)} | ${ms(percentile(http, 95))} | ${ms(r50)} | ${ms(percentile(engineTimes, 95))} | ${(h50 / r50).toFixed(2)}× | ${ms(h50 - r50)} | ${statements.length} | ${result.hits.total?.value ?? '–'} | ${q.target ?? ''} |`,
      );
      log(rows[rows.length - 1]);
    }
    raw.closeSync();
    console.log(`\nMachine: ${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}; ${DOCS.toLocaleString('en-US')} docs, ${RUNS} runs per query.\n`);
    console.log('| query | HTTP p50 ms | HTTP p95 ms | raw DuckDB p50 ms | raw p95 ms | HTTP / raw | overhead ms | statements | hits | target |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const r of rows) console.log(r);
  } finally {
    await server.close();
    rmSync(ROOT, { recursive: true, force: true });
  }
}

/**
 * Runs a search's statements one after the other on one connection. (The engine overlaps a page's
 * statements with the aggregations' on its reader pool, so for size-0 aggregations this sum is an
 * upper bound of the engine's own critical path, and the HTTP/raw ratio a conservative figure.)
 */
async function replay(connection: DuckDBConnection, statements: string[]): Promise<number> {
  const t = performance.now();
  for (const sql of statements) await connection.runAndReadAll(sql);
  return performance.now() - t;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
