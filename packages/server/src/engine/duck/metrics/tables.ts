/**
 * The metrics layout of a dataset, created on its first metrics write in the writer's transaction
 * (so a rolled-back first write leaves nothing behind):
 *
 *   ds_<id>_mseries  (series_id, labels)        the series catalogue: labels as canonical JSON
 *                                               (sorted keys, `__name__` included)
 *   ds_<id>_mlabels  (name, value, series_id)   the inverted index matchers run on: one row per
 *                                               label pair, `__name__` included
 *   ds_<id>_mfresh   (series_id, t, v)          samples as written: t in ms, v float64, one
 *                                               appended chunk per batch, in arrival order
 *   ds_<id>_msamples (series_id, t, v)          merged samples: a fully sorted prefix by
 *                                               (series_id, t), then sorted runs (see store.ts)
 *   ds_<id>_mmeta    (metric, type, help, unit) metric family metadata, last write wins
 *
 * and one row per metrics dataset in meta.metrics (next series id, retention, and the sizes of
 * the sorted prefix and of the runs after it, which drive compaction).
 */
import type { Runner } from '../pipe.js';

export const metricTables = (id: number) => ({
  series: `ds_${id}_mseries`,
  labels: `ds_${id}_mlabels`,
  samples: `ds_${id}_msamples`,
  fresh: `ds_${id}_mfresh`,
  meta: `ds_${id}_mmeta`,
});

export async function createMetricsCatalog(c: Runner): Promise<void> {
  await c.run('CREATE SCHEMA IF NOT EXISTS meta');
  await c.run(`CREATE TABLE IF NOT EXISTS meta.metrics (
    dataset_id INTEGER NOT NULL, next_series BIGINT NOT NULL, retention_ms BIGINT, sorted_rows BIGINT NOT NULL, tail_rows BIGINT NOT NULL)`);
}

export async function createMetricTables(c: Runner, id: number): Promise<void> {
  const t = metricTables(id);
  await c.run(`CREATE TABLE IF NOT EXISTS ${t.series} (series_id BIGINT NOT NULL, labels VARCHAR NOT NULL)`);
  await c.run(`CREATE TABLE IF NOT EXISTS ${t.labels} (name VARCHAR NOT NULL, value VARCHAR NOT NULL, series_id BIGINT NOT NULL)`);
  await c.run(`CREATE TABLE IF NOT EXISTS ${t.samples} (series_id BIGINT NOT NULL, t BIGINT NOT NULL, v DOUBLE NOT NULL)`);
  await c.run(`CREATE TABLE IF NOT EXISTS ${t.fresh} (series_id BIGINT NOT NULL, t BIGINT NOT NULL, v DOUBLE NOT NULL)`);
  await c.run(`CREATE TABLE IF NOT EXISTS ${t.meta} (metric VARCHAR NOT NULL, type VARCHAR NOT NULL, help VARCHAR, unit VARCHAR)`);
  await c.run(`INSERT INTO meta.metrics VALUES (${id}, 1, NULL, 0, 0)`);
}

export async function dropMetricTables(c: Runner, id: number): Promise<void> {
  const t = metricTables(id);
  for (const table of [t.series, t.labels, t.samples, t.fresh, t.meta]) await c.run(`DROP TABLE IF EXISTS ${table}`);
  await c.run(`DELETE FROM meta.metrics WHERE dataset_id = ${id}`);
}

/** Every sample of the dataset, merged and fresh (a sample is in exactly one of them). */
export const allSamples = (id: number) => {
  const t = metricTables(id);
  return `(SELECT series_id, t, v FROM ${t.samples} UNION ALL SELECT series_id, t, v FROM ${t.fresh})`;
};
