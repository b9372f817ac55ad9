/**
 * The Elasticsearch-compatible surface driven by the real clients: `@elastic/elasticsearch` 9.4
 * (HTTP Basic, which the server enables here) and `@opensearch-project/opensearch` 3 (SigV4 with
 * service `es`, static credentials). Both talk to the real server over real HTTP.
 */
import { Client, errors } from '@elastic/elasticsearch';
import { Client as OpenSearchClient } from '@opensearch-project/opensearch';
import { AwsSigv4Signer } from '@opensearch-project/opensearch/aws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from './test-server.js';

const AK = 'IAK_ESCOMPATKEY00001';
const SK = 'esCompatSecretKey000000000000000000000AB';

const PRODUCTS = [
  { id: '1', name: 'Laptop Pro', category: 'electronics', price: 1200, in_stock: true, released: '2024-01-15' },
  { id: '2', name: 'Wireless Mouse', category: 'electronics', price: 25, in_stock: true, released: '2023-06-01' },
  { id: '3', name: 'Coffee Mug', category: 'kitchen', price: 12, in_stock: false, released: '2022-03-10' },
  { id: '4', name: 'Mechanical Keyboard', category: 'electronics', price: 80, in_stock: true, released: '2023-11-20' },
  { id: '5', name: 'Desk Lamp', category: 'home', price: 40, in_stock: true, released: '2021-09-05' },
  { id: '6', name: 'Noise Cancelling Headphones', category: 'electronics', price: 300, in_stock: false, released: '2024-03-01' },
  { id: '7', name: 'Chef Knife', category: 'kitchen', price: 60, in_stock: true, released: '2020-05-05' },
];

/** The rejection of a client call, which must be an Elasticsearch ResponseError. */
async function responseError(p: Promise<unknown>): Promise<errors.ResponseError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof errors.ResponseError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

const ids = (hits: Array<{ _id?: string | null }>) => hits.map((h) => h._id);

describe('@elastic/elasticsearch client against Infino (HTTP Basic)', () => {
  let running: TestServer;
  let es: Client;

  beforeAll(async () => {
    running = await startTestServer('es-client', { accessKey: AK, secretKey: SK, esBasicAuth: true });
    es = new Client({ node: running.server.url, auth: { username: AK, password: SK } });
    const operations = PRODUCTS.flatMap(({ id, ...doc }) => [{ index: { _index: 'products', _id: id } }, doc]);
    const bulk = await es.bulk({ operations, refresh: true });
    expect(bulk.errors).toBe(false);
    expect(bulk.items).toHaveLength(PRODUCTS.length);
  });
  afterAll(async () => {
    await es?.close();
    await running?.stop();
  });

  it('answers info() as Elasticsearch 8 and passes the product check', async () => {
    const info = await es.info();
    expect(info.version.number).toBe('8.15.0');
    expect(info.version.build_flavor).toBe('default');
    expect(info.tagline).toBe('You Know, for Search');
    expect(await es.ping()).toBe(true);
    expect((await es.cluster.health()).status).toBe('green');
  });

  it('rejects a wrong password with 401', async () => {
    const wrong = new Client({ node: running.server.url, auth: { username: AK, password: 'nope' } });
    const err = await responseError(wrong.info());
    expect(err.meta.statusCode).toBe(401);
    await wrong.close();
  });

  it('indexes, gets, updates and deletes single documents', async () => {
    const created = await es.index({ index: 'single', id: 'a', document: { title: 'first', n: 1 } });
    expect(created).toMatchObject({ _index: 'single', _id: 'a', _version: 1, result: 'created', _primary_term: 1 });
    const updated = await es.index({ index: 'single', id: 'a', document: { title: 'second', n: 2 }, refresh: 'wait_for' });
    expect(updated).toMatchObject({ result: 'updated', _version: 2 });

    const got = await es.get<{ title: string }>({ index: 'single', id: 'a' });
    expect(got).toMatchObject({ _index: 'single', _id: 'a', _version: 2, found: true, _source: { title: 'second', n: 2 } });
    expect(await es.getSource({ index: 'single', id: 'a' })).toEqual({ title: 'second', n: 2 });
    expect(await es.exists({ index: 'single', id: 'a' })).toBe(true);
    expect(await es.exists({ index: 'single', id: 'zz' })).toBe(false);
    const missing = await responseError(es.get({ index: 'single', id: 'zz' }));
    expect(missing.meta.statusCode).toBe(404);
    expect(missing.body).toMatchObject({ _index: 'single', _id: 'zz', found: false });

    const auto = await es.index({ index: 'single', document: { title: 'auto id' } });
    expect(auto.result).toBe('created');
    expect(auto._id.length).toBeGreaterThan(0);

    const conflict = await responseError(es.create({ index: 'single', id: 'a', document: { title: 'dup' } }));
    expect(conflict.meta.statusCode).toBe(409);
    expect(conflict.body).toMatchObject({ error: { type: 'version_conflict_engine_exception' }, status: 409 });
    expect((await es.create({ index: 'single', id: 'b', document: { title: 'new' } })).result).toBe('created');

    expect(await es.update({ index: 'single', id: 'a', doc: { n: 3 } })).toMatchObject({ result: 'updated', _version: 3 });
    expect(await es.update({ index: 'single', id: 'a', doc: { n: 3 } })).toMatchObject({ result: 'noop' });
    expect((await es.getSource<{ title: string; n: number }>({ index: 'single', id: 'a' }))).toEqual({ title: 'second', n: 3 });
    const noDoc = await responseError(es.update({ index: 'single', id: 'ghost', doc: { n: 1 } }));
    expect(noDoc.meta.statusCode).toBe(404);
    expect(noDoc.body).toMatchObject({ error: { type: 'document_missing_exception' } });
    expect(await es.update({ index: 'single', id: 'ghost', doc: { n: 1 }, doc_as_upsert: true })).toMatchObject({ result: 'created' });

    expect(await es.delete({ index: 'single', id: 'b' })).toMatchObject({ result: 'deleted' });
    const gone = await responseError(es.delete({ index: 'single', id: 'b' }));
    expect(gone.meta.statusCode).toBe(404);
    expect(gone.body).toMatchObject({ result: 'not_found' });
    const noIndex = await responseError(es.delete({ index: 'no-such-index', id: 'b' }));
    expect(noIndex.body).toMatchObject({ error: { type: 'index_not_found_exception' } });
  });

  it('searches: match, term on text and keyword, bool, sort, aggregations', async () => {
    const match = await es.search({ index: 'products', query: { match: { name: 'mouse' } } });
    expect(ids(match.hits.hits)).toEqual(['2']);
    expect(match.hits.total).toEqual({ value: 1, relation: 'eq' });
    expect(match.hits.hits[0]).toMatchObject({ _index: 'products', _source: { name: 'Wireless Mouse' } });

    const term = await es.search({ index: 'products', query: { term: { category: 'electronics' } }, size: 0 });
    expect(term.hits.total).toEqual({ value: 4, relation: 'eq' });
    const keyword = await es.search({ index: 'products', query: { term: { 'category.keyword': 'kitchen' } } });
    expect(ids(keyword.hits.hits).sort()).toEqual(['3', '7']);

    const bool = await es.search({
      index: 'products',
      query: {
        bool: {
          must: [{ match: { category: 'electronics' } }],
          filter: [{ range: { price: { lte: 100 } } }],
          must_not: [{ term: { in_stock: false } }],
        },
      },
    });
    expect(ids(bool.hits.hits).sort()).toEqual(['2', '4']);

    const sorted = await es.search({ index: 'products', sort: [{ price: 'asc' }], size: 3 });
    expect(ids(sorted.hits.hits)).toEqual(['3', '2', '5']);
    expect(sorted.hits.hits[0].sort).toEqual([12]);

    const aggs = await es.search({
      index: 'products',
      size: 0,
      aggs: { cats: { terms: { field: 'category.keyword' } }, avg_price: { avg: { field: 'price' } } },
    });
    const buckets = (aggs.aggregations?.cats as { buckets: Array<{ key: string; doc_count: number }> }).buckets;
    expect(buckets.map((b) => [b.key, b.doc_count])).toEqual([
      ['electronics', 4],
      ['kitchen', 2],
      ['home', 1],
    ]);
    expect((aggs.aggregations?.avg_price as { value: number }).value).toBeCloseTo(1717 / 7, 6);
  });

  it('folds URL parameters (q, sort, size) into the search', async () => {
    const r = await es.search({ index: 'products', q: 'category:kitchen', sort: 'price:desc', size: 1 });
    expect(r.hits.total).toEqual({ value: 2, relation: 'eq' });
    expect(ids(r.hits.hits)).toEqual(['7']);
  });

  it('counts with a query and with q=', async () => {
    expect((await es.count({ index: 'products' })).count).toBe(7);
    expect((await es.count({ index: 'products', query: { range: { price: { gte: 50 } } } })).count).toBe(4);
    expect((await es.count({ index: 'products', q: 'in_stock:false' })).count).toBe(2);
  });

  it('resolves comma lists and wildcards; a wildcard matching nothing is an empty result', async () => {
    await es.index({ index: 'products-archive', id: 'old', document: { name: 'Old Mouse', category: 'electronics', price: 5 } });
    const both = await es.search({ index: 'products,products-archive', query: { match: { name: 'mouse' } } });
    expect(both.hits.hits.map((h) => `${h._index}/${h._id}`).sort()).toEqual(['products-archive/old', 'products/2']);
    expect((await es.count({ index: 'products*' })).count).toBe(8);
    const none = await es.search({ index: 'nothing-here-*' });
    expect(none.hits.total).toEqual({ value: 0, relation: 'eq' });
    expect(none.hits.hits).toEqual([]);
  });

  it('runs _msearch; a failing search is an error entry and the others still answer', async () => {
    const r = await es.msearch({
      searches: [
        { index: 'products' },
        { query: { term: { 'category.keyword': 'home' } } },
        { index: 'does-not-exist' },
        { query: { match_all: {} } },
        { index: 'products' },
        { size: 0, query: { range: { price: { gt: 100 } } } },
      ],
    });
    expect(r.responses).toHaveLength(3);
    const [home, missing, expensive] = r.responses as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(home.status).toBe(200);
    expect(ids(home.hits.hits)).toEqual(['5']);
    expect(missing).toMatchObject({ status: 404, error: { type: 'index_not_found_exception' } });
    expect(expensive.hits.total.value).toBe(2);
  });

  it('ingests with helpers.bulk and reads with helpers.search', async () => {
    const result = await es.helpers.bulk({
      datasource: Array.from({ length: 50 }, (_, i) => ({ n: i, even: i % 2 === 0 })),
      onDocument: () => ({ index: { _index: 'helper' } }),
      refreshOnCompletion: true,
    });
    expect(result).toMatchObject({ total: 50, successful: 50, failed: 0 });
    const evens = await es.helpers.search<{ n: number }>({ index: 'helper', query: { term: { even: true } }, size: 100 });
    expect(evens).toHaveLength(25);
  });

  it('deletes by query', async () => {
    await es.bulk({
      operations: [{ index: { _index: 'dbq', _id: '1' } }, { k: 'a' }, { index: { _index: 'dbq', _id: '2' } }, { k: 'b' }, { index: { _index: 'dbq', _id: '3' } }, { k: 'a' }],
      refresh: true,
    });
    const r = await es.deleteByQuery({ index: 'dbq', query: { term: { 'k.keyword': 'a' } }, refresh: true });
    expect(r).toMatchObject({ deleted: 2, total: 2, failures: [], version_conflicts: 0, timed_out: false });
    expect((await es.count({ index: 'dbq' })).count).toBe(1);
  });

  it('describes indices: mapping, cat indices, exists, refresh, stats', async () => {
    const mapping = await es.indices.getMapping({ index: 'products' });
    expect(mapping.products.mappings.properties).toMatchObject({
      name: { type: 'text', fields: { keyword: { type: 'keyword', ignore_above: 256 } } },
      price: { type: 'long' },
      in_stock: { type: 'boolean' },
      released: { type: 'date' },
    });
    const cat = await es.cat.indices({ index: 'products', format: 'json' });
    expect(cat).toEqual([expect.objectContaining({ health: 'green', status: 'open', index: 'products', 'docs.count': '7', pri: '1', rep: '0' })]);
    expect(await es.indices.exists({ index: 'products' })).toBe(true);
    expect(await es.indices.exists({ index: 'nope' })).toBe(false);
    expect((await es.indices.refresh({ index: 'products' }))._shards).toMatchObject({ total: 1, successful: 1, failed: 0 });
    const stats = await es.indices.stats({ index: 'products' });
    expect(stats._all.primaries?.docs?.count).toBe(7);
  });

  it('creates and deletes an index', async () => {
    expect(await es.indices.create({ index: 'tmp-index' })).toMatchObject({ acknowledged: true, index: 'tmp-index' });
    expect(await es.indices.delete({ index: 'tmp-index' })).toEqual({ acknowledged: true });
  });

  it('surfaces errors as ResponseError with the ES shape', async () => {
    const notFound = await responseError(es.search({ index: 'missing-index', query: { match_all: {} } }));
    expect(notFound.meta.statusCode).toBe(404);
    expect(notFound.body).toMatchObject({
      error: { root_cause: [{ type: 'index_not_found_exception' }], type: 'index_not_found_exception' },
      status: 404,
    });
    expect(notFound.message).toContain('index_not_found_exception');

    const badQuery = await responseError(es.search({ index: 'products', query: { no_such_query: {} } as never }));
    expect(badQuery.meta.statusCode).toBe(400);
    expect(badQuery.body).toMatchObject({ status: 400, error: { type: 'parsing_exception' } });
  });
});

describe('@opensearch-project/opensearch client against Infino (SigV4, service es)', () => {
  let running: TestServer;
  let os: OpenSearchClient;

  beforeAll(async () => {
    running = await startTestServer('os-client', { accessKey: AK, secretKey: SK });
    os = new OpenSearchClient({
      ...AwsSigv4Signer({ region: 'us-east-1', service: 'es', getCredentials: async () => ({ accessKeyId: AK, secretAccessKey: SK }) }),
      node: running.server.url,
    });
  });
  afterAll(async () => {
    await os?.close();
    await running?.stop();
  });

  it('signs with service es and gets the Elasticsearch info body', async () => {
    const { body, statusCode } = await os.info();
    expect(statusCode).toBe(200);
    expect(body.version.number).toBe('8.15.0');
  });

  it('bulk, index, get, search with aggregations, count, msearch, delete_by_query, cat', async () => {
    const bulkBody = PRODUCTS.flatMap(({ id, ...doc }) => [{ index: { _index: 'os-products', _id: id } }, doc]);
    const bulk = await os.bulk({ body: bulkBody, refresh: true });
    expect(bulk.body.errors).toBe(false);

    const one = await os.index({ index: 'os-products', id: '8', body: { name: 'Tea Pot', category: 'kitchen', price: 30, in_stock: true } });
    expect(one.statusCode).toBe(201);
    expect((await os.get({ index: 'os-products', id: '8' })).body._source).toMatchObject({ name: 'Tea Pot' });

    // The client's typings miss `terms.field`; the body is what any ES client sends.
    const body = { query: { match: { category: 'kitchen' } }, sort: [{ price: 'asc' }], aggs: { cats: { terms: { field: 'category.keyword' } } } };
    const search = await os.search({ index: 'os-products', body: body as never });
    expect(search.body.hits.hits.map((h) => h._id)).toEqual(['3', '8', '7']);
    const buckets = (search.body.aggregations?.cats as { buckets: Array<{ key: string; doc_count: number }> }).buckets;
    expect(buckets).toEqual([{ key: 'kitchen', doc_count: 3 }]);

    expect((await os.count({ index: 'os-products', body: { query: { term: { in_stock: true } } } })).body.count).toBe(6);

    const ms = await os.msearch({ body: [{ index: 'os-products' }, { query: { ids: { values: ['1', '2'] } } }] });
    expect((ms.body.responses[0] as { hits: { total: unknown } }).hits.total).toMatchObject({ value: 2 });

    const dbq = await os.deleteByQuery({ index: 'os-products', body: { query: { term: { 'category.keyword': 'home' } } } });
    expect(dbq.body).toMatchObject({ deleted: 1 });

    const cat = await os.cat.indices({ index: 'os-products', format: 'json' });
    expect(cat.body).toEqual([expect.objectContaining({ index: 'os-products', 'docs.count': '7' })]);
  });

  it('reports a missing index as 404', async () => {
    await expect(os.search({ index: 'nope', body: { query: { match_all: {} } } })).rejects.toMatchObject({
      meta: { statusCode: 404, body: { error: { type: 'index_not_found_exception' } } },
    });
  });
});
