/**
 * `/sql` end to end through the real SDK (and raw signed HTTP where the Python SDK's exact request
 * matters): result shape and types, dataset-name spellings, limits, refused statements, errors.
 * The query corpus and the PostgreSQL differential live in sql-corpus.test.ts; writes in sql-write.test.ts.
 */
import { InfinoClient, sqlRowObjects } from '@infino/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedRequest } from './http-helpers.js';
import { sdkFailure, type TestServer, startTestServer } from './test-server.js';

const creds = { accessKey: 'IAK_SQLAPITEST000001', secretKey: 'sqlApiTestSecretKey000000000000000000000A' };

describe('/sql reads', () => {
  let running: TestServer;
  let sdk: InfinoClient;

  beforeAll(async () => {
    running = await startTestServer('sql-api', { ...creds, sqlMaxRows: 50, sqlTimeoutMs: 20_000 });
    sdk = new InfinoClient({ ...creds, endpoint: running.server.url, retry: { maxRetries: 1 } });
    await sdk.uploadJsonToDataset('products', [
      { _id: 'p1', name: 'Laptop', category: 'electronics', price: 1200.5, in_stock: true, added: '2024-03-01T10:00:00Z', tags: ['a', 'b'], maker: { name: 'Acme', country: 'SE' } },
      { _id: 'p2', name: 'Desk lamp', category: 'home', price: 25.25, in_stock: false, added: '2024-03-02', tags: ['c'], maker: { name: 'Lumo' } },
      { _id: 'p3', name: 'Chair', category: 'home', price: 80.0, in_stock: true, added: '2024-03-03T08:30:00.123456Z' },
    ].map(({ _id, ...doc }) => `{"index":{"_id":"${_id}"}}\n${JSON.stringify(doc)}`).join('\n') + '\n');
    await sdk.uploadJsonToDataset('sample-ecommerce-data.rel', [{ sku: 'p1', qty: 3 }, { sku: 'p3', qty: 1 }]);
    await sdk.uploadJsonToDataset('logs.doc', [{ level: 'error', product: 'p1' }, { level: 'info', product: 'p2' }]);
  });
  afterAll(() => running?.stop());

  it('returns columns with types, array rows, total/size, truncated and took', async () => {
    const r = await sdk.queryDatasetInSql<[string, number, number]>(
      'SELECT category, count(*) AS n, round(avg(price), 2) AS avg_price FROM products GROUP BY category ORDER BY category',
    );
    expect(r.columns).toEqual([
      { name: 'category', type: 'keyword' },
      { name: 'n', type: 'long' },
      { name: 'avg_price', type: 'double' },
    ]);
    expect(r.rows).toEqual([
      ['electronics', 1, 1200.5],
      ['home', 2, 52.63],
    ]);
    expect(r).toMatchObject({ total: 2, size: 2, truncated: false });
    expect(typeof r.took).toBe('number');
    expect(sqlRowObjects(r)).toEqual([
      { category: 'electronics', n: 1, avg_price: 1200.5 },
      { category: 'home', n: 2, avg_price: 52.63 },
    ]);
  });

  it('exposes _id, dotted field columns, LIST arrays and _source as JSON', async () => {
    const r = await sdk.queryDatasetInSql('SELECT _id, "maker.name", tags, _source FROM products ORDER BY _id');
    expect(r.columns.map((c) => [c.name, c.type])).toEqual([
      ['_id', 'keyword'],
      ['maker.name', 'keyword'],
      ['tags', 'array'],
      ['_source', 'object'],
    ]);
    expect(r.rows[0]).toEqual(['p1', 'Acme', ['a', 'b'], expect.objectContaining({ name: 'Laptop', maker: { name: 'Acme', country: 'SE' } })]);
    expect(r.rows[2]).toEqual(['p3', null, null, expect.objectContaining({ name: 'Chair' })]);
    const json = await sdk.queryDatasetInSql("SELECT _source->>'$.maker.country' AS c FROM products WHERE _id = 'p1'");
    expect(json.rows).toEqual([['SE']]);
  });

  it('renders values JSON-safely: big integers, decimals, timestamps, dates, NaN, structs, blobs', async () => {
    const r = await sdk.queryDatasetInSql(
      `SELECT 9007199254740993::BIGINT AS big, 42::BIGINT AS small, 12.34::DECIMAL(10,2) AS dec, 'NaN'::DOUBLE AS nan,
              'infinity'::DOUBLE AS inf, TIMESTAMP '2024-01-15 10:00:00' AS ts, TIMESTAMPTZ '2024-01-15 10:00:00+02' AS tstz,
              DATE '2024-01-15' AS d, {'a': 1, 'b': [1, 2]} AS s, '\\x01\\x02'::BLOB AS blob, NULL AS n, true AS flag`,
    );
    expect(r.rows[0]).toEqual([
      '9007199254740993',
      42,
      12.34,
      'NaN',
      'Infinity',
      '2024-01-15T10:00:00.000Z',
      '2024-01-15T08:00:00.000Z',
      '2024-01-15',
      { a: 1, b: [1, 2] },
      'AQI=',
      null,
      true,
    ]);
    // (DuckDB types a bare NULL as INTEGER.)
    expect(r.columns.map((c) => c.type)).toEqual(['long', 'long', 'double', 'double', 'double', 'date', 'date', 'date', 'object', 'binary', 'integer', 'boolean']);
    // Date fields keep milliseconds, as Elasticsearch's `date` type does; SQL timestamps can carry microseconds.
    const ts = await sdk.queryDatasetInSql("SELECT added, TIMESTAMP '2024-01-15 10:00:00.123456' FROM products WHERE _id = 'p3'");
    expect(ts.rows).toEqual([['2024-03-03T08:30:00.123Z', '2024-01-15T10:00:00.123456Z']]);
  });

  it('keeps what bulk JSON says about numbers: 1200.0 maps as double, 64-bit integers stay exact', async () => {
    await sdk.uploadJsonToDataset('prices', '{"index":{}}\n{"price": 1200.0, "trace": 9007199254740993}\n{"index":{}}\n{"price": 25.5, "trace": 1}\n');
    const r = await sdk.queryDatasetInSql('SELECT sum(price), max(trace), max(trace)::VARCHAR FROM prices');
    expect(r.rows).toEqual([[1225.5, '9007199254740993', '9007199254740993']]);
    expect((await sdk.queryDatasetInSql('DESCRIBE prices')).rows.map((x) => x.slice(0, 2))).toContainEqual(['price', 'DOUBLE']);
  });

  it('resolves dataset names plain, double-quoted, back-quoted and unquoted dotted', async () => {
    const joined = await sdk.queryDatasetInSql(
      'SELECT p.name, e.qty, l.level FROM products p JOIN "sample-ecommerce-data.rel" e ON e.sku = p._id LEFT JOIN `logs.doc` l ON l.product = p._id ORDER BY p.name',
    );
    expect(joined.rows).toEqual([
      ['Chair', 1, null],
      ['Laptop', 3, 'error'],
    ]);
    const dotted = await sdk.queryDatasetInSql('SELECT doc.level, count(*) FROM logs.doc GROUP BY ALL ORDER BY 1');
    expect(dotted.rows).toEqual([
      ['error', 1],
      ['info', 1],
    ]);
    // A CTE named like a dataset is the CTE, as in SQL.
    const cte = await sdk.queryDatasetInSql('WITH products AS (SELECT 1 AS x) SELECT * FROM products');
    expect(cte.rows).toEqual([[1]]);
    // Table names fold case, as SQL identifiers do.
    expect((await sdk.queryDatasetInSql('SELECT count(*) FROM PRODUCTS')).rows).toEqual([[3]]);
  });

  it('lists the caller’s datasets (SHOW TABLES) and describes one', async () => {
    expect((await sdk.queryDatasetInSql('SHOW TABLES')).rows).toEqual([['logs.doc'], ['prices'], ['products'], ['sample-ecommerce-data.rel']]);
    const d = await sdk.queryDatasetInSql('DESCRIBE products');
    expect(d.rows.map((r) => [r[0], r[1]])).toContainEqual(['price', 'DOUBLE']);
    expect(d.rows.map((r) => r[0])).toEqual(['_id', 'name', 'category', 'price', 'in_stock', 'added', 'tags', 'maker.name', 'maker.country', '_source']);
    const q = await sdk.queryDatasetInSql('DESCRIBE SELECT name FROM products');
    expect(q.rows.map((r) => r[0])).toEqual(['name']);
  });

  it('accepts the Python SDK’s GET with a JSON body, VALUES, and a trailing semicolon', async () => {
    const res = await signedRequest(running.server.port, creds, 'GET', '/sql', { body: JSON.stringify({ query: 'SELECT name FROM products WHERE price > 100;' }) });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toContain('application/json');
    expect(res.json()).toMatchObject({ columns: [{ name: 'name', type: 'keyword' }], rows: [['Laptop']], total: 1 });
    expect((await sdk.queryDatasetInSql('VALUES (1, 2)')).rows).toEqual([[1, 2]]);
  });

  it('caps rows at the server limit with truncated, and honours a smaller max_rows', async () => {
    const all = await sdk.queryDatasetInSql('SELECT * FROM range(120)');
    expect(all).toMatchObject({ truncated: true, total: 50, size: 50 });
    expect(all.rows[49]).toEqual([49]);
    const few = await sdk.queryDatasetInSql('SELECT * FROM range(120) ORDER BY 1 DESC', { sql: { max_rows: 3 } });
    expect(few).toMatchObject({ rows: [[119], [118], [117]], truncated: true });
    const exact = await sdk.queryDatasetInSql('SELECT * FROM range(50)');
    expect(exact.truncated).toBe(false);
  });

  it('cancels a statement at its timeout with a 4xx', async () => {
    const e = await sdkFailure(sdk.queryDatasetInSql('SELECT count(*) FROM range(100000000000) a WHERE a.range % 7 = 3', { sql: { timeout_ms: 200 } }));
    expect(e.status).toBe(400);
    expect(e.type).toBe('statement_timeout_exception');
    // The connection is usable afterwards.
    expect((await sdk.queryDatasetInSql('SELECT count(*) FROM products')).rows).toEqual([[3]]);
  });

  it('reports syntax errors with DuckDB’s message and position, binder errors as verification_exception', async () => {
    const syntax = await sdkFailure(sdk.queryDatasetInSql('SELECT * FORM products'));
    expect(syntax.status).toBe(400);
    expect(syntax.type).toBe('parsing_exception');
    expect(JSON.parse(syntax.message).error).toMatchObject({ reason: expect.stringContaining('syntax error at or near'), position: 14 });
    const binder = await sdkFailure(sdk.queryDatasetInSql('SELECT nope FROM products'));
    expect(binder.type).toBe('verification_exception');
    expect(binder.message).toContain('nope');
    expect(binder.message).not.toMatch(/__ds_\d+/);
    const unterminated = await sdkFailure(sdk.queryDatasetInSql("SELECT 'abc FROM products"));
    expect(unterminated.type).toBe('parsing_exception');
    const conversion = await sdkFailure(sdk.queryDatasetInSql("SELECT 'x'::INTEGER"));
    expect(conversion.status).toBe(400);
  });

  it('answers an unknown dataset with 404 index_not_found_exception', async () => {
    const e = await sdkFailure(sdk.queryDatasetInSql('SELECT * FROM nonexistent_dataset.doc'));
    expect(e.status).toBe(404);
    expect(e.type).toBe('index_not_found_exception');
    expect(e.message).toContain('nonexistent_dataset.doc');
  });

  it('rejects bad bodies with 400s', async () => {
    const port = running.server.port;
    for (const body of ['not json', '[]', '{}', '{"query": ""}', '{"query": 5}', '{"query": "SELECT 1", "max_rows": 0}', '{"query": "SELECT 1", "timeout_ms": "x"}']) {
      const res = await signedRequest(port, creds, 'POST', '/sql', { body });
      expect(res.status, body).toBe(400);
      expect(res.json().error.type, body).toMatch(/exception$/);
    }
    const none = await signedRequest(port, creds, 'POST', '/sql');
    expect(none.status).toBe(400);
    const write = await signedRequest(port, creds, 'GET', '/sql', { body: JSON.stringify({ query: "INSERT INTO products (_id) VALUES ('z')" }) });
    expect(write.status).toBe(400);
    expect(write.json().error.reason).toContain('POST /sql');
  });
});
