/**
 * The datasets catalogue (control-plane tables in the `meta` schema) and each dataset's
 * in-memory state: its mapping and next sequence number. All writes here run inside the
 * writer's transaction, so a rolled-back batch is undone by reloading from these tables.
 */
import { randomUUID } from 'node:crypto';
import { idSalt } from '../ids.js';
import { Mapping, type MappedField } from '../mapping.js';
import type { FieldOptions, FieldType } from '../types.js';
import type { Runner } from './pipe.js';
import { quoteIdent, quoteString, sqlType, tables } from './sql.js';

export interface DatasetState {
  id: number;
  name: string;
  uuid: string;
  createdAt: Date;
  mapping: Mapping;
  nextSeq: number;
  /** Postings runs still at level 0 (one per write batch); merge.ts folds them together. */
  freshRuns: number;
  /** Tail of this dataset's auto-generated ids (ids.ts). */
  idSalt: string;
  /**
   * The mapping as last committed. `mapping` runs ahead of the database while a write is open;
   * readers (searches, counts, SQL views) must only name columns their snapshot has. Undefined
   * until the dataset's creation is committed.
   */
  committed?: Mapping;
}

/**
 * Brings `ds.committed` up to date after a COMMIT. It is rebuilt only when a column was added or
 * a field became multi-valued (fields are copied: `multi` is set in place on the live ones).
 */
export function snapshotCommitted(ds: DatasetState): void {
  const fields = ds.mapping.list();
  const multi = fields.reduce((n, f) => n + (f.multi ? 1 : 0), 0);
  const current = ds.committed;
  if (current && current.columnCounter === ds.mapping.columnCounter && current.list().reduce((n, f) => n + (f.multi ? 1 : 0), 0) === multi) return;
  ds.committed = new Mapping(
    fields.map((f) => ({ ...f })),
    ds.mapping.columnCounter,
  );
}

/** The dataset as a reader must see it: the committed mapping (undefined while its creation is uncommitted). */
export function readerView(ds: DatasetState): DatasetState | undefined {
  return ds.committed ? { ...ds, mapping: ds.committed } : undefined;
}

export async function createCatalogTables(c: Runner): Promise<void> {
  await c.run('CREATE SCHEMA IF NOT EXISTS meta');
  await c.run(`CREATE TABLE IF NOT EXISTS meta.datasets (
    id INTEGER PRIMARY KEY, name VARCHAR NOT NULL UNIQUE, uuid VARCHAR NOT NULL,
    created_at TIMESTAMP NOT NULL, next_seq BIGINT NOT NULL, next_column INTEGER NOT NULL)`);
  await c.run(`CREATE TABLE IF NOT EXISTS meta.fields (
    dataset_id INTEGER NOT NULL, path VARCHAR NOT NULL, type VARCHAR NOT NULL,
    multi BOOLEAN NOT NULL, column_name VARCHAR NOT NULL)`);
  // Explicit-mapping options (JSON); added after the first release, hence IF NOT EXISTS.
  await c.run('ALTER TABLE meta.fields ADD COLUMN IF NOT EXISTS options VARCHAR');
}

export async function loadCatalog(c: Runner): Promise<Map<string, DatasetState>> {
  const datasets = await c.runAndReadAll('SELECT id, name, uuid, created_at, next_seq, next_column FROM meta.datasets');
  const fields = await c.runAndReadAll('SELECT dataset_id, path, type, multi, column_name, options FROM meta.fields');
  const byDataset = new Map<number, MappedField[]>();
  for (const [dsId, path, type, multi, column, options] of fields.getRows()) {
    const list = byDataset.get(Number(dsId)) ?? [];
    const f: MappedField = { path: String(path), type: String(type) as FieldType, multi: Boolean(multi), column: String(column), postingsId: Number(String(column).slice(1)) };
    if (options !== null) f.options = JSON.parse(String(options)) as FieldOptions;
    list.push(f);
    byDataset.set(Number(dsId), list);
  }
  const out = new Map<string, DatasetState>();
  for (const [id, name, uuid, createdAt, nextSeq, nextColumn] of datasets.getRows()) {
    // Datasets created before these existed get them now.
    await c.run(fieldStatsTableSql(Number(id)));
    await sourceAsJson(c, Number(id));
    for (const sql of indexSql(Number(id))) await c.run(sql);
    const fresh = await c.runAndReadAll(`SELECT count(DISTINCT run) FROM ${tables(Number(id)).postings} WHERE level = 0`);
    out.set(String(name), {
      freshRuns: Number(fresh.getRows()[0][0]),
      idSalt: idSalt(String(uuid)),
      id: Number(id),
      name: String(name),
      uuid: String(uuid),
      createdAt: new Date(String(createdAt) + 'Z'),
      mapping: new Mapping(byDataset.get(Number(id)) ?? [], Number(nextColumn)),
      nextSeq: Number(nextSeq),
    });
    snapshotCommitted(out.get(String(name))!);
  }
  return out;
}

/** Datasets from before `_source` was typed JSON are converted once, on the first start that finds them. */
async function sourceAsJson(c: Runner, id: number): Promise<void> {
  const docs = tables(id).docs;
  const type = await c.runAndReadAll(`SELECT data_type FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = '${docs}' AND column_name = '_source'`);
  if (String(type.getRows()[0]?.[0]) === 'VARCHAR') await c.run(`ALTER TABLE ${docs} ALTER _source TYPE JSON`);
}

export async function insertDataset(c: Runner, id: number, name: string): Promise<DatasetState> {
  const uuid = randomUUID();
  const state: DatasetState = { id, name, uuid, createdAt: new Date(), mapping: new Mapping(), nextSeq: 0, freshRuns: 0, idSalt: idSalt(uuid) };
  const t = tables(id);
  // `_source` is typed JSON (stored as text, validated once on write, kept byte for byte) so that
  // SQL reads it as JSON without a per-row cast: a cast in the SQL view cost 6× on `SELECT * …
  // ORDER BY … LIMIT` (it ran before the top-N) and 1.6× on `_source->>` filters.
  await c.run(`CREATE TABLE ${t.docs} (_id VARCHAR NOT NULL, _seq BIGINT NOT NULL, _version BIGINT NOT NULL, _source JSON NOT NULL)`);
  await c.run(
    `CREATE TABLE ${t.postings} (field INTEGER NOT NULL, term VARCHAR NOT NULL, seqs BIGINT[] NOT NULL, tfs INTEGER[] NOT NULL,
      lens INTEGER[] NOT NULL, pos INTEGER[] NOT NULL, run BIGINT NOT NULL, level TINYINT NOT NULL)`,
  );
  await c.run(`CREATE TABLE ${t.deleted} (_seq BIGINT NOT NULL)`);
  await c.run(fieldStatsTableSql(id));
  for (const sql of indexSql(id)) await c.run(sql);
  await c.run('INSERT INTO meta.datasets VALUES ($1, $2, $3, $4::TIMESTAMP, 0, 1)', [
    id,
    name,
    state.uuid,
    state.createdAt.toISOString().replace('Z', ''),
  ]);
  return state;
}

export async function dropDatasetTables(c: Runner, ds: DatasetState): Promise<void> {
  const t = tables(ds.id);
  for (const table of [t.docs, t.postings, t.deleted, t.fieldStats]) await c.run(`DROP TABLE IF EXISTS ${table}`);
  await c.run('DELETE FROM meta.fields WHERE dataset_id = $1', [ds.id]);
  await c.run('DELETE FROM meta.datasets WHERE id = $1', [ds.id]);
}

/** Adds storage columns for new fields and widens fields that became multi-valued. */
export async function applyMappingChanges(
  c: Runner,
  ds: DatasetState,
  created: MappedField[],
  promoted: MappedField[],
): Promise<void> {
  const docs = tables(ds.id).docs;
  for (const f of created) {
    await c.run(`ALTER TABLE ${docs} ADD COLUMN ${quoteIdent(f.column)} ${sqlType(f.type, f.multi)}`);
    await c.run(
      `INSERT INTO meta.fields (dataset_id, path, type, multi, column_name, options) VALUES (${ds.id}, ${quoteString(f.path)}, ${quoteString(f.type)}, ${f.multi}, ${quoteString(f.column)}, ${f.options ? quoteString(JSON.stringify(f.options)) : 'NULL'})`,
    );
  }
  for (const f of promoted) {
    const col = quoteIdent(f.column);
    await c.run(
      `ALTER TABLE ${docs} ALTER COLUMN ${col} TYPE ${sqlType(f.type, true)} USING CASE WHEN ${col} IS NULL THEN NULL ELSE [${col}] END`,
    );
    await c.run(`UPDATE meta.fields SET multi = true WHERE dataset_id = ${ds.id} AND column_name = ${quoteString(f.column)}`);
  }
}

export const countersSql = (ds: DatasetState) =>
  `UPDATE meta.datasets SET next_seq = ${ds.nextSeq}, next_column = ${ds.mapping.columnCounter} WHERE id = ${ds.id}`;

const fieldStatsTableSql = (id: number) =>
  `CREATE TABLE IF NOT EXISTS ${tables(id).fieldStats} (field INTEGER NOT NULL, docs BIGINT NOT NULL, tokens BIGINT NOT NULL)`;

/**
 * An ART index on the postings' term: finding a term's rows among millions is then ~1 ms instead
 * of a scan of the term column. DuckDB uses it for equality / IN-list filters on `term` alone, so
 * the compiler reads a term's rows first and filters the field afterwards. (The docs table cannot
 * have one: DuckDB refuses ALTER TABLE on an indexed table, and dynamic mapping adds columns.)
 */
const indexSql = (id: number) => {
  const t = tables(id);
  return [`CREATE INDEX IF NOT EXISTS ${t.postings}_term ON ${t.postings} (term)`];
};
