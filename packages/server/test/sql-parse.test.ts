/** The SQL lexer, the write-statement shells and the AST facts, without a server. */
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byteToCharOffset, parseSerialized, statementFacts } from '../src/sql/ast.js';
import { parseWrite } from '../src/sql/dml.js';
import { leadingKeyword, LexError, tokenize, translateBackquotes, withoutTrailingSemicolons } from '../src/sql/tokens.js';
import { ApiError } from '../src/errors.js';

const write = (sql: string) => parseWrite(sql, tokenize(sql));

describe('lexer', () => {
  it('keeps strings, quoted names and comments whole', () => {
    const sql = `SELECT 'it''s; "x"', E'a\\'b', $$ ; $$, $tag$ x $tag$, "a""b", \`c\`, 1.5e3, $1 -- ; end\n/* a /* nested */ ; */ FROM t;`;
    const kinds = tokenize(sql).map((t) => t.kind);
    expect(kinds).toEqual(['word', 'string', 'op', 'string', 'op', 'string', 'op', 'string', 'op', 'quoted', 'op', 'backquoted', 'op', 'number', 'op', 'param', 'word', 'word', 'op']);
    expect(tokenize('"a""b"')[0].value).toBe('a"b');
  });

  it('refuses unterminated strings, names and comments', () => {
    for (const bad of ["SELECT 'x", 'SELECT "x', 'SELECT /* x', 'SELECT $$ x']) expect(() => tokenize(bad), bad).toThrow(LexError);
  });

  it('turns back-quoted names into double-quoted ones, leaving strings alone', () => {
    const sql = "SELECT '`no`' FROM `orders.rel` JOIN `we\"ird`";
    expect(translateBackquotes(sql, tokenize(sql))).toBe(`SELECT '\`no\`' FROM "orders.rel" JOIN "we""ird"`);
  });

  it('finds the leading keyword and drops trailing semicolons', () => {
    expect(leadingKeyword(tokenize('((SELECT 1))'))).toBe('SELECT');
    expect(leadingKeyword(tokenize('with x as (select 1) select * from x'))).toBe('WITH');
    const t = withoutTrailingSemicolons('SELECT 1 ; ;', tokenize('SELECT 1 ; ;'));
    expect(t.sql).toBe('SELECT 1');
  });
});

describe('write shells', () => {
  it('reads INSERT with alias, columns, source and conflict clauses', () => {
    const p = write(`INSERT INTO logs.doc AS l (_id, "user.name", count) SELECT id, n, c FROM src JOIN b ON src.x = b.x ON CONFLICT (_id) DO UPDATE SET count = l.count + excluded.count, "user.name" = excluded."user.name" WHERE l.count < 10`);
    expect(p).toMatchObject({
      kind: 'insert',
      target: { name: 'logs.doc', text: 'logs.doc', alias: 'l' },
      columns: ['_id', 'user.name', 'count'],
      source: 'SELECT id, n, c FROM src JOIN b ON src.x = b.x',
      sourceIsValues: false,
      conflict: { action: 'update', sets: [{ path: 'count', expr: 'l.count + excluded.count' }, { path: 'user.name', expr: 'excluded."user.name"' }], where: 'l.count < 10' },
    });
    expect(write(`INSERT INTO t (SELECT 1)`)).toMatchObject({ columns: undefined, source: '(SELECT 1)' });
    expect(write(`INSERT OR IGNORE INTO "x.rel" VALUES (1)`)).toMatchObject({ target: { name: 'x.rel', alias: 'x.rel' }, conflict: { action: 'nothing' }, sourceIsValues: true });
    expect(write(`UPSERT INTO t (id) VALUES (1)`)).toMatchObject({ conflict: { action: 'merge' } });
    expect(write(`INSERT INTO t (a) VALUES (1) ON CONFLICT DO NOTHING`)).toMatchObject({ conflict: { action: 'nothing' } });
  });

  it('reads UPDATE and DELETE clauses, not confusing IS DISTINCT FROM or nested FROMs', () => {
    expect(write(`UPDATE t AS x SET a = b IS DISTINCT FROM c, d = (SELECT max(v) FROM o WHERE o.k = x.k) FROM other WHERE x.k = other.k`)).toMatchObject({
      kind: 'update',
      target: { name: 't', alias: 'x' },
      sets: [
        { path: 'a', expr: 'b IS DISTINCT FROM c' },
        { path: 'd', expr: '(SELECT max(v) FROM o WHERE o.k = x.k)' },
      ],
      from: 'other',
      where: 'x.k = other.k',
    });
    expect(write(`DELETE FROM t USING u WHERE t.a = u.a`)).toMatchObject({ kind: 'delete', target: { name: 't', alias: 't' }, using: 'u', where: 't.a = u.a' });
    expect(write(`DELETE FROM t`)).toMatchObject({ kind: 'delete', where: undefined });
  });

  it('refuses what it cannot do, saying why', () => {
    const cases: Array<[string, RegExp]> = [
      ['INSERT INTO t (a) VALUES (1) RETURNING *', /RETURNING/],
      ['INSERT INTO t (a) VALUES (1) ON CONFLICT (a) DO NOTHING', /ON CONFLICT \(_id\)/],
      ['UPDATE t SET (a, b) = (1, 2)', /SET a = …/],
      ['UPDATE t SET _id = 1', /_id cannot be changed/],
      ['INSERT INTO t DEFAULT VALUES', /DEFAULT VALUES/],
      ['INSERT t VALUES (1)', /expected INTO/],
      ['UPDATE t WHERE a = 1', /expected SET/],
      ['DELETE t WHERE a = 1', /expected FROM/],
      ['UPDATE t SET a = 1 RETURNING a', /RETURNING/],
      ['INSERT INTO t (a) SELECT 1) AS x, (SELECT 2', /unbalanced brackets/],
      ['DELETE FROM t WHERE a IN (1, 2', /unbalanced brackets/],
    ];
    for (const [sql, reason] of cases) {
      let error: unknown;
      try {
        write(sql);
      } catch (e) {
        error = e;
      }
      expect(error, sql).toBeInstanceOf(ApiError);
      expect((error as ApiError).reason, sql).toMatch(reason);
    }
  });
});

describe('AST facts from json_serialize_sql', () => {
  let instance: DuckDBInstance;
  const facts = async (sql: string) => {
    const c = await instance.connect();
    try {
      const json = String((await c.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [sql])).getRows()[0][0]);
      return statementFacts(parseSerialized(json, sql).statements[0].node);
    } finally {
      c.closeSync();
    }
  };
  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
  });
  afterAll(() => instance.closeSync());

  it('lists table references outside CTE scope, table functions and functions, with byte locations', async () => {
    const f = await facts(`WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3)
      SELECT upper(a.x), logs.doc.level FROM logs.doc, "x-y.rel" b, range(3) g, r WHERE a.k IN (SELECT k FROM c.s.t)`);
    expect(f.tables.map((t) => t.parts)).toEqual([['logs', 'doc'], ['x-y.rel'], ['c', 's', 't']]);
    expect(f.tableFunctions).toEqual(['range']);
    expect(f.functions).toContain('upper');
    expect(f.qualifiedColumns.map((c) => c.parts)).toEqual([['logs', 'doc', 'level']]);
  });

  it('reports other FROM kinds, and parse errors with a character position', async () => {
    expect((await facts('SELECT * FROM (DESCRIBE t)')).otherRefs).toEqual(['SHOW_REF']);
    const c = await instance.connect();
    const sql = "SELECT 'é' FORM t";
    const json = String((await c.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR)', [sql])).getRows()[0][0]);
    c.closeSync();
    expect(() => parseSerialized(json, sql)).toThrow(/syntax error/);
    expect(byteToCharOffset("SELECT 'é' FORM", 12)).toBe(11);
    expect(byteToCharOffset('abc', 2)).toBe(2);
  });
});
