/**
 * Deterministic synthetic web-server logs for the benchmarks: a timestamp, host, status, bytes,
 * a 5–12-word message drawn from a Zipf-like vocabulary, and a nested object.
 */
import { type DuckDBAppender, DuckDBTimestampValue } from '@duckdb/node-api';
import type { InfinoClient } from '@infino/sdk';
import { log } from './common.js';

const WORDS = (
  'request served from cache user login failed succeeded timeout connection refused reset upstream ' +
  'database query slow index shard replica node cluster health green yellow red memory disk cpu ' +
  'pressure high low warning error info debug trace retry backoff token expired invalid session ' +
  'created deleted updated payload received sent queue worker job started finished aborted latency ' +
  'spike gateway proxy tls handshake certificate dns lookup resolved cache miss hit eviction ' +
  'compaction merge flush snapshot restore backup bucket object upload download checksum mismatch ' +
  'quota exceeded rate limited throttled allowed denied permission role admin guest api key rotated'
).split(' ');
const HOSTS = Array.from({ length: 50 }, (_, i) => `web-${String(i).padStart(2, '0')}.example.internal`);
const STATUSES = [200, 200, 200, 200, 200, 200, 201, 204, 301, 302, 304, 400, 401, 403, 404, 404, 429, 500, 502, 503];
const COUNTRIES = ['US', 'DE', 'FR', 'IN', 'BR', 'JP', 'GB', 'CA', 'AU', 'NL'];
const METHODS = ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE'];

/** mulberry32: a tiny seeded PRNG so every run generates the same corpus. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface LogDoc {
  '@timestamp': string;
  host: string;
  status: number;
  bytes: number;
  message: string;
  http: { method: string; path: string; client: { ip: string; country: string } };
}

export function* logDocs(count: number, seed = 42): Generator<LogDoc> {
  const rnd = prng(seed);
  const start = Date.UTC(2026, 0, 1);
  for (let i = 0; i < count; i++) {
    const words = 5 + Math.floor(rnd() * 8);
    const msg: string[] = [];
    // Squaring skews the draw toward the start of the vocabulary: a few common words, a long tail.
    for (let w = 0; w < words; w++) msg.push(WORDS[Math.floor(rnd() * rnd() * WORDS.length)]);
    yield {
      '@timestamp': new Date(start + i * 250).toISOString(),
      host: HOSTS[Math.floor(rnd() * HOSTS.length)],
      status: STATUSES[Math.floor(rnd() * STATUSES.length)],
      bytes: Math.floor(rnd() * 100_000),
      message: msg.join(' '),
      http: {
        method: METHODS[Math.floor(rnd() * METHODS.length)],
        path: `/api/v1/items/${Math.floor(rnd() * 10_000)}`,
        client: { ip: `10.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}.${Math.floor(rnd() * 256)}`, country: COUNTRIES[Math.floor(rnd() * COUNTRIES.length)] },
      },
    };
  }
}

/** Bulk bodies of `batch` docs each (auto ids, as log shippers send them). */
export function bulkBodies(count: number, batch: number): string[] {
  const bodies: string[] = [];
  let lines: string[] = [];
  for (const doc of logDocs(count)) {
    lines.push('{"index":{}}', JSON.stringify(doc));
    if (lines.length === batch * 2) {
      bodies.push(lines.join('\n') + '\n');
      lines = [];
    }
  }
  if (lines.length) bodies.push(lines.join('\n') + '\n');
  return bodies;
}

/**
 * The corpus as a plain DuckDB table for the raw side of a benchmark: the columns a dataset of
 * these documents shows to SQL (dotted field paths), `_source` last.
 */
export const RAW_LOGS_DDL = `CREATE TABLE logs (_id VARCHAR, "@timestamp" TIMESTAMP, host VARCHAR, status BIGINT, bytes BIGINT, message VARCHAR,
  "http.method" VARCHAR, "http.path" VARCHAR, "http.client.ip" VARCHAR, "http.client.country" VARCHAR, _source JSON)`;

/** One document as a row of RAW_LOGS_DDL. */
export function appendLogRow(a: DuckDBAppender, id: string, d: LogDoc): void {
  a.appendVarchar(id);
  a.appendTimestamp(new DuckDBTimestampValue(BigInt(Date.parse(d['@timestamp'])) * 1000n));
  a.appendVarchar(d.host);
  a.appendBigInt(BigInt(d.status));
  a.appendBigInt(BigInt(d.bytes));
  a.appendVarchar(d.message);
  a.appendVarchar(d.http.method);
  a.appendVarchar(d.http.path);
  a.appendVarchar(d.http.client.ip);
  a.appendVarchar(d.http.client.country);
  a.appendVarchar(JSON.stringify(d));
  a.endRow();
}

/** One document as an NDJSON line of RAW_LOGS_DDL's columns (for read_json), and that column spec. */
export function logRowJson(id: string, d: LogDoc): string {
  return (
    JSON.stringify({
      _id: id,
      '@timestamp': d['@timestamp'],
      host: d.host,
      status: d.status,
      bytes: d.bytes,
      message: d.message,
      'http.method': d.http.method,
      'http.path': d.http.path,
      'http.client.ip': d.http.client.ip,
      'http.client.country': d.http.client.country,
      _source: JSON.stringify(d),
    }) + '\n'
  );
}
export const RAW_LOGS_JSON_COLUMNS = `{'_id': 'VARCHAR', '@timestamp': 'TIMESTAMP', 'host': 'VARCHAR', 'status': 'BIGINT', 'bytes': 'BIGINT', 'message': 'VARCHAR',
  'http.method': 'VARCHAR', 'http.path': 'VARCHAR', 'http.client.ip': 'VARCHAR', 'http.client.country': 'VARCHAR', '_source': 'VARCHAR'}`;

/**
 * Bulk-loads `count` logs into the `logs` dataset of a real server through four concurrent SDK
 * streams (auto ids, as shippers send them) and returns the ids in corpus order.
 */
export async function loadLogsOverHttp(sdk: InfinoClient, count: number, batch: number): Promise<string[]> {
  const bodies = bulkBodies(count, batch);
  const ids = new Array<string>(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      while (next < bodies.length) {
        const b = next++;
        const r = await sdk.uploadJsonToDataset('logs', bodies[b]);
        if (r.errors) throw new Error('bulk reported item errors');
        r.items.forEach((item, j) => (ids[b * batch + j] = Object.values(item)[0]!._id!));
        if ((b + 1) % 40 === 0) log(`  ${Math.min(count, (b + 1) * batch).toLocaleString('en-US')} logs`);
      }
    }),
  );
  return ids;
}
