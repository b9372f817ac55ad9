/**
 * Users' SQL never reaches files, the network, extensions, settings or the database catalogue.
 * First wall: src/sql refuses such statements with a 400 that says why. Second wall: the DuckDB
 * instance itself is locked down (external access off, configuration locked), checked directly.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InfinoClient } from '@infino/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../src/storage/database.js';
import { sdkFailure, type TestServer, startTestServer } from './test-server.js';

const creds = { accessKey: 'IAK_SQLSAFETYTEST001', secretKey: 'sqlSafetyTestSecretKey00000000000000000A' };

describe('refused SQL', () => {
  let running: TestServer;
  let sdk: InfinoClient;
  let secret: string;

  beforeAll(async () => {
    running = await startTestServer('sql-safety', creds);
    sdk = new InfinoClient({ ...creds, endpoint: running.server.url, retry: { maxRetries: 1 } });
    await sdk.uploadJsonToDataset('visible', [{ a: 1 }]);
    secret = join(running.dir, 'secret.csv');
    writeFileSync(secret, 'x\n42\n');
  });
  afterAll(() => running?.stop());

  const refused = (sql: string, write = false) => sdkFailure(write ? sdk.upsertToDataset(sql) : sdk.queryDatasetInSql(sql));

  const CASES: Array<[string, string, RegExp]> = [
    ['file reader', "SELECT * FROM read_csv('SECRET')", /table function read_csv\(\) is not allowed/],
    ['text reader', "SELECT * FROM read_text('/etc/hostname')", /read_text\(\) is not allowed/],
    ['json reader', "SELECT * FROM read_json_auto('SECRET')", /read_json_auto\(\) is not allowed/],
    ['parquet reader in a subquery', "SELECT (SELECT count(*) FROM read_parquet('x.parquet'))", /read_parquet\(\) is not allowed/],
    ['glob', "SELECT * FROM glob('/etc/*')", /glob\(\) is not allowed/],
    ['catalogue table function', 'SELECT * FROM duckdb_tables()', /duckdb_tables\(\) is not allowed/],
    ['query_table', "SELECT * FROM query_table('ds_1')", /query_table\(\) is not allowed/],
    ['sql-string query', "SELECT * FROM query('SELECT 1')", /query\(\) is not allowed/],
    ['information_schema', 'SELECT table_name FROM information_schema.tables', /database catalogue/],
    ['pg_catalog', 'SELECT * FROM pg_catalog.pg_class', /database catalogue/],
    ['settings function', "SELECT current_setting('threads')", /current_setting\(\) is not allowed/],
    ['COPY', "COPY visible TO '/tmp/out.csv'", /COPY reads or writes files/],
    ['EXPORT', "EXPORT DATABASE '/tmp/db'", /EXPORT reads or writes files/],
    ['ATTACH', "ATTACH '/tmp/other.db' AS other", /ATTACH opens or switches databases/],
    ['INSTALL', 'INSTALL httpfs', /INSTALL installs or loads extensions/],
    ['LOAD', 'LOAD httpfs', /LOAD installs or loads extensions/],
    ['PRAGMA', 'PRAGMA database_list', /PRAGMA changes settings/],
    ['SET', "SET enable_external_access = true", /SET changes settings/],
    ['RESET', 'RESET memory_limit', /RESET changes settings/],
    ['CALL', 'CALL duckdb_settings()', /CALL calls procedures/],
    ['CREATE TABLE', 'CREATE TABLE t (a INT)', /CREATE is DDL/],
    ['CREATE VIEW', 'CREATE VIEW v AS SELECT 1', /CREATE is DDL/],
    ['DROP', 'DROP TABLE visible', /DROP is DDL/],
    ['ALTER', 'ALTER TABLE visible ADD COLUMN b INT', /ALTER is DDL/],
    ['transaction', 'BEGIN TRANSACTION', /controls transactions/],
    ['multiple statements', 'SELECT 1; DROP TABLE visible', /one statement per request/],
    ['multiple statements after a comment', 'SELECT 1 /* ; */; SELECT 2', /one statement per request/],
    ['DESCRIBE of a catalogue function', 'DESCRIBE SELECT * FROM duckdb_settings()', /duckdb_settings\(\) is not allowed/],
    ['file in an INSERT source', "INSERT INTO visible SELECT * FROM read_csv('SECRET')", /read_csv\(\) is not allowed/],
    ['catalogue in an UPDATE expression', "UPDATE visible SET a = (SELECT count(*) FROM duckdb_tables())", /duckdb_tables\(\) is not allowed/],
    ['settings in a DELETE predicate', "DELETE FROM visible WHERE current_setting('threads') = '1'", /current_setting\(\) is not allowed/],
  ];

  it.each(CASES)('%s → 400 statement_not_allowed_exception', async (_name, sql, reason) => {
    const write = /^(INSERT|UPDATE|DELETE)/.test(sql);
    const e = await refused(sql.replace('SECRET', secret), write);
    expect(e.status).toBe(400);
    expect(e.type).toBe('statement_not_allowed_exception');
    expect(e.message).toMatch(reason);
  });

  it('does not treat storage tables or file names as tables', async () => {
    for (const sql of ['SELECT * FROM ds_1', 'SELECT * FROM main.ds_1', `SELECT * FROM '${'SECRET'}'`]) {
      const e = await refused(sql.replace('SECRET', secret));
      expect([400, 404], sql).toContain(e.status);
      expect(e.message, sql).not.toContain('42');
    }
  });

  it('keeps strings and comments out of name rewriting', async () => {
    const r = await sdk.queryDatasetInSql("SELECT 'FROM visible; `x`' AS s, a /* FROM read_csv('x') */ FROM visible -- ; DROP");
    expect(r.rows).toEqual([['FROM visible; `x`', 1]]);
  });
});

describe('the DuckDB instance is locked down', () => {
  let dir: string;
  let db: Database;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'infino-lockdown-'));
    db = await Database.open(dir);
  });
  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses file access outside the spool directory, extension loads and setting changes', async () => {
    const c = await db.connect();
    try {
      await expect(c.run("SELECT * FROM read_text('/etc/hostname')")).rejects.toThrow(/Permission Error|disabled/);
      await expect(c.run("COPY (SELECT 1) TO '/tmp/infino-lockdown.csv'")).rejects.toThrow(/Permission Error|disabled/);
      await expect(c.run("ATTACH '/tmp/infino-lockdown.db' AS x")).rejects.toThrow(/Permission Error|disabled/);
      await expect(c.run('SET enable_external_access = true')).rejects.toThrow(/locked|Cannot change/);
      await expect(c.run("SET memory_limit = '1TB'")).rejects.toThrow(/locked/);
      await expect(c.run('LOAD httpfs')).rejects.toThrow();
      // The engine's own staging directory stays readable (bulk ingest loads NDJSON from it).
      writeFileSync(join(dir, 'spool', 'probe.ndjson'), '{"a":1}\n');
      const r = await c.runAndReadAll(`SELECT a FROM read_json('${join(dir, 'spool', 'probe.ndjson')}')`);
      expect(Number(r.getRows()[0][0])).toBe(1);
    } finally {
      c.closeSync();
    }
  });
});

describe('the memory limit', () => {
  let running: TestServer;
  let sdk: InfinoClient;
  beforeAll(async () => {
    running = await startTestServer('sql-memory', { ...creds, memoryLimit: '64MB' });
    sdk = new InfinoClient({ ...creds, endpoint: running.server.url, retry: { maxRetries: 1 } });
  });
  afterAll(() => running?.stop());

  it('turns a statement that outgrows it into a 400, and the server carries on', async () => {
    const e = await sdkFailure(sdk.queryDatasetInSql('SELECT list(range) AS l FROM range(50000000)'));
    expect(e.status).toBe(400);
    expect(e.type).toBe('memory_limit_exception');
    expect((await sdk.queryDatasetInSql('SELECT 42')).rows).toEqual([[42]]);
  });
});
