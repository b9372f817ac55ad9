/**
 * SQL writes as document operations. Each write becomes one SELECT (checked and resolved exactly
 * like a read) that yields the affected rows, then bulk operations on the target dataset, so a
 * row written by SQL is indexed, versioned and searchable exactly like one sent to `_bulk`:
 *
 *   INSERT   SELECT <source row as a struct `excluded`> [LEFT JOIN target ON _id]  → create/index
 *   ON CONFLICT (_id) DO UPDATE SET …   the SET expressions evaluated in that join  → partial update
 *   UPDATE   SELECT _id, <SET expressions> FROM target [, FROM list] WHERE …        → partial update
 *   DELETE   SELECT DISTINCT _id FROM target [, USING list] WHERE …                 → delete
 *
 * Each source row travels as one struct column named `excluded`, so `excluded.price` reads the
 * proposed row and a bare `price` the stored one, as in PostgreSQL's ON CONFLICT.
 */
import { ApiError, badRequest } from '../errors.js';
import type { BulkOp } from '../engine/bulk.js';
import { toJsonText, WholeDouble } from '../engine/duck/sql-values.js';
import type { SqlRows, SqlWritePlan } from '../engine/types.js';
import type { Assignment, WritePlan } from './dml.js';
import { quoteIdent } from './tokens.js';

export interface WriteStep {
  /** The SELECT to run (dataset names as the user wrote them; resolved like any read). */
  select: string;
  /** Turns its rows into operations on the target; throws for rows SQL would reject. */
  toOps(rows: SqlRows): SqlWritePlan;
}

/**
 * Field paths that SQL typed as floating-point, seen while building documents: a whole-numbered
 * DOUBLE would otherwise be mapped as a long by the first document that carries it.
 */
class Doubles {
  readonly paths = new Set<string>();
  visit(path: string, v: unknown): void {
    if (v instanceof WholeDouble) this.paths.add(path);
    else if (Array.isArray(v)) v.forEach((x) => this.visit(path, x));
    else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) this.visit(path ? `${path}.${k}` : k, x);
  }
  plan(ops: BulkOp[]): SqlWritePlan {
    return { ops, doubles: [...this.paths] };
  }
}

export function planWrite(plan: WritePlan, targetExists: boolean): WriteStep {
  switch (plan.kind) {
    case 'insert':
      return planInsert(plan, targetExists);
    case 'update': {
      const t = plan.target;
      const from = `${t.text} AS ${quoteIdent(t.alias)}${plan.from ? `, ${plan.from}\n` : ''}`;
      const select = `SELECT ${quoteIdent(t.alias)}._id AS __id, ${setColumns(plan.sets)} FROM ${from}${plan.where ? ` WHERE (${plan.where}\n)` : ''}`;
      return {
        select,
        toOps: (rows) => {
          const seen = new Set<string>();
          const doubles = new Doubles();
          const ops: BulkOp[] = [];
          for (const row of rows.rows) {
            const id = String(row[0]);
            if (seen.has(id)) continue; // several FROM rows matched one document: the first wins, as in PostgreSQL
            seen.add(id);
            ops.push(updateOp(t.name, id, plan.sets, row.slice(1), doubles));
          }
          return doubles.plan(ops);
        },
      };
    }
    case 'delete': {
      const t = plan.target;
      const from = `${t.text} AS ${quoteIdent(t.alias)}${plan.using ? `, ${plan.using}\n` : ''}`;
      return {
        select: `SELECT DISTINCT ${quoteIdent(t.alias)}._id AS __id FROM ${from}${plan.where ? ` WHERE (${plan.where}\n)` : ''}`,
        toOps: (rows) => ({ ops: rows.rows.map((row) => ({ action: 'delete', dataset: t.name, id: String(row[0]) })), doubles: [] }),
      };
    }
  }
}

function planInsert(plan: Extract<WritePlan, { kind: 'insert' }>, targetExists: boolean): WriteStep {
  const { target: t, columns, conflict } = plan;
  if (!columns && plan.sourceIsValues) {
    throw badRequest(`name the columns for VALUES: INSERT INTO ${t.text} (_id, field, …) VALUES (…)`);
  }
  // The key: `_id`; an UPSERT without `_id` but with `id` (the vendor's documented example) keys on `id`.
  const key = columns?.includes('_id') ? '_id' : conflict.action === 'merge' && columns?.includes('id') ? 'id' : undefined;
  const source = `(SELECT __src AS excluded FROM (${plan.source}\n) AS __src${columns ? `(${columns.map(quoteIdent).join(', ')})` : ''})`;
  // Without an _id column every row is a new document: nothing to look up.
  const mayConflict = targetExists && (columns === undefined || key !== undefined);
  let select = `SELECT __new.excluded AS excluded FROM ${source} AS __new`;
  if (mayConflict) {
    const alias = quoteIdent(t.alias);
    const idOf = key ? `CAST(__new.excluded.${quoteIdent(key)} AS VARCHAR)` : "(to_json(__new.excluded) ->> '_id')";
    const extra = conflict.action === 'update' ? `, ${setColumns(conflict.sets)}${conflict.where ? `, (${conflict.where}\n) AS __when` : ''}` : '';
    select = `SELECT __new.excluded AS excluded, ${alias}._id AS __existing${extra} FROM ${source} AS __new LEFT JOIN ${t.text} AS ${alias} ON ${alias}._id = ${idOf}`;
  }
  return {
    select,
    toOps: (rows) => {
      const ops: BulkOp[] = [];
      const doubles = new Doubles();
      const seen = new Set<string>();
      for (const row of rows.rows) {
        const proposed = row[0] as Record<string, unknown>;
        if (columns && Object.keys(proposed).length > columns.length) {
          throw badRequest(`INSERT has more expressions than target columns (${columns.length}: ${columns.join(', ')})`);
        }
        const { id, doc } = documentOf(proposed, key === 'id');
        doubles.visit('', doc);
        const existing = mayConflict && row[1] !== null;
        if (id !== undefined && seen.has(id)) {
          if (conflict.action === 'nothing') continue;
          if (conflict.action === 'error') throw duplicate(id, t.name);
          throw badRequest(`the statement proposes _id [${id}] twice: ON CONFLICT cannot change the same document twice in one statement`);
        }
        if (id !== undefined) seen.add(id);
        if (!existing) {
          const sourceText = toJsonText(doc);
          ops.push({ action: id === undefined ? 'index' : 'create', dataset: t.name, id, sourceText, doc: JSON.parse(sourceText) });
          continue;
        }
        if (conflict.action === 'error') throw duplicate(id!, t.name);
        if (conflict.action === 'nothing') continue;
        if (conflict.action === 'merge') {
          ops.push({ action: 'update', dataset: t.name, id, doc: plain(doc), detectNoop: true });
          continue;
        }
        const when = conflict.where ? row[row.length - 1] : true;
        if (when !== true) continue;
        ops.push(updateOp(t.name, id!, conflict.sets, row.slice(2, 2 + conflict.sets.length), doubles));
      }
      return doubles.plan(ops);
    },
  };
}

// Every user fragment ends with a newline in the generated SELECT: a trailing `-- comment` in it
// must not swallow the generated text that follows.
const setColumns = (sets: Assignment[]) => sets.map((s, i) => `(${s.expr}\n) AS __set_${i}`).join(', ');

const duplicate = (id: string, dataset: string) =>
  new ApiError(
    409,
    'version_conflict_engine_exception',
    `duplicate key: a document with _id [${id}] already exists in [${dataset}]; use INSERT … ON CONFLICT (_id) DO UPDATE SET … (or DO NOTHING), or UPSERT INTO`,
  );

function updateOp(dataset: string, id: string, sets: Assignment[], values: unknown[], doubles: Doubles): BulkOp {
  const doc: Record<string, unknown> = {};
  sets.forEach((s, i) => setPath(doc, s.path, values[i]));
  doubles.visit('', doc);
  return { action: 'update', dataset, id, doc: plain(doc), detectNoop: true };
}

/** Partial documents are merged as plain JSON values (an integer beyond 2^53 is rounded there, as by JSON.parse). */
const plain = (doc: Record<string, unknown>) => JSON.parse(toJsonText(doc)) as Record<string, unknown>;

/**
 * A row as a document: dotted column names become nested objects; `_id` is the key (or `id`, kept
 * in the document too, for an UPSERT keyed on it); a `_source` object is the base.
 */
function documentOf(row: Record<string, unknown>, keyedOnId: boolean): { id: string | undefined; doc: Record<string, unknown> } {
  let id: string | undefined = keyedOnId && row.id !== null && row.id !== undefined ? String(row.id) : undefined;
  const base = row._source;
  const doc: Record<string, unknown> = base !== null && typeof base === 'object' && !Array.isArray(base) ? structuredClone(base as Record<string, unknown>) : {};
  for (const [key, value] of Object.entries(row)) {
    if (key === '_source') continue;
    if (key === '_id') {
      if (value === null) continue;
      if (typeof value === 'object') throw badRequest('_id must be a string or a number');
      id = String(value);
      if (id === '') throw badRequest('_id must not be empty');
      continue;
    }
    setPath(doc, key, value);
  }
  return { id, doc };
}

function setPath(doc: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let at = doc;
  for (const part of parts.slice(0, -1)) {
    const next = at[part];
    if (next === null || typeof next !== 'object' || Array.isArray(next)) at[part] = {};
    at = at[part] as Record<string, unknown>;
  }
  at[parts[parts.length - 1]] = value;
}
