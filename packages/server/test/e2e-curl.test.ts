/**
 * curl signs with `--aws-sigv4 "aws:amz:us-east-1:es"` (its own canonicalisation, not the SDK's):
 * the real server must accept it for writes with bodies as well as reads.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { type TestServer, startTestServer } from './test-server.js';

const run = promisify(execFile);
const AK = 'IAK_CURLTEST00000001';
const SK = 'curlTestSecretKey00000000000000000000000';
const hasCurl = await run('curl', ['--version']).then(
  () => true,
  () => false,
);

describe.skipIf(!hasCurl)('curl --aws-sigv4 against the real server', () => {
  let running: TestServer;
  let server: RunningServer;
  const curl = async (...args: string[]) => {
    const { stdout } = await run('curl', ['-s', '-w', '\n%{http_code}', '--aws-sigv4', 'aws:amz:us-east-1:es', '--user', `${AK}:${SK}`, ...args]);
    const nl = stdout.lastIndexOf('\n');
    return { status: Number(stdout.slice(nl + 1)), body: JSON.parse(stdout.slice(0, nl)) };
  };

  beforeAll(async () => {
    running = await startTestServer('curl', { accessKey: AK, secretKey: SK });
    server = running.server;
  });
  afterAll(() => running?.stop());

  it('creates, bulk-ingests, reads, counts and deletes by query', async () => {
    expect((await curl('-X', 'PUT', `${server.url}/curl-logs`)).status).toBe(200);
    const ndjson = '{"index":{"_id":"1"}}\n{"level":"error","msg":"disk full"}\n{"index":{"_id":"2"}}\n{"level":"info","msg":"ok"}\n';
    const bulk = await curl('-X', 'POST', `${server.url}/curl-logs/json`, '-H', 'Content-Type: application/x-ndjson', '--data-binary', ndjson);
    expect(bulk).toMatchObject({ status: 200, body: { errors: false } });
    expect((await curl(`${server.url}/curl-logs/doc/1`)).body).toMatchObject({ found: true, _source: { level: 'error' } });
    const count = await curl('-X', 'POST', `${server.url}/curl-logs/_count`, '-H', 'Content-Type: application/json', '-d', '{"query":{"term":{"level":"info"}}}');
    expect(count.body).toMatchObject({ count: 1 });
    const del = await curl('-X', 'PATCH', `${server.url}/curl-logs`, '-H', 'Content-Type: application/json', '-d', '{"query":{"ids":{"values":["1"]}}}');
    expect(del.body).toMatchObject({ deleted: 1 });
  });

  it('refuses a wrong secret', async () => {
    const { stdout } = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '--aws-sigv4', 'aws:amz:us-east-1:es', '--user', `${AK}:wrong`, `${server.url}/metadata`]);
    expect(stdout).toBe('401');
  });
});
