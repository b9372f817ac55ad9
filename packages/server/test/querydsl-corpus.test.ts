/**
 * The QueryDSL conformance corpus (test/querydsl/*.json, format in test/querydsl/README.md): every
 * case is one search through the real SDK against the real server, checked against the response
 * Elasticsearch 8 gives for the same data. One server and one load of the datasets serve all cases.
 */
import { InfinoClient, InfinoError } from '@infino/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CorpusCase, checkCase, loadCorpus, loadDatasets } from './querydsl/corpus.js';
import { match } from './querydsl/fragment.js';
import { type TestServer, startTestServer } from './test-server.js';

const AK = 'IAK_QDSLCORPUS000001';
const SK = 'qdslCorpusSecretKey000000000000000000000AB';

const corpus = loadCorpus();

describe('fragment matcher', () => {
  it('matches subsets, tolerates float noise, and explains mismatches', () => {
    expect(match({ a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 2], d: 3 }, e: 4 })).toEqual([]);
    expect(match({ s: 0.2876821 }, { s: 0.28768207245178 })).toEqual([]);
    expect(match({ n: 3 }, { n: 3.0000001 })).toEqual(['$.n: expected 3, got 3.0000001']);
    expect(match([1, 2], [1, 2, 3])).toHaveLength(1);
    expect(match({ $exact: { a: 1 } }, { a: 1, b: 2 })).toEqual(['$.b: unexpected key']);
    expect(match({ t: { $absent: true }, u: { $any: true } }, { u: null })).toEqual([]);
    expect(match({ t: { $absent: true } }, { t: 0 })).toHaveLength(1);
    expect(match({ $match: '^a\\[' }, 'a[1]')).toEqual([]);
    expect(match({ $unordered: [{ k: 2 }, { k: 1 }] }, [{ k: 1 }, { k: 2 }])).toEqual([]);
    expect(match({ $contains: [{ k: 2 }] }, [{ k: 1 }, { k: 2 }])).toEqual([]);
    expect(match({ $prefix: [1] }, [1, 5])).toEqual([]);
    expect(() => match({ $nope: 1 }, 1)).toThrow(/unknown matcher/);
  });
});

describe('QueryDSL conformance corpus', () => {
  let running: TestServer;
  let client: InfinoClient;

  beforeAll(async () => {
    running = await startTestServer('querydsl-corpus', { accessKey: AK, secretKey: SK });
    client = new InfinoClient({ accessKey: AK, secretKey: SK, endpoint: running.server.url, retry: { maxRetries: 1 } });
    for (const [name, docs] of Object.entries(loadDatasets())) {
      await client.createDataset(name);
      // One bulk request in document order, so index order (the tie-break of equal scores) is the file order.
      const res = await client.uploadJsonToDataset(name, { operations: docs.map(({ _id, ...doc }) => ({ index: { _id }, doc })) });
      if (res.errors) throw new Error(`loading dataset ${name} failed: ${JSON.stringify(res.items)}`);
    }
  });
  afterAll(() => running?.stop());

  async function run(c: CorpusCase): Promise<void> {
    let status = 200;
    let response: unknown;
    try {
      response = await client.queryDatasetInQuerydsl(c.dataset, c.body_text ?? (c.body as Record<string, unknown>));
    } catch (e) {
      if (!(e instanceof InfinoError) || e.status === undefined || e.status === 0) throw e;
      status = e.status;
      response = e.body ?? e.message;
    }
    const problems = checkCase(c, status, response);
    if (problems.length > 0) {
      const actual = JSON.stringify(response);
      throw new Error(`${problems.join('\n')}\n--- response: ${actual.length > 2000 ? `${actual.slice(0, 2000)}…` : actual}`);
    }
  }

  for (const file of corpus) {
    describe(file.file, () => {
      for (const c of file.cases) {
        if (c.skip) it.skip(`${c.name} (skipped: ${c.skip})`, () => {});
        else it(c.name, () => run(c));
      }
    });
  }
});
