/**
 * The control-plane store: users and their access keys. An interface so a shared PostgreSQL
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
  close(): Promise<void>;
}
