/**
 * Body-limit behaviour against the default 100 MB limit: a 200 MB upload must be answered with 413
 * without the server buffering it all (and without the test having to send all of it).
 */
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_BODY_LIMIT } from '../src/config.js';
import type { RunningServer } from '../src/server.js';
import { FakeEngine, fakeParseQuery } from './http-fake-engine.js';
import { sign } from './http-helpers.js';
import { type TestServer, startTestServer } from './test-server.js';

const AK = 'IAK_LIMITSLIMITS1234';
const SK = 'L'.repeat(40);
let running: TestServer;
let server: RunningServer;

beforeAll(async () => {
  running = await startTestServer('limit', {
    accessKey: AK,
    secretKey: SK,
    openEngine: async (db) => new FakeEngine(db),
    parseQuery: fakeParseQuery,
  });
  server = running.server;
  expect(server.config.bodyLimit).toBe(DEFAULT_BODY_LIMIT);
});

afterAll(() => running?.stop());

/**
 * Stream up to `total` bytes in 1 MB chunks, stopping as soon as a response arrives. Resolves with
 * the status, body and how many bytes had been written by then.
 */
function streamUpload(total: number, chunked: boolean): Promise<{ status: number; body: string; sent: number }> {
  const host = `127.0.0.1:${server.port}`;
  // UNSIGNED-PAYLOAD: the test cannot hash 200 MB up front cheaply, and the limit must bite anyway.
  const headers: Record<string, string> = sign({
    method: 'POST',
    url: '/big/json',
    host,
    accessKey: AK,
    secretKey: SK,
    contentType: 'application/x-ndjson',
    payloadHash: 'UNSIGNED-PAYLOAD',
  });
  if (!chunked) headers['content-length'] = String(total);
  const chunk = Buffer.alloc(1024 * 1024, 0x61);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let done = false;
    const req = httpRequest({ host: '127.0.0.1', port: server.port, method: 'POST', path: '/big/json', headers, setHost: false }, (res) => {
      done = true;
      const parts: Buffer[] = [];
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString(), sent });
        req.destroy();
      });
    });
    // Once the server answered and closed, further writes fail with EPIPE/ECONNRESET: expected.
    req.on('error', (e) => (done ? undefined : reject(e)));
    const pump = () => {
      while (!done && sent < total) {
        sent += chunk.length;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      if (!done) req.end();
    };
    pump();
  });
}

it('200 MB chunked upload → 413 before the body is all sent', async () => {
  const r = await streamUpload(200 * 1024 * 1024, true);
  expect(r.status).toBe(413);
  expect(JSON.parse(r.body)).toMatchObject({ error: { type: 'content_too_long_exception' }, status: 413 });
  expect(r.sent).toBeLessThan(200 * 1024 * 1024);
});

it('200 MB declared by Content-Length → 413 at once', async () => {
  const r = await streamUpload(200 * 1024 * 1024, false);
  expect(r.status).toBe(413);
  expect(r.sent).toBeLessThan(50 * 1024 * 1024);
});

it('the server is still healthy afterwards', async () => {
  const r = await streamUpload(0, false).catch((e) => e);
  // An empty unsigned-payload bulk is a 400 (body required), proving the server still answers.
  expect(r.status).toBe(400);
});
