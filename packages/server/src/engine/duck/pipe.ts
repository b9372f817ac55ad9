/**
 * Statements for the writer connection, executed strictly in order but without making the caller
 * wait: while DuckDB loads one batch on its own threads, the event loop prepares the next batch
 * (mapping, analysis, serialisation) — JS and DuckDB work overlap instead of taking turns. A
 * lookup that needs an answer simply awaits; it runs after everything queued before it.
 */
import type { DuckDBAppender, DuckDBConnection, DuckDBMaterializedResult, DuckDBResultReader, DuckDBType, DuckDBValue } from '@duckdb/node-api';

/** What the storage code needs from a connection; both DuckDBConnection and StatementPipe fit. */
export interface Runner {
  run(sql: string, values?: DuckDBValue[], types?: DuckDBType[]): Promise<unknown>;
  runAndReadAll(sql: string, values?: DuckDBValue[], types?: DuckDBType[]): Promise<DuckDBResultReader>;
}

export class StatementPipe implements Runner {
  private tail: Promise<unknown> = Promise.resolve();
  private failure: unknown;

  constructor(private readonly conn: DuckDBConnection) {}

  run(sql: string, values?: DuckDBValue[], types?: DuckDBType[]): Promise<DuckDBMaterializedResult> {
    return this.chain(() => this.conn.run(sql, values, types));
  }

  runAndReadAll(sql: string, values?: DuckDBValue[], types?: DuckDBType[]): Promise<DuckDBResultReader> {
    return this.chain(() => this.conn.runAndReadAll(sql, values, types));
  }

  /** Streams at most `rows` rows of a result (more are never materialised). */
  streamAndReadUntil(sql: string, rows: number): Promise<DuckDBResultReader> {
    return this.chain(() => this.conn.streamAndReadUntil(sql, rows));
  }

  /**
   * Appends rows to a table through a DuckDB appender, in queue order and inside the connection's
   * open transaction: `fill` appends data chunks; the rows are flushed before the next statement.
   */
  append(table: string, fill: (appender: DuckDBAppender) => void): Promise<void> {
    return this.chain(async () => {
      const appender = await this.conn.createAppender(table);
      try {
        fill(appender);
        appender.flushSync();
      } catch (e) {
        appender.clear(); // closing flushes: rows of a failed fill must not land
        throw e;
      } finally {
        appender.closeSync();
      }
    });
  }

  /** Queues a statement whose outcome only matters at drain(); `after` runs once it settles. */
  fire(sql: string, after?: () => void): void {
    this.chain(() => this.conn.run(sql))
      .catch((e: unknown) => {
        this.failure ??= e; // nobody awaits a fired statement: drain() reports its failure
      })
      .finally(after);
  }

  /** Waits for every queued statement; throws the first failure of a fired statement since the last drain. */
  async drain(): Promise<void> {
    await this.tail;
    const failure = this.failure;
    this.failure = undefined;
    if (failure !== undefined) throw failure;
  }

  /** Runs `step` after everything queued before it. Awaited statements report their own errors. */
  private chain<T>(step: () => Promise<T>): Promise<T> {
    const result = this.tail.then(step);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
