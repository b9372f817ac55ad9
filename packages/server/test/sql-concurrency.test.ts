/**
 * SQL reads while bulk writes add fields and widen them to arrays: a reader's view of a dataset
 * only names columns its snapshot has (the mapping runs ahead of the database while a write is
 * open), and a field that becomes multi-valued is re-viewed as a LIST.
 */
import { InfinoClient } from '@infino/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from './test-server.js';

const creds = { accessKey: 'IAK_SQLCONCURRENT001', secretKey: 'sqlConcurrentSecretKey0000000000000000AB' };

describe('SQL reads during writes', () => {
  let running: TestServer;
  let sdk: InfinoClient;
  beforeAll(async () => {
    running = await startTestServer('sql-concurrency', creds);
    sdk = new InfinoClient({ ...creds, endpoint: running.server.url, retry: { maxRetries: 1 } });
    await sdk.uploadJsonToDataset('grow', [{ a: 1, tag: 'x' }]);
  });
  afterAll(() => running?.stop());

  it('never fails while fields are added and promoted to arrays', async () => {
    const failures: string[] = [];
    let reads = 0;
    let writing = true;
    const writer = (async () => {
      for (let i = 0; i < 60; i++) {
        // New fields every batch; from batch 30 on, `tag` arrives as an array (the column becomes a LIST).
        const docs = Array.from({ length: 50 }, (_, j) => ({ [`f${i}`]: j, a: j, tag: i >= 30 ? ['y', 'z'] : 'x' }));
        await sdk.uploadJsonToDataset('grow', docs);
      }
      writing = false;
    })();
    const reader = (async () => {
      while (writing) {
        try {
          await sdk.queryDatasetInSql('SELECT count(*), max(a), count(tag) FROM grow');
          reads++;
        } catch (e) {
          failures.push((e as Error).message.slice(0, 200));
        }
      }
    })();
    await Promise.all([writer, reader]);
    expect(failures).toEqual([]);
    expect(reads).toBeGreaterThan(0);
    const final = await sdk.queryDatasetInSql('SELECT count(*), typeof(any_value(tag)) FROM grow');
    expect(final.rows).toEqual([[3001, 'VARCHAR[]']]);
  });

  it('searches never name a column a write has not committed yet', async () => {
    const failures: string[] = [];
    let writing = true;
    const writer = (async () => {
      for (let i = 0; i < 40; i++) await sdk.uploadJsonToDataset('grow2', Array.from({ length: 50 }, (_, j) => ({ [`g${i}`]: `w${j}`, n: j })));
      writing = false;
    })();
    const reader = (async () => {
      while (writing) {
        try {
          // `*` fields expand to every mapped field, including ones a batch in flight just added.
          await sdk.queryDatasetInQuerydsl('grow2', { query: { query_string: { query: 'w1', fields: ['*'] } }, size: 1 });
        } catch (e) {
          if (!(e as Error).message.includes('index_not_found')) failures.push((e as Error).message.slice(0, 200));
        }
      }
    })();
    await Promise.all([writer, reader]);
    expect(failures).toEqual([]);
  });
});
