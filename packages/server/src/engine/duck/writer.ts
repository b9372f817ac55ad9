/**
 * Applies one dataset's share of a bulk request inside the writer's open transaction. All per-item
 * logic (versions, create conflicts, partial updates, deletes, dynamic mapping) runs in JS first;
 * then the batch reaches DuckDB in a handful of set-based statements: rows and postings are
 * staged as NDJSON spool files and loaded with read_json, never a statement per document.
 */
import { unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LIST, VARCHAR, listValue } from '@duckdb/node-api';
import type { BulkOp, ItemError } from '../bulk.js';
import { jsonLiterals } from '../json-literals.js';
import { generateId } from '../ids.js';
import { type LeafValue, type MappedField, MappingError } from '../mapping.js';
import { PostingsBuilder } from '../postings.js';
import type { BulkItemResult } from '../types.js';
import { applyMappingChanges, countersSql, type DatasetState } from './catalog.js';
import type { StatementPipe } from './pipe.js';
import { quoteIdent, quoteString, sqlType, tables } from './sql.js';

interface Current {
  exists: boolean;
  version: number;
  seq: number;
  sourceText?: string;
  values?: Map<MappedField, LeafValue[]>;
}

interface Stored {
  version: number;
  seq: number;
  sourceText?: string;
}

export interface WriteContext {
  /** The writer connection inside the open transaction; statements queue in order. */
  pipe: StatementPipe;
  spoolDir: string;
  /** True when the dataset cannot hold rows yet (created in this transaction, or empty). */
  knownEmpty: boolean;
}

let spoolCounter = 0;

export async function writeDatasetOps(ctx: WriteContext, ds: DatasetState, ops: BulkOp[]): Promise<BulkItemResult[]> {
  const stored = ctx.knownEmpty ? new Map<string, Stored>() : await lookup(ctx.pipe, ds, ops);
  // The latest state of every id this batch changed: later items on the same id see it, and
  // persist() writes exactly these.
  const finals = new Map<string, Current>();
  const created: MappedField[] = [];
  const promoted = new Set<MappedField>();
  const results: BulkItemResult[] = [];

  for (const op of ops) {
    if (op.error) {
      results.push(failure(ds.name, op.id ?? null, op.error));
      continue;
    }
    // An auto id carries the seq this item is about to take (see ids.ts).
    const id = op.id ?? generateId(ds.nextSeq, ds.idSalt);
    const known = stored.get(id);
    const cur = finals.get(id) ?? (known ? { exists: true, ...known } : { exists: false, version: 0, seq: -1 });
    try {
      const next = applyOp(op, cur, ds);
      if (next === 'noop') {
        results.push(itemResult(ds.name, id, cur.version, 'noop', 200, cur.seq));
        continue;
      }
      if (next.values && next.extracted) {
        created.push(...next.extracted.created);
        for (const f of next.extracted.promoted) promoted.add(f);
      }
      const state: Current = { exists: next.exists, version: next.version, seq: next.seq, sourceText: next.sourceText, values: next.values };
      finals.set(id, state);
      results.push(itemResult(ds.name, id, next.version, next.result, next.status, next.seq));
    } catch (e) {
      if (e instanceof ItemFailure) results.push(failure(ds.name, id, e.error));
      else if (e instanceof MappingError) results.push(failure(ds.name, id, { status: 400, type: 'document_parsing_exception', reason: e.message }));
      else throw e;
    }
  }

  if (finals.size > 0) {
    await persist(ctx, ds, stored, finals, created, promoted);
  }
  return results;
}

class ItemFailure extends Error {
  constructor(readonly error: ItemError) {
    super(error.reason);
  }
}

interface Next {
  exists: boolean;
  version: number;
  seq: number;
  result: BulkItemResult['result'];
  status: number;
  sourceText?: string;
  values?: Map<MappedField, LeafValue[]>;
  extracted?: { created: MappedField[]; promoted: MappedField[] };
}

function applyOp(op: BulkOp, cur: Current, ds: DatasetState): Next | 'noop' {
  const id = op.id ?? '';
  if (op.ifSeqNo !== undefined && (!cur.exists || cur.seq !== op.ifSeqNo)) {
    throw new ItemFailure({
      status: 409,
      type: 'version_conflict_engine_exception',
      reason: `[${id}]: version conflict, required seqNo [${op.ifSeqNo}], current document has seqNo [${cur.exists ? cur.seq : -2}]`,
    });
  }
  const write = (sourceText: string, doc: unknown): Next => {
    const extracted = ds.mapping.extract(doc, jsonLiterals(sourceText));
    return {
      exists: true,
      version: cur.version + 1,
      seq: ds.nextSeq++,
      result: cur.exists ? 'updated' : 'created',
      status: cur.exists ? 200 : 201,
      sourceText,
      values: extracted.values,
      extracted,
    };
  };
  switch (op.action) {
    case 'index':
      return write(op.sourceText!, op.doc);
    case 'create':
      if (cur.exists) {
        throw new ItemFailure({
          status: 409,
          type: 'version_conflict_engine_exception',
          reason: `[${id}]: version conflict, document already exists (current version [${cur.version}])`,
        });
      }
      return write(op.sourceText!, op.doc);
    case 'update': {
      if (!cur.exists) {
        const fresh = op.docAsUpsert ? op.doc : op.upsert;
        if (fresh === undefined) throw new ItemFailure({ status: 404, type: 'document_missing_exception', reason: `[${id}]: document missing` });
        return write(JSON.stringify(fresh), fresh);
      }
      if (op.doc === undefined) return 'noop';
      const original = JSON.parse(cur.sourceText!) as Record<string, unknown>;
      const changed = mergeInto(original, op.doc as Record<string, unknown>);
      if (!changed && op.detectNoop !== false) return 'noop';
      return write(JSON.stringify(original), original);
    }
    case 'delete':
      if (!cur.exists) {
        return { exists: false, version: 1, seq: ds.nextSeq++, result: 'not_found', status: 404 };
      }
      return { exists: false, version: cur.version + 1, seq: ds.nextSeq++, result: 'deleted', status: 200 };
  }
}

/** Elasticsearch partial-update merge: objects merge recursively, everything else replaces. */
function mergeInto(target: Record<string, unknown>, patch: Record<string, unknown>): boolean {
  let changed = false;
  for (const [k, v] of Object.entries(patch)) {
    const old = target[k];
    if (isPlainObject(old) && isPlainObject(v)) {
      changed = mergeInto(old, v) || changed;
    } else if (JSON.stringify(old) !== JSON.stringify(v)) {
      target[k] = v;
      changed = true;
    }
  }
  return changed;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Built field by field (no object spread): one per document on the ingest hot path. */
function itemResult(index: string, id: string, version: number, result: BulkItemResult['result'], status: number, seq: number): BulkItemResult {
  return { _index: index, _id: id, _version: version, result, status, _seq_no: seq, _primary_term: 1 };
}

/** A failed item, as Elasticsearch reports it (`_id` null when the item never had one). */
export function failure(index: string, id: string | null, error: ItemError): BulkItemResult {
  return { _index: index, _id: id, status: error.status, error: { type: error.type, reason: error.reason, index } };
}

/** Current version/seq (and source, for updates) of the explicit ids this batch touches. */
async function lookup(c: StatementPipe, ds: DatasetState, ops: BulkOp[]): Promise<Map<string, Stored>> {
  const ids = new Set<string>();
  const withSource = new Set<string>();
  for (const op of ops) {
    if (op.error || op.id === undefined) continue;
    ids.add(op.id);
    if (op.action === 'update') withSource.add(op.id);
  }
  const out = new Map<string, Stored>();
  if (ids.size === 0) return out;
  const docs = tables(ds.id).docs;
  const reader = await c.runAndReadAll(
    `SELECT _id, _version, _seq, CASE WHEN list_contains($2, _id) THEN _source END FROM ${docs} WHERE _id IN (SELECT unnest($1))`,
    [listValue([...ids]), listValue([...withSource])],
    [LIST(VARCHAR), LIST(VARCHAR)],
  );
  for (const [id, version, seq, source] of reader.getRows()) {
    out.set(String(id), { version: Number(version), seq: Number(seq), sourceText: source === null ? undefined : String(source) });
  }
  return out;
}

async function persist(
  ctx: WriteContext,
  ds: DatasetState,
  stored: Map<string, Stored>,
  finals: Map<string, Current>,
  created: MappedField[],
  promoted: Set<MappedField>,
): Promise<void> {
  const c = ctx.pipe;
  const t = tables(ds.id);
  const createdSet = new Set(created);
  await applyMappingChanges(c, ds, created, [...promoted].filter((f) => !createdSet.has(f)));

  // Replaced or deleted rows leave the docs table; their postings stay behind a tombstone
  // (Lucene's live-docs idea) until a merge rewrites the postings.
  const replacedSeqs: number[] = [];
  for (const id of finals.keys()) {
    const old = stored.get(id);
    if (old) replacedSeqs.push(old.seq);
  }
  if (replacedSeqs.length > 0) {
    const list = replacedSeqs.join(',');
    c.fire(`DELETE FROM ${t.docs} WHERE _seq IN (${list})`);
    c.fire(`INSERT INTO ${t.deleted} SELECT unnest([${list}]::BIGINT[])`);
  }

  const fields = ds.mapping.list();
  const postings = new PostingsBuilder();
  const docLines: string[] = [];
  let firstSeq = Infinity;
  for (const [id, doc] of finals) {
    if (!doc.exists) continue;
    firstSeq = Math.min(firstSeq, doc.seq);
    // Built by hand rather than JSON.stringify(object): rows have per-dataset keys, which would
    // push V8 into slow dictionary-mode objects on the ingest hot path.
    let line = `{"_id":${JSON.stringify(id)},"_seq":${doc.seq},"_version":${doc.version},"_source":${JSON.stringify(doc.sourceText)}`;
    for (const [field, values] of doc.values!) {
      line += `,"${field.column}":${field.multi ? `[${values.map(jsonScalar).join(',')}]` : jsonScalar(values[0])}`;
      if (field.type === 'text') postings.add(field.postingsId, doc.seq, values as string[], field.options);
    }
    docLines.push(line + '}\n');
  }
  if (docLines.length > 0) {
    const columns: Record<string, string> = { _id: 'VARCHAR', _seq: 'BIGINT', _version: 'BIGINT', _source: 'VARCHAR' };
    for (const f of fields) columns[f.column] = sqlType(f.type, f.multi);
    loadSpool(ctx, t.docs, columns, docLines.join(''));
  }
  if (postings.size > 0) {
    const lines = postings.sortedRows().map((row) => row.toJsonLine()).join('');
    const columns = { field: 'INTEGER', term: 'VARCHAR', seqs: 'BIGINT[]', tfs: 'INTEGER[]', lens: 'INTEGER[]', pos: 'INTEGER[]' };
    // Each batch is one level-0 run, named by its first seq; merge.ts folds runs together.
    loadSpool(ctx, t.postings, columns, lines, { run: firstSeq, level: 0 });
    ds.freshRuns++;
    const stats = postings.fieldStats().map((s) => `(${s.field}, ${s.docs}, ${s.tokens})`);
    c.fire(`INSERT INTO ${t.fieldStats} VALUES ${stats.join(', ')}`);
  }
  c.fire(countersSql(ds));
}

const jsonScalar = (v: LeafValue) => (typeof v === 'string' ? JSON.stringify(v) : String(v));

/** Queues a load of NDJSON rows (plus optional constant columns) into `table` via a spool file. */
function loadSpool(
  ctx: WriteContext,
  table: string,
  columns: Record<string, string>,
  lines: string,
  constants: Record<string, number> = {},
): void {
  const file = join(ctx.spoolDir, `${process.pid}-${spoolCounter++}.ndjson`);
  writeFileSync(file, lines);
  const names = Object.keys(columns).map(quoteIdent);
  const spec = Object.entries(columns)
    .map(([k, v]) => `${quoteString(k)}: ${quoteString(v)}`)
    .join(', ');
  const constNames = Object.keys(constants).map(quoteIdent);
  const constValues = Object.values(constants).map(String);
  ctx.pipe.fire(
    `INSERT INTO ${table} (${[...names, ...constNames].join(', ')}) SELECT ${[...names, ...constValues].join(', ')} ` +
      `FROM read_json(${quoteString(file)}, format = 'newline_delimited', maximum_object_size = 268435456, columns = {${spec}})`,
    () => unlinkSync(file),
  );
}
