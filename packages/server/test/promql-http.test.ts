/**
 * PromQL over HTTP end to end: metrics in through the SDK (text exposition) and through remote
 * write (snappy + protobuf), queries through the Infino routes (SDK) and the Prometheus API that
 * Grafana uses (raw signed HTTP), in Prometheus's envelope and number formatting.
 */
import { InfinoClient } from '@infino/sdk';
import snappy from 'snappy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWriteRequest } from '../src/metrics/remote-write.js';
import { signedRequest } from './http-helpers.js';
import { sdkFailure, type TestServer, startTestServer } from './test-server.js';

const creds = { accessKey: 'IAK_PROMQLHTTPTEST01', secretKey: 'promqlHttpTestSecretKey0000000000000000A' };
/** 2025-01-01T00:00:00Z: the data starts here, every 15 s. */
const T0 = Date.UTC(2025, 0, 1);

function exposition(): string {
  const lines = ['# TYPE http_requests_total counter', '# HELP http_requests_total Requests served.'];
  for (let i = 0; i <= 40; i++) {
    const t = T0 + i * 15_000;
    lines.push(`http_requests_total{job="api",instance="a"} ${i * 10} ${t}`);
    lines.push(`http_requests_total{job="api",instance="b"} ${i * 20} ${t}`);
    lines.push(`http_requests_total{job="web",instance="c"} ${i * 5} ${t}`);
  }
  return lines.join('\n') + '\n';
}

describe('PromQL over HTTP', () => {
  let running: TestServer;
  let sdk: InfinoClient;
  const api = (path: string, params: Record<string, string | string[]>, method = 'GET') => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) for (const x of ([] as string[]).concat(v)) q.append(k, x);
    return method === 'GET'
      ? signedRequest(running.server.port, creds, 'GET', `${path}?${q}`)
      : signedRequest(running.server.port, creds, 'POST', path, { body: q.toString(), contentType: 'application/x-www-form-urlencoded' });
  };

  beforeAll(async () => {
    running = await startTestServer('promql-http', creds);
    sdk = new InfinoClient({ ...creds, endpoint: running.server.url, retry: { maxRetries: 1 } });
    expect(await sdk.uploadMetricsToDataset('metrics', exposition())).toEqual(['Successfully added exposition metrics.']);
  });
  afterAll(() => running?.stop());

  it('answers instant and range queries on the Infino routes (SDK), with ms or Date times', async () => {
    const at = new Date(T0 + 600_000);
    const instant = await sdk.queryDatasetInPromql('sum by (job) (rate(http_requests_total[5m]))', 'metrics', { time: at });
    expect(instant.status).toBe('success');
    expect(instant.data?.resultType).toBe('vector');
    const byJob = Object.fromEntries((instant.data!.result as Array<{ metric: { job: string }; value: [number, string] }>).map((r) => [r.metric.job, r.value]));
    expect(byJob.api).toEqual([(T0 + 600_000) / 1000, '2']);
    expect(byJob.web).toEqual([(T0 + 600_000) / 1000, '0.3333333333333333']);

    const range = await sdk.queryDatasetInPromqlRange('http_requests_total{instance="a"}', T0, T0 + 60_000, 30, 'metrics');
    expect(range.data).toEqual({
      resultType: 'matrix',
      result: [
        {
          metric: { __name__: 'http_requests_total', instance: 'a', job: 'api' },
          values: [
            [T0 / 1000, '0'],
            [T0 / 1000 + 30, '20'],
            [T0 / 1000 + 60, '40'],
          ],
        },
      ],
    });
    // Without `index`: every metric dataset the caller may read.
    const all = await sdk.queryDatasetInPromql('count(http_requests_total)', undefined, { time: at });
    expect(all.data).toEqual({ resultType: 'vector', result: [{ metric: {}, value: [(T0 + 600_000) / 1000, '3'] }] });
  });

  it('speaks the Prometheus HTTP API Grafana uses', async () => {
    const q = await api('/api/v1/query', { query: 'max(http_requests_total) / 0', time: String((T0 + 60_000) / 1000) });
    expect(q.status).toBe(200);
    expect(q.json()).toEqual({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [(T0 + 60_000) / 1000, '+Inf'] }] } });
    const r = await api('/api/v1/query_range', { query: 'scalar(sum(http_requests_total)) * 2', start: '2025-01-01T00:00:00Z', end: '2025-01-01T00:00:30Z', step: '15s' }, 'POST');
    expect(r.json().data.result[0].values).toEqual([
      [T0 / 1000, '0'],
      [T0 / 1000 + 15, '70'],
      [T0 / 1000 + 30, '140'],
    ]);
    const series = await api('/api/v1/series', { 'match[]': 'http_requests_total{job="web"}' });
    expect(series.json()).toEqual({ status: 'success', data: [{ __name__: 'http_requests_total', instance: 'c', job: 'web' }] });
    expect((await api('/api/v1/labels', {})).json().data).toEqual(['__name__', 'instance', 'job']);
    expect((await api('/api/v1/label/job/values', {})).json().data).toEqual(['api', 'web']);
    expect((await api('/api/v1/metadata', {})).json().data).toEqual({ http_requests_total: [{ type: 'counter', help: 'Requests served.', unit: '' }] });
    expect((await api('/api/v1/status/buildinfo', {})).json().data.version).toMatch(/^3\./);
  });

  it('reports errors in Prometheus’s shape', async () => {
    const bad = await api('/api/v1/query', { query: 'sum(rate(x[5m])' });
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ status: 'error', errorType: 'bad_data', error: expect.stringMatching(/^1:\d+: parse error/) });
    const noQuery = await api('/api/v1/query_range', { start: '0', end: '1', step: '1' });
    expect(noQuery.json()).toMatchObject({ errorType: 'bad_data', error: 'invalid parameter "query": parameter is required' });
    const badTime = await api('/api/v1/query', { query: '1', time: 'yesterday' });
    expect(badTime.json().error).toContain('cannot parse "yesterday" to a valid timestamp');
    const tooMany = await api('/api/v1/query_range', { query: '1', start: '0', end: '100000', step: '1' });
    expect(tooMany.json().error).toContain('exceeded maximum resolution of 11000 points');
    const nul = await api('/api/v1/query', { query: 'http_requests_total{job="a\\x00"}' });
    expect(nul.status).toBe(400);
    expect(nul.json()).toMatchObject({ status: 'error', error: expect.stringContaining('NUL') });
    const sdkError = await sdkFailure(sdk.queryDatasetInPromql('up', 'no-such-dataset'));
    expect(sdkError.status).toBe(404);
    expect(JSON.parse(sdkError.message)).toMatchObject({ status: 'error', errorType: 'not_found' });
  });

  it('stops a query that would load too many samples (422 execution), as Prometheus does', async () => {
    const small = await startTestServer('promql-limits', { ...creds, promqlMaxSamples: 50 });
    try {
      const client = new InfinoClient({ ...creds, endpoint: small.server.url, retry: { maxRetries: 1 } });
      await client.uploadMetricsToDataset('metrics', exposition());
      const e = await sdkFailure(client.queryDatasetInPromqlRange('http_requests_total', T0, T0 + 600_000, 15, 'metrics'));
      expect(e.status).toBe(422);
      expect(JSON.parse(e.message)).toMatchObject({ status: 'error', errorType: 'execution', error: expect.stringContaining('too many samples') });
    } finally {
      await small.stop();
    }
  });

  it('receives Prometheus remote write (snappy + protobuf) into the chosen dataset', async () => {
    const body = snappy.compressSync(
      Buffer.from(
        encodeWriteRequest([
          { labels: { __name__: 'node_load1', instance: 'n1' }, samples: [{ t: T0, v: 0.5 }, { t: T0 + 15_000, v: 0.75 }] },
          { labels: { __name__: 'node_load1', instance: 'n2' }, samples: [{ t: T0, v: 1.5 }] },
        ]),
      ),
    ) as Buffer;
    const headers = { 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '0.1.0' };
    const res = await signedRequest(running.server.port, creds, 'POST', '/api/v1/write?dataset=remote', { body, contentType: 'application/x-protobuf', extra: headers });
    expect(res.status).toBe(204);
    const q = await api('/api/v1/query', { query: 'sum(node_load1)', time: String((T0 + 15_000) / 1000), index: 'remote' });
    expect(q.json().data.result[0].value).toEqual([(T0 + 15_000) / 1000, '2.25']);

    const invalid = snappy.compressSync(Buffer.from(encodeWriteRequest([{ labels: { job: 'x' }, samples: [{ t: T0, v: 1 }] }]))) as Buffer;
    const refused = await signedRequest(running.server.port, creds, 'POST', '/api/v1/write', { body: invalid, contentType: 'application/x-protobuf', extra: headers });
    expect(refused.status).toBe(400);
    expect(refused.json().error.reason).toContain('without a metric name');
    const garbage = await signedRequest(running.server.port, creds, 'POST', '/api/v1/write', { body: Buffer.from('not snappy'), contentType: 'application/x-protobuf', extra: headers });
    expect(garbage.status).toBe(400);
  });
  it('info() reads the info series from the store (identifying values matched literally)', async () => {
    const t = T0 + 30_000;
    const text = [
      `up{job="node",instance="h.1:9100"} 1 ${t}`,
      `up{job="node",instance="h21:9100"} 1 ${t}`,
      `target_info{job="node",instance="h.1:9100",region="eu"} 1 ${t}`,
      `target_info{job="node",instance="hx1:9100",region="wrong"} 1 ${t}`,
    ].join('\n');
    expect(await sdk.uploadMetricsToDataset('infometrics', `${text}\n`)).toEqual(['Successfully added exposition metrics.']);
    const res = await sdk.queryDatasetInPromql('info(up)', 'infometrics', { time: new Date(t) });
    const got = (res.data!.result as Array<{ metric: Record<string, string> }>).map((r) => r.metric).sort((a, b) => a.instance.localeCompare(b.instance));
    expect(got).toEqual([
      { __name__: 'up', job: 'node', instance: 'h.1:9100', region: 'eu' },
      { __name__: 'up', job: 'node', instance: 'h21:9100' },
    ]);
  });
});
