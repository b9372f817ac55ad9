/**
 * Dashboard benchmark (`npm run bench`, last): the 1M-log corpus of logs.ts loaded through the bulk
 * API of the real server, 16 visualizations over it (Builder and raw-SQL mode, every chart family),
 * one dashboard holding them, then:
 *  - `executeDashboard` wall time with `maxWorkers: 16` vs `maxWorkers: 1`, alternated in the same run
 *    (the server must run the panel queries concurrently, not one after another);
 *  - per panel, `executeVisualization` vs the same final SQL (`metadata.executed_query`) through
 *    `POST /sql`: the visualization layer's overhead over the raw query.
 *
 * BENCH_DOCS (default 1,000,000 logs) and BENCH_RUNS (10 dashboard runs per setting, 20 per panel,
 * after warm-up) tune it.
 */
import { rmSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { InfinoClient, type VisualizationSpec } from '@infino/sdk';
import { AK, log, percentile, SK, startBenchServer } from './common.js';
import { loadLogsOverHttp } from './logs.js';

const DOCS = Number(process.env.BENCH_DOCS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const PANEL_RUNS = 2 * RUNS;
const BULK_BATCH = 5_000;
const ROOT = resolve('.bench-data', 'dashboard');
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));
const median = (xs: number[]) => percentile(xs, 50);

/** Sixteen panels a log dashboard would have. */
function vizSpecs(): VisualizationSpec[] {
  const builder = (title: string, chart: string, extra: Partial<VisualizationSpec>): VisualizationSpec => ({
    title,
    source: { kind: 'sql', index: 'logs', sql: { limit: 50 } },
    chart: { type: chart },
    ...extra,
  });
  const raw = (title: string, chart: string, sql: string, mapping?: VisualizationSpec['mapping']): VisualizationSpec => ({
    title,
    source: { kind: 'sql', index: 'logs', sql: { raw_query: sql } },
    chart: { type: chart },
    ...(mapping ? { mapping } : {}),
  });
  return [
    builder('Requests', 'metric', { aggregation_type: 'count' }),
    builder('Bytes served', 'metric', { source: { kind: 'sql', index: 'logs', sql: { metrics: [{ id: 'm', function: 'sum', column: 'bytes' }] } } }),
    builder('Average response size', 'gauge', { source: { kind: 'sql', index: 'logs', sql: { metrics: [{ id: 'm', function: 'avg', column: 'bytes' }] } } }),
    builder('Requests by status', 'bar', { mapping: { x: 'status' }, aggregation_type: 'count' }),
    builder('Requests per hour', 'line', { mapping: { x: { column: '@timestamp', bucket: 'hour' } }, aggregation_type: 'count', source: { kind: 'sql', index: 'logs', sql: { limit: 1000 } } }),
    builder('Bytes per day', 'area', { mapping: { x: { column: '@timestamp', bucket: 'day' } }, source: { kind: 'sql', index: 'logs', sql: { metrics: [{ id: 'm', function: 'sum', column: 'bytes' }] } } }),
    builder('Top hosts + other', 'pie', { mapping: { x: 'host', top: 8, other_bucket: true }, aggregation_type: 'count' }),
    builder('Countries', 'horizontalBar', { mapping: { x: 'http.client.country' }, aggregation_type: 'count', source: { kind: 'sql', index: 'logs', sql: { order_by: [{ metric_id: null, column: 'count', direction: 'desc' }] } } }),
    builder('Status by method', 'heatmap', { mapping: { x: 'status', series: 'http.method' }, aggregation_type: 'count', source: { kind: 'sql', index: 'logs', sql: { limit: 500 } } }),
    builder('Largest bytes by host', 'bar', { mapping: { x: 'host' }, source: { kind: 'sql', index: 'logs', sql: { metrics: [{ id: 'm', function: 'max', column: 'bytes' }], order_by: [{ metric_id: 'm', direction: 'desc' }], limit: 10 } } }),
    builder('Bytes vs status', 'scatter', { mapping: { x: 'status', y: ['bytes'] }, aggregation_type: 'none', source: { kind: 'sql', index: 'logs', sql: { limit: 500 } } }),
    builder('Latest requests', 'table', { mapping: { y: ['@timestamp', 'host', 'status', 'message'] }, source: { kind: 'sql', index: 'logs', sql: { limit: 50 } } }),
    raw('Error rate by host', 'bar', "SELECT host, avg(CASE WHEN status >= 500 THEN 1.0 ELSE 0.0 END) AS error_rate FROM logs GROUP BY host ORDER BY error_rate DESC LIMIT 20"),
    raw('Methods per country', 'bar', 'SELECT "http.client.country" AS country, "http.method" AS method, count(*) AS n FROM logs GROUP BY 1, 2 ORDER BY 1, 2', { x: 'country', y: ['n'], series: 'method' }),
    raw('p95 bytes per status', 'line', 'SELECT status, quantile_cont(bytes, 0.95) AS p95 FROM logs GROUP BY status ORDER BY status'),
    raw('Distinct clients', 'metric', 'SELECT count(DISTINCT "http.client.ip") AS clients FROM logs'),
  ];
}

async function timeDashboard(sdk: InfinoClient, id: string, maxWorkers: number): Promise<number> {
  const start = performance.now();
  const panels = await sdk.executeDashboard(id, { maxWorkers });
  const elapsed = performance.now() - start;
  const failed = panels.filter((p) => p.error);
  if (failed.length) throw new Error(`panel ${failed[0].id} failed: ${failed[0].error!.status} ${failed[0].error!.message}`);
  return elapsed;
}

async function main(): Promise<void> {
  rmSync(ROOT, { recursive: true, force: true });
  const { server, engine } = await startBenchServer(ROOT);
  const sdk = new InfinoClient({ accessKey: AK, secretKey: SK, endpoint: server.url, retry: { maxRetries: 1 } });
  try {
    log(`loading ${fmt(DOCS)} logs …`);
    await loadLogsOverHttp(sdk, DOCS, BULK_BATCH);
    // Run the maintenance idle writes would trigger (postings merges, checkpoint) before timing.
    log('maintenance …');
    await engine().maintain();
    const specs = vizSpecs();
    const vizIds: string[] = [];
    for (const spec of specs) vizIds.push((await sdk.createVisualization(spec)).id);
    const dash = await sdk.createDashboard({ title: 'Logs overview', panels: vizIds.map((viz_id) => ({ viz_id })) });

    log('dashboard runs …');
    await timeDashboard(sdk, dash.id, 16);
    await timeDashboard(sdk, dash.id, 1);
    const wall: Record<1 | 16, number[]> = { 1: [], 16: [] };
    for (let i = 0; i < RUNS; i++) {
      wall[16].push(await timeDashboard(sdk, dash.id, 16));
      wall[1].push(await timeDashboard(sdk, dash.id, 1));
    }

    log('per-panel overhead …');
    const rows: string[] = [];
    for (let p = 0; p < vizIds.length; p++) {
      const first = await sdk.executeVisualization(vizIds[p]);
      const sql = first.metadata.executed_query;
      await sdk.queryDatasetInSql(sql);
      const viz: number[] = [];
      const raw: number[] = [];
      for (let i = 0; i < PANEL_RUNS; i++) {
        let t = performance.now();
        await sdk.executeVisualization(vizIds[p]);
        viz.push(performance.now() - t);
        t = performance.now();
        await sdk.queryDatasetInSql(sql, { sql: { max_rows: 10_000 } });
        raw.push(performance.now() - t);
      }
      const ratio = median(viz) / median(raw);
      rows.push(`| ${specs[p].title} | ${specs[p].chart.type} | ${first.rows.length} | ${ms(median(raw))} | ${ms(median(viz))} | ${ratio.toFixed(2)}× |`);
    }

    const m1 = median(wall[1]);
    const m16 = median(wall[16]);
    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    console.log(`\n### Dashboards — ${fmt(DOCS)} logs, 16 panels (${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB)\n`);
    console.log('| executeDashboard | median wall (ms) | p90 (ms) |');
    console.log('|---|---:|---:|');
    console.log(`| maxWorkers: 1 | ${ms(m1)} | ${ms(percentile(wall[1], 90))} |`);
    console.log(`| maxWorkers: 16 | ${ms(m16)} | ${ms(percentile(wall[16], 90))} |`);
    console.log(`\nSpeed-up 16 vs 1 workers: **${(m1 / m16).toFixed(2)}×** (median of ${RUNS} alternated runs each).\n`);
    console.log('| panel | chart | rows | POST /sql median (ms) | execute median (ms) | execute / sql |');
    console.log('|---|---|---:|---:|---:|---:|');
    for (const r of rows) console.log(r);
  } finally {
    await server.close();
  }
}

await main();
