/**
 * Visualization filters (§3.5) without the server: the body check, merge precedence, disabled
 * filters, time values, each operator's predicate as DuckDB writes it, the row cap, where
 * predicates go (and where they cannot), and injection attempts in field names and values — the
 * final statement must parse as one statement holding the value as a constant, and return the
 * right rows. Runs against an in-memory DuckDB, the same json_serialize_sql / json_deserialize_sql
 * the engine uses.
 */
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { Filter } from '@infino/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../src/errors.js';
import { type ExecuteBody, parseExecuteBody, parseTime, planFilters, Timestamp } from '../src/visualize/filters.js';
import { parseStatement, prepareStatement, type RowCap, type SqlTreeCodec } from '../src/visualize/inject.js';
import { bareIdent } from '../src/visualize/sql/dialects/index.js';

let conn: DuckDBConnection;
let codec: SqlTreeCodec;

const scalar = async (sql: string, param: string) => String((await conn.runAndReadAll(sql, [param])).getRows()[0][0]);

const ROWS: Array<[string, string, number, string | null, number]> = [
  ['2024-01-01 00:00:00', 'alpha', 200, "it's", 1.5],
  ['2024-01-01 06:00:00', 'beta', 404, '50% off_sale', 2.5],
  ['2024-01-01 12:00:00', 'gamma', 500, 'a\\b', 3.5],
  ['2024-01-02 00:00:00', 'alpha', 200, "'; DROP TABLE t; --", 4.5],
  ['2024-01-02 06:00:00', 'beta', 404, '/* c */ -- x', 5.5],
  ['2024-01-03 00:00:00', 'delta', 200, 'ünïcödé 😀', 6.5],
  ['2024-01-03 06:00:00', 'gamma', 500, null, 7.5],
];

beforeAll(async () => {
  const db = await DuckDBInstance.create(':memory:');
  conn = await db.connect();
  codec = {
    serializeSql: (sql) => scalar('SELECT json_serialize_sql($1::VARCHAR)', sql),
    deserializeSql: (json) => scalar('SELECT json_deserialize_sql($1::JSON)', json),
  };
  await conn.run('CREATE TABLE t ("@timestamp" TIMESTAMP, host VARCHAR, status BIGINT, msg VARCHAR, bytes DOUBLE, "a""b" VARCHAR, ts TIMESTAMP)');
  for (const [ts, host, status, msg, bytes] of ROWS) {
    await conn.run('INSERT INTO t VALUES ($1::TIMESTAMP, $2, $3, $4, $5, $2, $1::TIMESTAMP)', [ts, host, status, msg, bytes]);
  }
});
afterAll(() => conn?.closeSync());

const body = (filters: Filter[] = [], timeRange: Record<string, unknown> | null = null): ExecuteBody => ({ filters, timeRange });
const NO_CAP: RowCap = { limit: 50, offset: 0, mode: 'builder' };

/** Injects `filters` (and `timeRange`) into `sql` the way the executor does. */
async function inject(sql: string, filters: Filter[], opts: { timeRange?: Record<string, unknown>; cap?: RowCap; timeColumn?: string } = {}) {
  const plan = planFilters({ saved: [], savedTimeRange: null, request: body(filters, opts.timeRange ?? null), timeColumn: opts.timeColumn ?? null });
  const prepared = await prepareStatement(codec, await parseStatement(codec, sql), plan.filters, opts.cap ?? NO_CAP);
  return { ...prepared, planSkipped: plan.skipped };
}

/** The WHERE clause text of a statement DuckDB wrote. */
const whereOf = (sql: string) => sql.slice(sql.indexOf(' WHERE ') + 7);

async function rows(sql: string): Promise<unknown[][]> {
  return (await conn.runAndReadAll(sql)).getRows() as unknown[][];
}

async function hosts(filters: Filter[], opts: { timeRange?: Record<string, unknown> } = {}): Promise<string[]> {
  const { display } = await inject('SELECT host FROM t ORDER BY "@timestamp"', filters, opts);
  return (await rows(display)).map((r) => String(r[0]));
}

describe('the execute body', () => {
  it('accepts {}, nothing, filters and time_range', () => {
    expect(parseExecuteBody(undefined)).toEqual(body());
    expect(parseExecuteBody({})).toEqual(body());
    expect(parseExecuteBody({ filters: null, time_range: null })).toEqual(body());
    const f = { field: 'host', operator: 'is', value: 'a' };
    expect(parseExecuteBody({ filters: [f], time_range: { from: 1, to: 2 } })).toEqual(body([f], { from: 1, to: 2 }));
  });

  it('refuses a malformed body with a 400 ValidationError', () => {
    for (const bad of [[], 'x', 5, { filters: 'x' }, { filters: [null] }, { filters: [{ operator: 'is' }] }, { filters: [{ field: '  ' }] }, { time_range: [] }, { time_range: 'now-7d' }, { other: 1 }]) {
      let error: unknown;
      try {
        parseExecuteBody(bad);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(bad)).toBeInstanceOf(ApiError);
      expect((error as ApiError).status).toBe(400);
      expect((error as ApiError).type).toBe('ValidationError');
    }
  });
});

describe('merging', () => {
  const f = (field: string, value: unknown, extra: Partial<Filter> = {}): Filter => ({ field, operator: 'is', value, ...extra });
  const plan = (saved: Filter[], request: Filter[]) => planFilters({ saved, savedTimeRange: null, request: body(request), timeColumn: null });
  const summary = (p: ReturnType<typeof plan>) => p.filters.map((x) => `${x.field}=${String((x.predicate as { value: unknown }).value)}`);

  it('ANDs saved and request filters; the request wins per field (not per id)', () => {
    const p = plan([f('host', 'alpha', { id: 'x' }), f('status', 200)], [f('host', 'beta', { id: 'y' }), f('msg', 'm')]);
    expect(summary(p)).toEqual(['status=200', 'host=beta', 'msg=m']);
  });

  it('dedupes by the column, however the field is quoted', () => {
    expect(summary(plan([f('"host"', 'alpha')], [f('`host`', 'beta')]))).toEqual(['`host`=beta']);
  });

  it('reads values on the time column as times even without is_time_filter', async () => {
    const p = planFilters({ saved: [], savedTimeRange: null, request: body([{ field: 'ts', operator: 'is_between', value: [Date.UTC(2024, 0, 2), '2024-01-03'] }]), timeColumn: '"ts"' });
    expect(p.filters[0].predicate).toEqual({ op: 'between', lo: new Timestamp(Date.UTC(2024, 0, 2) * 1000), hi: new Timestamp(Date.UTC(2024, 0, 3) * 1000), negate: false });
    expect(await hosts([{ field: '@timestamp', operator: 'is_between', value: [Date.UTC(2024, 0, 2), Date.UTC(2024, 0, 3)] }])).toEqual(['alpha', 'beta', 'delta']);
  });

  it('keeps several saved filters on one field when the request has none there', () => {
    expect(summary(plan([f('host', 'a'), f('host', 'b')], []))).toEqual(['host=a', 'host=b']);
  });

  it('ignores disabled filters; a disabled request filter switches the saved one off', () => {
    expect(summary(plan([f('host', 'a', { enabled: false }), f('status', 1)], []))).toEqual(['status=1']);
    expect(summary(plan([f('host', 'a')], [f('host', 'b', { enabled: false })]))).toEqual([]);
    // `enabled: null` (the SDK keeps an explicit None) is not `false`.
    expect(summary(plan([f('host', 'a', { enabled: null })], []))).toEqual(['host=a']);
  });

  it('turns the time range into an is_between on the time column; the request window wins', () => {
    const saved = { kind: 'absolute' as const, from: '2024-01-01T00:00:00Z', to: '2024-01-02T00:00:00Z' };
    const fromSaved = planFilters({ saved: [], savedTimeRange: saved, request: body(), timeColumn: null });
    expect(fromSaved.filters).toEqual([
      { field: '@timestamp', column: '@timestamp', predicate: { op: 'range', from: new Timestamp(Date.UTC(2024, 0, 1) * 1000), to: new Timestamp(Date.UTC(2024, 0, 2) * 1000), negate: false } },
    ]);
    const fromRequest = planFilters({ saved: [], savedTimeRange: saved, request: body([], { from: 0, to: 1000 }), timeColumn: 'ts' });
    expect(fromRequest.filters).toEqual([{ field: 'ts', column: 'ts', predicate: { op: 'range', from: new Timestamp(0), to: new Timestamp(1_000_000), negate: false } }]);
  });

  it('does not apply a relative saved window, and says so', () => {
    const p = planFilters({ saved: [], savedTimeRange: { kind: 'relative', expression: 'now-7d' }, request: body(), timeColumn: null });
    expect(p.filters).toEqual([]);
    expect(p.skipped).toEqual([{ field: '@timestamp', reason: expect.stringContaining('now-7d') }]);
  });
});

describe('time values', () => {
  const micros = (ms: number, extra = 0) => new Timestamp(ms * 1000 + extra);

  it('reads ISO-8601 (UTC unless an offset says otherwise) and epoch milliseconds', () => {
    expect(parseTime('2024-01-31')).toEqual(micros(Date.UTC(2024, 0, 31)));
    expect(parseTime('2024-01-31T12:30:00Z')).toEqual(micros(Date.UTC(2024, 0, 31, 12, 30)));
    expect(parseTime('2024-01-31 12:30')).toEqual(micros(Date.UTC(2024, 0, 31, 12, 30)));
    expect(parseTime('2024-01-31T12:30:00.123456Z')).toEqual(micros(Date.UTC(2024, 0, 31, 12, 30), 123_456));
    expect(parseTime('2024-01-31T14:30:00+02:00')).toEqual(micros(Date.UTC(2024, 0, 31, 12, 30)));
    expect(parseTime('2024-01-31T10:00:00-0230')).toEqual(micros(Date.UTC(2024, 0, 31, 12, 30)));
    expect(parseTime(1_706_704_200_000)).toEqual(micros(1_706_704_200_000));
    expect(parseTime(0)).toEqual(new Timestamp(0));
  });

  it('refuses what is not a time', () => {
    for (const bad of ['yesterday', 'now-7d', '2024-02-30', '2024-13-01', '2024-01-01T25:00:00Z', '1706704200000', '', null, true, {}, [], Number.NaN, Infinity]) {
      expect(parseTime(bad), String(bad)).toBeNull();
    }
  });

  it('skips a time range with a bad bound, naming the time column', () => {
    const p = planFilters({ saved: [], savedTimeRange: null, request: body([], { from: 'last week', to: 5 }), timeColumn: 'ts' });
    expect(p.filters).toEqual([]);
    expect(p.skipped).toEqual([{ field: 'ts', reason: expect.stringContaining('"last week" is not a time') }]);
  });
});

describe('operators', () => {
  const cases: Array<[Filter, string, string[]]> = [
    [{ field: 'host', operator: 'is', value: 'alpha' }, "(host = 'alpha')", ['alpha', 'alpha']],
    [{ field: 'host', operator: 'is_not', value: 'alpha' }, "(host != 'alpha')", ['beta', 'gamma', 'beta', 'delta', 'gamma']],
    [{ field: 'status', operator: 'is', value: 404 }, '(status = 404)', ['beta', 'beta']],
    [{ field: 'bytes', operator: 'is', value: 2.5 }, '(bytes = 2.5)', ['beta']],
    [{ field: 'host', operator: 'is_one_of', value: ['beta', 'delta'] }, "(host IN ('beta', 'delta'))", ['beta', 'beta', 'delta']],
    [{ field: 'status', operator: 'is_not_one_of', value: [200, 500] }, '(status NOT IN (200, 500))', ['beta', 'beta']],
    [{ field: 'msg', operator: 'exists' }, '(msg IS NOT NULL)', ['alpha', 'beta', 'gamma', 'alpha', 'beta', 'delta']],
    [{ field: 'msg', operator: 'does_not_exist', value: 'ignored' }, '(msg IS NULL)', ['gamma']],
    [{ field: 'bytes', operator: 'is_between', value: [2, 4] }, '(bytes BETWEEN 2 AND 4)', ['beta', 'gamma']],
    [{ field: 'bytes', operator: 'is_between', value: { from: 2.5, to: 3.5 } }, '((bytes >= 2.5) AND (bytes <= 3.5))', ['beta', 'gamma']],
    [{ field: 'bytes', operator: 'is_between', value: { from: 6 } }, '(bytes >= 6)', ['delta', 'gamma']],
    [{ field: 'bytes', operator: 'is_not_between', value: [2, 7] }, '(NOT (bytes BETWEEN 2 AND 7))', ['alpha', 'gamma']],
    [{ field: 'bytes', operator: 'is_not_between', value: { to: 5 } }, '(NOT (bytes <= 5))', ['beta', 'delta', 'gamma']],
    [{ field: 'msg', operator: 'contains', value: '50%' }, "like_escape(msg, '%50\\%%', '\\')", ['beta']],
    [{ field: 'msg', operator: 'contains', value: 'f_s' }, "like_escape(msg, '%f\\_s%', '\\')", ['beta']],
    [{ field: 'msg', operator: 'contains', value: '\\' }, "like_escape(msg, '%\\\\%', '\\')", ['gamma']],
    [{ field: 'msg', operator: 'contains', value: "'" }, "like_escape(msg, '%''%', '\\')", ['alpha', 'alpha']],
    [
      { field: '@timestamp', operator: 'is_between', value: ['2024-01-01T06:00:00Z', 1704153600000], is_time_filter: true },
      `("@timestamp" BETWEEN '2024-01-01 06:00:00'::TIMESTAMP AND '2024-01-02 00:00:00'::TIMESTAMP)`,
      ['beta', 'gamma', 'alpha'],
    ],
  ];

  it.each(cases)('%j → %s', async (filter, predicate, expected) => {
    const { display, applied, skipped } = await inject('SELECT host FROM t ORDER BY "@timestamp"', [filter]);
    expect(display).toBe(`SELECT host FROM t WHERE ${predicate} ORDER BY "@timestamp"`);
    expect(applied).toEqual([filter.field]);
    expect(skipped).toEqual([]);
    expect((await rows(display)).map((r) => r[0])).toEqual(expected);
  });

  it('applies a time range as >= from AND <= to on the time column', async () => {
    const { display, applied } = await inject('SELECT host FROM t', [], { timeRange: { from: '2024-01-01T06:00:00Z', to: '2024-01-02T00:00:00.5Z' }, timeColumn: 'ts' });
    expect(whereOf(display)).toBe(`((ts >= '2024-01-01 06:00:00'::TIMESTAMP) AND (ts <= '2024-01-02 00:00:00.5'::TIMESTAMP))`);
    expect(applied).toEqual(['ts']);
    expect(await hosts([], { timeRange: { from: Date.UTC(2024, 0, 2), to: '2024-01-03' } })).toEqual(['alpha', 'beta', 'delta']);
  });

  it('skips wrong value shapes and unknown operators with the reason', async () => {
    const bad: Filter[] = [
      { field: 'msg', operator: 'contains', value: ['a'] },
      { field: 'msg', operator: 'contains', value: null },
      { field: 'host', operator: 'is', value: { a: 1 } },
      { field: 'host', operator: 'is', value: null },
      { field: 'host', operator: 'is_one_of', value: 'alpha' },
      { field: 'host', operator: 'is_one_of', value: [] },
      { field: 'host', operator: 'is_one_of', value: ['a', null] },
      { field: 'bytes', operator: 'is_between', value: [1] },
      { field: 'bytes', operator: 'is_between', value: {} },
      { field: 'bytes', operator: 'is_between', value: 3 },
      { field: 'ts', operator: 'is_between', value: ['soon', 'later'], is_time_filter: true },
      { field: 'host', operator: 'matches', value: 'x' },
      { field: '""', operator: 'is', value: 'x' },
    ];
    const { display, planSkipped } = await inject('SELECT host FROM t', bad);
    expect(display).toBe('SELECT host FROM t');
    expect(planSkipped.map((s) => s.field)).toEqual(bad.map((f) => f.field));
    expect(planSkipped.map((s) => s.reason)).toEqual([
      '`contains` needs a single string value',
      '`contains` needs a single string value',
      'the value must be a string, number or boolean, not object',
      'the value must be a string, number or boolean, not null',
      '`is_one_of` needs an array of values',
      '`is_one_of` needs at least one value',
      'the value must be a string, number or boolean, not null',
      'a between range needs [low, high] or {"from", "to"}',
      'a between range needs "from", "to" or both',
      'a between range needs [low, high] or {"from", "to"}',
      '"soon" is not a time: send an ISO-8601 string or epoch milliseconds',
      expect.stringMatching(/^unknown operator "matches"; known: is, is_not/),
      'the field name is empty',
    ]);
  });
});

describe('identifiers', () => {
  it('strips one level of well-formed " or ` quotes', () => {
    const columnOf = (field: string) => planFilters({ saved: [], savedTimeRange: null, request: body([{ field, operator: 'exists' }]), timeColumn: null }).filters[0]?.column;
    expect(columnOf('"host"')).toBe('host');
    expect(columnOf('`host`')).toBe('host');
    expect(columnOf(' "host" ')).toBe('host');
    expect(columnOf('"a""b"')).toBe('a"b');
    expect(columnOf('`a``b`')).toBe('a`b');
    expect(columnOf('@timestamp')).toBe('@timestamp');
    // Not well-formed: a raw name that happens to hold quotes.
    expect(columnOf('"a"b"')).toBe('"a"b"');
    expect(columnOf('"')).toBe('"');
  });

  it('reads quoted and unquoted spellings as the same column', async () => {
    for (const field of ['host', '"host"', '`host`']) {
      expect(await hosts([{ field, operator: 'is', value: 'delta' }])).toEqual(['delta']);
    }
    const { display } = await inject('SELECT host FROM t', [{ field: '"a""b"', operator: 'is', value: 'gamma' }]);
    expect(display).toBe(`SELECT host FROM t WHERE ("a""b" = 'gamma')`);
    expect(await rows(display)).toEqual([['gamma'], ['gamma']]);
  });
});

describe('injection attempts', () => {
  /** The statement parses as exactly one statement; returns the parse of its WHERE. */
  async function oneStatementWhere(sql: string): Promise<unknown> {
    const parsed = JSON.parse(await codec.serializeSql(sql)) as { error: boolean; statements: Array<{ node: { where_clause: unknown } }> };
    expect(parsed.error).toBe(false);
    expect(parsed.statements).toHaveLength(1);
    return parsed.statements[0].node.where_clause;
  }

  const VALUES = ["'; DROP TABLE t; --", "x' OR '1'='1", "it's", '/* c */ -- x', '*/ OR 1=1 /*', 'a\\b', "\\'; SELECT 1; --", 'ünïcödé 😀', 'line\nbreak', '$1', '"quoted"'];

  it.each(VALUES)('value %j stays a constant and matches only itself', async (value) => {
    const { display } = await inject('SELECT host, msg FROM t', [{ field: 'msg', operator: 'is', value }]);
    const where = (await oneStatementWhere(display)) as Record<string, unknown>;
    expect(where).toMatchObject({ class: 'COMPARISON', left: { class: 'COLUMN_REF', column_names: ['msg'] }, right: { class: 'CONSTANT', value: { value } } });
    expect(await rows(display)).toEqual(ROWS.filter((r) => r[3] === value).map((r) => [r[1], r[3]]));
    expect(await rows('SELECT count(*) FROM t')).toEqual([[BigInt(ROWS.length)]]);
  });

  it.each(VALUES)('contains %j stays a constant', async (value) => {
    const { display } = await inject('SELECT msg FROM t', [{ field: 'msg', operator: 'contains', value }]);
    await oneStatementWhere(display);
    expect(await rows(display)).toEqual(ROWS.filter((r) => r[3]?.includes(value)).map((r) => [r[3]]));
  });

  it.each(VALUES)('is_one_of with %j stays a list of constants', async (value) => {
    const { display } = await inject('SELECT host FROM t', [{ field: 'msg', operator: 'is_one_of', value: [value, 'nothing'] }]);
    const where = (await oneStatementWhere(display)) as { children: Array<{ value?: { value: unknown } }> };
    expect(where.children.slice(1).map((c) => c.value?.value)).toEqual([value, 'nothing']);
  });

  it('skips values and names holding NUL, which DuckDB would cut short', async () => {
    const { display, planSkipped } = await inject('SELECT host FROM t', [
      { field: 'msg', operator: 'is', value: 'a\u0000b' },
      { field: 'msg', operator: 'contains', value: '\u0000' },
      { field: 'msg', operator: 'is_one_of', value: ['x', '\u0000'] },
      { field: 'ms\u0000g', operator: 'exists' },
    ]);
    expect(display).toBe('SELECT host FROM t');
    expect(planSkipped.map((s) => s.reason)).toEqual(Array(4).fill('text cannot contain the NUL character (\\u0000)'));
  });

  const FIELDS = ['host; DROP TABLE t; --', 'host" = \'x\' OR "1"="1', "host = 'x' --", '/* */ host', 'status) OR (1=1', 'hôst 😀', 'a\\b', '"a"b"'];

  it.each(FIELDS)('field %j is one column name: the statement fails to bind, never runs it as SQL', async (field) => {
    const { display } = await inject('SELECT host FROM t', [{ field, operator: 'is', value: 'alpha' }]);
    const where = (await oneStatementWhere(display)) as { left: { column_names: string[] } };
    expect(where.left.column_names).toEqual([bareIdent(field)]);
    await expect(rows(display)).rejects.toThrow(/Binder Error: Referenced column .* not found/);
    expect(await rows('SELECT count(*) FROM t')).toEqual([[BigInt(ROWS.length)]]);
  });
});

describe('where predicates go', () => {
  const f: Filter = { field: 'status', operator: 'is', value: 200 };

  it('ANDs with an existing WHERE, before GROUP BY, without an outer SELECT', async () => {
    const { display } = await inject('SELECT host, count(*) AS n FROM t WHERE bytes > 1 GROUP BY host HAVING count(*) > 0 ORDER BY host', [f]);
    expect(display).toBe('SELECT host, count_star() AS n FROM t WHERE ((bytes > 1) AND (status = 200)) GROUP BY host HAVING (count_star() > 0) ORDER BY host');
    expect(await rows(display)).toEqual([
      ['alpha', 2n],
      ['delta', 1n],
    ]);
  });

  it('into the outer SELECT of a CTE query', async () => {
    const { display, applied } = await inject('WITH x AS (SELECT * FROM t WHERE bytes < 7) SELECT host FROM x', [f]);
    expect(display).toBe('WITH x AS (SELECT * FROM t WHERE (bytes < 7))SELECT host FROM x WHERE (status = 200)');
    expect(applied).toEqual(['status']);
  });

  it('into the main SELECT only, not into a raw query’s subqueries', async () => {
    const { display } = await inject('SELECT host FROM t WHERE bytes > (SELECT min(bytes) FROM t)', [f], { cap: { limit: 5, offset: 0, mode: 'raw' } });
    expect(display).toBe('SELECT host FROM t WHERE ((bytes > (SELECT min(bytes) FROM t)) AND (status = 200)) LIMIT 5');
  });

  it('also into a Builder statement’s same-table ranking subquery (Top-N)', async () => {
    const sql = `SELECT CASE WHEN "host" IN (SELECT "host" FROM "t" GROUP BY "host" ORDER BY SUM("bytes") DESC LIMIT 1) THEN "host" ELSE 'Other' END AS "host", SUM("bytes") AS "sum_bytes" FROM "t" GROUP BY 1 ORDER BY "sum_bytes" DESC LIMIT 50`;
    const { display, run, cap } = await inject(sql, [{ field: 'host', operator: 'is_not', value: 'gamma' }]);
    expect(display.match(/\(host != 'gamma'\)/g)).toHaveLength(2);
    expect(cap).toBe(50);
    expect(run).toMatch(/LIMIT 51$/);
    expect(await rows(display)).toEqual([
      ['Other', 12.5],
      ['beta', 8],
    ]);
  });

  it('nowhere in a set operation, a statement without a table, or what is not one SELECT', async () => {
    const cases: Array<[string, RegExp]> = [
      ['SELECT host FROM t UNION SELECT host FROM t', /UNION/],
      ['SELECT host FROM t EXCEPT SELECT host FROM t', /EXCEPT/],
      ['SELECT 1', /reads no table/],
      ['DESCRIBE t', /take no filters/],
      ['SUMMARIZE t', /take no filters/],
      ['PIVOT t ON host USING sum(bytes)', /SELECT statements only/],
      ['SELEC host FROM t', /could not be parsed/],
      ['SELECT 1; SELECT 2', /more than one statement/],
      ["SELECT 'unterminated", /could not be parsed/],
    ];
    for (const [sql, reason] of cases) {
      const { display, run, applied, skipped } = await inject(sql, [f]);
      expect(applied, sql).toEqual([]);
      expect(skipped, sql).toEqual([{ field: 'status', reason: expect.stringMatching(reason) }]);
      if (!sql.startsWith('SELECT host FROM t ')) expect(display, sql).toBe(sql);
      expect(run, sql).toBe(display);
    }
  });

  it('runs the statement as written when DuckDB cannot parse or write it back', async () => {
    const plan = planFilters({ saved: [], savedTimeRange: null, request: body([f]), timeColumn: null });
    const failing = { serializeSql: codec.serializeSql, deserializeSql: () => Promise.reject(new Error('Serialization Error: nope')) };
    const parsed = await parseStatement(failing, 'SELECT host FROM t');
    const r = await prepareStatement(failing, parsed, plan.filters, { limit: 5, offset: 0, mode: 'raw' });
    expect(r).toEqual({ display: 'SELECT host FROM t', run: 'SELECT host FROM t', cap: null, applied: [], skipped: [{ field: 'status', reason: 'the query could not be rewritten: Serialization Error: nope' }] });
    const broken = { serializeSql: () => Promise.reject(new Error('boom')), deserializeSql: codec.deserializeSql };
    const unparsed = await prepareStatement(broken, await parseStatement(broken, 'SELECT host FROM t'), plan.filters, NO_CAP);
    expect(unparsed.skipped).toEqual([{ field: 'status', reason: 'the query could not be parsed: boom' }]);
  });

  it('keeps the query’s own exact numbers (DECIMAL, BIGINT beyond 2^53)', async () => {
    const { display } = await inject('SELECT host FROM t WHERE bytes < 12345678901234.123456789 AND status <> 9007199254740993', [f]);
    expect(display).toContain('12345678901234.123456789');
    expect(display).toContain('9007199254740993');
  });

  it('reads back-quoted names and trailing semicolons as the SQL service does', async () => {
    const { display } = await inject('SELECT `host` FROM `t`;', [f]);
    expect(display).toBe('SELECT host FROM t WHERE (status = 200)');
  });
});

describe('the row cap', () => {
  const raw = (limit: number, offset = 0): RowCap => ({ limit, offset, mode: 'raw' });

  it('raw mode: appends LIMIT (and OFFSET) when the query has none; runs one row more', async () => {
    const a = await inject('SELECT host FROM t ORDER BY bytes', [], { cap: raw(3) });
    expect([a.display, a.run, a.cap]).toEqual(['SELECT host FROM t ORDER BY bytes LIMIT 3', 'SELECT host FROM t ORDER BY bytes LIMIT 4', 3]);
    const b = await inject('SELECT host FROM t ORDER BY bytes', [], { cap: raw(3, 2) });
    expect([b.display, b.run]).toEqual(['SELECT host FROM t ORDER BY bytes LIMIT 3 OFFSET 2', 'SELECT host FROM t ORDER BY bytes LIMIT 4 OFFSET 2']);
    // A LIMIT inside a subquery is not the query's LIMIT.
    const c = await inject('SELECT * FROM (SELECT host FROM t LIMIT 10) s', [], { cap: raw(3) });
    expect(c.display).toBe('SELECT * FROM (SELECT host FROM t LIMIT 10) AS s LIMIT 3');
    // A set operation takes the LIMIT as a whole.
    const d = await inject('SELECT 1 UNION ALL SELECT 2', [], { cap: raw(1) });
    expect([d.display, d.cap]).toEqual(['(SELECT 1) UNION ALL (SELECT 2) LIMIT 1', 1]);
    // OFFSET alone: the limit is added, the query's own offset stays.
    const e = await inject('SELECT host FROM t OFFSET 1', [], { cap: raw(3, 5) });
    expect(e.display).toBe('SELECT host FROM t LIMIT 3 OFFSET 1');
  });

  it('raw mode: a query with its own LIMIT (or LIMIT %) keeps it, text untouched', async () => {
    for (const sql of ['SELECT host FROM t LIMIT 2', 'SELECT host FROM t LIMIT 50%', 'select host from t limit 2 offset 1']) {
      const r = await inject(sql, [], { cap: raw(3) });
      expect([r.display, r.run, r.cap]).toEqual([sql, sql, null]);
    }
    // Decided from the parse: "limit" in a string or a name is not a LIMIT.
    const s = await inject(`SELECT 'LIMIT 5' AS "limit" FROM t`, [], { cap: raw(3) });
    expect(s.display).toBe(`SELECT 'LIMIT 5' AS "limit" FROM t LIMIT 3`);
  });

  it('builder mode: the statement’s LIMIT is the cap; text kept when nothing is injected', async () => {
    const sql = 'SELECT "host" FROM "t" ORDER BY "host" LIMIT 2';
    const r = await inject(sql, [], { cap: { limit: 2, offset: 0, mode: 'builder' } });
    expect([r.display, r.cap]).toEqual([sql, 2]);
    expect(r.run).toBe('SELECT host FROM t ORDER BY host LIMIT 3');
    expect(await rows(r.run)).toHaveLength(3);
    const metric = await inject('SELECT COUNT(*) AS "count" FROM "t"', [], { cap: { limit: 50, offset: 0, mode: 'builder' } });
    expect([metric.display, metric.run, metric.cap]).toEqual(['SELECT COUNT(*) AS "count" FROM "t"', 'SELECT COUNT(*) AS "count" FROM "t"', null]);
  });
});
