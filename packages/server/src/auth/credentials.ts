/**
 * Credential generation (protocol §1.15) and the first-start bootstrap of the `admin` user.
 */
import { randomInt } from 'node:crypto';
import { join } from 'node:path';
import type { ControlPlaneRepository } from '../controlplane/repository.js';
import { writeSecretFile, type KeyStore } from './keystore.js';

const UPPER_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const ADMIN_USER = 'admin';
export const ADMIN_CREDENTIALS_FILE = 'admin-credentials';

// crypto.randomInt rejects out-of-range draws internally, so there is no modulo bias.
const pick = (alphabet: string, n: number) => Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join('');

/** `IAK_` + 16 upper-case alphanumerics. */
export const generateAccessKey = (): string => 'IAK_' + pick(UPPER_ALNUM, 16);
/** 40 characters of [A-Za-z0-9] (≈238 bits). */
export const generateSecretKey = (): string => pick(ALNUM, 40);

export interface Credentials {
  accessKey: string;
  secretKey: string;
}

export interface BootstrapResult {
  /** Admin credentials known in this process: freshly generated or taken from the environment. */
  credentials?: Credentials;
  /** True when the credentials were generated now (and must be shown to the operator once). */
  generated: boolean;
}

/** Access keys become part of `Credential=AK/date/...`, so they cannot contain `/` or whitespace. */
function checkEnvKeys(accessKey: string | undefined, secretKey: string | undefined): Credentials | undefined {
  if (!accessKey && !secretKey) return undefined;
  if (!accessKey || !secretKey) throw new Error('Set both INFINO_ACCESS_KEY and INFINO_SECRET_KEY, or neither');
  if (!/^[A-Za-z0-9_\-.]{1,128}$/.test(accessKey)) {
    throw new Error('INFINO_ACCESS_KEY may contain only letters, digits, "_", "-" and "." (at most 128)');
  }
  return { accessKey, secretKey };
}

/**
 * Ensure an admin exists. First start (no users): create `admin` with roles ['admin'], with the
 * keys from INFINO_ACCESS_KEY/INFINO_SECRET_KEY or freshly generated ones (written to
 * `<data>/admin-credentials`, mode 0600). Later starts with env keys: the env pair is the source of
 * truth for env-managed keys — it is added (or its secret replaced) for admin, and admin keys
 * that came from an earlier, different env pair are removed; generated and API-issued keys stay.
 */
export async function bootstrapAdmin(
  repo: ControlPlaneRepository,
  keys: KeyStore,
  dataDir: string,
  env: { accessKey?: string; secretKey?: string },
): Promise<BootstrapResult> {
  const fromEnv = checkEnvKeys(env.accessKey, env.secretKey);
  const users = await repo.listUsers();

  if (users.length === 0) {
    await repo.putUser({ name: ADMIN_USER, roles: ['admin'] });
    if (fromEnv) {
      await keys.put(ADMIN_USER, ['admin'], fromEnv.accessKey, fromEnv.secretKey, 'env');
      return { credentials: fromEnv, generated: false };
    }
    const creds = { accessKey: generateAccessKey(), secretKey: generateSecretKey() };
    await keys.put(ADMIN_USER, ['admin'], creds.accessKey, creds.secretKey, 'generated');
    writeSecretFile(join(dataDir, ADMIN_CREDENTIALS_FILE), `access_key=${creds.accessKey}\nsecret_key=${creds.secretKey}\n`);
    return { credentials: creds, generated: true };
  }

  if (fromEnv) {
    let admin = users.find((u) => u.name === ADMIN_USER);
    if (!admin) {
      await repo.putUser({ name: ADMIN_USER, roles: ['admin'] });
      admin = { name: ADMIN_USER, roles: ['admin'], createdAt: new Date() };
    }
    const existing = keys.lookup(fromEnv.accessKey);
    if (existing && existing.user !== ADMIN_USER) {
      throw new Error(`INFINO_ACCESS_KEY ${fromEnv.accessKey} already belongs to user ${existing.user}`);
    }
    if (!existing || existing.secret !== fromEnv.secretKey) {
      await keys.put(ADMIN_USER, admin.roles, fromEnv.accessKey, fromEnv.secretKey, 'env');
    }
    for (const k of keys.keysOf(ADMIN_USER)) {
      if (k.origin === 'env' && k.accessKey !== fromEnv.accessKey) await keys.remove(k.accessKey);
    }
    return { credentials: fromEnv, generated: false };
  }
  return { generated: false };
}

/** The once-only banner for generated credentials. */
export function credentialsBanner(creds: Credentials, file: string): string {
  return [
    '',
    '=== Infino admin credentials (shown once) ==================================',
    `  access key: ${creds.accessKey}`,
    `  secret key: ${creds.secretKey}`,
    `  also saved to ${file} (mode 0600); move them somewhere safe.`,
    '  Sign requests with AWS SigV4: region us-east-1, service es.',
    '============================================================================',
    '',
  ].join('\n');
}
