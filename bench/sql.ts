/**
 * SQL benchmark (`npm run bench`, after the search benchmark): the 1M-log corpus of logs.ts and a
 * 50K-row `clients` dimension keyed by the logs' client IP are loaded through the bulk API of the
 * real server; then each analytical query runs over HTTP with SigV4 through the real SDK
 * (`POST /sql`), and the same SQL text runs on a separate raw DuckDB database in this process whose
 * plain tables carry the same names, column names ("http.client.ip") and rows. The ratio is then
 * Infino-over-HTTP vs DuckDB-in-process on identical SQL. Last, SQL write throughput: batches of
 * plain INSERT and of INSERT … ON CONFLICT (_id) DO UPDATE (half existing ids, half new).
 *
 * BENCH_DOCS (default 1,000,000 logs), BENCH_DIM (50,000 clients), BENCH_RUNS (30 per query, after
 * 3 warm-up runs), BENCH_WRITE_BATCHES (20 per kind), BENCH_WRITE_ROWS (1,000 rows per statement)
 * tune it. BENCH_SQL_RAW_ONLY=1 still loads through HTTP but times only the raw DuckDB side.
 */
import { rmSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { type DuckDBConnection, DuckDBInstance, DuckDBTimestampValue } from '@duckdb/node-api';
import { InfinoClient } from '@infino/sdk';
import { AK, log, percentile, SK, startBenchServer } from './common.js';
import { appendLogRow, loadLogsOverHttp, logDocs, RAW_LOGS_DDL } from './logs.js';

const DOCS = Number(process.env.BENCH_DOCS ?? 1_000_000);
const DIM = Number(process.env.BENCH_DIM ?? 50_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const WARMUP = 3;
const WRITE_BATCHES = Number(process.env.BENCH_WRITE_BATCHES ?? 20);
const WRITE_ROWS = Number(process.env.BENCH_WRITE_ROWS ?? 1_000);
const RAW_ONLY = process.env.BENCH_SQL_RAW_ONLY === '1';
const BULK_BATCH = 5_000;
const ROOT = resolve('.bench-data', 'sql');
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (n < 10 ? n.toFixed(2) : n.toFixed(1));
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** A stateless integer mix: deterministic attributes for dimension row k without a PRNG stream. */
function mix(k: number, salt: number): number {
  let h = Math.imul(k ^ salt, 0x9e3779b1);
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  return (h ^ (h >>> 13)) >>> 0;
}

const PLANS = ['free', 'team', 'business', 'enterprise'];
const REGIONS = ['us-east', 'us-west', 'eu-west', 'eu-central', 'ap-south', 'ap-northeast', 'sa-east'];

interface ClientDoc {
  ip: string;
  account: { name: string; plan: string; seats: number };
  region: string;
  risk_score: number;
  vip: boolean;
  since: string;
}

/** Client k; every risk score has a fraction (x.5 / 100) so dynamic mapping makes the column DOUBLE. */
function clientDoc(k: number, ip: string): ClientDoc {
  const day = new Date(Date.UTC(2020, 0, 1) + (mix(k, 5) % 2000) * 86_400_000).toISOString().slice(0, 10);
  return {
    ip,
    account: { name: `org-${String(mix(k, 1) % 5_000).padStart(4, '0')}`, plan: PLANS[mix(k, 2) % PLANS.length], seats: 1 + (mix(k, 3) % 500) },
    region: REGIONS[mix(k, 4) % REGIONS.length],
    risk_score: ((mix(k, 6) % 10_000) + 0.5) / 100,
    vip: mix(k, 7) % 17 === 0,
    since: day,
  };
}

/**
 * DIM clients whose IPs are those of logs spread evenly over the corpus (so a join matches about
 * one log per client, across the whole time range), padded with IPs no log has (172.16/12).
 */
function clientDocs(): ClientDoc[] {
  const step = Math.max(1, Math.floor(DOCS / DIM));
  const ips = new Set<string>();
  let i = 0;
  for (const d of logDocs(DOCS)) {
    if (i++ % step === 0) ips.add(d.http.client.ip);
    if (ips.size === DIM) break;
  }
  for (let n = 0; ips.size < DIM; n++) ips.add(`172.${16 + (n >> 16)}.${(n >> 8) & 255}.${n & 255}`);
  return [...ips].map((ip, k) => clientDoc(k, ip));
}
const clientId = (k: number) => `client-${String(k).padStart(6, '0')}`;

// Raw tables: the columns the dataset exposes in SQL, in its order (_id, mapped fields, _source).
const CLIENT_COLUMNS = `_id VARCHAR, ip VARCHAR, "account.name" VARCHAR, "account.plan" VARCHAR, "account.seats" BIGINT, region VARCHAR,
  risk_score DOUBLE, vip BOOLEAN, since TIMESTAMP, _source JSON`;

const micros = (iso: string) => new DuckDBTimestampValue(BigInt(Date.parse(iso)) * 1000n);

async function loadRaw(c: DuckDBConnection, logIds: string[], clients: ClientDoc[]): Promise<void> {
  await c.run(RAW_LOGS_DDL);
  let a = await c.createAppender('logs');
  let i = 0;
  for (const d of logDocs(DOCS)) {
    appendLogRow(a, logIds[i], d);
    if (++i % 100_000 === 0) {
      a.closeSync();
      a = await c.createAppender('logs');
    }
  }
  a.closeSync();
  await c.run(`CREATE TABLE clients (${CLIENT_COLUMNS})`);
  a = await c.createAppender('clients');
  clients.forEach((d, k) => {
    a.appendVarchar(clientId(k));
    a.appendVarchar(d.ip);
    a.appendVarchar(d.account.name);
    a.appendVarchar(d.account.plan);
    a.appendBigInt(BigInt(d.account.seats));
    a.appendVarchar(d.region);
    a.appendDouble(d.risk_score);
    a.appendBoolean(d.vip);
    a.appendTimestamp(micros(d.since));
    a.appendVarchar(JSON.stringify(d));
    a.endRow();
  });
  a.closeSync();
  // The server checkpoints once writes go idle (engine.maintain() below): compare compressed,
  // checkpointed storage on both sides rather than one side's freshly appended row groups.
  await c.run('CHECKPOINT');
}

async function loadClients(sdk: InfinoClient, dataset: string, docs: Array<{ id: string; doc: ClientDoc }>): Promise<void> {
  for (let i = 0; i < docs.length; i += BULK_BATCH) {
    const lines = docs.slice(i, i + BULK_BATCH).flatMap(({ id, doc }) => [JSON.stringify({ index: { _id: id } }), JSON.stringify(doc)]);
    const r = await sdk.uploadJsonToDataset(dataset, lines.join('\n') + '\n');
    if (r.errors) throw new Error(`bulk into ${dataset} reported item errors`);
  }
}

/** The queries; `sql` may vary per run (point lookups rotate over ids). */
function queries(logIds: string[], clients: ClientDoc[]): Array<{ name: string; sql: (i: number) => string }> {
  const sample = Array.from({ length: 64 }, (_, k) => logIds[Math.floor(((k + 0.5) / 64) * logIds.length)]);
  const fixed = (sql: string) => () => sql;
  return [
    { name: 'overhead: `SELECT 1`', sql: fixed('SELECT 1') },
    { name: 'overhead: point lookup `SELECT * … WHERE _id = ?` (logs)', sql: (i) => `SELECT * FROM logs WHERE _id = ${lit(sample[i % sample.length])}` },
    { name: 'point lookup by key (clients.ip)', sql: (i) => `SELECT * FROM clients WHERE ip = ${lit(clients[(i * 7919) % clients.length].ip)}` },
    { name: 'full-scan aggregate', sql: fixed('SELECT count(*) AS n, sum(bytes) AS bytes, min("@timestamp") AS first, max("@timestamp") AS last FROM logs') },
    { name: 'group-by host', sql: fixed('SELECT host, count(*) AS n, avg(bytes) AS avg_bytes FROM logs GROUP BY host ORDER BY n DESC, host') },
    {
      name: 'group-by 2 keys (status × method)',
      sql: fixed('SELECT status, "http.method", count(*) AS n, sum(bytes) AS bytes FROM logs GROUP BY ALL ORDER BY status, "http.method"'),
    },
    {
      name: 'top-N paths among 5xx',
      sql: fixed('SELECT "http.path", count(*) AS errors FROM logs WHERE status >= 500 GROUP BY 1 ORDER BY errors DESC, 1 LIMIT 10'),
    },
    {
      name: 'time bucket `date_trunc(hour)` + FILTER',
      sql: fixed(
        `SELECT date_trunc('hour', "@timestamp") AS hour, count(*) AS n, count(*) FILTER (WHERE status >= 500) AS errors FROM logs GROUP BY hour ORDER BY hour`,
      ),
    },
    {
      name: 'COUNT DISTINCT client IPs per country',
      sql: fixed('SELECT "http.client.country", count(DISTINCT "http.client.ip") AS ips FROM logs GROUP BY 1 ORDER BY 1'),
    },
    { name: "LIKE '%connection refused%'", sql: fixed("SELECT count(*) AS n FROM logs WHERE message LIKE '%connection refused%'") },
    {
      name: 'HAVING on a 10K-group aggregate',
      // The logs spread over 10,000 paths: keep those ≥ 15% above the mean count.
      sql: fixed(
        `SELECT "http.path", count(*) AS n, avg(bytes) AS avg_bytes FROM logs GROUP BY 1 HAVING count(*) > ${Math.ceil((DOCS / 10_000) * 1.15)} ORDER BY n DESC, 1 LIMIT 50`,
      ),
    },
    {
      name: 'percentiles `quantile_cont` per host',
      sql: fixed('SELECT host, quantile_cont(bytes, 0.5) AS p50, quantile_cont(bytes, 0.95) AS p95, quantile_cont(bytes, 0.99) AS p99 FROM logs GROUP BY host ORDER BY host'),
    },
    {
      name: 'raw rows: `WHERE status = 404 ORDER BY bytes DESC LIMIT 100`',
      sql: fixed('SELECT _id, "@timestamp", host, status, bytes, message FROM logs WHERE status = 404 ORDER BY bytes DESC, _id LIMIT 100'),
    },
    { name: 'raw rows: latest 100, `SELECT *` (with _source)', sql: fixed('SELECT * FROM logs ORDER BY "@timestamp" DESC LIMIT 100') },
    {
      name: 'join logs ⋈ clients, group by region × plan',
      sql: fixed(
        `SELECT c.region, c."account.plan", count(*) AS requests, sum(l.bytes) AS bytes, avg(c.risk_score) AS risk
         FROM logs AS l JOIN clients AS c ON c.ip = l."http.client.ip" GROUP BY ALL ORDER BY requests DESC, 1, 2`,
      ),
    },
    {
      name: 'semi-join `IN (SELECT … FROM clients WHERE vip)`',
      sql: fixed('SELECT "http.client.country", count(*) AS n FROM logs WHERE "http.client.ip" IN (SELECT ip FROM clients WHERE vip) GROUP BY 1 ORDER BY 1'),
    },
    {
      name: 'window: top-3 paths per host (`row_number` + QUALIFY)',
      sql: fixed(
        `SELECT host, "http.path", count(*) AS n, row_number() OVER (PARTITION BY host ORDER BY count(*) DESC, "http.path") AS rk
         FROM logs GROUP BY host, "http.path" QUALIFY rk <= 3 ORDER BY host, rk`,
      ),
    },
    {
      name: 'window: 6-hour moving average per host',
      sql: fixed(
        `SELECT host, hour, n, avg(n) OVER (PARTITION BY host ORDER BY hour ROWS BETWEEN 5 PRECEDING AND CURRENT ROW) AS moving_avg
         FROM (SELECT host, date_trunc('hour', "@timestamp") AS hour, count(*) AS n FROM logs GROUP BY ALL) ORDER BY host, hour`,
      ),
    },
    {
      name: 'CTE: error rate per host',
      sql: fixed(
        `WITH errs AS (SELECT host, count(*) AS e FROM logs WHERE status >= 500 GROUP BY host),
              tot AS (SELECT host, count(*) AS t FROM logs GROUP BY host)
         SELECT host, e, t, round(100.0 * e / t, 2) AS error_pct FROM errs JOIN tot USING (host) ORDER BY error_pct DESC, host`,
      ),
    },
    {
      name: 'JSON: `_source->>` filter',
      sql: fixed(`SELECT count(*) AS n FROM logs WHERE _source->>'$.http.method' = 'DELETE' AND status = 500`),
    },
    {
      name: 'dimension only: clients by region × plan',
      sql: fixed('SELECT region, "account.plan", count(*) AS n, avg(risk_score) AS risk, sum("account.seats") AS seats FROM clients GROUP BY ALL ORDER BY ALL'),
    },
  ];
}

/** Sum of the numeric cells: a cheap check that both sides computed the same figures. */
function checksum(rows: unknown[][]): number {
  let sum = 0;
  for (const row of rows)
    for (const v of row) {
      if (typeof v === 'number') sum += v;
      else if (typeof v === 'bigint') sum += Number(v);
      else if (typeof v === 'boolean') sum += v ? 1 : 0;
      else if (v && typeof v === 'object' && 'toDouble' in v && typeof v.toDouble === 'function') sum += (v.toDouble as () => number)();
    }
  return sum;
}
/** An error as one table cell: the server's `type: reason` when it sent one. */
function errText(e: unknown): string {
  const body = (e as { body?: { error?: { type?: string; reason?: string } } }).body?.error;
  const text = body?.reason ? `${body.type}: ${body.reason}` : ((e as Error).message ?? String(e));
  return text.slice(0, 160).replace(/\|/g, '/').replace(/\n/g, ' ');
}
const sameSum = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(a), Math.abs(b));

interface Timing {
  times: number[];
  took: number[];
  rows: number;
  sum: number;
  error?: string;
}

async function timeHttp(sdk: InfinoClient, sql: (i: number) => string): Promise<Timing> {
  const t: Timing = { times: [], took: [], rows: 0, sum: 0 };
  try {
    for (let i = 0; i < WARMUP; i++) await sdk.queryDatasetInSql(sql(i));
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      const r = await sdk.queryDatasetInSql(sql(i));
      t.times.push(performance.now() - start);
      t.took.push(r.took);
      if (i === 0) {
        t.rows = r.rows.length;
        // Infino renders TIMESTAMPs as strings: they stay out of the sum, as on the raw side.
        t.sum = checksum(r.rows);
        if (r.truncated) t.error = 'truncated';
      }
    }
  } catch (e) {
    t.error = errText(e);
  }
  return t;
}

async function timeRaw(c: DuckDBConnection, sql: (i: number) => string): Promise<Timing> {
  const t: Timing = { times: [], took: [], rows: 0, sum: 0 };
  for (let i = 0; i < WARMUP; i++) await c.runAndReadAll(sql(i));
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    // Read every chunk and convert it to JS values: the raw floor still hands over a result.
    const rows = (await c.runAndReadAll(sql(i))).getRows();
    t.times.push(performance.now() - start);
    if (i === 0) {
      t.rows = rows.length;
      t.sum = checksum(rows.map((r) => r.map((v) => (v instanceof DuckDBTimestampValue ? null : v))));
    }
  }
  return t;
}

/** The write statements, built once so both sides run the very same text. */
function writeStatements(): { inserts: string[]; upserts: string[] } {
  const columns = '(_id, ip, "account.name", "account.plan", "account.seats", region, risk_score, vip, since)';
  const values = (id: string, k: number, salt: number) => {
    const d = clientDoc(k + salt, `192.168.${(k >> 8) & 255}.${k & 255}`);
    return `(${lit(id)}, ${lit(d.ip)}, ${lit(d.account.name)}, ${lit(d.account.plan)}, ${d.account.seats}, ${lit(d.region)}, ${d.risk_score}, ${d.vip}, ${lit(d.since)})`;
  };
  const inserts: string[] = [];
  let next = 0;
  for (let b = 0; b < WRITE_BATCHES; b++) {
    const rows = Array.from({ length: WRITE_ROWS }, () => values(`w-${next}`, next++, 0));
    inserts.push(`INSERT INTO upserts ${columns} VALUES ${rows.join(', ')}`);
  }
  const upserts: string[] = [];
  const existing = next;
  for (let b = 0; b < WRITE_BATCHES; b++) {
    const rows: string[] = [];
    for (let r = 0; r < WRITE_ROWS; r++) {
      // Even rows update a distinct existing id (a statement may not touch one row twice), odd rows add one.
      const k = r % 2 === 0 ? (b * WRITE_ROWS + r) % existing : next++;
      rows.push(values(`w-${k}`, k, 1_000_003 * (b + 1)));
    }
    upserts.push(
      `INSERT INTO upserts ${columns} VALUES ${rows.join(', ')} ON CONFLICT (_id) DO UPDATE SET ` +
        '"account.plan" = excluded."account.plan", risk_score = excluded.risk_score, vip = excluded.vip, "account.seats" = excluded."account.seats"',
    );
  }
  return { inserts, upserts };
}

async function timeWrites(run: (sql: string) => Promise<number>, statements: string[]) {
  const times: number[] = [];
  let affected = 0;
  const start = performance.now();
  for (const sql of statements) {
    const t = performance.now();
    affected += await run(sql);
    times.push(performance.now() - t);
  }
  const seconds = (performance.now() - start) / 1000;
  return { rowsPerSec: (statements.length * WRITE_ROWS) / seconds, times, affected };
}

async function main(): Promise<void> {
  rmSync(ROOT, { recursive: true, force: true });
  const { server, engine } = await startBenchServer(ROOT);
  const sdk = new InfinoClient({ accessKey: AK, secretKey: SK, endpoint: server.url, retry: { maxRetries: 1 } });
  const rawDb = await DuckDBInstance.create(join(ROOT, 'raw.duckdb'), { checkpoint_threshold: '256MB', temp_directory: join(ROOT, 'raw-tmp') });
  const raw = await rawDb.connect();
  try {
    log(`loading ${fmt(DOCS)} logs and ${fmt(DIM)} clients over HTTP (bulk)…`);
    let t = performance.now();
    const logIds = await loadLogsOverHttp(sdk, DOCS, BULK_BATCH);
    const clients = clientDocs();
    await loadClients(sdk, 'clients', clients.map((doc, k) => ({ id: clientId(k), doc })));
    const httpLoad = (performance.now() - t) / 1000;
    log('merging postings and checkpointing…');
    await engine().maintain();
    log('loading the same rows into raw DuckDB (appender)…');
    t = performance.now();
    await loadRaw(raw, logIds, clients);
    const rawLoad = (performance.now() - t) / 1000;

    // The transport alone (HTTP, SigV4 signing and verification, JSON): the floor under every row.
    const pings: number[] = [];
    for (let i = 0; i < WARMUP + RUNS * 3; i++) {
      const t0 = performance.now();
      await sdk.ping();
      if (i >= WARMUP) pings.push(performance.now() - t0);
    }
    const ping50 = percentile(pings, 50);

    const rows: string[] = [];
    for (const q of queries(logIds, clients)) {
      const http = RAW_ONLY ? undefined : await timeHttp(sdk, q.sql);
      const r = await timeRaw(raw, q.sql);
      const r50 = percentile(r.times, 50);
      let cells: string;
      if (!http) cells = '– | – | –';
      else if (http.error && !http.times.length) cells = `error: ${http.error} | – | –`;
      else cells = `${ms(percentile(http.times, 50))} | ${ms(percentile(http.times, 95))} | ${http.took.length ? ms(percentile(http.took, 50)) : '–'}`;
      const ratio = http?.times.length ? `${(percentile(http.times, 50) / r50).toFixed(2)}×` : '–';
      let check = String(r.rows);
      if (http?.times.length && (http.rows !== r.rows || !sameSum(http.sum, r.sum))) check += ` ⚠ Infino ${http.rows} rows, Σ ${http.sum} vs ${r.sum}`;
      if (http?.error && http.times.length) check += ` ⚠ ${http.error}`;
      rows.push(`| ${q.name} | ${cells} | ${ms(r50)} | ${ms(percentile(r.times, 95))} | ${ratio} | ${check} |`);
      log(rows[rows.length - 1]);
    }

    log('SQL writes: plain INSERT and upsert batches…');
    const { inserts, upserts } = writeStatements();
    const seed = clientDoc(0, '192.168.255.255');
    await loadClients(sdk, 'upserts', [{ id: 'seed', doc: seed }]);
    await raw.run(`CREATE TABLE upserts (${CLIENT_COLUMNS.replace('_id VARCHAR', '_id VARCHAR PRIMARY KEY')})`);
    await raw.run(`INSERT INTO upserts VALUES ('seed', ${lit(seed.ip)}, ${lit(seed.account.name)}, ${lit(seed.account.plan)}, ${seed.account.seats},
      ${lit(seed.region)}, ${seed.risk_score}, ${seed.vip}, ${lit(seed.since)}, ${lit(JSON.stringify(seed))})`);
    const writeRows: string[] = [];
    for (const [name, statements] of [['plain `INSERT … VALUES`', inserts], ['upsert `INSERT … ON CONFLICT (_id) DO UPDATE` (½ new, ½ existing)', upserts]] as const) {
      const rawW = await timeWrites(async (sql) => Number((await raw.run(sql)).rowsChanged), statements);
      let cells = '– | – | –';
      let ratio = '–';
      let note = `${rawW.affected} rows affected`;
      if (!RAW_ONLY) {
        try {
          let created = 0;
          let updated = 0;
          const h = await timeWrites(async (sql) => {
            const r = await sdk.upsertToDataset(sql);
            created += r.created;
            updated += r.updated;
            return r.affected_rows;
          }, statements);
          note += ` (Infino: ${created} created, ${updated} updated)`;
          cells = `${fmt(h.rowsPerSec)} | ${ms(percentile(h.times, 50))} | ${ms(percentile(h.times, 95))}`;
          ratio = `${(rawW.rowsPerSec / h.rowsPerSec).toFixed(2)}×`;
          if (h.affected !== rawW.affected) note += ` ⚠ Infino reported ${h.affected}`;
        } catch (e) {
          cells = `error: ${errText(e)} | – | –`;
        }
      }
      writeRows.push(`| ${name} | ${cells} | ${fmt(rawW.rowsPerSec)} | ${ms(percentile(rawW.times, 50))} | ${ms(percentile(rawW.times, 95))} | ${ratio} | ${note} |`);
      log(writeRows[writeRows.length - 1]);
    }
    if (!RAW_ONLY) {
      const expected = 1 + WRITE_BATCHES * WRITE_ROWS + WRITE_BATCHES * Math.floor(WRITE_ROWS / 2);
      const n = await sdk.queryDatasetInSql('SELECT count(*) AS n FROM upserts').then((r) => r.rows[0]?.[0], errText);
      if (Number(n) !== expected) log(`⚠ upserts holds ${String(n)} rows over SQL, expected ${expected}`);
    }

    const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
    console.log(`\n### SQL — ${fmt(DOCS)} logs + ${fmt(DIM)} clients, ${RUNS} runs per query after ${WARMUP} warm-up runs`);
    console.log(
      `Machine: ${cpus().length} × ${cpu}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}. ` +
        `Load: ${httpLoad.toFixed(1)} s over HTTP bulk, ${rawLoad.toFixed(1)} s raw appender.\n`,
    );
    console.log(
      `Transport floor: \`GET /\` (ping) over HTTP + SigV4 through the SDK, p50 ${ms(ping50)} ms. SQL's own fixed cost per request ≈ \`SELECT 1\` HTTP p50 − this − raw \`SELECT 1\`.\n`,
    );
    console.log('| query | Infino HTTP p50 ms | Infino HTTP p95 ms | server `took` p50 ms | raw DuckDB p50 ms | raw p95 ms | Infino / raw (p50) | rows |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---|');
    for (const r of rows) console.log(r);
    console.log(`\n#### SQL writes — ${WRITE_BATCHES} statements of ${fmt(WRITE_ROWS)} rows each, one at a time, into a fresh dataset\n`);
    console.log('| statement | Infino rows/s | Infino p50 ms/stmt | Infino p95 ms/stmt | raw DuckDB rows/s | raw p50 ms/stmt | raw p95 ms/stmt | raw / Infino | notes |');
    console.log('|---|---:|---:|---:|---:|---:|---:|---:|---|');
    for (const r of writeRows) console.log(r);
    console.log('\nRaw DuckDB: a separate database file in the same process, plain tables (no indexes; `upserts` has `_id` PRIMARY KEY, which ON CONFLICT needs), checkpointed after loading; timed through `runAndReadAll(sql).getRows()`.');
  } finally {
    raw.closeSync();
    rawDb.closeSync();
    await server.close();
    rmSync(ROOT, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
