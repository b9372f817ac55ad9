/**
 * `POST /{dataset}/metrics` end to end: the real server and DuckDB engine, driven by the real SDK
 * (which labels the raw text `application/x-www-form-urlencoded`) and by raw signed requests.
 */
import { InfinoClient } from '@infino/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckEngine } from '../src/engine/duck/engine.js';
import type { Engine } from '../src/engine/types.js';
import type { LabelMatcher } from '../src/promql/ast.js';
import { signedRequest } from './http-helpers.js';
import { sdkFailure, type TestServer, startTestServer } from './test-server.js';

const AK = 'IAK_METRICSINGEST0001';
const SK = 'metricsIngestSecretKey000000000000000000';
const name = (value: string): LabelMatcher => ({ name: '__name__', type: '=', value });

describe('metrics ingest over HTTP', () => {
  let running: TestServer;
  let engine: Engine;
  let sdk: InfinoClient;
  const req = (method: string, url: string, opts?: Parameters<typeof signedRequest>[4]) =>
    signedRequest(running.server.port, { accessKey: AK, secretKey: SK }, method, url, opts);
  const read = async (dataset: string, metric: string) =>
    (await engine.metrics.metricsSource([dataset]).select([name(metric)], -1e15, 1e15)).map((s) => ({ metric: s.metric, t: [...s.t], v: [...s.v] }));

  beforeAll(async () => {
    running = await startTestServer('metrics-http', {
      accessKey: AK,
      secretKey: SK,
      // The real engine; the test keeps a handle to read back what the route stored.
      openEngine: async (db) => (engine = await openDuckEngine(db)),
    });
    sdk = new InfinoClient({ accessKey: AK, secretKey: SK, endpoint: running.server.url, retry: { maxRetries: 1 } });
  });
  afterAll(() => running?.stop());

  it('stores a Prometheus exposition sent by the SDK and answers as documented', async () => {
    const text = [
      '# HELP http_requests_total Requests.',
      '# TYPE http_requests_total counter',
      'http_requests_total{method="post",code="200"} 1027 1395066363000',
      'http_requests_total{method="post",code="400"} 3 1395066363000',
      '# TYPE temp gauge',
      'temp{room="k\\"itchen"} -2.5',
      '',
    ].join('\n');
    const before = Date.now();
    expect(await sdk.uploadMetricsToDataset('metrics.aly', text)).toEqual(['Successfully added exposition metrics.']);
    expect(await read('metrics.aly', 'http_requests_total')).toEqual([
      { metric: { __name__: 'http_requests_total', code: '200', method: 'post' }, t: [1395066363000], v: [1027] },
      { metric: { __name__: 'http_requests_total', code: '400', method: 'post' }, t: [1395066363000], v: [3] },
    ]);
    const [temp] = await read('metrics.aly', 'temp');
    expect(temp.metric).toEqual({ __name__: 'temp', room: 'k"itchen' });
    // No timestamp: the server's receive time.
    expect(temp.t[0]).toBeGreaterThanOrEqual(before);
    expect(temp.t[0]).toBeLessThanOrEqual(Date.now());
    expect(engine.metrics.metricDatasets()).toContain('metrics.aly');
    expect(await engine.metrics.metadata(['metrics.aly'])).toEqual({
      http_requests_total: [{ type: 'counter', help: 'Requests.', unit: '' }],
      temp: [{ type: 'gauge', help: '', unit: '' }],
    });
  });

  it('keeps the valid lines of a bad request and answers 400 naming each bad line', async () => {
    const text = ['good_one 1 1000', 'bad{ 2', 'good_two 2 1000', 'dup{a="1",a="2"} 1', 'good_three abc'].join('\n');
    const err = await sdkFailure(sdk.uploadMetricsToDataset('partial', text));
    expect(err.status).toBe(400);
    const body = err.body as { error: { type: string; reason: string; accepted: number; rejected: number; lines: unknown[] }; status: number };
    expect(body.status).toBe(400);
    expect(body.error.type).toBe('parse_exception');
    expect(body.error.reason).toMatch(/^3 lines rejected, 2 samples stored: line 2: .*; line 4: duplicate label name "a" in dup; line 5: invalid value "abc" for good_three$/);
    expect(body.error.accepted).toBe(2);
    expect(body.error.rejected).toBe(3);
    expect(body.error.lines).toEqual([
      { line: 2, message: expect.any(String) },
      { line: 4, message: 'duplicate label name "a" in dup' },
      { line: 5, message: 'invalid value "abc" for good_three' },
    ]);
    expect(await read('partial', 'good_one')).toHaveLength(1);
    expect(await read('partial', 'good_two')).toHaveLength(1);
  });

  it('lists at most ten bad lines in the reason', async () => {
    const text = Array.from({ length: 15 }, (_, i) => `bad${i}{ 1`).join('\n');
    const res = await req('POST', '/many_bad/metrics', { body: text, contentType: 'text/plain' });
    expect(res.status).toBe(400);
    expect(res.json().error.reason).toMatch(/^15 lines rejected, 0 samples stored: line 1: .*; and 5 more$/);
    expect(res.json().error.lines).toHaveLength(15);
  });

  it('reads the body as text whatever the content type; OpenMetrics by # EOF or content type', async () => {
    const om = '# TYPE c counter\nc_total 5 1700000000.5\nc_created 1700000000\n# EOF\n';
    expect((await req('POST', '/om/metrics', { body: om, contentType: 'application/json' })).status).toBe(200);
    expect(await read('om', 'c_total')).toEqual([{ metric: { __name__: 'c_total' }, t: [1700000000500], v: [5] }]);
    expect(await read('om', 'c_created')).toEqual([]);
    const res = await req('POST', '/om/metrics', { body: 'g 1 1700000001.25', contentType: 'application/openmetrics-text; version=1.0.0' });
    expect(res.status).toBe(200);
    expect((await read('om', 'g'))[0].t).toEqual([1700000001250]);
    expect((await req('POST', '/om/metrics', { body: 'h 1 5', contentType: null })).status).toBe(200);
    expect((await read('om', 'h'))[0].t).toEqual([5]);
  });

  it('duplicates and out-of-order samples over HTTP: last write wins', async () => {
    await sdk.uploadMetricsToDataset('order', 'x 1 3000\nx 2 1000');
    await sdk.uploadMetricsToDataset('order', 'x 3 2000\nx 4 1000');
    expect(await read('order', 'x')).toEqual([{ metric: { __name__: 'x' }, t: [1000, 2000, 3000], v: [4, 3, 1] }]);
  });

  it('accepts an empty body (nothing to store)', async () => {
    expect((await req('POST', '/empty/metrics', { body: '', contentType: 'text/plain' })).status).toBe(200);
  });

  it('refuses invalid dataset names and non-UTF-8 bodies with 400', async () => {
    expect((await req('POST', '/bad%20name/metrics', { body: 'a 1' })).status).toBe(400);
    expect((await req('POST', '/ok/metrics', { body: Buffer.from([0x61, 0x20, 0xff, 0x0a]) })).status).toBe(400);
  });

  it('reads and sets the retention', async () => {
    expect((await req('GET', '/metrics.aly/metrics/retention')).json()).toEqual({ retention: null, retention_ms: null });
    const put = await req('PUT', '/metrics.aly/metrics/retention', { body: '{"retention":"30d"}' });
    // Echoed in Prometheus's duration format (largest units first, as `model.Duration` prints).
    expect(put.json()).toEqual({ acknowledged: true, retention: '4w2d', retention_ms: 30 * 86_400_000 });
    expect((await req('GET', '/metrics.aly/metrics/retention')).json()).toEqual({ retention: '4w2d', retention_ms: 2_592_000_000 });
    expect((await req('PUT', '/metrics.aly/metrics/retention', { body: '{"retention":"1h30m"}' })).json().retention).toBe('1h30m');
    expect((await req('PUT', '/metrics.aly/metrics/retention', { body: '{"retention":null}' })).json().retention).toBeNull();
    expect((await req('PUT', '/metrics.aly/metrics/retention', { body: '{"retention":"soon"}' })).status).toBe(400);
    expect((await req('PUT', '/metrics.aly/metrics/retention', { body: '{}' })).status).toBe(400);
    expect((await req('PUT', '/nope/metrics/retention', { body: '{"retention":"1d"}' })).status).toBe(404);
    expect((await req('GET', '/nope/metrics/retention')).status).toBe(404);
  });
});
