/**
 * An acknowledged bulk request survives `kill -9`: ingest through the real CLI process, kill it
 * without warning (a batch may be in flight), restart on the same data dir, and find every
 * acknowledged document.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InfinoClient } from '@infino/sdk';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../bin/infino.js', import.meta.url));
const AK = 'IAK_DURABILITY000001';
const SK = 'durabilitySecretKey000000000000000000000';

function serve(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data', dataDir, '--log-level', 'warn'], {
    env: { ...process.env, INFINO_ACCESS_KEY: AK, INFINO_SECRET_KEY: SK },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1] });
    });
    child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => reject(new Error(`server exited with ${code} before listening:\n${out}\n${err}`)));
  });
}

describe('durability', () => {
  const dir = mkdtempSync(join(tmpdir(), 'infino-kill9-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every acknowledged document across kill -9', async () => {
    const first = await serve(dir);
    const sdk = new InfinoClient({ accessKey: AK, secretKey: SK, endpoint: first.url, retry: { maxRetries: 1 } });
    const acknowledged: string[] = [];
    let batch = 0;
    const writer = (async () => {
      for (;;) {
        const ids = Array.from({ length: 500 }, (_, i) => `b${batch}-${i}`);
        const ops = ids.map((id) => ({ index: { _id: id }, doc: { batch, msg: `document ${id} of batch ${batch}` } }));
        batch++;
        try {
          const r = await sdk.uploadJsonToDataset('durable', { operations: ops });
          if (!r.errors) acknowledged.push(...ids);
        } catch {
          return; // the server died under us: this batch was never acknowledged
        }
      }
    })();
    while (acknowledged.length < 5_000) await new Promise((r) => setTimeout(r, 20));
    // Only one process may open a data dir: a second server says so and exits.
    await expect(serve(dir)).rejects.toThrow(/in use by another process/);
    first.child.kill('SIGKILL');
    await writer;
    if (first.child.exitCode === null && first.child.signalCode === null) await new Promise((r) => first.child.once('exit', r));

    const second = await serve(dir);
    try {
      const after = new InfinoClient({ accessKey: AK, secretKey: SK, endpoint: second.url, retry: { maxRetries: 1 } });
      const { count } = await after.request<{ count: number }>('GET', 'durable/_count');
      expect(count).toBeGreaterThanOrEqual(acknowledged.length);
      for (const id of [acknowledged[0], acknowledged[acknowledged.length >> 1], acknowledged.at(-1)!]) {
        expect((await after.getRecord('durable', id)).found).toBe(true);
      }
    } finally {
      second.child.kill('SIGTERM');
      await new Promise((r) => second.child.once('exit', r));
    }
  }, 120_000);
});
