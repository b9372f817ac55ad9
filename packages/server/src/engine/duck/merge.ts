/**
 * Background merge of the postings: every bulk batch lands as a level-0 run (its own term-sorted
 * rows). Many small runs mean a term lookup touches one row per batch spread over every row
 * group, so when writes go idle (or too many runs pile up) they are folded into one level-1 run: per (field,
 * term) the lists are concatenated in seq order — which keeps the flat `pos` list aligned with
 * `seqs`/`tfs` — and written back sorted by term, so DuckDB's zone maps on `term` prune a lookup
 * to a row group or two per run. Tombstoned postings are kept, as Lucene keeps deleted docs until
 * a full merge; queries drop them by joining the live docs.
 */
import type { DatasetState } from './catalog.js';
import type { Runner } from './pipe.js';
import { tables } from './sql.js';

/**
 * A merge blocks the single writer while it runs, so it waits for the writes to go quiet (the
 * engine's idle maintenance). Under sustained ingest it is forced once this many runs pile up,
 * which bounds how many runs a term lookup can touch.
 */
export const MAX_FRESH_RUNS = 256;

export const mergeDue = (ds: DatasetState) => ds.freshRuns >= MAX_FRESH_RUNS;
export const mergeUseful = (ds: DatasetState) => ds.freshRuns >= 2;

/** Runs inside the writer's transaction. */
export async function mergeFreshRuns(c: Runner, ds: DatasetState): Promise<void> {
  const p = tables(ds.id).postings;
  const ordered = (col: string) => `flatten(list(${col} ORDER BY run))`;
  await c.run(`CREATE OR REPLACE TEMP TABLE merge_tmp AS
    SELECT field, term, ${ordered('seqs')} AS seqs, ${ordered('tfs')} AS tfs, ${ordered('lens')} AS lens,
           ${ordered('pos')} AS pos, min(min(run)) OVER () AS run, 1::TINYINT AS level
    FROM ${p} WHERE level = 0 GROUP BY field, term`);
  await c.run(`DELETE FROM ${p} WHERE level = 0`);
  await c.run(`INSERT INTO ${p} SELECT * FROM merge_tmp ORDER BY field, term`);
  await c.run('DROP TABLE merge_tmp');
  // One statistics row per field instead of one per batch.
  const st = tables(ds.id).fieldStats;
  await c.run(`CREATE OR REPLACE TEMP TABLE merge_stats AS SELECT field, sum(docs)::BIGINT AS docs, sum(tokens)::BIGINT AS tokens FROM ${st} GROUP BY field`);
  await c.run(`DELETE FROM ${st}`);
  await c.run(`INSERT INTO ${st} SELECT * FROM merge_stats`);
  await c.run('DROP TABLE merge_stats');
  ds.freshRuns = 0;
}
