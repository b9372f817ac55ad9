import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckEngine } from '../src/engine/duck/engine.js';
import type { Engine } from '../src/engine/types.js';
import { parseQueryBody } from '../src/query/parse.js';
import { Database } from '../src/storage/database.js';

const ndjson = (...lines: unknown[]) => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
const allow = () => {};
const item = (r: Awaited<ReturnType<Engine['bulk']>>, i: number) => Object.values(r.items[i])[0]!;

describe('DuckDB engine', () => {
  let dir: string;
  let engine: Engine;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'infino-engine-'));
    engine = await openDuckEngine(await Database.open(dir));
  });
  afterAll(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates, lists and refuses duplicate datasets', async () => {
    await engine.createDataset('products');
    expect(engine.hasDataset('products')).toBe(true);
    await expect(engine.createDataset('products')).rejects.toMatchObject({ status: 409, type: 'resource_already_exists_exception' });
    await expect(engine.createDataset('metadata')).rejects.toMatchObject({ status: 400 });
    await expect(engine.createDataset('bad name')).rejects.toMatchObject({ status: 400 });
  });

  it('indexes, versions, updates and deletes documents ES-style', async () => {
    const r = await engine.bulk(
      'products',
      ndjson(
        { index: { _id: '1' } },
        { name: 'Laptop Pro', price: 1200, in_stock: true, tags: ['a', 'b'], user: { name: 'Ann' }, at: '2024-01-02T03:04:05Z' },
        { create: { _id: '1' } },
        { name: 'dup' },
        { index: {} },
        { name: 'Auto id', price: 3.5 },
        { update: { _id: '1' } },
        { doc: { price: 1100 } },
        { update: { _id: 'missing' } },
        { doc: { price: 1 } },
        { update: { _id: 'up' } },
        { doc: { name: 'Upserted' }, doc_as_upsert: true },
        { delete: { _id: 'nope' } },
      ),
      allow,
    );
    expect(r.errors).toBe(true);
    expect(item(r, 0)).toMatchObject({ _id: '1', _version: 1, result: 'created', status: 201 });
    expect(item(r, 1)).toMatchObject({ status: 409, error: { type: 'version_conflict_engine_exception' } });
    expect(item(r, 2)).toMatchObject({ result: 'created', status: 201 });
    expect(item(r, 2)._id).toMatch(/^[-0-9A-Za-z_]{20}$/);
    expect(item(r, 3)).toMatchObject({ _id: '1', _version: 2, result: 'updated', status: 200 });
    expect(item(r, 4)).toMatchObject({ status: 404, error: { type: 'document_missing_exception' } });
    expect(item(r, 5)).toMatchObject({ _id: 'up', result: 'created' });
    expect(item(r, 6)).toMatchObject({ result: 'not_found', status: 404 });

    const doc = await engine.get('products', '1');
    expect(doc?._version).toBe(2);
    expect(JSON.parse(doc!.sourceText)).toMatchObject({ price: 1100, name: 'Laptop Pro', user: { name: 'Ann' } });
    expect(await engine.count('products')).toBe(3);

    const mapping = Object.fromEntries(engine.mappings('products').map((f) => [f.path, f]));
    expect(mapping.name.type).toBe('text');
    expect(mapping.price.type).toBe('long');
    expect(mapping.in_stock.type).toBe('boolean');
    expect(mapping.at.type).toBe('date');
    expect(mapping['user.name'].type).toBe('text');
    expect(mapping.tags.multi).toBe(true);

    const again = await engine.bulk('products', ndjson({ update: { _id: '1' } }, { doc: { price: 1100 } }, { delete: { _id: 'up' } }), allow);
    expect(item(again, 0)).toMatchObject({ result: 'noop', _version: 2 });
    expect(item(again, 1)).toMatchObject({ result: 'deleted', status: 200, _version: 2 });
    expect(await engine.get('products', 'up')).toBeNull();
  });

  it('finds auto-id documents by their id, also after they are re-indexed under it', async () => {
    const r = await engine.bulk('auto', ndjson({ index: {} }, { v: 1 }, { index: {} }, { v: 2 }), allow);
    const [a, b] = r.items.map((it) => Object.values(it)[0]!._id!);
    expect(JSON.parse((await engine.get('auto', b))!.sourceText)).toEqual({ v: 2 });
    await engine.bulk('auto', ndjson({ index: { _id: a } }, { v: 3 }), allow);
    const again = await engine.get('auto', a);
    expect(again).toMatchObject({ _id: a, _version: 2 });
    expect(JSON.parse(again!.sourceText)).toEqual({ v: 3 });
  });

  it('serialises concurrent writers: group commit keeps versions and mappings consistent', async () => {
    const writers = Array.from({ length: 8 }, (_, w) =>
      engine.bulk(
        'concurrent',
        ndjson(...Array.from({ length: 50 }, (_, i) => [{ index: { _id: `doc-${i}` } }, { writer: w, [`field_${w}`]: i, n: i }]).flat()),
        allow,
      ),
    );
    const results = await Promise.all(writers);
    expect(results.every((r) => !r.errors)).toBe(true);
    expect(await engine.count('concurrent')).toBe(50);
    for (const i of [0, 25, 49]) expect((await engine.get('concurrent', `doc-${i}`))?._version).toBe(8);
    const versions = results.flatMap((r) => r.items.map((it) => Object.values(it)[0]!._version)).sort((a, b) => a! - b!);
    expect(new Set(versions).size).toBe(8); // each id went through versions 1..8, one per writer
    expect(engine.mappings('concurrent').map((f) => f.path).sort()).toEqual(
      ['n', 'writer', ...Array.from({ length: 8 }, (_, w) => `field_${w}`)].sort(),
    );
  });

  it('keeps a mix of concurrent creates, drops, bulks and deletes consistent', async () => {
    const doc = (i: number) => ndjson({ index: { _id: `m${i}` } }, { i, tag: i % 2 ? 'odd' : 'even' });
    const ops = await Promise.allSettled([
      engine.bulk('mix-a', doc(1), allow),
      engine.bulk('mix-b', doc(2) + doc(3), allow),
      engine.dropDataset('mix-a'),
      engine.bulk('mix-a', doc(4), allow),
      engine.createDataset('mix-c'),
      engine.deleteByQuery('mix-b', parseQueryBody({ query: { term: { tag: 'odd' } } })),
      engine.bulk('mix-c', doc(5), allow),
    ]);
    expect(ops.map((o) => o.status)).toEqual(Array(7).fill('fulfilled'));
    expect(await engine.count('mix-a')).toBe(1); // dropped after doc 1, recreated by doc 4
    expect(await engine.get('mix-a', 'm4')).not.toBeNull();
    expect(await engine.count('mix-b')).toBe(1);
    expect(await engine.count('mix-c')).toBe(1);
  });

  it('keeps _source byte-for-byte', async () => {
    const raw = '{ "b":1,   "a" : "x\\u00e9" ,"n":1.50 }';
    await engine.bulk('raw', `{"index":{"_id":"r"}}\n${raw}\n`, allow);
    expect((await engine.get('raw', 'r'))?.sourceText).toBe(raw);
  });

  it('fails only the bad items: malformed lines, type conflicts, metadata fields', async () => {
    const body = [
      '{"index":{"_id":"a"}}',
      '{"n": 1, "s": "x", "o": {"k": 1}}',
      '{"index":{"_id":"b"}}',
      '{"n": "not a number"}',
      'this is not json',
      '{"index":{"_id":"c"}}',
      '{"o": "concrete"}',
      '{"index":{"_id":"d"}}',
      '{"_id": "inside"}',
      '{"index":{"_id":"e"}}',
      '{"n": "42", "s": 7, "extra": [1, 2]}',
      '{"index":{"_id":"f"}}',
      '{broken json',
      '{"unknown_action":{}}',
      '{"index":{"_id":"g"}}',
      '{"n": 5}',
    ].join('\n');
    const r = await engine.bulk('mixed', body, allow);
    const statuses = r.items.map((it) => Object.values(it)[0]!.status);
    expect(statuses).toEqual([201, 400, 400, 400, 400, 201, 400, 400, 201]);
    expect(item(r, 1).error?.type).toBe('document_parsing_exception');
    expect(await engine.count('mixed')).toBe(3);
    const e = JSON.parse((await engine.get('mixed', 'e'))!.sourceText);
    expect(e).toEqual({ n: '42', s: 7, extra: [1, 2] });
  });

  it('answers odd values item by item, never with a failed batch', async () => {
    const cases: Array<[string, number]> = [
      ['{"s":"lone \\ud800 surrogate"}', 400],
      ['{"k\\udc00":1}', 400],
      ['{"big":12345678901234567890}', 201], // beyond long: mapped as double
      ['{"edge":-9223372036854775809}', 201],
      ['{"n":1}', 201],
      ['{"n":-9223372036854775809}', 400], // out of range of the established long
      ['{"inf":1e400}', 400],
      ['{"d":"9999-12-31T23:59:59Z","d0":"0001-01-01"}', 201],
      ['{"nul":"a\\u0000b","emoji":"\\ud83d\\ude00"}', 201],
      ['{"deep":' + '{"a":'.repeat(25) + '1' + '}'.repeat(25) + '}', 400],
      ['{"key with \\"quotes\\"":1,"Case":1,"case":"x"}', 201],
    ];
    const body = cases.map(([doc]) => `{"index":{}}\n${doc}`).join('\n');
    const r = await engine.bulk('odd', body, allow);
    expect(r.items.map((it) => Object.values(it)[0]!.status)).toEqual(cases.map(([, status]) => status));
    expect(await engine.count('odd')).toBe(cases.filter(([, s]) => s === 201).length);
  });

  it('deletes by query with term, terms, range, ids and bool', async () => {
    const docs = [];
    for (let i = 0; i < 20; i++) {
      docs.push({ index: { _id: String(i) } }, { i, cat: i % 2 ? 'odd Books' : 'even Games', at: `2024-01-${String(i + 1).padStart(2, '0')}` });
    }
    await engine.bulk('dbq', ndjson(...docs), allow);
    const q = (body: unknown) => parseQueryBody(body);
    expect(await engine.count('dbq', q({ query: { term: { cat: 'books' } } }))).toBe(10);
    expect(await engine.count('dbq', q({ query: { term: { cat: 'Books' } } }))).toBe(0);
    expect(await engine.count('dbq', q({ query: { term: { 'cat.keyword': 'odd Books' } } }))).toBe(10);
    expect(await engine.count('dbq', q({ query: { range: { i: { gte: 5, lt: 10 } } } }))).toBe(5);
    expect(await engine.count('dbq', q({ query: { range: { at: { gte: '2024-01-10', lte: '2024-01-12' } } } }))).toBe(3);
    expect(await engine.count('dbq', q({ query: { ids: { values: ['1', '2', 'zz'] } } }))).toBe(2);
    expect(
      await engine.count('dbq', q({ query: { bool: { must: [{ terms: { i: [1, 2, 3, 4] } }], must_not: [{ term: { cat: 'odd' } }] } } })),
    ).toBe(2);
    expect(await engine.count('dbq', q({ query: { bool: { must_not: [{ term: { nofield: 'x' } }] } } }))).toBe(20);
    expect((await engine.deleteByQuery('dbq', q({ query: { range: { i: { lt: 5 } } } }))).deleted).toBe(5);
    expect(await engine.count('dbq')).toBe(15);
    expect(await engine.count('dbq', q({ query: { term: { cat: 'books' } } }))).toBe(8);
  });

  it('merges postings runs in the background without changing answers', async () => {
    for (let b = 0; b < 20; b++) {
      const docs = [];
      for (let i = 0; i < 10; i++) docs.push({ index: { _id: `${b}-${i}` } }, { text: `batch${b} common ${i % 2 ? 'odd' : 'even'}` });
      await engine.bulk('merged', ndjson(...docs), allow);
    }
    await engine.maintain();
    const stats = await engine.stats('merged');
    expect(stats.segmentsCount).toBeLessThan(20);
    const q = (term: string) => parseQueryBody({ query: { term: { text: term } } });
    expect(await engine.count('merged', q('common'))).toBe(200);
    expect(await engine.count('merged', q('odd'))).toBe(100);
    expect(await engine.count('merged', q('batch7'))).toBe(10);
    await engine.bulk('merged', ndjson({ delete: { _id: '7-1' } }, { index: { _id: '7-2' } }, { text: 'replaced' }), allow);
    expect(await engine.count('merged', q('batch7'))).toBe(8);
    expect(await engine.count('merged', q('replaced'))).toBe(1);
  });

  it('reports stats and survives reopen', async () => {
    const s = await engine.stats('dbq');
    expect(s.docsCount).toBe(15);
    expect(s.storeSizeBytes).toBeGreaterThan(0);
  });
});
