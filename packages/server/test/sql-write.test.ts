/**
 * SQL writes through `upsertToDataset`: every statement form, visible to QueryDSL, getRecord and
 * SQL alike (they share the bulk document path), all-or-nothing on failure.
 */
import { InfinoClient } from '@infino/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkFailure, type TestServer, startTestServer } from './test-server.js';

const creds = { accessKey: 'IAK_SQLWRITETEST0001', secretKey: 'sqlWriteTestSecretKey000000000000000000A' };

describe('/sql writes', () => {
  let running: TestServer;
  let sdk: InfinoClient;
  const rows = async (sql: string) => (await sdk.queryDatasetInSql(sql)).rows;
  const failure = (sql: string) => sdkFailure(sdk.upsertToDataset(sql));

  beforeAll(async () => {
    running = await startTestServer('sql-write', { ...creds, sqlTimeoutMs: 1_500 });
    sdk = new InfinoClient({ ...creds, endpoint: running.server.url, retry: { maxRetries: 1 } });
  });
  afterAll(() => running?.stop());

  it('INSERT … VALUES creates the dataset and documents that QueryDSL and getRecord see', async () => {
    const r = await sdk.upsertToDataset(
      `INSERT INTO "inventory.rel" (_id, name, "stock.count", price, tags, added)
       VALUES ('i1', 'Pen', 10, 2.5, ['office', 'cheap'], '2024-05-01T10:00:00Z'), ('i2', 'Ink', 0, 7.25, [], '2024-05-02T00:00:00Z')`,
    );
    expect(r).toMatchObject({ statement_type: 'insert', affected_rows: 2, created: 2, updated: 0, deleted: 0 });
    const rec = await sdk.getRecord('inventory.rel', 'i1');
    expect(rec._version).toBe(1);
    expect(rec._source).toEqual({ name: 'Pen', stock: { count: 10 }, price: 2.5, tags: ['office', 'cheap'], added: '2024-05-01T10:00:00Z' });
    const search = await sdk.queryDatasetInQuerydsl('inventory.rel', { query: { match: { name: 'pen' } } });
    expect(search.hits.hits.map((h) => h._id)).toEqual(['i1']);
    const schema = await sdk.getDatasetSchema('inventory.rel');
    expect(JSON.stringify(schema)).toContain('stock');
    expect(await rows('SELECT _id, "stock.count", added FROM "inventory.rel" ORDER BY _id')).toEqual([
      ['i1', 10, '2024-05-01T10:00:00.000Z'],
      ['i2', 0, '2024-05-02T00:00:00.000Z'],
    ]);
  });

  it('a plain INSERT of an existing _id is a 409 and writes nothing', async () => {
    const e = await failure("INSERT INTO \"inventory.rel\" (_id, name) VALUES ('i3', 'New'), ('i1', 'Dup')");
    expect(e.status).toBe(409);
    expect(e.message).toContain('ON CONFLICT');
    expect(await rows(`SELECT count(*) FROM "inventory.rel" WHERE _id = 'i3'`)).toEqual([[0]]);
  });

  it('ON CONFLICT (_id) DO UPDATE reads excluded.* and the stored row; DO NOTHING skips', async () => {
    const r = await sdk.upsertToDataset(
      `INSERT INTO "inventory.rel" AS inv (_id, name, "stock.count") VALUES ('i1', 'Pen', 5), ('i3', 'Clip', 100)
       ON CONFLICT (_id) DO UPDATE SET "stock.count" = inv."stock.count" + excluded."stock.count", name = upper(excluded.name)`,
    );
    expect(r).toMatchObject({ affected_rows: 2, created: 1, updated: 1 });
    const rec = await sdk.getRecord('inventory.rel', 'i1');
    expect(rec._version).toBe(2);
    expect(rec._source).toMatchObject({ name: 'PEN', stock: { count: 15 }, price: 2.5 });
    const skipped = await sdk.upsertToDataset(`INSERT INTO "inventory.rel" (_id, name) VALUES ('i1', 'ignored'), ('i4', 'Tape') ON CONFLICT DO NOTHING`);
    expect(skipped).toMatchObject({ affected_rows: 1, created: 1, updated: 0 });
    expect(await rows(`SELECT _id, name FROM "inventory.rel" WHERE _id IN ('i1', 'i4') ORDER BY _id`)).toEqual([
      ['i1', 'PEN'],
      ['i4', 'Tape'],
    ]);
    const guarded = await sdk.upsertToDataset(
      `INSERT INTO "inventory.rel" (_id, price) VALUES ('i1', 1.0), ('i2', 1.0) ON CONFLICT (_id) DO UPDATE SET price = excluded.price WHERE price > 5`,
    );
    expect(guarded).toMatchObject({ affected_rows: 1, updated: 1 });
    expect(await rows(`SELECT _id, price FROM "inventory.rel" WHERE _id IN ('i1', 'i2') ORDER BY _id`)).toEqual([
      ['i1', 2.5],
      ['i2', 1],
    ]);
  });

  it('INSERT OR REPLACE / UPSERT merge the listed columns; UPSERT keys on `id` when `_id` is absent', async () => {
    await sdk.upsertToDataset(`INSERT OR REPLACE INTO "inventory.rel" (_id, price) VALUES ('i4', 3.5)`);
    expect((await sdk.getRecord('inventory.rel', 'i4'))._source).toEqual({ name: 'Tape', price: 3.5 });
    await sdk.upsertToDataset(`INSERT OR IGNORE INTO "inventory.rel" (_id, price) VALUES ('i4', 99.0)`);
    expect((await sdk.getRecord('inventory.rel', 'i4'))._source).toEqual({ name: 'Tape', price: 3.5 });
    // The vendor's OpenAPI example, twice: one document.
    for (let i = 0; i < 2; i++) await sdk.upsertToDataset("UPSERT INTO my_dataset (id, name, value) VALUES ('1', 'test', 100)");
    expect(await rows('SELECT _id, id, name, value FROM my_dataset')).toEqual([['1', '1', 'test', 100]]);
  });

  it('UPDATE … [FROM …] WHERE and DELETE … [USING …] WHERE', async () => {
    await sdk.uploadJsonToDataset('discounts', [{ item: 'i1', pct: 10 }, { item: 'i3', pct: 50 }]);
    const upd = await sdk.upsertToDataset(`UPDATE "inventory.rel" SET price = round(price * (100 - d.pct) / 100, 2) FROM discounts d WHERE d.item = "inventory.rel"._id AND price IS NOT NULL`);
    expect(upd).toMatchObject({ statement_type: 'update', affected_rows: 1, updated: 1 });
    expect((await sdk.getRecord('inventory.rel', 'i1'))._source).toMatchObject({ price: 2.25 });
    const bulk = await sdk.upsertToDataset(`UPDATE "inventory.rel" i SET tags = list_append(coalesce(i.tags, []), 'sql') WHERE i._id <> 'i2'`);
    expect(bulk.affected_rows).toBe(3);
    expect(await rows(`SELECT tags FROM "inventory.rel" WHERE _id = 'i1'`)).toEqual([[['office', 'cheap', 'sql']]]);

    const del = await sdk.upsertToDataset(`DELETE FROM "inventory.rel" USING discounts d WHERE d.item = "inventory.rel"._id AND d.pct >= 50`);
    expect(del).toMatchObject({ statement_type: 'delete', affected_rows: 1, deleted: 1 });
    expect(await rows(`SELECT _id FROM "inventory.rel" ORDER BY _id`)).toEqual([['i1'], ['i2'], ['i4']]);
    const none = await sdk.upsertToDataset(`DELETE FROM "inventory.rel" WHERE false`);
    expect(none.affected_rows).toBe(0);
    const count = await sdk.queryDatasetInQuerydsl('inventory.rel', { query: { match_all: {} }, size: 0, track_total_hits: true });
    expect(count.hits.total).toMatchObject({ value: 3 });
  });

  it('INSERT … SELECT copies rows between datasets, with or without a column list', async () => {
    const r = await sdk.upsertToDataset(`INSERT INTO archive SELECT _id, name, price FROM "inventory.rel" WHERE price IS NOT NULL`);
    expect(r.created).toBe(3);
    expect(await rows('SELECT _id, name, price FROM archive ORDER BY _id')).toEqual([
      ['i1', 'PEN', 2.25],
      ['i2', 'Ink', 1],
      ['i4', 'Tape', 3.5],
    ]);
    const again = await sdk.upsertToDataset(`INSERT INTO archive (_id, name) SELECT _id, name || '!' FROM "inventory.rel" ON CONFLICT (_id) DO UPDATE SET name = excluded.name`);
    expect(again).toMatchObject({ updated: 3 });
    const copy = await sdk.upsertToDataset(`INSERT INTO archive2 SELECT * FROM archive`);
    expect(copy.created).toBe(3);
    expect((await sdk.getRecord('archive2', 'i4'))._source).toEqual({ name: 'Tape!', price: 3.5 });
  });

  it('rows without _id get generated ids', async () => {
    const r = await sdk.upsertToDataset(`INSERT INTO events (kind, n) SELECT 'tick', range FROM range(5)`);
    expect(r.created).toBe(5);
    const ids = await rows('SELECT _id FROM events');
    expect(new Set(ids.map((x) => x[0])).size).toBe(5);
  });

  it('fails the whole statement on a bad row (mapping conflict), on duplicates, and on bad shapes', async () => {
    const mapping = await failure(`INSERT INTO "inventory.rel" (_id, "stock.count") VALUES ('i7', 1), ('i8', 'not a number')`);
    expect(mapping.status).toBe(400);
    expect(mapping.message).toContain('i8');
    expect(await rows(`SELECT count(*) FROM "inventory.rel" WHERE _id IN ('i7', 'i8')`)).toEqual([[0]]);

    const twice = await failure(`INSERT INTO "inventory.rel" (_id, name) VALUES ('i9', 'a'), ('i9', 'b')`);
    expect(twice.status).toBe(409);
    expect((await failure(`INSERT INTO "inventory.rel" (_id, name) VALUES ('i9', 'a', 'extra')`)).status).toBe(400);
    expect((await failure(`INSERT INTO "inventory.rel" VALUES ('i9', 'a')`)).message).toContain('name the columns');
    expect((await failure(`INSERT INTO "inventory.rel" (_id) VALUES ('x') RETURNING *`)).message).toContain('RETURNING');
    expect((await failure(`UPDATE "inventory.rel" SET _id = 'y'`)).message).toContain('_id cannot be changed');
    expect((await failure(`INSERT INTO "inventory.rel" (_id, name) VALUES ('x', 'y') ON CONFLICT (name) DO NOTHING`)).message).toContain('ON CONFLICT (_id)');
    expect((await failure(`UPDATE nowhere SET a = 1`)).status).toBe(404);
    expect((await failure(`DELETE FROM nowhere`)).status).toBe(404);
    expect((await failure(`INSERT INTO "bad name!" (a) VALUES (1)`)).status).toBe(400);
    expect((await failure(`UPDATE "inventory.rel" SET price = nope WHERE true`)).type).toBe('verification_exception');
    expect((await failure(`INSERT INTO`)).type).toBe('parsing_exception');
    expect((await failure(`DELETE "inventory.rel"`)).type).toBe('parsing_exception');
  });

  it('cancels a write whose SELECT runs past the timeout, and other writes carry on', async () => {
    const slow = sdkFailure(
      sdk.upsertToDataset(`INSERT INTO slow (_id, n) SELECT 'x', count(*) FROM range(100000000000) r WHERE r.range % 7 = 3`),
    );
    const meanwhile = sdk.upsertToDataset(`INSERT INTO quick (_id, n) VALUES ('q', 1)`);
    const e = await slow;
    expect(e.type).toBe('statement_timeout_exception');
    expect((await meanwhile).created).toBe(1);
    expect((await sdk.queryDatasetInSql(`SELECT count(*) FROM quick`)).rows).toEqual([[1]]);
  });

  it('concurrent upserts to one id all land (each read-modify-write runs inside the write transaction)', async () => {
    await sdk.upsertToDataset(`INSERT INTO counters (_id, n) VALUES ('c', 0)`);
    await Promise.all(
      Array.from({ length: 20 }, () => sdk.upsertToDataset(`INSERT INTO counters (_id, n) VALUES ('c', 1) ON CONFLICT (_id) DO UPDATE SET n = n + excluded.n`)),
    );
    expect(await rows(`SELECT n FROM counters`)).toEqual([[20]]);
    expect((await sdk.getRecord('counters', 'c'))._version).toBe(21);
  });
});
