import type { DuckDBConnection } from '@duckdb/node-api';
import type { Database } from '../../storage/database.js';

/**
 * A few read connections, each used by one query at a time (a DuckDB connection runs one
 * statement at a time). Readers never wait for the writer: DuckDB's MVCC gives each a snapshot.
 */
export class ReaderPool {
  private next = 0;
  private constructor(private readonly slots: { conn: DuckDBConnection; tail: Promise<unknown> }[]) {}

  static async open(db: Database, size: number): Promise<ReaderPool> {
    const slots = [];
    for (let i = 0; i < size; i++) slots.push({ conn: await db.connect(), tail: Promise.resolve() as Promise<unknown> });
    return new ReaderPool(slots);
  }

  use<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    const slot = this.slots[this.next++ % this.slots.length];
    const result = slot.tail.then(() => fn(slot.conn));
    slot.tail = result.catch(() => undefined);
    return result;
  }

  close(): void {
    for (const s of this.slots) s.conn.closeSync();
  }
}
