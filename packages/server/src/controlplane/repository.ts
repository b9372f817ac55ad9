/**
 * The control-plane store: users, their access keys and saved objects. An interface so a shared PostgreSQL
 * control plane can replace the embedded DuckDB one when the server scales out; callers never
 * write SQL against it directly.
 */

export interface UserRecord {
  name: string;
  roles: string[];
  createdAt: Date;
}

/** Where a key came from: generated at bootstrap, taken from INFINO_ACCESS_KEY, or issued by the API. */
export type KeyOrigin = 'generated' | 'env' | 'api';

export interface AccessKeyRecord {
  accessKey: string;
  userName: string;
  /** base64(iv | tag | ciphertext), AES-256-GCM under the master key — never the plain secret. */
  secretCiphertext: string;
  origin: KeyOrigin;
  createdAt: Date;
}

/** Kinds of saved objects (protocol §3). */
export type SavedObjectKind = 'visualization' | 'dashboard';

/** A saved visualization or dashboard; `attributes` is the object's JSON text, stored verbatim. */
export interface SavedObjectRecord {
  kind: SavedObjectKind;
  id: string;
  createdBy: string | null;
  /** ISO-8601 UTC strings, kept as text so they round-trip exactly as they were answered. */
  createdAt: string;
  updatedAt: string;
  attributes: string;
}

export interface ControlPlaneRepository {
  /** Create the schema if needed (idempotent). */
  init(): Promise<void>;
  listUsers(): Promise<UserRecord[]>;
  getUser(name: string): Promise<UserRecord | undefined>;
  /** Insert or replace a user. */
  putUser(user: { name: string; roles: string[] }): Promise<void>;
  listAccessKeys(): Promise<AccessKeyRecord[]>;
  /** Insert or replace an access key (by access key id). */
  putAccessKey(key: Omit<AccessKeyRecord, 'createdAt'>): Promise<void>;
  deleteAccessKey(accessKey: string): Promise<void>;
  /** Saved objects of one kind, oldest first (ties in insertion order), for stable paging. */
  listSavedObjects(kind: SavedObjectKind, page: { limit: number; offset: number }): Promise<SavedObjectRecord[]>;
  getSavedObject(kind: SavedObjectKind, id: string): Promise<SavedObjectRecord | undefined>;
  /** Insert, or replace the attributes and `updatedAt` of an existing object (its place in the listing stays). */
  putSavedObject(record: SavedObjectRecord): Promise<void>;
  /** True when an object was deleted. */
  deleteSavedObject(kind: SavedObjectKind, id: string): Promise<boolean>;
  close(): Promise<void>;
}
