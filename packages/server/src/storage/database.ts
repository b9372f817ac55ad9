import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';

/**
 * The embedded DuckDB database: one file per data dir, opened by exactly one process. The engine
 * (datasets) and the control-plane repository (users, keys, …) each take their own connections.
 */
export class Database {
  private constructor(
    readonly instance: DuckDBInstance,
    readonly dataDir: string,
  ) {}

  static async open(dataDir: string): Promise<Database> {
    mkdirSync(dataDir, { recursive: true });
    const instance = await DuckDBInstance.create(join(dataDir, 'infino.duckdb'), {
      // Keep DuckDB's temporary spill files inside the data dir rather than the CWD.
      temp_directory: join(dataDir, 'tmp'),
      // DuckDB checkpoints inside the committing transaction once the WAL passes this size. At the
      // 16 MB default a bulk commit paid for a checkpoint every few batches (≈8× slower commits);
      // the engine checkpoints on its own when writes go idle, so the WAL rarely gets this big.
      checkpoint_threshold: '256MB',
    }).catch((e: unknown) => {
      const message = (e as Error).message ?? String(e);
      const holder = /Conflicting lock is held in (.*?)(?: \(PID (\d+)\))?\./.exec(message);
      if (!message.includes('Could not set lock')) throw e;
      throw new Error(
        `the data directory ${dataDir} is in use by another process${holder?.[2] ? ` (PID ${holder[2]})` : ''}; ` +
          'only one server may open it: stop that process or start with another --data',
      );
    });
    return new Database(instance, dataDir);
  }

  connect(): Promise<DuckDBConnection> {
    return this.instance.connect();
  }

  /** Checkpoint so the WAL is folded into the main file, then release the file lock. */
  async close(): Promise<void> {
    const c = await this.instance.connect();
    try {
      await c.run('CHECKPOINT');
    } finally {
      c.closeSync();
      this.instance.closeSync();
    }
  }
}
