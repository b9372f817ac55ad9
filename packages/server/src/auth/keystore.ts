/**
 * Access-key secrets at rest and in memory. Secrets must stay recoverable (SigV4 verification
 * needs the plain secret), so they are encrypted — not hashed — with AES-256-GCM under a master
 * key that lives outside the database. Verified requests are served from an in-memory cache so
 * authentication costs no database round trip.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ControlPlaneRepository, KeyOrigin } from '../controlplane/repository.js';
import type { KeyEntry, KeyLookup } from './sigv4.js';

export const MASTER_KEY_FILE = 'master.key';

export interface MasterKey {
  key: Buffer;
  /** Human-readable origin, used in error messages. */
  source: string;
}

/** Accept 64 hex characters or base64 of exactly 32 bytes; undefined if neither. */
export function parseMasterKey(text: string): Buffer | undefined {
  const t = text.trim();
  if (/^[0-9a-fA-F]{64}$/.test(t)) return Buffer.from(t, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(t)) {
    const b = Buffer.from(t, t.includes('-') || t.includes('_') ? 'base64url' : 'base64');
    if (b.length === 32) return b;
  }
  return undefined;
}

/**
 * INFINO_MASTER_KEY wins; otherwise `<data>/master.key`, generated (mode 0600) on first start.
 * An existing file is never overwritten: losing it would make every stored secret unreadable.
 */
export function loadMasterKey(dataDir: string, envValue: string | undefined, warn: (msg: string) => void = () => {}): MasterKey {
  if (envValue !== undefined && envValue !== '') {
    const key = parseMasterKey(envValue);
    if (!key) throw new Error('INFINO_MASTER_KEY must be 64 hex characters or the base64 encoding of 32 bytes');
    return { key, source: 'INFINO_MASTER_KEY' };
  }
  const file = join(dataDir, MASTER_KEY_FILE);
  try {
    // 'wx' fails if the file exists, so a concurrent or earlier key is never clobbered.
    writeFileSync(file, randomBytes(32).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  const key = parseMasterKey(readFileSync(file, 'utf8'));
  if (!key) throw new Error(`${file} does not hold a valid master key (64 hex characters or base64 of 32 bytes)`);
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
    warn(`${file} is readable by other users; restrict it with: chmod 600 ${file}`);
  }
  return { key, source: file };
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypt a secret; the access key is bound as additional authenticated data so a ciphertext
 * cannot be moved to another key's row.
 */
export function encryptSecret(master: Buffer, accessKey: string, secret: string): string {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', master, iv);
  cipher.setAAD(Buffer.from(accessKey, 'utf8'));
  const ct = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ct]).toString('base64');
}

/** Throws if the master key (or access key) is wrong or the ciphertext was altered. */
export function decryptSecret(master: Buffer, accessKey: string, blob: string): string {
  const raw = Buffer.from(blob, 'base64');
  if (raw.length < IV_BYTES + TAG_BYTES) throw new Error('ciphertext too short');
  const decipher = createDecipheriv('aes-256-gcm', master, raw.subarray(0, IV_BYTES));
  decipher.setAAD(Buffer.from(accessKey, 'utf8'));
  decipher.setAuthTag(raw.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
  return Buffer.concat([decipher.update(raw.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
}

/** Tighten permissions of a secret-bearing file even if it already existed with a wider mode. */
export function writeSecretFile(path: string, content: string): void {
  writeFileSync(path, content, { mode: 0o600 });
  if (process.platform !== 'win32') chmodSync(path, 0o600);
}

export class KeyStore {
  private readonly cache = new Map<string, KeyEntry & { origin: KeyOrigin }>();

  constructor(
    private readonly repo: ControlPlaneRepository,
    private readonly master: MasterKey,
  ) {}

  /** Load and decrypt every stored key; refuse to start if the master key does not fit. */
  async load(): Promise<void> {
    const users = new Map((await this.repo.listUsers()).map((u) => [u.name, u.roles]));
    this.cache.clear();
    for (const k of await this.repo.listAccessKeys()) {
      let secret: string;
      try {
        secret = decryptSecret(this.master.key, k.accessKey, k.secretCiphertext);
      } catch {
        throw new Error(
          `Cannot decrypt the stored secret of access key ${k.accessKey} with the master key from ${this.master.source}. ` +
            'Restore the master key this data directory was created with (INFINO_MASTER_KEY or <data>/master.key).',
        );
      }
      this.cache.set(k.accessKey, { secret, user: k.userName, roles: users.get(k.userName) ?? [], origin: k.origin });
    }
  }

  /** The verifier's key lookup; bound so it can be passed around. */
  readonly lookup: KeyLookup = (accessKey) => this.cache.get(accessKey);

  keysOf(user: string): Array<{ accessKey: string; origin: KeyOrigin }> {
    return [...this.cache].filter(([, e]) => e.user === user).map(([accessKey, e]) => ({ accessKey, origin: e.origin }));
  }

  async put(user: string, roles: string[], accessKey: string, secret: string, origin: KeyOrigin): Promise<void> {
    await this.repo.putAccessKey({ accessKey, userName: user, secretCiphertext: encryptSecret(this.master.key, accessKey, secret), origin });
    this.cache.set(accessKey, { secret, user, roles: [...roles], origin });
  }

  async remove(accessKey: string): Promise<void> {
    await this.repo.deleteAccessKey(accessKey);
    this.cache.delete(accessKey);
  }

  /** Keep cached principals in step after a user's roles change. */
  setRoles(user: string, roles: string[]): void {
    for (const e of this.cache.values()) if (e.user === user) e.roles = [...roles];
  }
}
