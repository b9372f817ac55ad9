/**
 * The search engine below HTTP: BM25 as Lucene computes it (hand-derived figures), phrase
 * frequencies, compound scoring, explicit mappings' effects on matching and scoring.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normLength } from '../src/engine/bm25.js';
import { openDuckEngine } from '../src/engine/duck/engine.js';
import type { Engine } from '../src/engine/types.js';
import type { QueryNode } from '../src/query/ast.js';
import type { SearchRequest } from '../src/search/types.js';
import { Database } from '../src/storage/database.js';

const ndjson = (...lines: unknown[]) => lines.map((l) => JSON.stringify(l)).join('\n') + '\n';
const req = (query: QueryNode, extra: Partial<SearchRequest> = {}): SearchRequest => ({ query, from: 0, size: 10, trackTotalHits: 10000, source: true, ...extra });
const bm25 = (idf: number, tf: number, dl: number, avgdl: number) => (idf * tf * 2.2) / (tf + 1.2 * (0.25 + (0.75 * dl) / avgdl));
const idf = (n: number, df: number) => Math.log(1 + (n - df + 0.5) / (df + 0.5));

describe('Lucene field-length norms', () => {
  it('keeps lengths below 40 exact and the top four bits of (length − 24) above', () => {
    expect([0, 1, 23, 24, 31, 32, 39].map(normLength)).toEqual([0, 1, 23, 24, 31, 32, 39]);
    expect([40, 41, 42, 100, 1000].map(normLength)).toEqual([40, 40, 42, 96, 984]);
  });
});

describe('search engine', () => {
  let dir: string;
  let engine: Engine;
  const ids = async (query: QueryNode, extra: Partial<SearchRequest> = {}) =>
    (await engine.search(['t'], req(query, extra))).hits.hits.map((h) => h._id);
  const scores = async (query: QueryNode) => Object.fromEntries((await engine.search(['t'], req(query))).hits.hits.map((h) => [h._id, h._score]));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'infino-search-'));
    engine = await openDuckEngine(await Database.open(dir));
    const docs = [
      { title: 'the quick brown fox', n: 1, tag: 'a', at: '2024-01-01T00:00:00Z' },
      { title: 'the lazy dog', n: 2, tag: 'b', at: '2024-01-02T00:00:00Z' },
      { title: 'quick quick fox jumps', n: 3, tag: 'a', at: '2024-01-03T00:00:00Z' },
    ];
    await engine.bulk('t', ndjson(...docs.flatMap((d, i) => [{ index: { _id: String(i + 1) } }, d])), () => {});
  });
  afterAll(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('scores match with BM25 over the field statistics (N 3, avgdl 11/3)', async () => {
    const s = await scores({ kind: 'match', field: 'title', query: 'quick' });
    expect(await ids({ kind: 'match', field: 'title', query: 'quick' })).toEqual(['3', '1']);
    expect(s['3']).toBeCloseTo(bm25(idf(3, 2), 2, 4, 11 / 3), 6);
    expect(s['1']).toBeCloseTo(bm25(idf(3, 2), 1, 4, 11 / 3), 6);
    // Two query terms add up; operator and keeps docs with both.
    const both = await scores({ kind: 'match', field: 'title', query: 'quick fox', operator: 'and' });
    expect(both['1']).toBeCloseTo(bm25(idf(3, 2), 1, 4, 11 / 3) * 2, 6);
    expect(await ids({ kind: 'match', field: 'title', query: 'quick dog', minimumShouldMatch: '100%' })).toEqual([]);
  });

  it('scores phrases with the summed idf and the phrase frequency (sloppy: Σ 1/(1+distance))', async () => {
    const w = idf(3, 2) * 2;
    const exact = await scores({ kind: 'match_phrase', field: 'title', query: 'quick fox' });
    expect(exact).toEqual({ '3': expect.closeTo(bm25(w, 1, 4, 11 / 3), 6) });
    const sloppy = await scores({ kind: 'match_phrase', field: 'title', query: 'quick fox', slop: 1 });
    expect(sloppy['1']).toBeCloseTo(bm25(w, 0.5, 4, 11 / 3), 6);
    expect(sloppy['3']).toBeCloseTo(bm25(w, 1.5, 4, 11 / 3), 6);
    expect(await ids({ kind: 'match_phrase', field: 'title', query: 'fox quick', slop: 1 })).toEqual([]);
    // Reversing two adjacent terms costs 2; doc 1 has a word between them, so it needs 3.
    expect(await ids({ kind: 'match_phrase', field: 'title', query: 'fox quick', slop: 2 })).toEqual(['3']);
    expect(await ids({ kind: 'match_phrase', field: 'title', query: 'fox quick', slop: 3 })).toEqual(['3', '1']);
  });

  it('combines scores as Lucene: bool sums, filter scores 0, dis_max takes the best plus tie', async () => {
    const fox = bm25(idf(3, 2), 1, 4, 11 / 3);
    const bool = await scores({ kind: 'bool', must: [], filter: [{ kind: 'range', field: 'n', gte: 2 }], should: [], mustNot: [] });
    expect(bool).toEqual({ '2': 0, '3': 0 });
    const dis = await scores({ kind: 'dis_max', tieBreaker: 0.5, queries: [{ kind: 'match', field: 'title', query: 'fox' }, { kind: 'range', field: 'n', lte: 1 }] });
    expect(dis['1']).toBeCloseTo(1 + 0.5 * fox, 6);
    expect(await ids({ kind: 'bool', must: [], filter: [], should: [], mustNot: [{ kind: 'term', field: 'tag', value: 'a' }] })).toEqual(['2']);
  });

  it('sorts by fields with sort values and pages with search_after', async () => {
    const r = await engine.search(['t'], req({ kind: 'match_all' }, { sort: [{ field: 'at', order: 'desc' }], size: 2 }));
    expect(r.hits.hits.map((h) => [h._id, h.sort, h._score])).toEqual([
      ['3', [Date.parse('2024-01-03T00:00:00Z')], null],
      ['2', [Date.parse('2024-01-02T00:00:00Z')], null],
    ]);
    expect(r.hits.max_score).toBeNull();
    const next = await ids({ kind: 'match_all' }, { sort: [{ field: 'at', order: 'desc' }], searchAfter: [Date.parse('2024-01-02T00:00:00Z')] });
    expect(next).toEqual(['1']);
  });

  it('answers timed_out when the timeout passes, and normally within it', async () => {
    const late = await engine.search(['t'], req({ kind: 'match', field: 'title', query: 'quick' }, { timeoutMs: 0 }));
    expect(late).toMatchObject({ timed_out: true, hits: { hits: [] } });
    const inTime = await engine.search(['t'], req({ kind: 'match', field: 'title', query: 'quick' }, { timeoutMs: 30_000 }));
    expect(inTime).toMatchObject({ timed_out: false, hits: { total: { value: 2 } } });
  });

  it('honours explicit mappings: no .keyword, norms off, docs-only text, lowercasing normalizer', async () => {
    await engine.createDataset(
      'm',
      {
        properties: {
          body: { type: 'text', norms: false },
          id: { type: 'text', index_options: 'docs' },
          login: { type: 'keyword', normalizer: 'lower' },
          user: { properties: { age: { type: 'integer' } } },
        },
      },
      { analysis: { normalizer: { lower: { type: 'custom', filter: ['lowercase'] } } } },
    );
    expect(engine.mappings('m').map((f) => [f.path, f.type])).toEqual([['body', 'text'], ['id', 'text'], ['login', 'keyword'], ['user.age', 'long']]);
    expect(engine.mappings('m').find((f) => f.path === 'login')?.options).toEqual({ normalizer: 'lower', lowercase: true });
    await engine.bulk('m', ndjson({ index: { _id: 'a' } }, { body: 'red', id: 'x y', login: 'Ann' }, { index: { _id: 'b' } }, { body: 'red red red blue', login: 'BOB' }), () => {});
    const s = async (query: QueryNode) => Object.fromEntries((await engine.search(['m'], req(query))).hits.hits.map((h) => [h._id, h._score]));
    // norms: false → every doc has length 1 (avgdl stays the real 2.5 tokens).
    const red = await s({ kind: 'match', field: 'body', query: 'red' });
    expect(red.a).toBeCloseTo(bm25(idf(2, 2), 1, 1, 2.5), 6);
    expect(red.b).toBeCloseTo(bm25(idf(2, 2), 3, 1, 2.5), 6);
    expect(await s({ kind: 'term', field: 'login', value: 'ANN' })).toHaveProperty('a');
    expect(await s({ kind: 'term', field: 'body.keyword', value: 'red' })).toEqual({});
    await expect(engine.search(['m'], req({ kind: 'match_phrase', field: 'id', query: 'x y' }))).rejects.toMatchObject({ status: 400 });
    await expect(engine.createDataset('bad', { properties: { f: { type: 'nope' } } })).rejects.toMatchObject({ status: 400, type: 'mapper_parsing_exception' });
  });
});
