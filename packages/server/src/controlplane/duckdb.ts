/**
 * ControlPlaneRepository over the server's DuckDB file, in its own `meta` schema and on its own
 * connection so control-plane writes never interleave with the engine's transactions.
 */
import { listValue, type DuckDBConnection } from '@duckdb/node-api';
import type { Database } from '../storage/database.js';
import type { AccessKeyRecord, ControlPlaneRepository, KeyOrigin, UserRecord } from './repository.js';

const SCHEMA = `
CREATE SCHEMA IF NOT EXISTS meta;
CREATE TABLE IF NOT EXISTS meta.users (
  name VARCHAR PRIMARY KEY,
  roles VARCHAR[] NOT NULL,
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE TABLE IF NOT EXISTS meta.access_keys (
  access_key VARCHAR PRIMARY KEY,
  user_name VARCHAR NOT NULL,
  secret_ciphertext VARCHAR NOT NULL,
  origin VARCHAR NOT NULL DEFAULT 'api',
  created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);`;

export class DuckDbControlPlane implements ControlPlaneRepository {
  // One connection runs one statement at a time; chain calls so concurrent requests queue up.
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly conn: DuckDBConnection) {}

  static async open(db: Database): Promise<DuckDbControlPlane> {
    const repo = new DuckDbControlPlane(await db.connect());
    await repo.init();
    return repo;
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const next = this.queue.then(fn, fn);
    this.queue = next.catch(() => undefined);
    return next;
  }

  init(): Promise<void> {
    return this.serial(async () => {
      await this.conn.run(SCHEMA);
    });
  }

  listUsers(): Promise<UserRecord[]> {
    return this.serial(async () => {
      const r = await this.conn.runAndReadAll('SELECT name, roles, created_at FROM meta.users ORDER BY name');
      return r.getRowObjectsJS().map(toUser);
    });
  }

  getUser(name: string): Promise<UserRecord | undefined> {
    return this.serial(async () => {
      const r = await this.conn.runAndReadAll('SELECT name, roles, created_at FROM meta.users WHERE name = $1', [name]);
      const rows = r.getRowObjectsJS();
      return rows.length ? toUser(rows[0]) : undefined;
    });
  }

  putUser(user: { name: string; roles: string[] }): Promise<void> {
    return this.serial(async () => {
      await this.conn.run(
        'INSERT INTO meta.users (name, roles) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET roles = excluded.roles',
        [user.name, listValue(user.roles)],
      );
    });
  }

  listAccessKeys(): Promise<AccessKeyRecord[]> {
    return this.serial(async () => {
      const r = await this.conn.runAndReadAll(
        'SELECT access_key, user_name, secret_ciphertext, origin, created_at FROM meta.access_keys ORDER BY created_at',
      );
      return r.getRowObjectsJS().map((row) => ({
        accessKey: String(row.access_key),
        userName: String(row.user_name),
        secretCiphertext: String(row.secret_ciphertext),
        origin: String(row.origin) as KeyOrigin,
        createdAt: row.created_at as Date,
      }));
    });
  }

  putAccessKey(key: Omit<AccessKeyRecord, 'createdAt'>): Promise<void> {
    return this.serial(async () => {
      await this.conn.run(
        `INSERT INTO meta.access_keys (access_key, user_name, secret_ciphertext, origin) VALUES ($1, $2, $3, $4)
         ON CONFLICT (access_key) DO UPDATE SET user_name = excluded.user_name,
           secret_ciphertext = excluded.secret_ciphertext, origin = excluded.origin`,
        [key.accessKey, key.userName, key.secretCiphertext, key.origin],
      );
    });
  }

  deleteAccessKey(accessKey: string): Promise<void> {
    return this.serial(async () => {
      await this.conn.run('DELETE FROM meta.access_keys WHERE access_key = $1', [accessKey]);
    });
  }

  close(): Promise<void> {
    return this.serial(async () => {
      this.conn.closeSync();
    });
  }
}

function toUser(row: Record<string, unknown>): UserRecord {
  return { name: String(row.name), roles: (row.roles as unknown[]).map(String), createdAt: row.created_at as Date };
}
