/**
 * The official Python SDK's `examples/basic_query.py` flow, reproduced with the TypeScript SDK against
 * the real server: the same ten products loaded through the bulk API with explicit ids, then the
 * example's queries and assertions (match_all/size, term on a text field, range + sort, bool, and a
 * terms aggregation on the dynamic `category.keyword` sub-field).
 */
import { InfinoClient } from '@infino/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from './test-server.js';

const AK = 'IAK_BASICQUERY000001';
const SK = 'basicQuerySecretKey00000000000000000000AB';
const DATASET = 'demo_products';

const PRODUCTS = [
  { id: 1, name: 'Wireless Headphones', category: 'electronics', price: 79.99, in_stock: true, rating: 4.5 },
  { id: 2, name: 'USB-C Cable', category: 'electronics', price: 12.99, in_stock: true, rating: 4.2 },
  { id: 3, name: 'Laptop Stand', category: 'electronics', price: 45.0, in_stock: true, rating: 4.7 },
  { id: 4, name: 'Mechanical Keyboard', category: 'electronics', price: 129.99, in_stock: false, rating: 4.8 },
  { id: 5, name: 'Mouse Pad XL', category: 'accessories', price: 24.99, in_stock: true, rating: 4.3 },
  { id: 6, name: 'Monitor Light Bar', category: 'electronics', price: 89.99, in_stock: true, rating: 4.6 },
  { id: 7, name: 'Desk Organizer', category: 'home', price: 19.99, in_stock: true, rating: 4.1 },
  { id: 8, name: 'Webcam HD', category: 'electronics', price: 59.99, in_stock: true, rating: 4.4 },
  { id: 9, name: 'Used Laptop', category: 'used', price: 299.99, in_stock: true, rating: 3.8 },
  { id: 10, name: 'Phone Charger', category: 'electronics', price: 15.99, in_stock: true, rating: 4.0 },
];

interface Product {
  id: number;
  name: string;
  category: string;
  price: number;
  in_stock: boolean;
}

describe('Python SDK basic_query.py flow', () => {
  let running: TestServer;
  let sdk: InfinoClient;

  beforeAll(async () => {
    running = await startTestServer('basic-query', { accessKey: AK, secretKey: SK });
    sdk = new InfinoClient({ accessKey: AK, secretKey: SK, endpoint: running.server.url, retry: { maxRetries: 1 } });
  });
  afterAll(() => running?.stop());

  it('creates the dataset and ingests the ten products as NDJSON with explicit ids', async () => {
    expect(await sdk.createDataset(DATASET)).toMatchObject({ acknowledged: true });
    // The example builds the bulk text itself: an index action with the id as a string, then the document.
    const ndjson = PRODUCTS.map((p) => `${JSON.stringify({ index: { _id: String(p.id) } })}\n${JSON.stringify(p)}`).join('\n');
    const result = await sdk.uploadJsonToDataset(DATASET, `${ndjson}\n`);
    expect(result.errors).toBe(false);
    expect(result.items).toHaveLength(10);
    const meta = await sdk.getDatasetMetadata(DATASET);
    expect(meta).toMatchObject({ index: DATASET, 'docs.count': '10' });
  });

  it('match_all with size 5: total 10, five hits', async () => {
    const res = await sdk.queryDatasetInQuerydsl(DATASET, '{"query": {"match_all": {}}, "size": 5}');
    expect(res.hits.total?.value).toBe(10);
    expect(res.hits.hits).toHaveLength(5);
  });

  it('term category=electronics matches the analysed text field: 7 hits', async () => {
    const res = await sdk.queryDatasetInQuerydsl<Product>(DATASET, '{"query": {"term": {"category": "electronics"}}}');
    expect(res.hits.hits).toHaveLength(7);
    for (const hit of res.hits.hits) expect(hit._source?.category).toBe('electronics');
  });

  it('range price 10–100 sorted ascending: 8 hits in price order', async () => {
    const query = '{"query": {"range": {"price": {"gte": 10, "lte": 100}}}, "sort": [{"price": "asc"}]}';
    const res = await sdk.queryDatasetInQuerydsl<Product>(DATASET, query);
    const prices = res.hits.hits.map((h) => h._source?.price ?? Number.NaN);
    expect(prices).toHaveLength(8);
    for (const price of prices) expect(price >= 10 && price <= 100).toBe(true);
    expect(prices).toEqual([...prices].sort((a, b) => a - b));
    expect(res.hits.hits.map((h) => h._id)).toEqual(['2', '10', '7', '5', '3', '8', '1', '6']);
  });

  it('bool in_stock=true, price<=50, category!=used: 5 hits', async () => {
    const query = {
      query: {
        bool: {
          must: [{ term: { in_stock: true } }],
          filter: [{ range: { price: { lte: 50 } } }],
          must_not: [{ term: { category: 'used' } }],
        },
      },
    };
    const res = await sdk.queryDatasetInQuerydsl<Product>(DATASET, query);
    expect(res.hits.hits).toHaveLength(5);
    for (const { _source: p } of res.hits.hits) {
      expect(p?.in_stock).toBe(true);
      expect(p?.price).toBeLessThanOrEqual(50);
      expect(p?.category).not.toBe('used');
    }
  });

  it('terms aggregation on category.keyword: 7/1/1/1', async () => {
    const query = '{"size": 0, "aggs": {"categories": {"terms": {"field": "category.keyword", "size": 10}}}}';
    const res = await sdk.queryDatasetInQuerydsl(DATASET, query);
    const agg = res.aggregations?.categories as { buckets: Array<{ key: string; doc_count: number }> } | undefined;
    expect(agg).toBeDefined();
    const buckets = Object.fromEntries((agg?.buckets ?? []).map((b) => [b.key, b.doc_count]));
    expect(buckets).toEqual({ electronics: 7, accessories: 1, home: 1, used: 1 });
    // Elasticsearch orders by doc_count desc, then key asc.
    expect(agg?.buckets.map((b) => b.key)).toEqual(['electronics', 'accessories', 'home', 'used']);
  });

  it('deletes the dataset', async () => {
    expect(await sdk.deleteDataset(DATASET)).toMatchObject({ acknowledged: true });
  });
});
