/**
 * The SQL corpus (test/sql/, format in test/sql/README.md) as a differential test: every query runs
 * through the real SDK against the real server (`POST /sql`) and, unless it is DuckDB-only, on
 * PostgreSQL holding the same rows; the two answers must agree. DuckDB-only queries are checked
 * against hand-written rows. PostgreSQL being down fails the run: without the reference engine the
 * corpus proves nothing, and a skip would hide that.
 */
import { InfinoClient, InfinoError, type SqlResult, type SqlWriteResult } from '@infino/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CorpusQuery, type Dataset, type ResultSet, compareRows, loadDatasets, loadQueries, loadWrites } from './sql/corpus.js';
import { type PgResult, PgReference } from './sql-pg.js';
import { type TestServer, startTestServer } from './test-server.js';

const AK = 'IAK_SQLCORPUSKEY0001';
const SK = 'sqlCorpusSecretKey00000000000000000000AB';

const datasets = loadDatasets();
const queryFiles = loadQueries();
const writes = loadWrites();

/** Integer types whose values beyond ±2^53 arrive as strings. */
const INTEGER_TYPES = new Set(['long', 'integer', 'short', 'byte', 'unsigned_long']);
/** Floating-point types whose NaN and infinities arrive as strings. */
const FLOAT_TYPES = new Set(['double', 'float']);
const SPECIAL_FLOATS: Record<string, number> = { NaN: Number.NaN, Infinity: Infinity, '-Infinity': -Infinity };

/** Infino's JSON spellings of values JSON numbers cannot carry, back to the values. */
function fromWire(v: unknown, type: string): unknown {
  if (typeof v !== 'string') return v;
  if (INTEGER_TYPES.has(type) && /^-?\d+$/.test(v)) return BigInt(v);
  if (FLOAT_TYPES.has(type) && v in SPECIAL_FLOATS) return SPECIAL_FLOATS[v];
  return v;
}

function describeError(e: unknown): string {
  if (e instanceof InfinoError) return `${e.status} ${e.type ?? e.errorType}: ${e.reason ?? e.message}`;
  return String(e);
}

describe('SQL corpus: Infino vs PostgreSQL', () => {
  let running: TestServer | undefined;
  let sdk: InfinoClient;
  let pg: PgReference | undefined;
  /** Why PostgreSQL could not be used: every test then fails with it (a failing hook would only skip them). */
  let pgDown: Error | undefined;

  async function load(ds: Dataset): Promise<void> {
    await sdk.createDataset(ds.name);
    const res = await sdk.uploadJsonToDataset(ds.name, { operations: ds.docs.map(({ _id, ...doc }) => ({ index: { _id }, doc })) });
    if (res.errors) throw new Error(`loading dataset ${ds.name} failed: ${JSON.stringify(res.items)}`);
    await pg!.createDataset(ds);
  }

  beforeAll(async () => {
    try {
      pg = await PgReference.open();
    } catch (e) {
      pgDown = e as Error;
      return;
    }
    running = await startTestServer('sql-corpus', { accessKey: AK, secretKey: SK });
    sdk = new InfinoClient({ accessKey: AK, secretKey: SK, endpoint: running.server.url, retry: { maxRetries: 1 } });
    for (const ds of datasets) await load(ds);
  });
  afterAll(async () => {
    await running?.stop();
    await pg?.close();
  });

  async function infino(sql: string): Promise<ResultSet & { response: SqlResult }> {
    let res: SqlResult;
    try {
      res = await sdk.queryDatasetInSql(sql);
    } catch (e) {
      throw new Error(`Infino rejected the query: ${describeError(e)}\n${sql}`, { cause: e });
    }
    const rows = res.rows.map((row) => row.map((v, i) => fromWire(v, res.columns[i].type)));
    return { columns: res.columns.map((c) => c.name), rows, response: res };
  }

  async function reference(sql: string): Promise<PgResult> {
    try {
      return await pg!.query(sql);
    } catch (e) {
      // The corpus is validated on PostgreSQL, so this is a corpus bug, not a server one.
      throw new Error(`PostgreSQL rejected the corpus query (fix the corpus): ${(e as Error).message}\n${sql}`, { cause: e });
    }
  }

  async function check(q: CorpusQuery): Promise<void> {
    if (pgDown) throw pgDown;
    const got = await infino(q.sql);
    expect(got.response.truncated, 'truncated').toBe(false);
    expect(got.response.total, 'total').toBe(got.rows.length);
    const problems: string[] = [];
    if (q.portable !== false) {
      const want = await reference(q.pg ?? q.sql);
      if (JSON.stringify(got.columns) !== JSON.stringify(want.columns)) {
        problems.push(`columns: PostgreSQL ${JSON.stringify(want.columns)}, Infino ${JSON.stringify(got.columns)}`);
      }
      problems.push(...compareRows(want.rows, got.rows, q.ordered).map((p) => `vs PostgreSQL: ${p}`));
    }
    if (q.expect) problems.push(...compareRows(q.expect, got.rows, q.ordered).map((p) => `vs expect: ${p}`));
    if (q.expect_columns && JSON.stringify(q.expect_columns) !== JSON.stringify(got.columns)) {
      problems.push(`columns: expected ${JSON.stringify(q.expect_columns)}, Infino ${JSON.stringify(got.columns)}`);
    }
    if (problems.length > 0) throw new Error(`${problems.join('\n')}\n--- query: ${q.sql}`);
  }

  for (const file of queryFiles) {
    describe(file.file, () => {
      it.each(file.queries)('$name', (q) => check(q));
    });
  }

  // Statements through upsertToDataset, applied to both engines in order on a scratch dataset; each
  // is followed by a SELECT whose answers must agree. Steps depend on the ones before them.
  describe('writes (writes.json)', () => {
    beforeAll(async () => {
      if (!pg) return;
      await load({ name: writes.dataset, docs: writes.seed });
    });

    it.each(writes.steps)('$name', async (step) => {
      if (pgDown) throw pgDown;
      if (step.error_status !== undefined) {
        const failure = await sdk.upsertToDataset(step.sql).then(
          (res) => new Error(`Infino accepted a statement that must fail with ${step.error_status}: ${JSON.stringify(res)}`),
          (e: unknown) => e,
        );
        expect(failure instanceof InfinoError ? failure.status : String(failure), describeError(failure)).toBe(step.error_status);
        const pgFailed = await pg!.query(step.pg ?? step.sql).then(() => false, () => true);
        expect(pgFailed, 'PostgreSQL rejects the statement too (corpus check)').toBe(true);
      } else {
        let res: SqlWriteResult;
        try {
          res = await sdk.upsertToDataset(step.sql);
        } catch (e) {
          throw new Error(`Infino rejected the statement: ${describeError(e)}\n${step.sql}`, { cause: e });
        }
        const pgRes = await reference(step.pg ?? step.sql);
        expect(pgRes.rowCount, 'PostgreSQL affected rows (corpus check)').toBe(step.affected_rows);
        expect({ statement_type: res.statement_type, affected_rows: res.affected_rows }).toEqual({
          statement_type: step.statement_type,
          affected_rows: step.affected_rows,
        });
      }
      const got = await infino(step.check);
      const want = await reference(step.check_pg ?? step.check);
      expect(got.columns).toEqual(want.columns);
      const problems = compareRows(want.rows, got.rows, true);
      if (problems.length > 0) throw new Error(`after the write, vs PostgreSQL: ${problems.join('\n')}\n--- check: ${step.check}`);
    });
  });
});
