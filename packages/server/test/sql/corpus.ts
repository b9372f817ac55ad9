/**
 * The SQL corpus (format in README.md beside this file): its datasets, its queries and write steps,
 * the column types a dataset gets from dynamic mapping (so that PostgreSQL gets the same table), and
 * the comparison of two result sets after both are brought to one canonical form.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const CORPUS_DIR = dirname(fileURLToPath(import.meta.url));

export type Doc = Record<string, unknown> & { _id: string };
export interface Dataset {
  name: string;
  docs: Doc[];
}

export interface CorpusQuery {
  name: string;
  /** The statement sent to Infino. */
  sql: string;
  /** PostgreSQL's spelling of the same query, when it differs. */
  pg?: string;
  /** Whether row order is part of the answer (only when the query's ORDER BY fixes it completely). */
  ordered: boolean;
  /** Hand-checked rows, for queries PostgreSQL cannot run (and optionally as a pin for others). */
  expect?: unknown[][];
  /** Hand-checked column names, for queries PostgreSQL cannot run. */
  expect_columns?: string[];
  /** false: DuckDB-only syntax or semantics; `expect` is then required. */
  portable?: boolean;
  note?: string;
}

export interface QueryFile {
  file: string;
  queries: CorpusQuery[];
}

export interface WriteStep {
  name: string;
  sql: string;
  pg?: string;
  statement_type: 'insert' | 'update' | 'delete';
  affected_rows: number;
  /** The statement must fail with this HTTP status (and fail on PostgreSQL too), changing nothing. */
  error_status?: number;
  /** A SELECT run on both engines after the write; its ORDER BY must fix the order. */
  check: string;
  check_pg?: string;
}

export interface WriteCorpus {
  dataset: string;
  seed: Doc[];
  steps: WriteStep[];
}

const readJson = (path: string): unknown => JSON.parse(readFileSync(path, 'utf8'));

/** The datasets of datasets/, one file per dataset named after it, in name order. */
export function loadDatasets(): Dataset[] {
  const dir = join(CORPUS_DIR, 'datasets');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ name: f.slice(0, -'.json'.length), docs: readJson(join(dir, f)) as Doc[] }));
}

/** Every queries-*.json file, checked for the shape README.md describes. */
export function loadQueries(): QueryFile[] {
  const names = new Set<string>();
  const files = readdirSync(CORPUS_DIR)
    .filter((f) => /^queries-.*\.json$/.test(f))
    .sort();
  return files.map((file) => {
    const queries = readJson(join(CORPUS_DIR, file)) as CorpusQuery[];
    for (const q of queries) {
      const where = `${file}: ${q.name}`;
      if (typeof q.name !== 'string' || typeof q.sql !== 'string') throw new Error(`${where}: name and sql are required`);
      if (names.has(q.name)) throw new Error(`${where}: duplicate query name`);
      names.add(q.name);
      if (typeof q.ordered !== 'boolean') throw new Error(`${where}: "ordered" must be true or false`);
      if (q.portable === false && !q.expect) throw new Error(`${where}: a non-portable query needs "expect" rows`);
    }
    return { file, queries };
  });
}

export function loadWrites(): WriteCorpus {
  return readJson(join(CORPUS_DIR, 'writes.json')) as WriteCorpus;
}

// ---------------------------------------------------------------------------------------------
// Columns as dynamic mapping makes them

export type PgType = 'TEXT' | 'BIGINT' | 'DOUBLE PRECISION' | 'BOOLEAN' | 'TIMESTAMP';
export interface Column {
  /** Flattened dotted path, which is also the SQL column name. */
  name: string;
  type: PgType;
  array: boolean;
}

/** The ISO-8601 shapes dynamic mapping turns into TIMESTAMP (a subset of strict_date_optional_time). */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?Z?$/;

/** Leaf values by dotted path; arrays are leaves (the corpus never nests objects in arrays). */
export function flatten(doc: Record<string, unknown>, prefix = '', out = new Map<string, unknown>()): Map<string, unknown> {
  for (const [k, v] of Object.entries(doc)) {
    if (prefix === '' && k === '_id') continue;
    const path = prefix + k;
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) flatten(v as Record<string, unknown>, `${path}.`, out);
    else out.set(path, v);
  }
  return out;
}

function scalarType(v: unknown): PgType | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'boolean') return 'BOOLEAN';
  if (typeof v === 'number') return Number.isInteger(v) ? 'BIGINT' : 'DOUBLE PRECISION';
  if (typeof v === 'string') return ISO_DATE.test(v) ? 'TIMESTAMP' : 'TEXT';
  throw new Error(`unsupported value ${JSON.stringify(v)}`);
}

/**
 * The columns of a dataset in first-seen order, typed by the first value seen (as dynamic mapping
 * does). Later values must agree, so that Infino and PostgreSQL hold the same data; an integer in a
 * DOUBLE column is the one coercion allowed.
 */
export function inferColumns(docs: Doc[]): Column[] {
  const cols = new Map<string, Column>();
  for (const doc of docs) {
    for (const [name, v] of flatten(doc)) {
      const array = Array.isArray(v);
      const values = array ? (v as unknown[]) : [v];
      for (const x of values) {
        const t = scalarType(x);
        if (t === undefined) continue;
        const c = cols.get(name);
        if (!c) cols.set(name, { name, type: t, array });
        else if (c.array !== array || (c.type !== t && !(c.type === 'DOUBLE PRECISION' && t === 'BIGINT'))) {
          throw new Error(`doc ${doc._id}: field ${name} is ${t}${array ? '[]' : ''}, was ${c.type}${c.array ? '[]' : ''}`);
        }
      }
    }
  }
  return [...cols.values()];
}

// ---------------------------------------------------------------------------------------------
// Canonical values and result comparison

export interface ResultSet {
  columns: string[];
  rows: unknown[][];
}

const TIMESTAMP_TEXT = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?)?(Z|\+00(?::?00)?)?$/;

/**
 * One spelling per value: timestamps and dates as ISO UTC with six fraction digits (a DATE is its
 * midnight, as PostgreSQL's date_trunc and DuckDB's may differ on which of the two they return),
 * bigints as numbers while exact and as decimal strings beyond ±2^53, object keys sorted.
 */
export function canonical(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return canonical(v.toISOString());
  if (typeof v === 'string') {
    const m = TIMESTAMP_TEXT.exec(v);
    if (!m) return v;
    const [, day, h = '00', mi = '00', s = '00', frac = ''] = m;
    return `${day}T${h}:${mi}:${s}.${frac.padEnd(6, '0').slice(0, 6)}Z`;
  }
  if (Array.isArray(v)) return v.map(canonical);
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, canonical(o[k])]),
    );
  }
  return v;
}

/** A sort key that is blind to float noise beyond 12 significant digits. */
function sortKey(row: unknown[]): string {
  return JSON.stringify(row, (_k, v: unknown) => (typeof v === 'number' ? `n:${v.toPrecision(12)}` : v === null ? '\u0000null' : v));
}

export function canonicalRows(rows: unknown[][], ordered: boolean): unknown[][] {
  const out = rows.map((r) => r.map(canonical));
  if (!ordered) out.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
  return out;
}

export const REL_TOLERANCE = 1e-9;

function numbersEqual(a: number, b: number): boolean {
  if (Object.is(a, b) || a === b) return true;
  return Math.abs(a - b) <= REL_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

/** Deep equality with numeric tolerance; the first difference as a path, or undefined. */
export function difference(expected: unknown, actual: unknown, path = ''): string | undefined {
  if (typeof expected === 'number' && typeof actual === 'number') {
    return numbersEqual(expected, actual) ? undefined : `${path}: expected ${expected}, got ${actual}`;
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    if (expected.length !== actual.length) return `${path}: expected ${expected.length} items, got ${actual.length}`;
    for (let i = 0; i < expected.length; i++) {
      const d = difference(expected[i], actual[i], `${path}[${i}]`);
      if (d) return d;
    }
    return undefined;
  }
  if (expected && actual && typeof expected === 'object' && typeof actual === 'object' && !Array.isArray(expected) && !Array.isArray(actual)) {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const keys = new Set([...Object.keys(e), ...Object.keys(a)]);
    for (const k of keys) {
      const d = difference(e[k], a[k], `${path}.${k}`);
      if (d) return d;
    }
    return undefined;
  }
  return expected === actual ? undefined : `${path}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}

const preview = (rows: unknown[][]) => {
  const text = rows.map((r) => JSON.stringify(r)).join('\n  ');
  return text.length > 3000 ? `${text.slice(0, 3000)}…` : text;
};

/** Problems found comparing `actual` with `expected`, both as the engines returned them. */
export function compareRows(expected: unknown[][], actual: unknown[][], ordered: boolean): string[] {
  const e = canonicalRows(expected, ordered);
  const a = canonicalRows(actual, ordered);
  const d = difference(e, a, 'rows');
  if (!d) return [];
  return [`${d}\n--- expected (${e.length} rows):\n  ${preview(e)}\n--- got (${a.length} rows):\n  ${preview(a)}`];
}
