/**
 * PostgreSQL as the reference engine of the SQL corpus: one throw-away database per run (so parallel
 * runs never meet, and dropping it removes everything), holding each dataset as a table of the same
 * name and columns as Infino shows it. A dotted dataset name is also reachable unquoted
 * (`FROM logs.doc`) through a schema `logs` holding a table `doc`.
 */
import pg from 'pg';
import { type Column, type Dataset, type Doc, flatten, inferColumns } from './sql/corpus.js';

const HOST = process.env.PGHOST ?? '127.0.0.1';
const PORT = Number(process.env.PGPORT ?? 5432);
const USER = process.env.PGUSER ?? 'postgres';
const ADMIN_DB = process.env.PGDATABASE ?? 'test';

export const PG_HELP =
  `PostgreSQL is required by the SQL corpus test (it is the reference engine) and was not reachable at ` +
  `${USER}@${HOST}:${PORT}/${ADMIN_DB}. Start it with ` +
  '`pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start` ' +
  '(or point PGHOST/PGPORT/PGUSER/PGDATABASE at a server with trust auth for a superuser).';

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** Whole numbers beyond ±2^53 as bigints, so they compare exactly with Infino's strings. */
const wholeOrNumber = (s: string): unknown => (/^-?\d+$/.test(s) && !Number.isSafeInteger(Number(s)) ? BigInt(s) : Number(s));

/** Timestamps stay text (node-postgres would read them in the local zone); 64-bit and numeric as numbers. */
const PARSERS: Record<number, (s: string) => unknown> = {
  20: wholeOrNumber, // int8
  1700: wholeOrNumber, // numeric
  1114: (s) => s, // timestamp
  1184: (s) => new Date(s).toISOString(), // timestamptz
  1082: (s) => s, // date
};
const ARRAY_ELEMENT: Record<number, number> = { 1016: 20, 1231: 1700, 1115: 1114, 1182: 1082 };
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (PARSERS[oid]) return PARSERS[oid];
    const element = ARRAY_ELEMENT[oid];
    if (element !== undefined) {
      // text[]'s parser (oid 1009, absent from pg's TypeId enum) splits any array literal into strings.
      const parseArray = (pg.types.getTypeParser as (oid: number) => (s: string) => (string | null)[])(1009);
      return (s: string) => parseArray(s).map((x) => (x === null ? null : PARSERS[element](x)));
    }
    return pg.types.getTypeParser(oid, format);
  },
};

const DB_PREFIX = 'infino_sql_corpus_';

/** Databases left by runs that died before their cleanup (their process is gone) are dropped. */
async function dropOrphans(admin: pg.Client): Promise<void> {
  const res = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE starts_with(datname, $1)`, [DB_PREFIX]);
  for (const { datname } of res.rows) {
    const pid = Number(datname.slice(DB_PREFIX.length).split('_')[0]);
    if (!Number.isInteger(pid) || pid <= 0 || alive(pid)) continue;
    await admin.query(`DROP DATABASE IF EXISTS ${quote(datname)} WITH (FORCE)`).catch(() => undefined);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface PgResult {
  columns: string[];
  rows: unknown[][];
  rowCount: number;
}

export class PgReference {
  private constructor(
    private readonly admin: pg.Client,
    private readonly db: pg.Client,
    readonly database: string,
  ) {}

  /** Connects and creates this run's database; throws with {@link PG_HELP} when PostgreSQL is down. */
  static async open(): Promise<PgReference> {
    const admin = new pg.Client({ host: HOST, port: PORT, user: USER, database: ADMIN_DB, connectionTimeoutMillis: 5000 });
    try {
      await admin.connect();
    } catch (e) {
      throw new Error(`${PG_HELP}\nCause: ${(e as Error).message}`, { cause: e });
    }
    await dropOrphans(admin);
    const database = `${DB_PREFIX}${process.pid}_${Date.now().toString(36)}`;
    // C collation: byte order, as DuckDB sorts strings; UTF8 for the JSON of _source.
    await admin.query(`CREATE DATABASE ${quote(database)} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`);
    const db = new pg.Client({ host: HOST, port: PORT, user: USER, database, types });
    try {
      await db.connect();
      await db.query(`SET TIME ZONE 'UTC'`);
    } catch (e) {
      await admin.query(`DROP DATABASE IF EXISTS ${quote(database)}`);
      await admin.end();
      throw e;
    }
    return new PgReference(admin, db, database);
  }

  async query(sql: string): Promise<PgResult> {
    const res = await this.db.query({ text: sql, rowMode: 'array' });
    return { columns: res.fields.map((f) => f.name), rows: res.rows as unknown[][], rowCount: res.rowCount ?? 0 };
  }

  /** Creates the dataset's table (`_id` primary key, the mapped columns, `_source` JSONB) and loads it. */
  async createDataset(ds: Dataset): Promise<void> {
    const columns = inferColumns(ds.docs);
    const dot = ds.name.indexOf('.');
    const table = quote(ds.name);
    const defs = [`"_id" TEXT PRIMARY KEY`, ...columns.map((c) => `${quote(c.name)} ${c.type}${c.array ? '[]' : ''}`), `"_source" JSONB`];
    await this.db.query(`CREATE TABLE ${table} (${defs.join(', ')})`);
    await this.insert(table, columns, ds.docs);
    // `FROM logs.doc` unquoted is schema logs, table doc to PostgreSQL: a view there names the same table.
    if (dot > 0 && /^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/.test(ds.name)) {
      const schema = ds.name.slice(0, dot);
      await this.db.query(`CREATE SCHEMA IF NOT EXISTS ${quote(schema)}`);
      await this.db.query(`CREATE VIEW ${quote(schema)}.${quote(ds.name.slice(dot + 1))} AS SELECT * FROM ${table}`);
    }
  }

  private async insert(table: string, columns: Column[], docs: Doc[]): Promise<void> {
    if (docs.length === 0) return;
    const names = ['_id', ...columns.map((c) => c.name), '_source'];
    const params: unknown[] = [];
    const tuples = docs.map((doc) => {
      const flat = flatten(doc);
      const { _id, ...source } = doc;
      const values = [_id, ...columns.map((c) => flat.get(c.name) ?? null), JSON.stringify(source)];
      return `(${values.map((v) => (params.push(v), `$${params.length}`)).join(', ')})`;
    });
    await this.db.query(`INSERT INTO ${table} (${names.map(quote).join(', ')}) VALUES ${tuples.join(', ')}`, params);
  }

  /** Drops this run's database. */
  async close(): Promise<void> {
    await this.db.end().catch(() => undefined);
    try {
      await this.admin.query(`DROP DATABASE IF EXISTS ${quote(this.database)} WITH (FORCE)`);
    } finally {
      await this.admin.end();
    }
  }
}
