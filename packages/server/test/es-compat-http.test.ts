/**
 * The Elasticsearch-compatible routes over raw HTTP, as curl scripts use them: exact status codes,
 * error shapes and bad input on every route, HTTP Basic on/off, headers, text output.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSwitch, resolveConfig } from '../src/config.js';
import { type RawResponse, rawRequest, signedRequest } from './http-helpers.js';
import { type TestServer, startTestServer } from './test-server.js';

const AK = 'IAK_ESHTTPKEY0000001';
const SK = 'esHttpSecretKey00000000000000000000000AB';
const creds = { accessKey: AK, secretKey: SK };

let running: TestServer;
let port: number;

const req = (method: string, url: string, body?: string | Buffer, extra?: Record<string, string>) =>
  signedRequest(port, creds, method, url, { body, extra });
const basic = (user: string, pass: string) => `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
const ndjson = (...lines: unknown[]) => lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l))).join('\n') + '\n';

function expectError(r: RawResponse, status: number, type: string, reason?: RegExp): void {
  expect(r.status, r.text).toBe(status);
  const body = r.json();
  expect(body).toMatchObject({ error: { root_cause: [{ type }], type }, status });
  if (reason) expect(body.error.reason).toMatch(reason);
}

beforeAll(async () => {
  running = await startTestServer('es-http', { ...creds });
  port = running.server.port;
  const bulk = await req(
    'POST',
    '/_bulk?refresh=true',
    ndjson(
      { index: { _index: 'logs-a', _id: '1' } },
      { level: 'error', msg: 'disk full', bytes: 10 },
      { index: { _index: 'logs-a', _id: '2' } },
      { level: 'info', msg: 'all good', bytes: 20 },
      { index: { _index: 'logs-b', _id: '1' } },
      { level: 'info', msg: 'started', bytes: 30 },
    ),
  );
  expect(bulk.json().errors).toBe(false);
});
afterAll(() => running?.stop());

describe('headers, info and auth', () => {
  it('every response carries X-Elastic-Product, errors included', async () => {
    expect((await req('GET', '/_cluster/health')).headers['x-elastic-product']).toBe('Elasticsearch');
    expect((await req('GET', '/no-such/_search')).headers['x-elastic-product']).toBe('Elasticsearch');
    const unsigned = await rawRequest(port, 'GET', '/', { host: `127.0.0.1:${port}` });
    expect(unsigned.status).toBe(401);
    expect(unsigned.headers['x-elastic-product']).toBe('Elasticsearch');
  });

  it('GET / stays the Infino ping for plain clients and is ES info for ES clients', async () => {
    expect((await req('GET', '/')).json()).toMatchObject({ status: 'healthy', version: '2025-06-30', cluster_name: 'infino' });
    const es = await req('GET', '/', undefined, { 'x-elastic-client-meta': 'es=9.4.3,js=20' });
    expect(es.json()).toMatchObject({ version: { number: '8.15.0', build_flavor: 'default' }, tagline: 'You Know, for Search' });
    const grafana = await req('GET', '/', undefined, { 'user-agent': 'Grafana/11.2.0' });
    expect(grafana.json().version.number).toBe('8.15.0');
    expect((await req('HEAD', '/')).status).toBe(200);
  });

  it('HTTP Basic is refused unless the server enables it', async () => {
    const r = await rawRequest(port, 'GET', '/_cluster/health', { host: `127.0.0.1:${port}`, authorization: basic(AK, SK) });
    expectError(r, 401, 'unauthorized', /--es-basic-auth/);
    expect(r.headers['www-authenticate']).toBeUndefined();
  });

  it('the flag and INFINO_ES_BASIC_AUTH turn Basic on; it is off by default', () => {
    expect(resolveConfig({}, {}).esBasicAuth).toBe(false);
    expect(resolveConfig({}, { INFINO_ES_BASIC_AUTH: '1' }).esBasicAuth).toBe(true);
    expect(resolveConfig({ esBasicAuth: true }, { INFINO_ES_BASIC_AUTH: 'false' }).esBasicAuth).toBe(true);
    expect(parseSwitch('off', 'X')).toBe(false);
    expect(() => parseSwitch('maybe', 'INFINO_ES_BASIC_AUTH')).toThrow(/INFINO_ES_BASIC_AUTH/);
  });

  it('filter_path keeps or drops parts of any answer', async () => {
    const hits = (await req('GET', '/logs-a/_search?filter_path=hits.hits._id,hits.total.value&sort=bytes:desc')).json();
    expect(hits).toEqual({ hits: { total: { value: 2 }, hits: [{ _id: '2' }, { _id: '1' }] } });
    expect((await req('GET', '/logs-a/_search?filter_path=**._source.level&sort=bytes')).json()).toEqual({
      hits: { hits: [{ _source: { level: 'error' } }, { _source: { level: 'info' } }] },
    });
    expect((await req('GET', '/logs-a/_count?filter_path=-_shards')).json()).toEqual({ count: 2 });
    expect((await req('GET', '/logs-a/_doc/1?filter_path=_source.m*')).json()).toEqual({ _source: { msg: 'disk full' } });
    expect((await req('GET', '/_cluster/health?filter_path=nothing')).json()).toEqual({});
    expect((await req('GET', '/_cat/indices/logs-*?format=json&filter_path=index')).json()).toEqual([{ index: 'logs-a' }, { index: 'logs-b' }]);
  });

  it('?pretty indents the answer', async () => {
    const r = await req('GET', '/_cluster/health?pretty');
    expect(r.text).toMatch(/^\{\n {2}"cluster_name"/);
  });
});

describe('HTTP Basic when enabled', () => {
  let basicServer: TestServer;
  const get = (auth: string) => rawRequest(basicServer.server.port, 'GET', '/_cluster/health', { host: 'x', authorization: auth });
  beforeAll(async () => {
    basicServer = await startTestServer('es-basic', { ...creds, esBasicAuth: true });
  });
  afterAll(() => basicServer?.stop());

  it('accepts accessKey:secretKey, rejects a wrong secret, an unknown key and garbage alike', async () => {
    expect((await get(basic(AK, SK))).status).toBe(200);
    for (const auth of [basic(AK, SK + 'x'), basic('IAK_UNKNOWN', SK), basic(AK, ''), 'Basic !!!', 'basic ' + Buffer.from('nocolon').toString('base64')]) {
      const r = await get(auth);
      expect(r.status, auth).toBe(401);
      expect(r.headers['www-authenticate']).toMatch(/^Basic realm=/);
    }
    // SigV4 still works next to it.
    expect((await signedRequest(basicServer.server.port, creds, 'GET', '/_cluster/health')).status).toBe(200);
  });
});

describe('_search, _count and _msearch', () => {
  it('searches one index, a list, a wildcard; a wildcard matching nothing is empty, a missing name 404', async () => {
    expect((await req('GET', '/logs-a/_search')).json().hits.total).toEqual({ value: 2, relation: 'eq' });
    expect((await req('POST', '/logs-a,logs-b/_search', '{"query":{"term":{"level":"info"}}}')).json().hits.total.value).toBe(2);
    expect((await req('GET', '/logs-*/_search?q=level:info')).json().hits.total.value).toBe(2);
    expect((await req('GET', '/_search?size=0')).json().hits.total.value).toBe(3);
    const none = await req('GET', '/nomatch-*/_search');
    expect(none.status).toBe(200);
    expect(none.json().hits).toMatchObject({ total: { value: 0 }, hits: [] });
    expectError(await req('GET', '/logs-a,missing/_search'), 404, 'index_not_found_exception', /missing/);
    expect((await req('GET', '/logs-a,missing/_search?ignore_unavailable=true')).json().hits.total.value).toBe(2);
    expectError(await req('GET', '/nomatch-*/_search?allow_no_indices=false'), 404, 'index_not_found_exception');
  });

  it('rest_total_hits_as_int turns hits.total into a number', async () => {
    expect((await req('GET', '/logs-a/_search?rest_total_hits_as_int=true')).json().hits.total).toBe(2);
  });

  it('rejects malformed bodies and unsupported scroll with 400', async () => {
    expectError(await req('POST', '/logs-a/_search', '{"query": {'), 400, 'x_content_parse_exception', /^\[1:\d+\]/);
    expectError(await req('POST', '/logs-a/_search', '{"query": {"bogus": {}}}'), 400, 'parsing_exception');
    expectError(await req('GET', '/logs-a/_search?scroll=1m'), 400, 'illegal_argument_exception', /search_after/);
    expectError(await req('GET', '/logs-a/_search?rest_total_hits_as_int=maybe'), 400, 'illegal_argument_exception', /\[true\] or \[false\]/);
  });

  it('_count: body query, q=, multiple indices, bad input', async () => {
    expect((await req('GET', '/logs-a/_count')).json()).toEqual({ count: 2, _shards: { total: 1, successful: 1, skipped: 0, failed: 0 } });
    expect((await req('POST', '/logs-*/_count', '{"query":{"term":{"level":"info"}}}')).json().count).toBe(2);
    expect((await req('GET', '/_count?q=level:error')).json().count).toBe(1);
    expectError(await req('POST', '/logs-a/_count', '{"query":{"match_all":{}},"size":1}'), 400, 'parsing_exception', /\[size\]/);
    expectError(await req('POST', '/logs-a/_count', '[1]'), 400, 'parsing_exception');
    expectError(await req('POST', '/logs-a/_count', '{oops'), 400, 'x_content_parse_exception');
    expectError(await req('GET', '/missing/_count'), 404, 'index_not_found_exception');
    expect((await req('GET', '/nomatch-*/_count')).json().count).toBe(0);
  });

  it('_msearch answers each search; failures are entries with their status', async () => {
    const body = ndjson(
      { index: 'logs-a' },
      { query: { term: { level: 'error' } } },
      { index: 'missing' },
      {},
      {},
      { query: { bogus: {} } },
      { index: ['logs-a', 'logs-b'] },
      { size: 0 },
      { index: 'missing', ignore_unavailable: true },
      {},
    );
    const r = await signedRequest(port, creds, 'POST', '/_msearch', { body, contentType: 'application/x-ndjson' });
    expect(r.status).toBe(200);
    const { responses } = r.json();
    expect(responses).toHaveLength(5);
    expect(responses[0]).toMatchObject({ status: 200, hits: { total: { value: 1 } } });
    expect(responses[1]).toMatchObject({ status: 404, error: { type: 'index_not_found_exception' } });
    expect(responses[2]).toMatchObject({ status: 400, error: { type: 'parsing_exception' } });
    expect(responses[3]).toMatchObject({ status: 200, hits: { total: { value: 3 } } });
    expect(responses[4]).toMatchObject({ status: 200, hits: { total: { value: 0 } } });
    // The path's index is the default for headers without one.
    const scoped = await req('POST', '/logs-b/_msearch', ndjson({}, { query: { match_all: {} } }));
    expect(scoped.json().responses[0].hits.total.value).toBe(1);
  });

  it("answers Grafana's Elasticsearch data source: a time-series panel and a logs panel in one _msearch", async () => {
    await req('POST', '/grafana/_bulk', ndjson({ index: {} }, { '@timestamp': '2023-11-14T22:13:20Z', level: 'error', message: 'disk full' }, { index: {} }, { '@timestamp': '2023-11-14T23:30:00Z', level: 'info', message: 'ok' }));
    const range = { range: { '@timestamp': { gte: 1700000000000, lte: 1800000000000, format: 'epoch_millis' } } };
    const header = { search_type: 'query_then_fetch', ignore_unavailable: true, index: 'grafana' };
    const body = ndjson(
      header,
      {
        size: 0,
        query: { bool: { filter: [range, { query_string: { analyze_wildcard: true, query: '*' } }] } },
        aggs: { 2: { date_histogram: { fixed_interval: '1h', field: '@timestamp', min_doc_count: 0, extended_bounds: { min: 1700000000000, max: 1700010000000 }, format: 'epoch_millis' }, aggs: {} } },
      },
      header,
      {
        size: 500,
        query: { bool: { filter: [range, { query_string: { analyze_wildcard: true, query: 'level:error' } }] } },
        sort: [{ '@timestamp': { order: 'desc', unmapped_type: 'boolean' } }, { _doc: { order: 'desc' } }],
        script_fields: {},
        highlight: { pre_tags: ['@HIGHLIGHT@'], post_tags: ['@/HIGHLIGHT@'], fields: { '*': {} }, fragment_size: 2147483647 },
      },
    );
    const r = (await req('POST', '/_msearch?max_concurrent_shard_requests=5', body)).json();
    const [series, logs] = r.responses;
    expect(series).toMatchObject({ status: 200, hits: { total: { value: 2 } } });
    expect(series.aggregations['2'].buckets.map((b: { key: number; doc_count: number }) => [b.key, b.doc_count])).toEqual([
      [1699999200000, 1],
      [1700002800000, 1],
      [1700006400000, 0],
      [1700010000000, 0],
    ]);
    expect(logs).toMatchObject({ status: 200, hits: { total: { value: 1 }, hits: [{ _source: { level: 'error' }, sort: [1700000000000, expect.any(Number)] }] } });
  });

  it('_msearch rejects malformed NDJSON as a whole', async () => {
    expectError(await req('POST', '/_msearch', '{"index": "logs-a"\n{}\n'), 400, 'x_content_parse_exception', /header on line \[1\]/);
    expectError(await req('POST', '/_msearch', '{"index":"logs-a"}\n{"query":\n'), 400, 'x_content_parse_exception', /line \[2\]/);
    expectError(await req('POST', '/_msearch', ndjson({ index: 'logs-a' })), 400, 'illegal_argument_exception', /no search body/);
    expectError(await req('POST', '/_msearch', ndjson({ indx: 'logs-a' }, {})), 400, 'illegal_argument_exception', /key \[indx\]/);
    expectError(await req('POST', '/_msearch', ndjson([1], {})), 400, 'x_content_parse_exception');
    expectError(await req('POST', '/_msearch', ndjson({ index: 5 }, {})), 400, 'illegal_argument_exception', /\[index\]/);
    expectError(await req('POST', '/_msearch', ''), 400, 'action_request_validation_exception', /no requests added/);
  });
});

describe('_bulk', () => {
  it('writes to the path index or the item index; refresh is accepted', async () => {
    const r = await req('POST', '/bulk-a/_bulk?refresh=wait_for', ndjson({ index: { _id: 'x' } }, { v: 1 }, { create: { _index: 'bulk-b', _id: 'y' } }, { v: 2 }));
    expect(r.status).toBe(200);
    expect(r.json().items.map((i: Record<string, { _index: string; status: number }>) => Object.values(i)[0])).toMatchObject([
      { _index: 'bulk-a', status: 201 },
      { _index: 'bulk-b', status: 201 },
    ]);
    expect((await req('PUT', '/_bulk', ndjson({ delete: { _index: 'bulk-a', _id: 'x' } }))).json().items[0].delete.result).toBe('deleted');
  });

  it('accepts a gzip-compressed body (Content-Encoding: gzip)', async () => {
    const body = gzipSync(ndjson({ index: { _index: 'gz', _id: '1' } }, { ok: true }));
    const r = await req('POST', '/_bulk', body, { 'content-encoding': 'gzip' });
    expect(r.json()).toMatchObject({ errors: false });
    expectError(await req('POST', '/_bulk', Buffer.from('not gzip'), { 'content-encoding': 'gzip' }), 400, 'parse_exception');
    expectError(await req('POST', '/_bulk', body, { 'content-encoding': 'br' }), 415, 'media_type_header_exception');
  });

  it('rejects the whole request when framing is wrong, before writing anything', async () => {
    expectError(await req('POST', '/_bulk', ndjson({ del: { _index: 'bulk-z', _id: '1' } })), 400, 'illegal_argument_exception', /^Malformed action\/metadata line \[1\]/);
    expectError(await req('POST', '/_bulk', 'not json\n'), 400, 'illegal_argument_exception', /^Malformed action\/metadata line \[1\]/);
    expectError(await req('POST', '/_bulk', ndjson({ index: 'bulk-z' }, {})), 400, 'illegal_argument_exception', /line \[1\]/);
    expectError(
      await req('POST', '/_bulk', ndjson({ index: { _index: 'bulk-z' } }, {}, { index: { _id: '1' } }, { a: 1 })),
      400,
      'action_request_validation_exception',
      /^Validation Failed: 1: index is missing;$/,
    );
    expectError(await req('POST', '/_bulk', ndjson({ index: { _index: 'bulk-z', colour: 'red' } }, {})), 400, 'illegal_argument_exception', /unknown parameter \[colour\]/);
    expectError(await req('POST', '/_bulk', ''), 400, 'parse_exception');
    expectError(await req('POST', '/Bad*Name/_bulk', ndjson({ index: {} }, {})), 400, 'invalid_index_name_exception');
    expect((await req('GET', '/bulk-z/_count')).status).toBe(404);
  });

  it('a bad document fails only its item', async () => {
    const r = await req('POST', '/_bulk', ndjson({ index: { _index: 'bulk-c', _id: '1' } }, '{"broken": ', { index: { _index: 'bulk-c', _id: '2' } }, { ok: 1 }));
    expect(r.json().errors).toBe(true);
    expect(r.json().items.map((i: { index: { status: number } }) => i.index.status)).toEqual([400, 201]);
  });
});

describe('single documents', () => {
  it('PUT/GET/HEAD/DELETE _doc with ES shapes and statuses', async () => {
    const put = await req('PUT', '/docs/_doc/1?refresh=true', '{\n  "title": "hello",\n  "n": 1.50\n}');
    expect(put.status).toBe(201);
    expect(put.json()).toMatchObject({ _index: 'docs', _id: '1', _version: 1, result: 'created', _shards: { total: 1, successful: 1, failed: 0 }, _primary_term: 1 });
    const again = await req('POST', '/docs/_doc/1', '{"title":"hi"}');
    expect(again.status).toBe(200);
    expect(again.json()).toMatchObject({ result: 'updated', _version: 2 });

    const get = await req('GET', '/docs/_doc/1');
    expect(get.json()).toEqual({ _index: 'docs', _id: '1', _version: 2, _seq_no: get.json()._seq_no, _primary_term: 1, found: true, _source: { title: 'hi' } });
    expect((await req('GET', '/docs/_doc/1?_source=false')).json()).not.toHaveProperty('_source');
    expect((await req('GET', '/docs/_source/1')).json()).toEqual({ title: 'hi' });
    await req('PUT', '/srcf/_doc/3', '{"a":{"b":1,"c":2},"d":3}');
    expect((await req('GET', '/srcf/_doc/3?_source_includes=a.*&_source_excludes=a.c')).json()._source).toEqual({ a: { b: 1 } });
    expect((await req('GET', '/srcf/_doc/3?_source=d')).json()._source).toEqual({ d: 3 });
    expect((await req('GET', '/srcf/_source/3?_source_excludes=a')).json()).toEqual({ d: 3 });
    expect((await req('HEAD', '/docs/_doc/1')).status).toBe(200);
    expect((await req('HEAD', '/docs/_doc/2')).status).toBe(404);
    const missing = await req('GET', '/docs/_doc/2');
    expect(missing.status).toBe(404);
    expect(missing.json()).toEqual({ _index: 'docs', _id: '2', found: false });
    expectError(await req('GET', '/docs/_source/2'), 404, 'resource_not_found_exception', /Document not found \[docs\]\/\[2\]/);
    expectError(await req('GET', '/nodocs/_doc/1'), 404, 'index_not_found_exception');

    const auto = await req('POST', '/docs/_doc', '{"title":"auto"}');
    expect(auto.status).toBe(201);
    expect((await req('GET', `/docs/_doc/${encodeURIComponent(auto.json()._id)}`)).json().found).toBe(true);

    expect((await req('DELETE', '/docs/_doc/1')).json()).toMatchObject({ result: 'deleted', _version: 3 });
    const gone = await req('DELETE', '/docs/_doc/1');
    expect(gone.status).toBe(404);
    expect(gone.json()).toMatchObject({ result: 'not_found' });
    expectError(await req('DELETE', '/nodocs/_doc/1'), 404, 'index_not_found_exception');
    expect((await req('GET', '/nodocs/_count')).status).toBe(404);
  });

  it('_create, op_type and if_seq_no conflicts are 409', async () => {
    expect((await req('PUT', '/docs/_create/c', '{"a":1}')).status).toBe(201);
    expectError(await req('PUT', '/docs/_create/c', '{"a":2}'), 409, 'version_conflict_engine_exception', /document already exists/);
    expectError(await req('PUT', '/docs/_doc/c?op_type=create', '{"a":2}'), 409, 'version_conflict_engine_exception');
    const seq = (await req('GET', '/docs/_doc/c')).json()._seq_no as number;
    expectError(await req('PUT', `/docs/_doc/c?if_seq_no=${seq + 100}&if_primary_term=1`, '{"a":3}'), 409, 'version_conflict_engine_exception');
    expectError(await req('PUT', `/docs/_doc/c?if_seq_no=${seq}&if_primary_term=2`, '{"a":3}'), 409, 'version_conflict_engine_exception');
    expect((await req('PUT', `/docs/_doc/c?if_seq_no=${seq}&if_primary_term=1`, '{"a":3}')).json().result).toBe('updated');
  });

  it('rejects bad document requests with 400', async () => {
    expectError(await req('PUT', '/docs/_doc/x', '{"a":'), 400, 'x_content_parse_exception');
    expectError(await req('PUT', '/docs/_doc/x', '[1,2]'), 400, 'document_parsing_exception');
    expectError(await req('PUT', '/docs/_doc/x', ''), 400, 'action_request_validation_exception', /source is missing/);
    expectError(await req('PUT', '/docs/_doc/x?op_type=upsert', '{}'), 400, 'illegal_argument_exception', /opType/);
    expectError(await req('PUT', '/docs/_doc/x?version=3', '{}'), 400, 'illegal_argument_exception', /if_seq_no/);
    expectError(await req('PUT', '/docs/_doc/x?if_seq_no=abc', '{}'), 400, 'illegal_argument_exception', /if_seq_no/);
    expectError(await req('PUT', '/Bad*/_doc/x', '{}'), 400, 'invalid_index_name_exception');
  });

  it('_update: doc, noop, doc_as_upsert, missing, bad bodies', async () => {
    await req('PUT', '/upd/_doc/1', '{"a":1,"o":{"x":1}}');
    const r = await req('POST', '/upd/_update/1', '{"doc":{"o":{"y":2}}}');
    expect(r.json()).toMatchObject({ result: 'updated', _version: 2 });
    expect((await req('GET', '/upd/_source/1')).json()).toEqual({ a: 1, o: { x: 1, y: 2 } });
    const noop = await req('POST', '/upd/_update/1', '{"doc":{"a":1}}');
    expect(noop.status).toBe(200);
    expect(noop.json()).toMatchObject({ result: 'noop', _shards: { total: 0, successful: 0, failed: 0 } });
    expectError(await req('POST', '/upd/_update/2', '{"doc":{"a":1}}'), 404, 'document_missing_exception', /\[2\]: document missing/);
    const upsert = await req('POST', '/upd/_update/2', '{"doc":{"a":1},"doc_as_upsert":true}');
    expect(upsert.status).toBe(201);
    expectError(await req('POST', '/upd/_update/1', '{"dok":{}}'), 400, 'x_content_parse_exception', /unknown field \[dok\]/);
    expectError(await req('POST', '/upd/_update/1', ''), 400, 'action_request_validation_exception');
    expectError(await req('POST', '/upd/_update/1', '{"script":"ctx._source.a++"}'), 400, 'illegal_argument_exception', /script/);
  });
});

describe('_delete_by_query', () => {
  it('deletes by body query or q=, across a wildcard; refuses a missing query', async () => {
    await req('POST', '/_bulk', ndjson(...[1, 2, 3, 4].flatMap((i) => [{ index: { _index: `dbq-${i % 2}`, _id: String(i) } }, { i, odd: i % 2 === 1 }])));
    const byBody = await req('POST', '/dbq-*/_delete_by_query?refresh=true', '{"query":{"term":{"odd":true}}}');
    expect(byBody.json()).toMatchObject({ total: 2, deleted: 2, failures: [], version_conflicts: 0, noops: 0, timed_out: false });
    expect((await req('POST', '/dbq-0/_delete_by_query?q=i:2')).json().deleted).toBe(1);
    expect((await req('GET', '/dbq-*/_count')).json().count).toBe(1);
    expectError(await req('POST', '/dbq-0/_delete_by_query'), 400, 'action_request_validation_exception', /query is missing/);
    expectError(await req('POST', '/dbq-0/_delete_by_query', '{}'), 400, 'action_request_validation_exception', /query is missing/);
    expectError(await req('POST', '/dbq-0/_delete_by_query', '{"query":{"match_all":{}},"max_docs":1}'), 400, 'parsing_exception', /max_docs/);
    expectError(await req('POST', '/dbq-0/_delete_by_query?max_docs=1', '{"query":{"match_all":{}}}'), 400, 'illegal_argument_exception');
    expectError(await req('POST', '/dbq-0/_delete_by_query', '{"query":'), 400, 'x_content_parse_exception');
    expectError(await req('POST', '/missing/_delete_by_query', '{"query":{"match_all":{}}}'), 404, 'index_not_found_exception');
  });
});

describe('index APIs', () => {
  it('_mapping: one index, a wildcard, all; nested objects and keyword sub-fields', async () => {
    await req('PUT', '/mapped/_doc/1', '{"user":{"name":"ann","age":3},"at":"2024-01-01T00:00:00Z"}');
    const m = (await req('GET', '/mapped/_mapping')).json();
    expect(m).toEqual({
      mapped: {
        mappings: {
          properties: {
            user: { properties: { name: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } }, age: { type: 'long' } } },
            at: { type: 'date' },
          },
        },
      },
    });
    expect(Object.keys((await req('GET', '/logs-*/_mappings')).json()).sort()).toEqual(['logs-a', 'logs-b']);
    expect((await req('GET', '/_mapping')).json()).toHaveProperty('mapped');
    expect((await req('GET', '/nomatch-*/_mapping')).json()).toEqual({});
    expectError(await req('GET', '/missing/_mapping'), 404, 'index_not_found_exception');
    await req('PUT', '/empty-index');
    expect((await req('GET', '/empty-index/_mapping')).json()).toEqual({ 'empty-index': { mappings: {} } });
  });

  it('_field_caps lists types, keyword sub-fields and aggregatability', async () => {
    const caps = (await req('GET', '/mapped/_field_caps?fields=user.*')).json();
    expect(caps.indices).toEqual(['mapped']);
    expect(caps.fields).toEqual({
      'user.name': { text: { type: 'text', metadata_field: false, searchable: true, aggregatable: false } },
      'user.name.keyword': { keyword: { type: 'keyword', metadata_field: false, searchable: true, aggregatable: true } },
      'user.age': { long: { type: 'long', metadata_field: false, searchable: true, aggregatable: true } },
    });
  });

  it('_cat/indices: JSON rows, the text table with v, columns, sorting, filters, bad params', async () => {
    const rows = (await req('GET', '/_cat/indices/logs-*?format=json')).json();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ health: 'green', status: 'open', index: 'logs-a', pri: '1', rep: '0', 'docs.count': '2', 'docs.deleted': '0' });
    expect(Object.keys(rows[0])).toEqual(['health', 'status', 'index', 'uuid', 'pri', 'rep', 'docs.count', 'docs.deleted', 'store.size', 'pri.store.size', 'dataset.size']);
    expect(rows[0]['store.size']).toMatch(/^\d+(\.\d)?(b|kb|mb|gb)$/);

    const picked = (await req('GET', '/_cat/indices/logs-*?format=json&h=index,dc&s=docs.count:desc')).json();
    expect(picked).toEqual([
      { index: 'logs-a', 'docs.count': '2' },
      { index: 'logs-b', 'docs.count': '1' },
    ]);
    expect((await req('GET', '/_cat/indices/logs-a?format=json&h=store.size&bytes=b')).json()[0]['store.size']).toMatch(/^\d+$/);
    expect((await req('GET', '/_cat/indices/logs-a?format=json&health=red')).json()).toEqual([]);
    expect((await req('GET', '/_cat/indices/nomatch-*?format=json')).json()).toEqual([]);

    const text = await req('GET', '/_cat/indices/logs-*?v&h=index,docs.count,health');
    expect(text.headers['content-type']).toMatch(/^text\/plain/);
    expect(text.text).toBe('index  docs.count health\nlogs-a          2 green \nlogs-b          1 green \n');
    expect((await req('GET', '/_cat/indices/logs-b?h=index')).text).toBe('logs-b\n');

    expectError(await req('GET', '/_cat/indices/logs-a?format=json&b=b'), 400, 'illegal_argument_exception', /unrecognized parameter: \[b\]/);
    expectError(await req('GET', '/_cat/indices?format=yaml'), 400, 'illegal_argument_exception', /format/);
    expectError(await req('GET', '/_cat/indices?s=nope'), 400, 'illegal_argument_exception', /nope/);
    expectError(await req('GET', '/_cat/indices/missing?format=json'), 404, 'index_not_found_exception');
  });

  it('_stats, _refresh, _settings, _resolve/index, _cluster/health', async () => {
    const stats = (await req('GET', '/logs-*/_stats')).json();
    expect(stats._all.primaries.docs.count).toBe(3);
    expect(stats.indices['logs-a']).toMatchObject({ health: 'green', status: 'open', primaries: { docs: { count: 2 } } });
    expect((await req('POST', '/logs-a/_refresh')).json()).toEqual({ _shards: { total: 1, successful: 1, failed: 0 } });
    expect((await req('POST', '/_refresh')).status).toBe(200);
    expectError(await req('POST', '/missing/_refresh'), 404, 'index_not_found_exception');
    expect((await req('PUT', '/logs-a/_settings', '{"number_of_replicas":0}')).json()).toEqual({ acknowledged: true });
    expect((await req('GET', '/logs-a/_settings')).json()['logs-a'].settings.index).toMatchObject({ number_of_shards: '1', number_of_replicas: '0' });
    expect((await req('GET', '/_resolve/index/logs*')).json()).toEqual({
      indices: [
        { name: 'logs-a', attributes: ['open'] },
        { name: 'logs-b', attributes: ['open'] },
      ],
      aliases: [],
      data_streams: [],
    });
    expect((await req('GET', '/_cluster/health')).json()).toMatchObject({ status: 'green', number_of_nodes: 1, timed_out: false });
  });

  it('DELETE of several indices: all must exist unless ignore_unavailable; wildcards refused', async () => {
    await req('PUT', '/del-1');
    await req('PUT', '/del-2');
    expectError(await req('DELETE', '/del-1,does-not-exist'), 404, 'index_not_found_exception');
    expect((await req('HEAD', '/del-1')).status).toBe(200);
    expect((await req('DELETE', '/del-1,does-not-exist?ignore_unavailable=true')).json()).toEqual({ acknowledged: true });
    expect((await req('HEAD', '/del-1')).status).toBe(404);
    expectError(await req('DELETE', '/del-*'), 400, 'illegal_argument_exception', /Wildcard/);
    expect((await req('DELETE', '/del-2')).json()).toEqual({ acknowledged: true });
  });

  it('ES path names are reserved and not dataset names', async () => {
    expectError(await req('PUT', '/_search'), 400, 'invalid_index_name_exception');
    expectError(await req('PUT', '/_cat'), 400, 'invalid_index_name_exception');
  });
});
