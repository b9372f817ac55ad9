/**
 * End to end: the real server in-process on a random port with a temp data dir, driven by the real
 * SDK over real HTTP with real SigV4 signatures.
 */
import { InfinoClient } from '@infino/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from '../src/server.js';
import { sdkFailure, type TestServer, startTestServer } from './test-server.js';

const AK = 'IAK_E2ETESTKEY000001';
const SK = 'e2eTestSecretKey0000000000000000000000AB';

describe('SDK ↔ server end to end', () => {
  let running: TestServer;
  let server: RunningServer;
  let sdk: InfinoClient;

  beforeAll(async () => {
    running = await startTestServer('e2e', { accessKey: AK, secretKey: SK });
    server = running.server;
    sdk = new InfinoClient({ accessKey: AK, secretKey: SK, endpoint: server.url, retry: { maxRetries: 1 } });
  });
  afterAll(() => running?.stop());

  it('pings', async () => {
    expect(await sdk.ping()).toMatchObject({ status: 'healthy', version: '2025-06-30', server_version: '0.1.0' });
  });

  it('creates, lists, describes and deletes datasets', async () => {
    expect(await sdk.createDataset('products')).toMatchObject({ acknowledged: true, index: 'products' });
    // The SDK swallows the 409 as Python does; the raw request shows the server's answer.
    expect(await sdk.createDataset('products')).toMatchObject({ acknowledged: true });
    const dup = await sdkFailure(sdk.request('PUT', 'products'));
    expect(dup.status).toBe(409);
    expect(dup.type).toBe('resource_already_exists_exception');

    const bulk = await sdk.uploadJsonToDataset('products', [
      { name: 'Laptop', category: 'electronics', price: 1200, in_stock: true, added: '2024-03-01T10:00:00Z' },
      { name: 'Desk lamp', category: 'home', price: 25.5, in_stock: false, added: '2024-03-02' },
    ]);
    expect(bulk.errors).toBe(false);
    expect(bulk.items).toHaveLength(2);

    const list = await sdk.getDatasets();
    expect(list.map((d) => d.index)).toContain('products');
    const meta = await sdk.getDatasetMetadata('products');
    expect(meta).toMatchObject({ index: 'products', health: 'green', status: 'open', 'docs.count': '2', docs_count: 2, count: 2 });
    expect(typeof meta['store.size']).toBe('string');

    const schema = await sdk.getDatasetSchema('products');
    expect(schema.name).toEqual({ source: 'products', infino_type: 'String' });
    expect(schema.price.infino_type).toBe('Integer');
    expect(schema.added.infino_type).toBe('ISO8601Date');
    expect(schema.in_stock.infino_type).toBe('Boolean');
    for (const v of Object.values(schema)) expect(typeof v.infino_type).toBe('string');

    const index = await sdk.request<Record<string, { mappings: { properties: Record<string, unknown> }; settings: unknown }>>('GET', 'products');
    expect(index.products.mappings.properties).toMatchObject({
      name: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
      price: { type: 'long' },
      added: { type: 'date' },
    });
    const head = await fetch(`${server.url}/products`, { method: 'HEAD', headers: await signedHeaders('HEAD', '/products') });
    expect(head.status).toBe(200);

    expect(await sdk.deleteDataset('products')).toMatchObject({ acknowledged: true });
    const gone = await fetch(`${server.url}/products`, { method: 'HEAD', headers: await signedHeaders('HEAD', '/products') });
    expect(gone.status).toBe(404);
    expect((await sdkFailure(sdk.deleteDataset('products'))).status).toBe(404);
  });

  it('bulk-ingests NDJSON with every action and reads records back byte-for-byte', async () => {
    const raw = '{"title":  "Hello",  "n": 1.50, "tags": ["a","b"]}';
    const ndjson = [
      '',
      '{"index":{"_id":"1"}}',
      raw,
      '{"create":{"_id":"2"}}',
      '{"title":"second"}',
      '{"update":{"_id":"2"}}',
      '{"doc":{"extra":true}}',
      '{"index":{}}',
      '{"title":"auto id"}',
      '{"delete":{"_id":"2"}}',
    ].join('\n');
    const r = await sdk.uploadJsonToDataset('docs', ndjson);
    expect(r.errors).toBe(false);
    expect(r.items.map((i) => Object.keys(i)[0])).toEqual(['index', 'create', 'update', 'index', 'delete']);
    const [first, , third, , fifth] = r.items.map((i) => Object.values(i)[0]);
    expect(first).toMatchObject({ _index: 'docs', _id: '1', _version: 1, result: 'created', status: 201 });
    expect(third).toMatchObject({ _id: '2', _version: 2, result: 'updated' });
    expect(fifth).toMatchObject({ _id: '2', _version: 3, result: 'deleted', status: 200 });

    const rec = await sdk.getRecord('docs', '1');
    expect(rec).toMatchObject({ _index: 'docs', _id: '1', _version: 1, found: true, _source: { title: 'Hello', n: 1.5 } });
    // Byte-for-byte: the raw response text carries the source exactly as sent.
    const res = await fetch(`${server.url}/docs/doc/1`, { headers: await signedHeaders('GET', '/docs/doc/1') });
    expect(await res.text()).toContain(raw);

    const missing = await sdkFailure(sdk.getRecord('docs', '2'));
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ _index: 'docs', _id: '2', found: false });
  });

  it('fails only the bad items of a batch and keeps every valid one (read-your-writes)', async () => {
    const lines = [];
    for (let i = 0; i < 50; i++) lines.push(JSON.stringify({ index: { _id: `ok-${i}` } }), JSON.stringify({ n: i, s: `doc ${i}` }));
    lines.splice(20, 0, '{"index":{"_id":"bad-json"}}', '{"n": 1, oops}');
    lines.splice(40, 0, '{"index":{"_id":"bad-type"}}', '{"n": "not a number"}');
    lines.splice(60, 0, '{"frobnicate":{"_id":"x"}}', '{"n": 1}');
    const r = await sdk.uploadJsonToDataset('mixed', lines.join('\n'));
    expect(r.errors).toBe(true);
    const failed = r.items.filter((i) => Object.values(i)[0]!.error);
    expect(failed).toHaveLength(3);
    expect(failed.map((i) => Object.values(i)[0]!.status)).toEqual([400, 400, 400]);
    const count = await sdk.request<{ count: number }>('GET', 'mixed/_count');
    expect(count.count).toBe(50);
  });

  it('takes concurrent bulk requests (group commit) without losing a document', async () => {
    const batches = Array.from({ length: 10 }, (_, b) =>
      sdk.uploadJsonToDataset('parallel', Array.from({ length: 200 }, (_, i) => ({ batch: b, i, msg: `batch ${b} doc ${i}` }))),
    );
    const results = await Promise.all(batches);
    expect(results.every((r) => !r.errors && r.items.length === 200)).toBe(true);
    const ids = new Set(results.flatMap((r) => r.items.map((it) => Object.values(it)[0]!._id)));
    expect(ids.size).toBe(2000);
    expect((await sdk.request<{ count: number }>('GET', 'parallel/_count')).count).toBe(2000);
  });

  it('deletes records by query', async () => {
    const docs = Array.from({ length: 30 }, (_, i) => ({ i, kind: i % 3 === 0 ? 'fizz' : 'plain', at: `2024-05-${String(i + 1).padStart(2, '0')}` }));
    await sdk.uploadJsonToDataset('dbq', docs);
    const r = await sdk.deleteRecords('dbq', { query: { bool: { must: [{ term: { kind: 'fizz' } }], filter: [{ range: { i: { lt: 15 } } }] } } });
    expect(r).toMatchObject({ deleted: 5, failures: [] });
    const byDate = await sdk.deleteRecords('dbq', '{"query": {"range": {"at": {"gte": "2024-05-29"}}}}');
    expect(byDate.deleted).toBe(2);
    expect((await sdk.request<{ count: number }>('GET', 'dbq/_count')).count).toBe(23);

    const noQuery = await sdkFailure(sdk.deleteRecords('dbq', {}));
    expect(noQuery.status).toBe(400);
    expect(noQuery.type).toBe('action_request_validation_exception');
    const bad = await sdkFailure(sdk.deleteRecords('dbq', { query: { frobnicate: {} } }));
    expect(bad.status).toBe(400);
    const unknown = await sdkFailure(sdk.deleteRecords('nope', { query: { match_all: {} } }));
    expect(unknown.status).toBe(404);
    expect(unknown.type).toBe('index_not_found_exception');
  });

  it('rejects bad names, unknown datasets, wrong keys and tampered requests', async () => {
    expect((await sdkFailure(sdk.createDataset('sql'))).status).toBe(400);
    expect((await sdkFailure(sdk.createDataset('has space'))).status).toBe(400);
    expect((await sdkFailure(sdk.getDatasetMetadata('unknown'))).status).toBe(404);
    const wrong = new InfinoClient({ accessKey: AK, secretKey: 'x'.repeat(40), endpoint: server.url, retry: { maxRetries: 1 } });
    const err = await sdkFailure(wrong.ping());
    expect(err.status).toBe(401);
    expect(err.body).toMatchObject({ error: { type: 'unauthorized' }, status: 401 });
    const unknownKey = new InfinoClient({ accessKey: 'IAK_UNKNOWN000000000', secretKey: SK, endpoint: server.url, retry: { maxRetries: 1 } });
    expect((await sdkFailure(unknownKey.ping())).status).toBe(401);
    const unsigned = await fetch(`${server.url}/metadata`);
    expect(unsigned.status).toBe(401);
    expect(unsigned.headers.get('content-type')).toBe('application/json; charset=utf-8');
  });

  async function signedHeaders(method: string, path: string): Promise<Record<string, string>> {
    const { signRequest } = await import('@infino/sdk');
    const headers = await signRequest({ method, url: server.url + path, headers: {}, body: '', accessKey: AK, secretKey: SK });
    delete headers.Host; // fetch derives Host from the URL (the same value)
    return headers;
  }
});
