import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { generateAccessKey, generateSecretKey } from '../src/auth/credentials.js';
import { decryptSecret, encryptSecret, loadMasterKey, parseMasterKey } from '../src/auth/keystore.js';
import { resolveConfig } from '../src/config.js';
import { startServer } from '../src/server.js';
import { FakeEngine, fakeParseQuery } from './http-fake-engine.js';
import { signedRequest } from './http-helpers.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'infino-cred-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const mode = (p: string) => statSync(p).mode & 0o777;
const start = (dataDir: string, extra: Partial<Parameters<typeof startServer>[0]> = {}) =>
  startServer({
    port: 0,
    dataDir,
    logLevel: 'silent',
    accessKey: undefined,
    secretKey: undefined,
    masterKey: undefined,
    openEngine: async (db) => new FakeEngine(db),
    parseQuery: fakeParseQuery,
    print: () => {},
    ...extra,
  });

describe('credential formats', () => {
  it('access keys are IAK_ + 16 upper-case alphanumerics, secrets 40 alphanumerics', () => {
    const aks = new Set(Array.from({ length: 200 }, generateAccessKey));
    expect(aks.size).toBe(200);
    for (const ak of aks) expect(ak).toMatch(/^IAK_[A-Z0-9]{16}$/);
    for (let i = 0; i < 50; i++) expect(generateSecretKey()).toMatch(/^[A-Za-z0-9]{40}$/);
  });
});

describe('encryption at rest', () => {
  it('AES-256-GCM round trip, fresh IV each time, bound to the access key', () => {
    const key = randomBytes(32);
    const a = encryptSecret(key, 'IAK_A', 's3cret');
    const b = encryptSecret(key, 'IAK_A', 's3cret');
    expect(a).not.toBe(b);
    expect(Buffer.from(a, 'base64').length).toBe(12 + 16 + 6);
    expect(decryptSecret(key, 'IAK_A', a)).toBe('s3cret');
    expect(() => decryptSecret(key, 'IAK_B', a)).toThrow();
    expect(() => decryptSecret(randomBytes(32), 'IAK_A', a)).toThrow();
    const tampered = Buffer.from(a, 'base64');
    tampered[tampered.length - 1] ^= 1;
    expect(() => decryptSecret(key, 'IAK_A', tampered.toString('base64'))).toThrow();
  });

  it('master key: hex or base64 of 32 bytes', () => {
    const k = randomBytes(32);
    expect(parseMasterKey(k.toString('hex'))).toEqual(k);
    expect(parseMasterKey(k.toString('base64'))).toEqual(k);
    expect(parseMasterKey('abcd')).toBeUndefined();
    expect(parseMasterKey(randomBytes(16).toString('base64'))).toBeUndefined();
  });

  it('master.key is generated with mode 0600 and never overwritten', () => {
    const dir = tempDir();
    const first = loadMasterKey(dir, undefined);
    const file = join(dir, 'master.key');
    if (process.platform !== 'win32') expect(mode(file)).toBe(0o600);
    const second = loadMasterKey(dir, undefined);
    expect(second.key).toEqual(first.key);
    expect(() => loadMasterKey(dir, 'not-a-key')).toThrow(/INFINO_MASTER_KEY/);
  });
});

describe('bootstrap and restart', () => {
  it('first start generates admin credentials, prints them once and writes admin-credentials 0600', async () => {
    const dir = tempDir();
    const printed: string[] = [];
    const s = await start(dir, { print: (t) => printed.push(t) });
    const creds = s.credentials!;
    try {
      expect(creds.accessKey).toMatch(/^IAK_[A-Z0-9]{16}$/);
      expect(printed.join('\n')).toContain(creds.secretKey);
      const file = join(dir, 'admin-credentials');
      expect(readFileSync(file, 'utf8')).toBe(`access_key=${creds.accessKey}\nsecret_key=${creds.secretKey}\n`);
      if (process.platform !== 'win32') expect(mode(file)).toBe(0o600);
      expect((await signedRequest(s.port, creds, 'GET', '/')).status).toBe(200);
    } finally {
      await s.close();
    }

    // Restart: the stored (encrypted) key still works; nothing is printed again.
    printed.length = 0;
    const s2 = await start(dir, { print: (t) => printed.push(t) });
    try {
      expect(printed).toEqual([]);
      expect(s2.credentials).toBeUndefined();
      expect((await signedRequest(s2.port, creds, 'GET', '/')).status).toBe(200);
    } finally {
      await s2.close();
    }
    // The secret is not stored in clear text anywhere in the database files.
    for (const f of ['infino.duckdb', 'infino.duckdb.wal']) {
      const p = join(dir, f);
      if (existsSync(p)) expect(readFileSync(p).includes(Buffer.from(creds.secretKey))).toBe(false);
    }
  });

  it('refuses to start when the master key cannot decrypt stored secrets', async () => {
    const dir = tempDir();
    await (await start(dir)).close();
    writeFileSync(join(dir, 'master.key'), randomBytes(32).toString('hex'));
    await expect(start(dir)).rejects.toThrow(/Cannot decrypt the stored secret/);
    await expect(start(dir, { masterKey: randomBytes(32).toString('base64') })).rejects.toThrow(/INFINO_MASTER_KEY/);
  });

  it('env keys: used on first start, replaced when they change', async () => {
    const dir = tempDir();
    const envA = { accessKey: 'IAK_ENVAAAAAAAAAAAAA', secretKey: 'a'.repeat(40) };
    const s = await start(dir, envA);
    expect(s.credentials).toEqual(envA);
    expect(existsSync(join(dir, 'admin-credentials'))).toBe(false);
    await s.close();

    const envB = { accessKey: 'IAK_ENVBBBBBBBBBBBBB', secretKey: 'b'.repeat(40) };
    const s2 = await start(dir, envB);
    try {
      expect((await signedRequest(s2.port, envB, 'GET', '/')).status).toBe(200);
      // The earlier env-managed key is retired.
      expect((await signedRequest(s2.port, envA, 'GET', '/')).status).toBe(401);
    } finally {
      await s2.close();
    }

    const envB2 = { ...envB, secretKey: 'c'.repeat(40) };
    const s3 = await start(dir, envB2);
    try {
      expect((await signedRequest(s3.port, envB2, 'GET', '/')).status).toBe(200);
      expect((await signedRequest(s3.port, envB, 'GET', '/')).status).toBe(401);
    } finally {
      await s3.close();
    }
    await expect(start(dir, { accessKey: 'IAK_ONLYONE' })).rejects.toThrow(/both/);
  });

  it('env keys added on a later start leave the generated admin key working', async () => {
    const dir = tempDir();
    const s = await start(dir);
    const generated = s.credentials!;
    await s.close();
    const env = { accessKey: 'IAK_ENVCCCCCCCCCCCCC', secretKey: 'd'.repeat(40) };
    const s2 = await start(dir, env);
    try {
      expect((await signedRequest(s2.port, env, 'GET', '/')).status).toBe(200);
      expect((await signedRequest(s2.port, generated, 'GET', '/')).status).toBe(200);
    } finally {
      await s2.close();
    }
  });

  it('config reads flags over env over defaults', () => {
    expect(resolveConfig({}, {})).toMatchObject({ port: 8080, host: '127.0.0.1', bodyLimit: 100 * 1024 * 1024, logLevel: 'info' });
    const c = resolveConfig({ port: '9000' }, { INFINO_PORT: '7000', INFINO_HOST: '0.0.0.0', INFINO_BODY_LIMIT: '10mb', INFINO_DATA: '/tmp/x' });
    expect(c).toMatchObject({ port: 9000, host: '0.0.0.0', bodyLimit: 10 * 1024 * 1024, dataDir: '/tmp/x' });
    expect(() => resolveConfig({ port: 'abc' }, {})).toThrow(/port/);
    expect(() => resolveConfig({ bodyLimit: '12 parsecs' }, {})).toThrow(/body-limit/);
  });
});
