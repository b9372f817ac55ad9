/**
 * Runs users' SQL on DuckDB. Each dataset appears to SQL as a temporary view named by the
 * dataset's storage id (`__ds_<id>`), created per connection and replaced whenever the dataset's
 * mapping changes. The view gives the user-facing shape: `_id`, one column per field under its
 * dotted path, `_source` as JSON. DuckDB inlines views, so a query pays nothing for this layer.
 * The statement text reaching here was validated and its dataset names rewritten (src/sql/).
 */
import type { DuckDBConnection, DuckDBPreparedStatement, DuckDBResultReader } from '@duckdb/node-api';
import { ApiError } from '../../errors.js';
import type { SqlLimits, SqlRows } from '../types.js';
import type { DatasetState } from './catalog.js';
import { type BigMode, jsValue, sqlTypeName } from './sql-values.js';
import { quoteIdent, sqlType, tables } from './sql.js';

export const sqlRelationName = (ds: DatasetState) => `__ds_${ds.id}`;

/**
 * The view's definition; it changes exactly when the dataset's columns (or the dataset) change.
 * Readers pass the dataset with its committed mapping; the writer, inside its transaction, the live one.
 */
export function viewSql(ds: DatasetState, catalog: string): string {
  const columns = ds.mapping
    .list()
    .filter((f) => f.type !== 'object')
    // The cast names the column's type in the definition (DuckDB drops a cast to the same type): a
    // field that became multi-valued changes the text, so the view is made again rather than
    // failing with "contents of view were altered".
    .map((f) => `CAST(${quoteIdent(f.column)} AS ${sqlType(f.type, f.multi)}) AS ${quoteIdent(f.path)}`);
  const table = `${quoteIdent(catalog)}.main.${tables(ds.id).docs}`;
  return `CREATE OR REPLACE TEMP VIEW ${sqlRelationName(ds)} AS SELECT _id, ${[...columns, '_source'].join(', ')} FROM ${table}`;
}

interface Slot {
  conn: DuckDBConnection;
  /** `json_serialize_sql(?)`, prepared once per connection (preparing costs about as much as running it). */
  serialize: DuckDBPreparedStatement;
  /** `json_deserialize_sql(?)`: the visualization executor writes edited parses back as SQL text. */
  deserialize: DuckDBPreparedStatement;
  busy: boolean;
  /** Relation name → the view definition it currently has on this connection. */
  views: Map<string, string>;
}

/**
 * Connections reserved for SQL (apart from the search readers, so a 30-second report never holds
 * up a search). A statement takes an idle connection or waits for the first to free up.
 */
export class SqlPool {
  private readonly waiting: Array<(slot: Slot) => void> = [];

  constructor(
    private readonly slots: Slot[],
    private readonly catalog: string,
  ) {}

  static async open(connect: () => Promise<DuckDBConnection>, size: number): Promise<SqlPool> {
    const slots: Slot[] = [];
    for (let i = 0; i < size; i++) {
      const conn = await connect();
      slots.push({
        conn,
        serialize: await conn.prepare('SELECT json_serialize_sql($1::VARCHAR)'),
        deserialize: await conn.prepare('SELECT json_deserialize_sql($1::JSON)'),
        busy: false,
        views: new Map(),
      });
    }
    const catalog = String((await slots[0].conn.runAndReadAll('SELECT current_database()')).getRows()[0][0]);
    return new SqlPool(slots, catalog);
  }

  get catalogName(): string {
    return this.catalog;
  }

  /** DuckDB's JSON parse of a statement. */
  serialize(sql: string): Promise<string> {
    return this.runText('serialize', sql);
  }

  /** SQL text of a statement parse in `serialize`'s JSON shape. */
  deserialize(json: string): Promise<string> {
    return this.runText('deserialize', json);
  }

  /** One of a slot's prepared one-argument statements, on the first free connection. */
  private async runText(statement: 'serialize' | 'deserialize', arg: string): Promise<string> {
    const slot = await this.acquire();
    try {
      const prepared = slot[statement];
      prepared.bindVarchar(1, arg);
      return String((await prepared.runAndReadAll()).getRows()[0][0]);
    } finally {
      this.release(slot);
    }
  }

  async query(sql: string, datasets: DatasetState[], limits: SqlLimits): Promise<SqlRows> {
    const slot = await this.acquire();
    try {
      for (const ds of datasets) {
        const definition = viewSql(ds, this.catalog);
        const name = sqlRelationName(ds);
        if (slot.views.get(name) === definition) continue;
        await slot.conn.run(definition);
        slot.views.set(name, definition);
      }
      return await runLimited(slot.conn, sql, limits);
    } finally {
      this.release(slot);
    }
  }

  close(): void {
    for (const s of this.slots) {
      s.serialize.destroySync();
      s.deserialize.destroySync();
      s.conn.closeSync();
    }
  }

  private acquire(): Promise<Slot> {
    const idle = this.slots.find((s) => !s.busy);
    if (idle) {
      idle.busy = true;
      return Promise.resolve(idle);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(slot: Slot): void {
    const next = this.waiting.shift();
    if (next) next(slot);
    else slot.busy = false;
  }
}

/** Streams at most `maxRows + 1` rows (the extra one tells `truncated`), interrupting at the deadline. */
function runLimited(conn: DuckDBConnection, sql: string, limits: SqlLimits): Promise<SqlRows> {
  return withStatementTimeout(conn, limits.timeoutMs, async () => readerRows(await conn.streamAndReadUntil(sql, limits.maxRows + 1), 'string', limits.maxRows));
}

/** Runs `run`, interrupting `conn`'s statement once `ms` have passed; the interruption becomes a 400. */
export async function withStatementTimeout<T>(conn: DuckDBConnection, ms: number, run: () => Promise<T>): Promise<T> {
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    conn.interrupt();
  }, ms);
  try {
    return await run();
  } catch (e) {
    if (timedOut) throw statementTimeout(ms);
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

const statementTimeout = (ms: number) =>
  new ApiError(400, 'statement_timeout_exception', `the statement was cancelled after ${ms} ms; narrow it (filters, LIMIT) or raise "timeout_ms" (server limit: --sql-timeout)`);

export function readerRows(reader: DuckDBResultReader, big: BigMode, maxRows = Infinity): SqlRows {
  const types = reader.columnTypes();
  const names = reader.columnNames();
  const all = reader.getRows();
  const truncated = all.length > maxRows;
  const kept = truncated ? all.slice(0, maxRows) : all;
  return {
    columns: names.map((name, i) => ({ name, type: sqlTypeName(types[i]) })),
    rows: kept.map((row) => row.map((v, i) => jsValue(v, types[i], big))),
    truncated,
  };
}
