/** The real CLI: `infino serve --port 0`, a signed request, then SIGTERM → clean exit 0. */
import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { sign, signedRequest } from './http-helpers.js';

const bin = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'infino.js');
const dir = mkdtempSync(join(tmpdir(), 'infino-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('serves, then shuts down gracefully on SIGTERM', async () => {
  const creds = { accessKey: 'IAK_CLICLICLICLICLI1', secretKey: 'k'.repeat(40) };
  const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--data', dir, '--log-level', 'warn'], {
    env: { ...process.env, INFINO_ACCESS_KEY: creds.accessKey, INFINO_SECRET_KEY: creds.secretKey, INFINO_MASTER_KEY: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no startup line:\n${out}`)), 20_000);
    child.stdout.on('data', () => {
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.on('exit', () => reject(new Error(`exited early:\n${out}`)));
  });
  const port = Number(new URL(url).port);

  expect((await signedRequest(port, creds, 'GET', '/')).status).toBe(200);

  // A request in flight when the signal arrives must still be answered: send half the body,
  // signal, then the rest.
  const body = '{"index":{"_id":"1"}}\n{"msg":"in flight"}\n';
  const headers = { ...sign({ method: 'POST', url: '/cli_ds/json', host: `127.0.0.1:${port}`, body, contentType: 'application/x-ndjson', ...creds }), 'content-length': String(body.length) };
  const response = new Promise<number>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/cli_ds/json', headers, setHost: false }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.write(body.slice(0, 10));
    setTimeout(() => {
      child.kill('SIGTERM');
      setTimeout(() => req.end(body.slice(10)), 300);
    }, 300);
  });
  expect(await response).toBe(200);
  const t0 = Date.now();
  expect(await exited).toBe(0);
  // Pooled keep-alive connections must not hold the shutdown open (Node's agent keeps them 5 s).
  expect(Date.now() - t0).toBeLessThan(4000);
  expect(out).toContain('SIGTERM received');
  // engine.close() checkpointed: the WAL has been folded into the database file.
  expect(existsSync(join(dir, 'infino.duckdb.wal'))).toBe(false);
}, 40_000);
