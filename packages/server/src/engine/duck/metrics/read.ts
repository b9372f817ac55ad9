/**
 * The read side of the metrics store: label matchers compiled to SQL over the inverted label
 * index, samples read into typed arrays, and the metadata lookups of Prometheus's HTTP API.
 */
import type { DuckDBConnection, DuckDBMaterializedResult } from '@duckdb/node-api';
import { badRequest } from '../../../errors.js';
import type { MetricMetadata, MetricType } from '../../../metrics/exposition.js';
import type { LabelMatcher } from '../../../promql/ast.js';
import { STALE_NAN, type Labels, type Series } from '../../../promql/values.js';
import { quoteString } from '../sql.js';

/**
 * A SQL string literal of a user's label name or value. DuckDB's parser cannot take a NUL inside
 * a literal (it reports an unterminated string), so a NUL is the client's error, said plainly.
 */
function lit(text: string): string {
  if (text.includes('\u0000')) throw badRequest('label names and values cannot contain a NUL character (\\x00)');
  return quoteString(text);
}
import { allSamples, metricTables } from './tables.js';

/** Which series a lookup covers: any of the matcher sets (none → all), with a sample in [startMs, endMs]. */
export interface MetricsLookup {
  match?: LabelMatcher[][];
  startMs?: number;
  endMs?: number;
}

/**
 * One matcher as a condition on `s.series_id`, Prometheus semantics: a missing label equals "";
 * regexes are RE2 (DuckDB's engine is RE2 too), fully anchored, and `.` matches newlines as in
 * Prometheus 3 (`(?s:…)`).
 */
function matcherSql(m: LabelMatcher, labelsTable: string): string {
  const name = lit(m.name);
  const has = `SELECT series_id FROM ${labelsTable} WHERE name = ${name}`;
  switch (m.type) {
    case '=':
      return m.value === '' ? `s.series_id NOT IN (${has})` : `s.series_id IN (${has} AND value = ${lit(m.value)})`;
    case '!=':
      return m.value === '' ? `s.series_id IN (${has})` : `s.series_id NOT IN (${has} AND value = ${lit(m.value)})`;
    case '=~':
    case '!~': {
      const re = lit(`(?s:${m.value})`);
      const matches = `(s.series_id IN (${has} AND regexp_full_match(value, ${re})) OR (regexp_full_match('', ${re}) AND s.series_id NOT IN (${has})))`;
      return m.type === '=~' ? matches : `NOT ${matches}`;
    }
  }
}

/** Series of dataset `id` matching any of the matcher sets, optionally with a sample in [start, end]. */
export function seriesWhere(id: number, q: MetricsLookup): string {
  const t = metricTables(id);
  const sets = (q.match ?? []).filter((set) => set.length > 0);
  const parts: string[] = [];
  if (sets.length > 0) parts.push('(' + sets.map((set) => '(' + set.map((m) => matcherSql(m, t.labels)).join(' AND ') + ')').join(' OR ') + ')');
  if (q.startMs !== undefined || q.endMs !== undefined) {
    parts.push(`s.series_id IN (SELECT series_id FROM ${allSamples(id)} WHERE ${timeRange(q.startMs, q.endMs)})`);
  }
  return parts.length > 0 ? parts.join(' AND ') : 'true';
}

function timeRange(startMs?: number, endMs?: number): string {
  const parts = ['true'];
  if (startMs !== undefined) parts.push(`t >= ${msLiteral(startMs, 'floor')}`);
  if (endMs !== undefined) parts.push(`t <= ${msLiteral(endMs, 'ceil')}`);
  return parts.join(' AND ');
}

/** Samples are whole ms; an infinite or huge bound is clamped to BIGINT's range. */
function msLiteral(ms: number, round: 'floor' | 'ceil'): string {
  if (Number.isNaN(ms)) throw badRequest('invalid time: NaN');
  const limit = 9.2e18;
  return String(BigInt(Math.max(-limit, Math.min(limit, round === 'floor' ? Math.floor(ms) : Math.ceil(ms)))));
}

/** A dataset whose metrics tables are not committed yet (or were just dropped) reads as empty. */
export async function runRead<T>(fn: () => Promise<T>, empty: T): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (/Catalog Error: Table with name ds_\d+_m\w+ does not exist/.test((e as Error).message ?? '')) return empty;
    throw e;
  }
}

/**
 * Compiles every regex of the lookup once in DuckDB (RE2, the engine that will run it): a bad
 * pattern is the client's fault (400), and must not surface as a 500 from the real query.
 */
async function checkRegexes(c: DuckDBConnection, sets: LabelMatcher[][] | undefined): Promise<void> {
  for (const set of sets ?? []) {
    for (const m of set) {
      if (m.type !== '=~' && m.type !== '!~') continue;
      try {
        await c.runAndReadAll(`SELECT regexp_full_match('', ${lit(`(?s:${m.value})`)})`);
      } catch (e) {
        throw badRequest(`invalid regular expression "${m.value}" in matcher ${m.name}${m.type}: ${((e as Error).message ?? '').replace(/^.*Error: /, '')}`);
      }
    }
  }
}

/** Result columns; DuckDB returns no columns at all for an empty result. */
const columns = (r: { getColumns(): unknown[][] }, n: number): unknown[][] => {
  const cols = r.getColumns();
  return Array.from({ length: n }, (_, i) => cols[i] ?? []);
};

export async function selectSeries(c: DuckDBConnection, id: number, matchers: LabelMatcher[], startMs: number, endMs: number): Promise<Series[]> {
  const t = metricTables(id);
  await checkRegexes(c, [matchers]);
  const where = seriesWhere(id, { match: [matchers] });
  const labelRows = columns(await c.runAndReadAll(`SELECT series_id, labels FROM ${t.series} s WHERE ${where}`), 2);
  if (labelRows[0].length === 0) return [];
  const labelsById = new Map<number, string>();
  for (let i = 0; i < labelRows[0].length; i++) labelsById.set(Number(labelRows[0][i]), String(labelRows[1][i]));
  // One scan, two result columns: first a (series id, sample count) row per series, then the
  // samples as (t, v) in series order. Moving values out of DuckDB costs per column, so the
  // samples do not carry their series id. Compaction keeps samples sorted by (series_id, t):
  // the sort mostly merges sorted runs.
  const result = await c.run(
    `WITH f AS MATERIALIZED (SELECT series_id, t, v FROM ${allSamples(id)} WHERE series_id IN (SELECT s.series_id FROM ${t.series} s WHERE ${where})
       AND ${timeRange(startMs, endMs)})
     SELECT a, b FROM (
       SELECT 0 AS part, series_id, 0 AS t, series_id::DOUBLE AS a, count(*)::DOUBLE AS b FROM f GROUP BY series_id
       UNION ALL SELECT 1, series_id, t, t::DOUBLE, v FROM f)
     ORDER BY part, series_id, t`,
  );
  const [a, b] = doubleColumns(result, 2);
  // k count rows precede the samples they count: the first k with k + (sum of k counts) = rows.
  let series = 0;
  for (let samples = 0; series + samples < a.length; series++) samples += b[series];
  const out: Series[] = [];
  let at = series;
  for (let k = 0; k < series; k++) {
    const n = b[k];
    const labels = labelsById.get(a[k]);
    if (labels !== undefined) out.push({ metric: JSON.parse(labels) as Labels, t: a.slice(at, at + n), v: restoreStale(b.slice(at, at + n)) });
    at += n;
  }
  return out;
}

/**
 * All-DOUBLE result columns as Float64Arrays, chunk by chunk. Copying a chunk's typed array is ~3×
 * faster than the per-value conversion of getColumns() (5 M rows: 2.7 s against 8.2 s); the
 * vector's `items` is not part of the typed API, so getItem() is the fallback.
 */
function doubleColumns(result: DuckDBMaterializedResult, n: number): Float64Array[] {
  const out = Array.from({ length: n }, () => new Float64Array(Number(result.rowCount)));
  let at = 0;
  for (let ci = 0; ci < result.chunkCount; ci++) {
    const chunk = result.getChunk(ci);
    const rows = chunk.rowCount;
    for (let k = 0; k < n; k++) {
      const vector = chunk.getColumnVector(k);
      const items = (vector as unknown as { items?: unknown }).items;
      if (items instanceof Float64Array && items.length >= rows) out[k].set(items.subarray(0, rows), at);
      else for (let r = 0; r < rows; r++) out[k][at + r] = vector.getItem(r) as number;
    }
    at += rows;
  }
  return out;
}

export async function labelNames(c: DuckDBConnection, id: number, q: MetricsLookup): Promise<string[]> {
  const t = metricTables(id);
  await checkRegexes(c, q.match);
  const rows = await c.runAndReadAll(`SELECT DISTINCT name FROM ${t.labels} WHERE series_id IN (SELECT s.series_id FROM ${t.series} s WHERE ${seriesWhere(id, q)})`);
  return columns(rows, 1)[0].map(String);
}

export async function labelValues(c: DuckDBConnection, id: number, name: string, q: MetricsLookup): Promise<string[]> {
  const t = metricTables(id);
  await checkRegexes(c, q.match);
  const rows = await c.runAndReadAll(
    `SELECT DISTINCT value FROM ${t.labels} WHERE name = ${lit(name)} AND series_id IN (SELECT s.series_id FROM ${t.series} s WHERE ${seriesWhere(id, q)})`,
  );
  return columns(rows, 1)[0].map(String);
}

export async function seriesLabels(c: DuckDBConnection, id: number, q: MetricsLookup): Promise<string[]> {
  const t = metricTables(id);
  await checkRegexes(c, q.match);
  const rows = await c.runAndReadAll(`SELECT labels FROM ${t.series} s WHERE ${seriesWhere(id, q)}`);
  return columns(rows, 1)[0].map(String);
}

export async function metricMetadata(c: DuckDBConnection, id: number, metric?: string): Promise<Array<[string, MetricMetadata]>> {
  const t = metricTables(id);
  const where = metric === undefined ? '' : ` WHERE metric = ${lit(metric)}`;
  const rows = (await c.runAndReadAll(`SELECT metric, type, help, unit FROM ${t.meta}${where} ORDER BY metric`)).getRows();
  return rows.map(([m, type, help, unit]) => {
    const meta: MetricMetadata = { type: String(type) as MetricType };
    if (help !== null) meta.help = String(help);
    if (unit !== null) meta.unit = String(unit);
    return [String(m), meta];
  });
}

/**
 * Staleness markers come back from DuckDB with the quiet bit set (0x7ff8…02 instead of
 * Prometheus's 0x7ff0…02); an ordinary NaN has payload 0. Put the exact marker back.
 */
function restoreStale(v: Float64Array): Float64Array {
  let bits: Uint32Array | undefined;
  for (let i = 0; i < v.length; i++) {
    if (v[i] === v[i]) continue;
    bits ??= new Uint32Array(v.buffer, v.byteOffset, v.length * 2);
    // Little-endian: the low word comes first.
    if (bits[2 * i] === 2 && (bits[2 * i + 1] & 0xfff7ffff) === 0x7ff00000) v[i] = STALE_NAN;
  }
  return v;
}

/**
 * Merges series from several datasets: identical label sets become one series (samples merged by
 * time; on equal timestamps the later dataset in the list wins).
 */
export function mergeSeries(parts: Series[][]): Series[] {
  if (parts.length === 1) return parts[0];
  const byKey = new Map<string, Series[]>();
  for (const list of parts) {
    for (const s of list) {
      const key = JSON.stringify(s.metric);
      const same = byKey.get(key);
      if (same) same.push(s);
      else byKey.set(key, [s]);
    }
  }
  const out: Series[] = [];
  for (const group of byKey.values()) {
    if (group.length === 1) {
      out.push(group[0]);
      continue;
    }
    const points = new Map<number, number>();
    for (const s of group) for (let i = 0; i < s.t.length; i++) points.set(s.t[i], s.v[i]);
    const ts = [...points.keys()].sort((a, b) => a - b);
    out.push({ metric: group[0].metric, t: Float64Array.from(ts), v: Float64Array.from(ts, (x) => points.get(x)!) });
  }
  return out;
}
