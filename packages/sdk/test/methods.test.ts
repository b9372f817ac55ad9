/** Method → wire mapping and SDK post-processing (spec §2). */
import { describe, expect, it } from 'vitest';
import { InfinoClient, InfinoError, InfinoSDK, toNdjson } from '../src/index.js';
import { AK, SK, capturingClient } from './helpers.js';

const fail = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e as InfinoError);

describe('construction', () => {
  it('aliases and static constructors', () => {
    expect(InfinoSDK).toBe(InfinoClient);
    const a = InfinoClient.new(AK, SK, 'https://api.infino.ws///');
    expect(a.endpoint).toBe('https://api.infino.ws');
    expect(a.retryConfig).toEqual({ initialIntervalMs: 1000, maxIntervalMs: 15000, maxRetries: 3, maxElapsedMs: 90000 });
    const b = InfinoClient.newWithRetry(AK, SK, 'http://h', { maxRetries: 5 });
    expect(b.retryConfig.maxRetries).toBe(5);
    expect(b.url('a/b')).toBe('http://h/a/b');
    expect(b.url('/a')).toBe('http://h/a');
    expect(b.url('https://other/x')).toBe('https://other/x');
    expect(b.createDataset).toBeTypeOf('function');
  });
});

describe('datasets', () => {
  it('createDataset swallows 409', async () => {
    const { client } = capturingClient(() => ({ status: 409, body: '{"error":{"type":"resource_already_exists_exception","reason":"x"},"status":409}' }));
    expect(await client.createDataset('logs')).toEqual({ acknowledged: true, index: 'logs' });
    const other = capturingClient(() => ({ status: 400, body: 'bad' }));
    expect(await fail(other.client.createDataset('x'))).toMatchObject({ status: 400 });
  });

  it('getDatasets requires an array', async () => {
    const ok = capturingClient(() => ({ body: '[{"index":"a"}]' }));
    expect(await ok.client.getDatasets()).toEqual([{ index: 'a' }]);
    expect(ok.calls[0].url).toBe('http://localhost:8000/metadata');
    const bad = capturingClient(() => ({ body: '{"index":"a"}' }));
    const err = await fail(bad.client.getDatasets());
    expect([err?.errorType, err?.message, err?.status]).toEqual(['invalid_request', 'Expected list of datasets', undefined]);
  });

  it('list checks for threads, sources, connections, jobs', async () => {
    const { client } = capturingClient(() => ({ body: '{}' }));
    expect((await fail(client.listThreads()))?.message).toBe('Expected list of threads');
    expect((await fail(client.getSources()))?.message).toBe('Expected list of sources');
    expect((await fail(client.getConnections()))?.message).toBe('Expected list of connections');
    expect((await fail(client.getImportJobs()))?.message).toBe('Expected list of jobs');
  });

  it('getDatasetMetadata unwrapping', async () => {
    const cases: Array<[string, unknown]> = [
      ['{"index":"a"}', { index: 'a' }],
      ['[{"index":"b"},{"index":"c"}]', { index: 'b' }],
      ['[]', {}],
      ['"hello"', { text: 'hello' }],
      ['', {}],
      ['not json', { text: 'not json' }],
    ];
    for (const [body, want] of cases) {
      const { client, calls } = capturingClient(() => ({ body }));
      expect(await client.getDatasetMetadata('ds')).toEqual(want);
      expect(calls[0].url).toBe('http://localhost:8000/ds/metadata');
    }
    for (const body of ['42', 'true', 'null']) {
      const { client } = capturingClient(() => ({ body }));
      expect((await fail(client.getDatasetMetadata('ds')))?.message).toBe('Unexpected response from dataset metadata');
    }
  });

  it('uploadJsonToDataset: NDJSON text, documents, operations', async () => {
    const { client, calls } = capturingClient(() => ({ body: '{"took":1,"errors":false,"items":[]}' }));
    await client.uploadJsonToDataset('ds', '{"index":{}}\n{"a":1}');
    expect(calls[0].url).toBe('http://localhost:8000/ds/json');
    expect(calls[0].headers['Content-Type']).toBe('application/x-ndjson');
    expect(calls[0].body).toBe('{"index":{}}\n{"a":1}\n');
    await client.uploadJsonToDataset('ds', [{ a: 1 }, { _id: 'x', b: 'é' }]);
    expect(calls[1].body).toBe('{"index":{}}\n{"a":1}\n{"index":{}}\n{"_id":"x","b":"é"}\n');
    expect(
      toNdjson({
        operations: [
          { index: { _id: '1' }, doc: { a: 1 } },
          { create: {}, doc: { b: 2 } },
          { update: { _id: '1' }, doc: { a: 3 }, docAsUpsert: true },
          { delete: { _id: '2' } },
        ],
      }),
    ).toBe(
      '{"index":{"_id":"1"}}\n{"a":1}\n{"create":{}}\n{"b":2}\n{"update":{"_id":"1"}}\n{"doc":{"a":3},"doc_as_upsert":true}\n{"delete":{"_id":"2"}}\n',
    );
    expect(toNdjson('')).toBe('\n');
  });

  it('deleteRecords, getRecord, getDatasetSchema, metrics, upsert, enrich', async () => {
    const { client, calls } = capturingClient();
    await client.deleteRecords('ds', '{"query": {"match_all": {}}}');
    await client.deleteRecords('ds', { query: { match_all: {} } });
    await client.getRecord('ds', '42');
    await client.getDatasetSchema('ds');
    await client.uploadMetricsToDataset('m', 'up{job="a"} 1\n');
    await client.upsertToDataset("UPSERT INTO t (id) VALUES ('ü')");
    await client.enrichDataset('ds', { enrich_policy: { match_field: 'u', enrich_fields: ['e'] } });
    expect(calls.map((c) => `${c.method} ${c.url.slice(21)} ${c.body ?? ''}`)).toEqual([
      'PATCH /ds {"query": {"match_all": {}}}',
      'PATCH /ds {"query":{"match_all":{}}}',
      'GET /ds/doc/42 ',
      'GET /ds/_schema ',
      'POST /m/metrics up{job="a"} 1\n',
      'POST /sql {"query": "UPSERT INTO t (id) VALUES (\'\\u00fc\')"}',
      'POST /ds/enrich_dataset {"enrich_policy":{"match_field":"u","enrich_fields":["e"]}}',
    ]);
    expect(calls[4].headers['Content-Type']).toBe('application/x-www-form-urlencoded');
    expect(calls[0].headers['Content-Type']).toBe('application/json');
  });
});

describe('queries', () => {
  it('querydsl uses POST by default; GET needs a custom fetch; default fetch refuses GET bodies', async () => {
    const { client, calls } = capturingClient();
    await client.queryDatasetInQuerydsl('ds', { query: { match_all: {} } });
    expect([calls[0].method, calls[0].url, calls[0].body]).toEqual(['POST', 'http://localhost:8000/ds/querydsl', '{"query":{"match_all":{}}}']);
    const plain = new InfinoClient({ accessKey: AK, secretKey: SK, endpoint: 'http://127.0.0.1:9', queryMethod: 'GET' });
    expect((await fail(plain.queryDatasetInSql('SELECT 1')))?.errorType).toBe('invalid_request');
  });

  it('promql range body', async () => {
    const { client, calls } = capturingClient();
    await client.queryDatasetInPromqlRange('rate(x[5m])', 1700000000000, 1700003600000, 60, 'metrics');
    expect(calls[0].body).toBe('query=rate%28x%5B5m%5D%29&start=1700000000000&end=1700003600000&step=60&index=metrics');
    await client.queryDatasetInPromqlRange('x', '1.0', 2, '60.0');
    expect(calls[1].body).toBe('query=x&start=1.0&end=2&step=60.0');
  });
});

describe('fino, connections, rbac, visualizations', () => {
  it('routes and bodies', async () => {
    const { client, calls } = capturingClient(() => ({ body: '[]' }));
    await client.createThread({ name: 'T', streaming: true });
    await client.updateThread('t1', { name: 'N' });
    await client.addThreadMessage('t1', { role: 'user', content: { user_query: 'hi' } });
    await client.clearThreadMessages('t1');
    await client.sendMessage({ role: 'user', content: { user_query: 'q' }, thread_id: 't1' });
    await client.createConnection('elasticsearch', { name: 'es', base_url: 'http://es' });
    await client.updateConnection('c1', { name: 'x' });
    await client.createImportJob('elasticsearch', { source_id: 'c1', target_dataset: 'd' });
    await client.deleteImportJob('j1');
    await client.getConnectorJobStatus('r1');
    await client.createRole('r', { Version: '2025-01-01', Permissions: [] });
    await client.rotateKeys('bob');
    await client.listUsers();
    expect(calls.map((c) => `${c.method} ${c.url.slice(21)} ${c.body ?? ''}`)).toEqual([
      'POST /fino/threads {"name": "T", "streaming": true}',
      'PUT /fino/threads/t1 {"name": "N"}',
      'POST /fino/threads/t1/messages {"role": "user", "content": {"user_query": "hi"}}',
      'DELETE /fino/threads/t1/messages ',
      'POST /fino/message {"role": "user", "content": {"user_query": "q"}, "thread_id": "t1"}',
      'POST /source/elasticsearch {"config": {"name": "es", "base_url": "http://es"}}',
      'PATCH /source/c1 {"config": {"name": "x"}}',
      'PUT /import/elasticsearch {"source_id": "c1", "target_dataset": "d"}',
      'DELETE /import/jobs/j1 ',
      'GET /_connectors/jobs/r1 ',
      'PUT /role/r {"Version": "2025-01-01", "Permissions": []}',
      'PATCH /user/bob/keys ',
      'GET /users ',
    ]);
    expect(calls[10].headers['Content-Type']).toBe('application/json');
  });

  it('executeVisualization body: {} / normalised filters / time_range', async () => {
    const { client, calls } = capturingClient();
    await client.executeVisualization('v1');
    await client.executeVisualization('v1', {
      filters: [{ id: 'f1', field: 'currency', operator: 'is', value: 'EUR' }, { field: 'x', operator: 'exists' }],
      timeRange: { from: '2025-01-01T00:00:00Z', to: 1736899200000 },
    });
    expect(calls[0].body).toBe('{}');
    const body = JSON.parse(calls[1].body!);
    expect(Object.keys(body.filters[0])).toEqual(['id', 'field', 'operator', 'value', 'enabled', 'is_time_filter', 'query_type', 'index']);
    expect(body.filters[0]).toEqual({ id: 'f1', field: 'currency', operator: 'is', value: 'EUR', enabled: true, is_time_filter: false, query_type: null, index: null });
    expect(body.filters[1].id).toMatch(/^[0-9a-f]{32}$/);
    expect(body.time_range).toEqual({ from: '2025-01-01T00:00:00Z', to: 1736899200000 });
    expect(calls[1].body!.startsWith('{"filters": [{"id": "f1", ')).toBe(true);
  });

  it('executeDashboard resolves panels in order and reports per-panel errors', async () => {
    const { client } = capturingClient((c) => {
      if (c.url.endsWith('/dashboards/d1'))
        return {
          body: JSON.stringify({
            id: 'd1',
            attributes: {
              panels: [
                { kind: 'visualization', id: 'p0', viz_id: 'ok' },
                { kind: 'visualization', id: 'p1', viz_id: 'gone' },
                { kind: 'visualization', id: 'p2' },
                { kind: 'markdown', id: 'p3', content: '# hi' },
                { kind: 'divider', id: 'p4' },
              ],
            },
          }),
        };
      if (c.url.includes('/gone')) return { status: 404, body: 'not found body' };
      if (c.url.endsWith('/data')) return { body: '{"columns":[],"rows":[],"metadata":{}}' };
      return { body: '{"id":"ok","attributes":{"title":"T"}}' };
    });
    const res = await client.executeDashboard('d1', { maxWorkers: 2 });
    expect(res.map((r) => r.id)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
    expect(res[0].viz).toEqual({ title: 'T' });
    expect(res[0].data).toEqual({ columns: [], rows: [], metadata: {} });
    expect(res[1]).toMatchObject({ viz: null, data: null, error: { status: 404, message: 'not found body' } });
    expect(res[2].error).toEqual({ status: 400, message: 'panel missing viz_id' });
    expect(res[3].content).toBe('# hi');
    expect(res[4].label).toBeNull();
  });
});
