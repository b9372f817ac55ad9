/**
 * Wiring smoke test with the real DuckDB engine and query parser (startServer's defaults). The
 * engine's own behaviour is tested by the engine suites; this only proves the layers connect.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signedRequest } from './http-helpers.js';
import { type TestServer, startTestServer } from './test-server.js';

let running: TestServer;
const creds = { accessKey: 'IAK_DUCKDUCKDUCKDUCK', secretKey: 'q'.repeat(40) };
const req = (method: string, url: string, opts?: Parameters<typeof signedRequest>[4]) => signedRequest(running.server.port, creds, method, url, opts);

beforeAll(async () => {
  running = await startTestServer('duck', creds);
});
afterAll(() => running?.stop());

it('create, bulk, get (byte-for-byte), count, schema, metadata, delete by query', async () => {
  expect((await req('PUT', '/orders.rel')).status).toBe(200);
  const src = '{"name": "laptop",  "price": 1200.50, "in_stock": true}';
  const bulk = await req('POST', '/orders.rel/json', { body: `{"index":{"_id":"1"}}\n${src}\n`, contentType: 'application/x-ndjson' });
  expect(bulk.status).toBe(200);
  expect(bulk.json().errors).toBe(false);

  const doc = await req('GET', '/orders.rel/doc/1');
  expect(doc.text.endsWith(`"_source":${src}}`)).toBe(true);
  expect(doc.json()).toMatchObject({ _index: 'orders.rel', _id: '1', found: true, _primary_term: 1 });

  expect((await req('GET', '/orders.rel/_count')).json()).toMatchObject({ count: 1 });
  expect((await req('GET', '/orders.rel/_count', { body: '{"query":{"term":{"in_stock":false}}}' })).json()).toMatchObject({ count: 0 });

  const schema = (await req('GET', '/orders.rel/_schema')).json();
  expect(schema.price).toEqual({ source: 'orders.rel', infino_type: 'Float' });
  expect(schema.in_stock).toEqual({ source: 'orders.rel', infino_type: 'Boolean' });

  const meta = (await req('GET', '/orders.rel/metadata')).json();
  expect(meta).toMatchObject({ index: 'orders.rel', 'docs.count': '1', docs_count: 1 });

  const del = await req('PATCH', '/orders.rel', { body: '{"query": {"match_all": {}}}' });
  expect(del.json()).toMatchObject({ deleted: 1, total: 1 });
  expect((await req('GET', '/orders.rel/_count')).json()).toMatchObject({ count: 0 });
  expect((await req('DELETE', '/orders.rel')).json()).toEqual({ acknowledged: true });
});
