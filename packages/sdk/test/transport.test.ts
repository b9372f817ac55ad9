/** Retries, timeouts, abort, response and error parsing against a real local HTTP server. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { InfinoClient, InfinoError, type RetryConfig } from '../src/index.js';
import { AK, SK } from './helpers.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let base = '';
let seen: Seen[] = [];
let handler: (req: Seen, res: ServerResponse, n: number) => void = (_q, res) => res.end('{}');

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const s = { method: req.method!, url: req.url!, headers: req.headers, body };
      seen.push(s);
      handler(s, res, seen.length);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  seen = [];
  handler = (_q, res) => res.end('{}');
});

const FAST: Partial<RetryConfig> = { initialIntervalMs: 5, maxIntervalMs: 20 };
const client = (extra: Partial<ConstructorParameters<typeof InfinoClient>[0]> = {}) =>
  new InfinoClient({ accessKey: AK, secretKey: SK, endpoint: base + '/', retry: FAST, ...extra });

function reply(status: number, body: string, type = 'application/json') {
  return (_q: Seen, res: ServerResponse) => {
    res.writeHead(status, { 'Content-Type': type });
    res.end(body);
  };
}

describe('retries (§1.13)', () => {
  it('5xx is retried with back-off, then succeeds; every attempt is re-signed', async () => {
    let t = Date.parse('2025-01-15T10:30:00Z');
    handler = (_q, res, n) => (n < 3 ? reply(503, 'busy')(_q, res) : res.end('{"ok":true}'));
    const c = client({ clock: () => new Date((t += 1000)) });
    expect(await c.request('GET', 'x')).toEqual({ ok: true });
    expect(seen).toHaveLength(3);
    const dates = seen.map((s) => s.headers['x-amz-date']);
    expect(new Set(dates).size).toBe(3);
    expect(new Set(seen.map((s) => s.headers.authorization)).size).toBe(3);
  });

  it('maxRetries is the total number of attempts; last 5xx is thrown', async () => {
    handler = reply(500, '{"error":{"type":"internal","reason":"boom"},"status":500}');
    const err = await client().ping().catch((e: unknown) => e);
    expect(seen).toHaveLength(3);
    expect(err).toBeInstanceOf(InfinoError);
    expect((err as InfinoError).statusCode()).toBe(500);
    expect((err as InfinoError).reason).toBe('boom');
  });

  it('4xx is never retried (incl. 408/409/429)', async () => {
    for (const status of [400, 408, 409, 429]) {
      seen = [];
      handler = reply(status, 'nope', 'text/plain');
      const err = (await client().request('GET', 'x').catch((e: unknown) => e)) as InfinoError;
      expect(seen).toHaveLength(1);
      expect(err.status).toBe(status);
      expect(err.errorType).toBe(status === 429 ? 'rate_limit' : 'request');
      expect(err.message).toBe('nope');
    }
  });

  it('maxRetries <= 0 sends nothing and raises "Max retries exceeded"', async () => {
    const err = (await client({ retry: { maxRetries: 0 } }).ping().catch((e: unknown) => e)) as InfinoError;
    expect(seen).toHaveLength(0);
    expect([err.message, err.status, err.errorType]).toEqual(['Max retries exceeded', 0, 'request']);
  });

  it('maxElapsedMs stops retrying when the next wait would exceed the budget', async () => {
    handler = reply(502, 'bad gateway', 'text/plain');
    const c = client({ retry: { initialIntervalMs: 50, maxRetries: 10, maxElapsedMs: 120 } });
    await expect(c.ping()).rejects.toMatchObject({ status: 502 });
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen.length).toBeLessThanOrEqual(3);
  });

  it('dropped connections are retried (network error, status 0)', async () => {
    handler = (_q, res, n) => (n < 2 ? res.socket?.destroy() : res.end('[1,2]'));
    expect(await client().request('GET', 'x')).toEqual([1, 2]);
    expect(seen).toHaveLength(2);
    seen = [];
    handler = (_q, res) => res.socket?.destroy();
    const err = (await client().ping().catch((e: unknown) => e)) as InfinoError;
    expect(seen).toHaveLength(3);
    expect([err.errorType, err.status]).toEqual(['network', 0]);
  });

  it('"connection refused" is not retried', async () => {
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const started = Date.now();
    const c = new InfinoClient({ accessKey: AK, secretKey: SK, endpoint: `http://127.0.0.1:${port}`, retry: { initialIntervalMs: 2000 } });
    const err = (await c.ping().catch((e: unknown) => e)) as InfinoError;
    expect(err.errorType).toBe('network');
    expect(err.status).toBe(0);
    expect(Date.now() - started).toBeLessThan(1500); // no 2 s back-off happened
  });

  it('per-attempt timeout ⇒ errorType timeout after retries', async () => {
    handler = () => undefined; // never answer
    const err = (await client({ timeoutMs: 50, retry: { ...FAST, maxRetries: 2 } }).ping().catch((e: unknown) => e)) as InfinoError;
    expect(err.errorType).toBe('timeout');
    expect(seen).toHaveLength(2);
  });

  it('user AbortSignal rejects with its reason and stops retries', async () => {
    handler = () => undefined;
    const ac = new AbortController();
    const p = client().ping({ signal: ac.signal });
    setTimeout(() => ac.abort(new Error('stop')), 30);
    await expect(p).rejects.toThrow('stop');
    const pre = new AbortController();
    pre.abort(new Error('already'));
    await expect(client().ping({ signal: pre.signal })).rejects.toThrow('already');
  });
});

describe('responses and errors (§1.14)', () => {
  it('empty → {}, JSON of any type, non-JSON → {text}', async () => {
    const c = client();
    handler = reply(200, '');
    expect(await c.request('GET', 'x')).toEqual({});
    handler = reply(200, 'true');
    expect(await c.request('GET', 'x')).toBe(true);
    handler = reply(200, '"abc"');
    expect(await c.request('GET', 'x')).toBe('abc');
    handler = reply(200, 'null');
    expect(await c.request('GET', 'x')).toBeNull();
    handler = reply(200, 'hello', 'text/plain');
    expect(await c.request('GET', 'x')).toEqual({ text: 'hello' });
  });

  it('server error body is parsed into body/type/reason; message is the raw text', async () => {
    const text = '{"error":{"type":"NotFound","reason":"visualization \'nope\' not found"},"status":404}';
    handler = reply(404, text);
    const err = (await client().getVisualization('nope').catch((e: unknown) => e)) as InfinoError;
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('InfinoError');
    expect(err.message).toBe(text);
    expect(err.status).toBe(404);
    expect(err.statusCode()).toBe(404);
    expect(err.url).toBe(`${base}/visualizations/nope`);
    expect(err.body).toEqual(JSON.parse(text));
    expect([err.type, err.reason]).toEqual(['NotFound', "visualization 'nope' not found"]);
  });

  it('Prometheus-style error bodies expose errorType/error as type/reason', async () => {
    handler = reply(400, '{"status":"error","errorType":"bad_data","error":"parse error: x"}');
    const err = (await client().queryDatasetInPromql('(').catch((e: unknown) => e)) as InfinoError;
    expect([err.type, err.reason]).toEqual(['bad_data', 'parse error: x']);
  });
});

describe('wire behaviour against a real server', () => {
  it('endpoint rstrip, raw path params, default Content-Type and signed Host', async () => {
    await client().getRecord('my_ds', 'id:1');
    expect(seen[0].url).toBe('/my_ds/doc/id:1');
    expect(seen[0].headers['content-type']).toBe('application/json');
    expect(seen[0].headers.host).toBe(base.slice('http://'.length));
    expect(seen[0].headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/es\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/);
  });

  it('request() accepts a full URL and a query (signed)', async () => {
    await client().request('POST', `${base}/_conversation/threads`, { headers: {}, body: '{"a": 1}', query: { x: 'a b' } });
    expect(seen[0].url).toBe('/_conversation/threads?x=a%20b');
    expect(seen[0].body).toBe('{"a": 1}');
  });

  it('PUT without body sends Content-Length 0', async () => {
    await client().createDataset('ds');
    expect(seen[0].method).toBe('PUT');
    expect(seen[0].headers['content-length']).toBe('0');
  });

  it('getSourceMetadata sends no Content-Type', async () => {
    await client().getSourceMetadata('c1', 'db');
    expect(seen[0].headers['content-type']).toBeUndefined();
    expect(seen[0].headers['x-infino-connection-id']).toBe('c1');
  });

  it('close() and asyncDispose', async () => {
    const c = client();
    c.close();
    await expect(c.ping()).rejects.toMatchObject({ errorType: 'invalid_request' });
    const d = client();
    await d[Symbol.asyncDispose]();
    expect(d.closed).toBe(true);
  });
});
