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

  static async open(dataDir: string, options: { memoryLimit?: string } = {}): Promise<Database> {
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
    await lockDown(instance, dataDir, options.memoryLimit);
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

/**
 * Users' SQL runs on this instance, so it gets no way out: no file access outside the engine's own
 * spool directory (bulk loads stage NDJSON there), no network, no extension installs or loads, and
 * the configuration locked so no statement can undo any of it. (src/sql/ also refuses such
 * statements up front, with a clear reason; this is the second wall.)
 */
async function lockDown(instance: DuckDBInstance, dataDir: string, memoryLimit: string | undefined): Promise<void> {
  const c = await instance.connect();
  try {
    const spool = join(dataDir, 'spool');
    mkdirSync(spool, { recursive: true });
    await c.run(`SET allowed_directories = ['${spool.replace(/'/g, "''")}/']`);
    if (memoryLimit) await c.run(`SET memory_limit = '${memoryLimit.replace(/'/g, "''")}'`);
    await c.run('SET autoinstall_known_extensions = false');
    await c.run('SET autoload_known_extensions = false');
    await c.run('SET enable_external_access = false');
    await c.run('SET lock_configuration = true');
  } finally {
    c.closeSync();
  }
}
