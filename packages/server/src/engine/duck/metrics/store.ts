/**
 * The DuckDB metrics store (layout in tables.ts). Writes go through the engine's write queue, so
 * a metrics batch shares the group commit and the transaction domain of the document writes.
 *
 * - Series ids are assigned in JS from a per-dataset cache of the catalogue (loaded on first use,
 *   dropped on rollback, so it never holds ids the database lost).
 * - Samples are appended per batch. Duplicates (same series and time) resolve to the last write:
 *   the batch keeps its own last sample, and when a sample is not newer than the newest stored
 *   sample of its series (known from a per-series max-time cache) the stored rows at those
 *   timestamps are deleted first. In-order scrapes therefore never pay for the delete.
 * - Batches land in the fresh table in arrival order. Idle maintenance (like the postings merge)
 *   moves them into the merged table as one run sorted by (series_id, t), and rewrites the whole
 *   merged table sorted once the runs after its sorted prefix hold more than
 *   max(metricsCompaction.fullRewriteMinRows, sorted rows / 8): so a series' range is one contiguous stretch of
 *   the sorted prefix plus a bounded tail, and each sample is rewritten only a few times over the
 *   table's growth (the sizes grow geometrically). Maintenance also applies the retention
 *   (samples older than now − retention are deleted; deletes keep sorted data sorted).
 */
import { unlinkSync, writeFileSync } from 'node:fs';
import type { DuckDBAppender } from '@duckdb/node-api';
import { join } from 'node:path';
import { ApiError } from '../../../errors.js';
import { toBatch, type SampleBatch, type SamplesIn } from '../../../metrics/batch.js';
import { parseExposition, type MetricMetadata } from '../../../metrics/exposition.js';
import type { LabelMatcher } from '../../../promql/ast.js';
import type { Labels, Series, SeriesSource } from '../../../promql/values.js';
import { validateDatasetName } from '../../names.js';
import type { MetricsEngine, MetricsIngestResult } from '../../types.js';
import type { DatasetState } from '../catalog.js';
import type { Runner, StatementPipe } from '../pipe.js';
import type { ReaderPool } from '../readers.js';
import { quoteString } from '../sql.js';
import { appendSamples } from './append.js';
import * as read from './read.js';
import { allSamples, createMetricTables, dropMetricTables, metricTables } from './tables.js';

/** Compaction tuning; a setting so tests can reach the full-rewrite path with little data. */
export const metricsCompaction = { fullRewriteMinRows: 1_000_000 };

/** What the store needs from the engine that hosts it. */
export interface MetricsHost {
  pipe: StatementPipe;
  readers: ReaderPool;
  spoolDir: string;
  /** A write job in the engine's queue (group commit, then idle maintenance). */
  write<T>(job: () => Promise<T>): Promise<T>;
  /** A queued job that does not re-arm idle maintenance (for compaction itself). */
  submit<T>(job: () => Promise<T>): Promise<T>;
  dataset(name: string): DatasetState | undefined;
  /** Creates a dataset inside the running write job. */
  create(name: string): Promise<DatasetState>;
  datasets(): Iterable<DatasetState>;
}

interface State {
  nextSeries: number;
  retentionMs: number | null;
  /** Rows in the merged table's sorted prefix, and in the runs appended after it (approximate after retention deletes). */
  sortedRows: number;
  tailRows: number;
  /** The fresh table may hold rows (unknown after a restart: maintenance then counts them). */
  dirty: boolean;
  /** Canonical labels JSON → series id; loaded on the first write after start or rollback. */
  series?: Map<string, number>;
  /** Newest stored sample time per series id (may run ahead after a rollback: that only costs a delete). */
  maxT?: Map<number, number>;
}

let spoolCounter = 0;

export class DuckMetrics implements MetricsEngine {
  /** Metrics state per dataset id; undefined until loaded from meta.metrics. */
  private states: Map<number, State> | undefined;

  constructor(private readonly host: MetricsHost) {}

  /** (Re)loads the per-dataset state; the engine calls it at start and after a rollback. */
  async load(c: Runner): Promise<void> {
    const rows = (await c.runAndReadAll('SELECT dataset_id, next_series, retention_ms, sorted_rows, tail_rows FROM meta.metrics')).getRows();
    this.states = new Map(
      rows.map(([id, next, retention, sorted, tail]) => [
        Number(id),
        { nextSeries: Number(next), retentionMs: retention === null ? null : Number(retention), sortedRows: Number(sorted), tailRows: Number(tail), dirty: true },
      ]),
    );
  }

  async ingest(dataset: string, text: string, receivedAtMs: number, canWrite: (dataset: string) => void, options: { contentType?: string } = {}): Promise<MetricsIngestResult> {
    validateDatasetName(dataset);
    canWrite(dataset);
    const parsed = parseExposition(text, receivedAtMs, { contentType: options.contentType });
    return { samples: await this.store(dataset, parsed.samples, parsed.metadata), errors: parsed.errors };
  }

  async ingestSamples(
    dataset: string,
    samples: SamplesIn,
    canWrite: (dataset: string) => void,
    metadata: Map<string, { type: string; help?: string; unit?: string }> = new Map(),
  ): Promise<number> {
    validateDatasetName(dataset);
    canWrite(dataset);
    return this.store(dataset, toBatch(samples), metadata);
  }

  private async store(dataset: string, samples: SampleBatch, metadata: Map<string, { type: string; help?: string; unit?: string }>): Promise<number> {
    if (samples.length === 0 && metadata.size === 0) return 0;
    return this.host.write(async () => {
      const ds = this.host.dataset(dataset) ?? (await this.host.create(dataset));
      const state = await this.ensure(ds);
      const n = await this.append(ds.id, state, samples);
      await this.writeMetadata(ds.id, metadata);
      return n;
    });
  }

  metricDatasets(): string[] {
    const states = this.states;
    if (!states) return [];
    return [...this.host.datasets()]
      .filter((ds) => states.has(ds.id))
      .map((ds) => ds.name)
      .sort();
  }

  metricsSource(datasets: string[]): SeriesSource {
    return {
      select: async (matchers: LabelMatcher[], startMs: number, endMs: number): Promise<Series[]> =>
        read.mergeSeries(await this.each(datasets, [] as Series[], (c, id) => read.selectSeries(c, id, matchers, startMs, endMs))),
    };
  }

  async labelNames(datasets: string[], matchers: LabelMatcher[][], startMs?: number, endMs?: number): Promise<string[]> {
    const q = { match: matchers, startMs, endMs };
    return [...new Set((await this.each(datasets, [] as string[], (c, id) => read.labelNames(c, id, q))).flat())].sort();
  }

  async labelValues(datasets: string[], name: string, matchers: LabelMatcher[][], startMs?: number, endMs?: number): Promise<string[]> {
    const q = { match: matchers, startMs, endMs };
    return [...new Set((await this.each(datasets, [] as string[], (c, id) => read.labelValues(c, id, name, q))).flat())].sort();
  }

  async series(datasets: string[], matchers: LabelMatcher[][], startMs?: number, endMs?: number): Promise<Labels[]> {
    const q = { match: matchers, startMs, endMs };
    const all = new Set((await this.each(datasets, [] as string[], (c, id) => read.seriesLabels(c, id, q))).flat());
    return [...all].sort().map((s) => JSON.parse(s) as Labels);
  }

  async metadata(datasets: string[], metric?: string): Promise<Record<string, Array<{ type: string; help: string; unit: string }>>> {
    const lists = await this.each(datasets, [] as Array<[string, MetricMetadata]>, (c, id) => read.metricMetadata(c, id, metric));
    const out: Record<string, Array<{ type: string; help: string; unit: string }>> = {};
    for (const [name, meta] of lists.flat().sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
      const entry = { type: meta.type, help: meta.help ?? '', unit: meta.unit ?? '' };
      const list = (out[name] ??= []);
      if (!list.some((m) => m.type === entry.type && m.help === entry.help && m.unit === entry.unit)) list.push(entry);
    }
    return out;
  }

  async setRetention(dataset: string, ms: number | null): Promise<void> {
    if (ms !== null && (!Number.isSafeInteger(ms) || ms <= 0)) throw new ApiError(400, 'illegal_argument_exception', 'metrics retention must be a positive duration');
    await this.host.write(async () => {
      const ds = this.host.dataset(dataset);
      if (!ds) throw new ApiError(404, 'index_not_found_exception', `no such index [${dataset}]`);
      const state = await this.ensure(ds);
      await this.host.pipe.run(`UPDATE meta.metrics SET retention_ms = ${ms === null ? 'NULL' : ms} WHERE dataset_id = ${ds.id}`);
      state.retentionMs = ms;
    });
  }

  retention(dataset: string): number | null {
    const ds = this.host.dataset(dataset);
    return (ds && this.states?.get(ds.id)?.retentionMs) ?? null;
  }

  /** Drops a dataset's metrics tables (inside the engine's drop job). */
  async drop(c: Runner, id: number): Promise<void> {
    if (!this.states?.has(id)) return;
    await dropMetricTables(c, id);
    this.states.delete(id);
  }

  /**
   * Idle maintenance: merges fresh samples and applies retention. Each dataset is its own
   * queued transaction.
   */
  async maintain(now = Date.now()): Promise<void> {
    for (const [id, state] of this.states ?? []) {
      if (!state.dirty && state.retentionMs === null) continue;
      await this.host.submit(async () => {
        if (this.states?.get(id) !== state) return; // dropped or reloaded meanwhile
        await this.compact(id, state, state.retentionMs === null ? undefined : Math.floor(now - state.retentionMs));
      });
    }
  }

  private async compact(id: number, state: State, cutoffMs: number | undefined): Promise<void> {
    const c = this.host.pipe;
    const t = metricTables(id);
    if (cutoffMs !== undefined) {
      // Deleting the oldest samples of every series leaves sorted data sorted.
      const gone = await c.runAndReadAll(`DELETE FROM ${t.samples} WHERE t < ${cutoffMs}`);
      await c.run(`DELETE FROM ${t.fresh} WHERE t < ${cutoffMs}`);
      const deleted = Number(gone.getRows()[0]?.[0] ?? 0);
      const fromTail = Math.min(state.tailRows, deleted);
      state.tailRows -= fromTail;
      state.sortedRows = Math.max(0, state.sortedRows - (deleted - fromTail));
    }
    const fresh = state.dirty ? Number((await c.runAndReadAll(`SELECT count(*) FROM ${t.fresh}`)).getRows()[0][0]) : 0;
    if (fresh > 0) {
      if (state.tailRows + fresh > Math.max(metricsCompaction.fullRewriteMinRows, state.sortedRows / 8)) {
        await c.run(`CREATE OR REPLACE TEMP TABLE m_compact AS SELECT * FROM ${allSamples(id)} ORDER BY series_id, t`);
        await c.run(`DELETE FROM ${t.samples}`);
        await c.run(`INSERT INTO ${t.samples} SELECT * FROM m_compact ORDER BY series_id, t`);
        await c.run('DROP TABLE m_compact');
        state.sortedRows += state.tailRows + fresh;
        state.tailRows = 0;
      } else {
        await c.run(`INSERT INTO ${t.samples} SELECT * FROM ${t.fresh} ORDER BY series_id, t`);
        state.tailRows += fresh;
      }
      await c.run(`DELETE FROM ${t.fresh}`);
    }
    await c.run(`UPDATE meta.metrics SET sorted_rows = ${state.sortedRows}, tail_rows = ${state.tailRows} WHERE dataset_id = ${id}`);
    state.dirty = false;
  }

  /** The dataset's metrics state, creating its tables on the first metrics write. */
  private async ensure(ds: DatasetState): Promise<State> {
    if (!this.states) await this.load(this.host.pipe);
    let state = this.states!.get(ds.id);
    if (!state) {
      await createMetricTables(this.host.pipe, ds.id);
      state = { nextSeries: 1, retentionMs: null, sortedRows: 0, tailRows: 0, dirty: false, series: new Map(), maxT: new Map() };
      this.states!.set(ds.id, state);
    }
    if (!state.series) {
      const rows = (await this.host.pipe.runAndReadAll(`SELECT series_id, labels FROM ${metricTables(ds.id).series}`)).getColumns();
      state.series = new Map((rows[1] ?? []).map((l, i) => [String(l), Number(rows[0][i])]));
    }
    if (!state.maxT) {
      const rows = (await this.host.pipe.runAndReadAll(`SELECT series_id, max(t)::DOUBLE FROM ${allSamples(ds.id)} GROUP BY series_id`)).getColumns();
      state.maxT = new Map((rows[0] ?? []).map((sid, i) => [Number(sid), Number(rows[1][i])]));
    }
    return state;
  }

  /** Appends a batch (inside the write job); returns how many samples were stored. */
  private async append(id: number, state: State, batch: SampleBatch): Promise<number> {
    if (batch.length === 0) return 0;
    const c = this.host.pipe;
    const t = metricTables(id);
    const series = state.series!;
    const maxT = state.maxT!;
    const newSeries: string[] = [];
    const newLabels: string[] = [];
    // Series ids once per distinct series text; `slot` numbers the distinct ids (two texts can
    // normalise to one series), for the per-series checks below.
    const sidOfRef = new Float64Array(batch.series.length);
    const slotOfRef = new Int32Array(batch.series.length);
    const slotSids: number[] = [];
    const slotOfSid = new Map<number, number>();
    for (let r = 0; r < batch.series.length; r++) {
      const s = batch.series[r];
      let sid = series.get(s.key);
      if (sid === undefined) {
        sid = state.nextSeries++;
        series.set(s.key, sid);
        newSeries.push(`{"series_id":${sid},"labels":${JSON.stringify(s.key)}}\n`);
        for (const [name, value] of Object.entries(s.labels)) newLabels.push(`{"name":${JSON.stringify(name)},"value":${JSON.stringify(value)},"series_id":${sid}}\n`);
      }
      sidOfRef[r] = sid;
      let slot = slotOfSid.get(sid);
      if (slot === undefined) {
        slot = slotSids.length;
        slotSids.push(sid);
        slotOfSid.set(sid, slot);
      }
      slotOfRef[r] = slot;
    }
    // One pass over the samples: their series ids, each series' time span in the batch, and
    // whether any series goes back in time (only then can the batch hold duplicates itself).
    const n = batch.length;
    const sids = new Float64Array(n);
    const first = new Float64Array(slotSids.length).fill(Infinity);
    const last = new Float64Array(slotSids.length).fill(-Infinity);
    let unordered = false;
    for (let i = 0; i < n; i++) {
      const r = batch.ref[i];
      sids[i] = sidOfRef[r];
      const slot = slotOfRef[r];
      const ts = batch.t[i];
      if (ts <= last[slot]) unordered = true;
      else last[slot] = ts;
      if (ts < first[slot]) first[slot] = ts;
    }
    // Last write wins inside the batch: keep the last sample of each (series, time).
    let keep: number[] | undefined;
    if (unordered) {
      const lastAt = new Map<string, number>();
      for (let i = 0; i < n; i++) lastAt.set(`${sids[i]}:${batch.t[i]}`, i);
      keep = [...lastAt.values()].sort((a, b) => a - b);
    }
    // A sample not newer than its series' newest stored one may replace a stored row.
    let overlaps = false;
    for (let slot = 0; slot < slotSids.length; slot++) {
      const sid = slotSids[slot];
      const newest = maxT.get(sid);
      if (newest !== undefined && first[slot] <= newest) overlaps = true;
      if (newest === undefined || last[slot] > newest) maxT.set(sid, last[slot]);
    }
    if (newSeries.length > 0) {
      await this.loadJson(t.series, { series_id: 'BIGINT', labels: 'VARCHAR' }, newSeries.join(''));
      await this.loadJson(t.labels, { name: 'VARCHAR', value: 'VARCHAR', series_id: 'BIGINT' }, newLabels.join(''));
      await c.run(`UPDATE meta.metrics SET next_series = ${state.nextSeries} WHERE dataset_id = ${id}`);
    }
    const count = keep ? keep.length : n;
    const fill = (a: DuckDBAppender) => appendSamples(a, sids, batch.t, batch.v, count, keep);
    if (overlaps) {
      // The batch goes through a temporary table that the deletes can join.
      await c.run('CREATE OR REPLACE TEMP TABLE m_batch (series_id BIGINT NOT NULL, t BIGINT NOT NULL, v DOUBLE NOT NULL)');
      await c.append('m_batch', fill);
      for (const table of [t.samples, t.fresh]) await c.run(`DELETE FROM ${table} USING m_batch AS b WHERE ${table}.series_id = b.series_id AND ${table}.t = b.t`);
      await c.run(`INSERT INTO ${t.fresh} SELECT * FROM m_batch`);
      await c.run('DROP TABLE m_batch');
    } else {
      await c.append(t.fresh, fill);
    }
    state.dirty = true;
    return count;
  }

  private async writeMetadata(id: number, metadata: Map<string, { type: string; help?: string; unit?: string }>): Promise<void> {
    if (metadata.size === 0) return;
    const t = metricTables(id);
    const names = [...metadata.keys()].map(quoteString).join(', ');
    const rows = [...metadata].map(([name, m]) => `(${quoteString(name)}, ${quoteString(m.type)}, ${sqlOrNull(m.help)}, ${sqlOrNull(m.unit)})`);
    await this.host.pipe.run(`DELETE FROM ${t.meta} WHERE metric IN (${names})`);
    await this.host.pipe.run(`INSERT INTO ${t.meta} VALUES ${rows.join(', ')}`);
  }

  private spool(text: string): string {
    const file = join(this.host.spoolDir, `${process.pid}-m${spoolCounter++}.spool`);
    writeFileSync(file, text);
    return file;
  }

  private async loadJson(table: string, columns: Record<string, string>, lines: string): Promise<void> {
    const file = this.spool(lines);
    try {
      const spec = Object.entries(columns)
        .map(([k, v]) => `${quoteString(k)}: ${quoteString(v)}`)
        .join(', ');
      await this.host.pipe.run(
        `INSERT INTO ${table} (${Object.keys(columns).join(', ')}) SELECT ${Object.keys(columns).join(', ')} ` +
          `FROM read_json(${quoteString(file)}, format = 'newline_delimited', maximum_object_size = 268435456, columns = {${spec}})`,
      );
    } finally {
      unlinkSync(file);
    }
  }

  /** Runs a read per dataset that has metrics (on one reader connection each) and collects the results. */
  private async each<T>(datasets: string[], empty: T, fn: (c: import('@duckdb/node-api').DuckDBConnection, id: number) => Promise<T>): Promise<T[]> {
    const ids = datasets.map((name) => this.host.dataset(name)?.id).filter((id): id is number => id !== undefined && this.states?.has(id) === true);
    return Promise.all(ids.map((id) => read.runRead(() => this.host.readers.use((c) => fn(c, id)), empty)));
  }
}

const sqlOrNull = (s: string | undefined) => (s === undefined ? 'NULL' : quoteString(s));
