/**
 * ControlPlaneRepository over the server's DuckDB file, in its own `meta` schema and on its own
 * connection so control-plane writes never interleave with the engine's transactions.
 */
import { listValue, type DuckDBConnection } from '@duckdb/node-api';
import type { Database } from '../storage/database.js';
import type { AccessKeyRecord, ControlPlaneRepository, KeyOrigin, SavedObjectKind, SavedObjectRecord, UserRecord } from './repository.js';

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
);
CREATE SEQUENCE IF NOT EXISTS meta.saved_objects_seq;
CREATE TABLE IF NOT EXISTS meta.saved_objects (
  kind VARCHAR NOT NULL,
  id VARCHAR NOT NULL,
  seq BIGINT NOT NULL DEFAULT nextval('meta.saved_objects_seq'),
  created_by VARCHAR,
  created_at VARCHAR NOT NULL,
  updated_at VARCHAR NOT NULL,
  attributes VARCHAR NOT NULL,
  PRIMARY KEY (kind, id)
);`;

export class DuckDbControlPlane implements ControlPlaneRepository {
  // One connection runs one statement at a time; chain calls so concurrent requests queue up.
  private queue: Promise<unknown> = Promise.resolve();
  /**
   * Saved objects by kind/id, as last read. Dashboards read the same objects on every refresh, and
   * a DuckDB round trip costs more than the rest of a get. Coherent because the database file is
   * locked to this process and every write below drops the entry inside the same serial queue.
   */
  private readonly savedCache = new Map<string, SavedObjectRecord>();

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

  listSavedObjects(kind: SavedObjectKind, page: { limit: number; offset: number }): Promise<SavedObjectRecord[]> {
    return this.serial(async () => {
      const r = await this.conn.runAndReadAll(
        `SELECT ${SAVED_COLUMNS} FROM meta.saved_objects WHERE kind = $1 ORDER BY created_at, seq LIMIT $2 OFFSET $3`,
        [kind, page.limit, page.offset],
      );
      return r.getRowObjectsJS().map(toSavedObject);
    });
  }

  getSavedObject(kind: SavedObjectKind, id: string): Promise<SavedObjectRecord | undefined> {
    const key = `${kind}/${id}`;
    const hit = this.savedCache.get(key);
    if (hit) return Promise.resolve({ ...hit });
    return this.serial(async () => {
      const r = await this.conn.runAndReadAll(`SELECT ${SAVED_COLUMNS} FROM meta.saved_objects WHERE kind = $1 AND id = $2`, [kind, id]);
      const rows = r.getRowObjectsJS();
      if (!rows.length) return undefined;
      const record = toSavedObject(rows[0]);
      if (this.savedCache.size >= SAVED_CACHE_SIZE) this.savedCache.delete(this.savedCache.keys().next().value!);
      this.savedCache.set(key, record);
      return { ...record };
    });
  }

  putSavedObject(o: SavedObjectRecord): Promise<void> {
    return this.serial(async () => {
      this.savedCache.delete(`${o.kind}/${o.id}`);
      await this.conn.run(
        `INSERT INTO meta.saved_objects (kind, id, created_by, created_at, updated_at, attributes) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (kind, id) DO UPDATE SET updated_at = excluded.updated_at, attributes = excluded.attributes`,
        [o.kind, o.id, o.createdBy, o.createdAt, o.updatedAt, o.attributes],
      );
    });
  }

  deleteSavedObject(kind: SavedObjectKind, id: string): Promise<boolean> {
    return this.serial(async () => {
      this.savedCache.delete(`${kind}/${id}`);
      const r = await this.conn.run('DELETE FROM meta.saved_objects WHERE kind = $1 AND id = $2', [kind, id]);
      return r.rowsChanged > 0;
    });
  }

  close(): Promise<void> {
    return this.serial(async () => {
      this.conn.closeSync();
    });
  }
}

const SAVED_COLUMNS = 'kind, id, created_by, created_at, updated_at, attributes';
/** Entries of the saved-object cache (oldest dropped first); a few MB of JSON text at most. */
const SAVED_CACHE_SIZE = 2_000;

function toSavedObject(row: Record<string, unknown>): SavedObjectRecord {
  return {
    kind: String(row.kind) as SavedObjectKind,
    id: String(row.id),
    createdBy: row.created_by === null ? null : String(row.created_by),
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
    attributes: String(row.attributes),
  };
}

function toUser(row: Record<string, unknown>): UserRecord {
  return { name: String(row.name), roles: (row.roles as unknown[]).map(String), createdAt: row.created_at as Date };
}
