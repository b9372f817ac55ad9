/**
 * Builder-mode SQL (protocol §3.7/§3.8), bindings (§3.6) and column types (§3.4): the exact SQL and
 * warning codes for every chart type × aggregation × dialect, order_by form, Top-N and time bucket
 * (cases in viz/builder-cases.ts), then the native statements run on our engine over HTTP.
 */
import { InfinoClient, InfinoError, sqlRowObjects } from '@infino/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../src/errors.js';
import { bindingFor } from '../src/visualize/binding.js';
import { normalizeColumnType } from '../src/visualize/columns.js';
import { buildBuilderQuery, rawModeWarnings, resultWarnings } from '../src/visualize/sql/builder.js';
import { bigqueryDialect, dialectFor, mysqlDialect, nativeDialect, postgresDialect, snowflakeDialect } from '../src/visualize/sql/dialects/index.js';
import { type TestServer, startTestServer } from './test-server.js';
import { bucketCases, type BuilderCase, CASES, CHARTS, matrixCases, viz, type VizInput } from './viz/builder-cases.js';
import { orderCases } from './viz/order-cases.js';

function build(input: VizInput) {
  const attrs = viz(input);
  const { dialect, warnings } = dialectFor(attrs.source.connector_id);
  const q = buildBuilderQuery(attrs, dialect);
  return { ...q, codes: [...warnings, ...q.warnings].map((w) => w.code) };
}

function expectCase(c: BuilderCase) {
  const q = build(c.viz);
  expect(q.sql).toBe(c.sql);
  expect(q.codes).toEqual(c.warnings);
  for (const w of q.warnings) expect(w.message.length).toBeGreaterThan(0);
  if (c.aliases) expect(q.aliases).toEqual(c.aliases);
}

function apiError(f: () => unknown): ApiError {
  try {
    f();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
}

describe('Builder SQL: chart type × aggregation × dialect', () => {
  it.each(matrixCases().map((c) => [c.name, c]))('%s', (_, c) => expectCase(c));

  it.each(CHARTS.map((c) => [c]))('oracle_db refuses Builder mode for %s with a 400 pointing at raw_query', (chart) => {
    const e = apiError(() => build({ chart, connector: 'oracle_db', x: 'region' }));
    expect(e.status).toBe(400);
    expect(e.type).toBe('ValidationError');
    expect(e.reason).toContain('source.sql.raw_query');
    expect(e.toBody()).toMatchObject({ error: { type: 'ValidationError' }, status: 400 });
  });
});

describe('Builder SQL: order_by, Top-N, series, limits, quoting', () => {
  it.each(CASES.map((c) => [c.name, c]))('%s', (_, c) => expectCase(c));

  it('reproduces the §3.7 examples verbatim (BigQuery modulo the README’s lower-case `as`)', () => {
    expect(build(CASES[0].viz).sql).toBe('SELECT "feature_name", COUNT(*) AS "count" FROM "license_events" GROUP BY "feature_name" ORDER BY "feature_name" LIMIT 10');
    expect(build(CASES[1].viz).sql.replace(' AS ', ' as ')).toBe(
      'SELECT `customer_name`, SUM(`revenue`) as `sum_revenue` FROM `orders` GROUP BY `customer_name` ORDER BY `sum_revenue` DESC LIMIT 10',
    );
  });

  it('a sum without a column is a 400, not broken SQL', () => {
    expect(apiError(() => build({ chart: 'bar', x: 'region', aggregation_type: 'sum' })).status).toBe(400);
    expect(apiError(() => build({ chart: 'metric', metrics: [{ id: 'm', function: 'avg' }] })).reason).toContain('metrics[0].column');
  });

  it('an unknown bucket or a bad limit is a 400', () => {
    expect(apiError(() => build({ chart: 'line', x: { column: 'ts', bucket: 'fortnight' } })).reason).toContain('fortnight');
    expect(apiError(() => build({ chart: 'table', limit: -1 })).status).toBe(400);
  });
});

describe('Builder SQL: order_by form × Top-N/bucket × dialect', () => {
  it.each(orderCases().map((c) => [c.name, c]))('%s', (_, c) => expectCase(c));
});

describe('Builder SQL: time buckets', () => {
  it.each(bucketCases().map((c) => [c.name, c]))('%s', (_, c) => expectCase(c));

  it('postgres spells buckets as native does', () => {
    expect(build({ chart: 'line', connector: 'postgres', x: { column: 'ts', bucket: 'week' } }).sql).toBe(
      `SELECT DATE_TRUNC('week', "ts") AS "ts", COUNT(*) AS "count" FROM "sales" GROUP BY DATE_TRUNC('week', "ts") ORDER BY DATE_TRUNC('week', "ts") LIMIT 50`,
    );
  });
});

describe('raw-mode and result warnings', () => {
  it('raw_query_overrides_builder_fields lists the Builder fields a raw query ignores', () => {
    expect(rawModeWarnings(viz({ chart: 'bar', raw_query: 'SELECT 1' }))).toEqual([]);
    expect(rawModeWarnings(viz({ chart: 'bar', x: 'region', y: ['n'], series: 'tier', aggregation_type: 'sum', raw_query: 'SELECT 1' }))).toEqual([]);
    expect(rawModeWarnings(viz({ chart: 'bar', metrics: [{ id: 'm', function: 'sum' }] }))).toEqual([]);
    for (const extra of [
      { metrics: [{ id: 'm', function: 'sum' }] },
      { order_by: [{ column: 'x' }] },
      { x: { column: 'ts', bucket: 'day' } },
      { top: 5 },
      { other_bucket: false },
    ]) {
      const w = rawModeWarnings(viz({ chart: 'bar', raw_query: 'SELECT 1', ...extra }));
      expect(w.map((x) => x.code)).toEqual(['raw_query_overrides_builder_fields']);
    }
    expect(rawModeWarnings(viz({ chart: 'bar', raw_query: 'SELECT 1', top: 5, order_by: [{ column: 'x' }] }))[0].message).toContain('source.sql.order_by, mapping.top');
  });

  it('high_cardinality_no_top_n: pie/bar/horizontalBar over 15 rows without mapping.top', () => {
    const codes = (v: VizInput, rows: number) => resultWarnings(viz(v), rows).map((w) => w.code);
    for (const chart of ['pie', 'bar', 'horizontalBar']) {
      expect(codes({ chart, x: 'r' }, 16)).toEqual(['high_cardinality_no_top_n']);
      expect(codes({ chart, x: 'r' }, 15)).toEqual([]);
      expect(codes({ chart, x: 'r', top: 5 }, 40)).toEqual([]);
      expect(codes({ chart, x: 'r', top: 0 }, 40)).toEqual([]);
    }
    for (const chart of ['line', 'area', 'heatmap', 'table', 'metric', 'scatter']) expect(codes({ chart, x: 'r' }, 100)).toEqual([]);
  });
});

describe('dialects', () => {
  it('dialectFor: null → native, known ids, unknown → native + warning, oracle → 400', () => {
    expect(dialectFor(null)).toEqual({ dialect: nativeDialect, warnings: [] });
    expect(dialectFor(undefined).dialect.name).toBe('native');
    expect(dialectFor('mysql').dialect).toBe(mysqlDialect);
    expect(dialectFor('bigquery').dialect).toBe(bigqueryDialect);
    expect(dialectFor('snowflake').dialect).toBe(snowflakeDialect);
    expect(dialectFor('postgres').dialect).toBe(postgresDialect);
    const unknown = dialectFor('clickhouse');
    expect(unknown.dialect).toBe(nativeDialect);
    expect(unknown.warnings.map((w) => w.code)).toEqual(['unknown_connector_id']);
    expect(unknown.warnings[0].message).toContain('clickhouse');
    expect(dialectFor('toString').warnings.map((w) => w.code)).toEqual(['unknown_connector_id']);
    const e = apiError(() => dialectFor('oracle_db'));
    expect([e.status, e.type]).toEqual([400, 'ValidationError']);
  });

  it('quoteIdent: quotes, escapes by doubling, leaves well-formed quoted names alone', () => {
    const n = nativeDialect.quoteIdent;
    expect(n('price')).toBe('"price"');
    expect(n('maker.name')).toBe('"maker.name"');
    expect(n('"Price"')).toBe('"Price"');
    expect(n('"a""b"')).toBe('"a""b"');
    expect(n('a"b')).toBe('"a""b"');
    expect(n('"x" OR 1=1 --"')).toBe('"""x"" OR 1=1 --"""');
    expect(n('`col`')).toBe('"col"');
    expect(n('"')).toBe('""""');
    expect(n('ünï çødé')).toBe('"ünï çødé"');
    const m = mysqlDialect.quoteIdent;
    expect(m('price')).toBe('`price`');
    expect(m('`Price`')).toBe('`Price`');
    expect(m('a`b')).toBe('`a``b`');
    expect(m('"Price"')).toBe('`Price`');
    expect(snowflakeDialect.quoteIdent('"Q"')).toBe('"Q"');
    expect(bigqueryDialect.quoteIdent('p.d.t')).toBe('`p.d.t`');
    expect(bigqueryDialect.quoteIdent('a`b\\c')).toBe('`a\\`b\\\\c`');
    expect(bigqueryDialect.quoteIdent('`t`')).toBe('`t`');
  });

  it('stringLiteral and literal per dialect', () => {
    expect(nativeDialect.stringLiteral("it's")).toBe("'it''s'");
    expect(nativeDialect.stringLiteral('a\\b')).toBe("'a\\b'");
    expect(postgresDialect.stringLiteral("'; DROP TABLE x; --")).toBe("'''; DROP TABLE x; --'");
    expect(mysqlDialect.stringLiteral("a\\'b")).toBe("'a\\\\''b'");
    expect(snowflakeDialect.stringLiteral("a\\'b")).toBe("'a\\\\''b'");
    expect(bigqueryDialect.stringLiteral("a\\'b\nc")).toBe("'a\\\\\\'b\\nc'");
    for (const d of [nativeDialect, mysqlDialect, bigqueryDialect, snowflakeDialect]) {
      expect(d.literal(null)).toBe('NULL');
      expect(d.literal(true)).toBe('TRUE');
      expect(d.literal(false)).toBe('FALSE');
      expect(d.literal(42)).toBe('42');
      expect(d.literal(-1.5)).toBe('-1.5');
      expect(d.literal(12345678901234567890n)).toBe('12345678901234567890');
      expect(d.literal('x')).toBe("'x'");
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, -Infinity, { a: 1 }, [1], undefined]) {
        const e = apiError(() => d.literal(bad));
        expect([e.status, e.type]).toEqual([400, 'ValidationError']);
      }
    }
  });

  it('timestampLiteral: ISO strings (UTC unless offset) and epoch-ms, per dialect', () => {
    const jan1 = Date.UTC(2024, 0, 1);
    expect(nativeDialect.timestampLiteral('2024-01-01')).toBe("TIMESTAMP '2024-01-01 00:00:00.000'");
    expect(nativeDialect.timestampLiteral('2024-01-01T00:00:00Z')).toBe("TIMESTAMP '2024-01-01 00:00:00.000'");
    expect(nativeDialect.timestampLiteral('2024-01-01T10:30:00')).toBe("TIMESTAMP '2024-01-01 10:30:00.000'");
    expect(nativeDialect.timestampLiteral('2024-01-01 10:30')).toBe("TIMESTAMP '2024-01-01 10:30:00.000'");
    expect(nativeDialect.timestampLiteral('2024-01-01T02:00:00.123456+02:00')).toBe("TIMESTAMP '2024-01-01 00:00:00.123'");
    expect(nativeDialect.timestampLiteral('2023-12-31T19:00:00-0500')).toBe("TIMESTAMP '2024-01-01 00:00:00.000'");
    expect(nativeDialect.timestampLiteral(jan1 + 1)).toBe("TIMESTAMP '2024-01-01 00:00:00.001'");
    expect(postgresDialect.timestampLiteral(jan1)).toBe("TIMESTAMP '2024-01-01 00:00:00.000'");
    expect(mysqlDialect.timestampLiteral(jan1)).toBe("TIMESTAMP '2024-01-01 00:00:00.000'");
    expect(bigqueryDialect.timestampLiteral(jan1)).toBe("TIMESTAMP '2024-01-01 00:00:00.000+00:00'");
    expect(snowflakeDialect.timestampLiteral(jan1)).toBe("CAST('2024-01-01 00:00:00.000 +00:00' AS TIMESTAMP_TZ)");
    for (const bad of ['yesterday', '2024-02-30', '2024-01-01T25:00:00Z', "2024-01-01' OR 1=1", 'Jan 1 2024', Number.NaN, 1e20]) {
      const e = apiError(() => nativeDialect.timestampLiteral(bad));
      expect([e.status, e.type]).toEqual([400, 'ValidationError']);
    }
  });

  it('likeContains escapes %, _ and the escape character in every dialect', () => {
    expect(nativeDialect.likeContains('"f"', "50%_a\\b'c")).toBe(`"f" LIKE '%50\\%\\_a\\\\b''c%' ESCAPE '\\'`);
    expect(mysqlDialect.likeContains('`f`', '5%')).toBe("`f` LIKE '%5\\\\%%' ESCAPE '\\\\'");
    expect(bigqueryDialect.likeContains('`f`', "5%'")).toBe("`f` LIKE '%5\\\\%\\'%'");
  });

  it('castToText per dialect', () => {
    expect([nativeDialect, mysqlDialect, bigqueryDialect, snowflakeDialect].map((d) => d.castToText('x'))).toEqual([
      'CAST(x AS VARCHAR)',
      'CAST(x AS CHAR)',
      'CAST(x AS STRING)',
      'CAST(x AS VARCHAR)',
    ]);
  });
});

describe('metadata.binding (§3.6)', () => {
  const cols = (spec: string) => spec.split(',').map((s) => ({ name: s.split(':')[0], type: s.split(':')[1] as 'string' | 'number' | 'date' }));

  it.each([
    ['bar', { x: 'region', series: 'tier', aggregation_type: 'count' }, { x: 'region', y: ['count'], series: 'tier', value: null }],
    ['horizontalBar', { x: 'region', metrics: [{ id: 'm', function: 'sum', column: 'amount' }] }, { x: 'region', y: ['sum_amount'], series: null, value: null }],
    ['line', { x: { column: 'ts', bucket: 'day' }, aggregation_type: 'avg', y: ['amount'] }, { x: 'ts', y: ['avg_amount'], series: null, value: null }],
    ['area', { x: 'region', series: 's' }, { x: 'region', y: ['count'], series: 's', value: null }],
    ['pie', { x: 'region', series: 's' }, { x: 'region', y: ['count'], series: null, value: null }],
    ['heatmap', { x: 'region', series: 'tier' }, { x: 'region', y: ['count'], series: 'tier', value: null }],
    ['scatter', { x: 'qty', y: ['amount'] }, { x: 'qty', y: ['amount'], series: null, value: null }],
    ['metric', { metrics: [{ id: 'm', function: 'max', column: 'amount' }] }, { x: null, y: [], series: null, value: 'max_amount' }],
    ['gauge', {}, { x: null, y: [], series: null, value: 'count' }],
    ['table', { y: ['a', 'b'] }, { x: null, y: [], series: null, value: null }],
  ] as const)('builder %s', (chart, input, expected) => {
    const attrs = viz({ chart, ...(input as Partial<VizInput>) });
    const q = buildBuilderQuery(attrs, nativeDialect);
    expect(bindingFor(attrs, { builderAliases: q.aliases, columns: [] })).toEqual(expected);
  });

  it('builder without x falls back to the raw rows and binds them by type', () => {
    const attrs = viz({ chart: 'bar' });
    const q = buildBuilderQuery(attrs, nativeDialect);
    expect(bindingFor(attrs, { builderAliases: q.aliases, columns: cols('region:string,amount:number') })).toEqual({ x: 'region', y: ['amount'], series: null, value: null });
  });

  it.each([
    ['bar', {}, 'region:string,tier:string,n:number,m:number', { x: 'region', y: ['n'], series: null, value: null }],
    ['bar', { x: 'tier', series: 'region' }, 'region:string,tier:string,n:number', { x: 'tier', y: ['n'], series: 'region', value: null }],
    ['line', { x: 'day', y: ['errors', 'missing', 'warns'] }, 'day:date,errors:number,warns:number', { x: 'day', y: ['errors', 'warns'], series: null, value: null }],
    ['area', { y: ['nope'] }, 'd:date,n:number', { x: 'd', y: ['n'], series: null, value: null }],
    ['pie', { y: ['a', 'b'], series: 's' }, 'c:string,a:number,b:number', { x: 'c', y: ['a'], series: null, value: null }],
    ['heatmap', { x: 'h', series: 'd' }, 'd:string,h:number,n:number', { x: 'h', y: ['n'], series: 'd', value: null }],
    ['scatter', {}, 'qty:number,amount:number', { x: 'qty', y: ['amount'], series: null, value: null }],
    ['bar', {}, 'n:number', { x: null, y: ['n'], series: null, value: null }],
    ['bar', {}, 'label:string', { x: 'label', y: [], series: null, value: null }],
    ['metric', {}, 'label:string,total:number,other:number', { x: null, y: [], series: null, value: 'total' }],
    ['gauge', { y: ['other'] }, 'total:number,other:number', { x: null, y: [], series: null, value: 'other' }],
    ['table', { x: 'a' }, 'a:string,n:number', { x: null, y: [], series: null, value: null }],
    ['bar', { x: '"Quoted"' }, 'Quoted:string,n:number', { x: 'Quoted', y: ['n'], series: null, value: null }],
  ] as const)('raw %s %j over %s', (chart, input, columns, expected) => {
    const attrs = viz({ chart, raw_query: 'SELECT …', ...(input as Partial<VizInput>) });
    expect(bindingFor(attrs, { columns: cols(columns) })).toEqual(expected);
  });
});

describe('column types (§3.4)', () => {
  it.each([
    // every dialect's numbers
    ...['INT64', 'FLOAT64', 'BIGNUMERIC', 'NUMERIC', 'BIGINT', 'TINYINT', 'SMALLINT', 'MEDIUMINT', 'INT(11)', 'int(10) unsigned', 'NUMBER(38,2)', 'DECIMAL(10, 2)', 'REAL', 'MONEY', 'DOUBLE PRECISION', 'DOUBLE', 'FLOAT', 'HUGEINT', 'UBIGINT', 'Integer', 'Float', 'Nullable(Float64)', 'UInt32', 'year'].map((t) => [t, 'number']),
    // our SQL service (Elasticsearch-SQL names)
    ...['long', 'integer', 'short', 'byte', 'double', 'float', 'half_float', 'scaled_float', 'unsigned_long'].map((t) => [t, 'number']),
    ...['TIMESTAMP', 'TIMESTAMP_LTZ', 'TIMESTAMP_NTZ(9)', 'TIMESTAMP_TZ', 'TIMESTAMPTZ', 'TIMESTAMP WITH TIME ZONE', 'timestamp(3) without time zone', 'DATE', 'DATETIME', 'ISO8601Date', 'date', 'datetime', 'date_nanos', 'DateTime64(3)'].map((t) => [t, 'date']),
    ...['BOOLEAN', 'BOOL', 'boolean'].map((t) => [t, 'boolean']),
    ...['VARCHAR(255)', 'VARCHAR', 'UUID', 'TEXT', 'STRING', 'String', 'keyword', 'text', 'ip', 'object', 'array', 'binary', 'time', 'interval', 'JSON', 'BYTES', 'GEOGRAPHY'].map((t) => [t, 'string']),
    ...['null', 'NULL'].map((t) => [t, 'null']),
  ])('%s → %s', (engineType, expected) => {
    expect(normalizeColumnType(engineType, [])).toBe(expected);
    expect(normalizeColumnType(engineType, [null, null])).toBe('null');
  });

  it('text columns whose sampled values are all numbers (or all booleans) are numbers (booleans)', () => {
    expect(normalizeColumnType('String', ['1', '2.5', null, '-3e2'])).toBe('number');
    expect(normalizeColumnType('keyword', [1, 2])).toBe('number');
    expect(normalizeColumnType('String', ['true', 'FALSE', null])).toBe('boolean');
    expect(normalizeColumnType('VARCHAR(10)', [true, false])).toBe('boolean');
    expect(normalizeColumnType('String', ['1', 'x'])).toBe('string');
    expect(normalizeColumnType('String', ['', '1'])).toBe('string');
    expect(normalizeColumnType('uuid', ['1', '2'])).toBe('string');
    expect(normalizeColumnType('object', [1])).toBe('string');
    expect(normalizeColumnType('', [1, 2])).toBe('number');
    expect(normalizeColumnType('', ['a'])).toBe('string');
    expect(normalizeColumnType('long', ['not a number'])).toBe('number');
  });
});

// ---------------------------------------------------------------------------------------------
// The native statements run on our engine.

const creds = { accessKey: 'IAK_VIZBUILDERTEST01', secretKey: 'vizBuilderTestSecretKey0000000000000000AA' };

const SALES = [
  { region: 'north', tier: 'gold', amount: 10, qty: 1, ts: '2024-01-01T10:00:00Z' },
  { region: 'north', tier: 'silver', amount: 5, qty: 2, ts: '2024-01-02T11:00:00Z' },
  { region: 'south', tier: 'gold', amount: 7, qty: 3, ts: '2024-01-07T23:00:00Z' },
  { region: 'east', tier: 'gold', amount: 1, qty: 4, ts: '2024-01-08T00:30:00Z' },
  { region: 'west', tier: 'silver', amount: 2, qty: 5, ts: '2024-02-15T12:00:00Z' },
  { region: 'west', tier: 'gold', amount: 3, qty: 6, ts: '2024-04-01T00:00:00Z' },
];
// Columns some cases order by or aggregate on, present (null elsewhere) so that every native case runs.
Object.assign(SALES[0], { zone: 'z1', revenue: 9.5, price: 2.5, dayOfWeek: 3 });

describe('native Builder SQL runs on our engine', () => {
  let running: TestServer;
  let sdk: InfinoClient;

  beforeAll(async () => {
    running = await startTestServer('viz-builder', creds);
    sdk = new InfinoClient({ ...creds, endpoint: running.server.url, retry: { maxRetries: 1 } });
    await sdk.uploadJsonToDataset('sales', SALES.map((d) => `{"index":{}}\n${JSON.stringify(d)}`).join('\n') + '\n');
  });
  afterAll(() => running?.stop());

  async function rows(input: VizInput): Promise<Array<Record<string, unknown>>> {
    const { sql } = build(input);
    return sqlRowObjects(await sdk.queryDatasetInSql(sql));
  }

  it('every native-dialect case over the sales dataset executes', async () => {
    const native = [...matrixCases(), ...CASES, ...orderCases(), ...bucketCases()].filter(
      (c) => (c.viz.connector ?? null) === null && (c.viz.index ?? 'sales') === 'sales',
    );
    expect(native.length).toBeGreaterThan(150);
    const outcomes: string[] = [];
    for (const c of native) {
      // §3.7 emits an unrecognised order_by column as written: in a grouped statement that is the
      // user's SQL error (a 400 from the engine), which the warning has announced.
      const emitted = (c.viz.order_by ?? []).some((e) => typeof e.column === 'string');
      const userError = c.warnings.includes('order_by_column_unrecognized') && emitted && c.sql.includes(' GROUP BY ');
      try {
        await sdk.queryDatasetInSql(c.sql);
        if (userError) outcomes.push(`${c.name}: ran, expected the engine's GROUP BY error`);
      } catch (e) {
        const grouped = e instanceof InfinoError && e.status === 400 && e.message.includes('must appear in the GROUP BY clause');
        if (!userError || !grouped) outcomes.push(`${c.name}: ${c.sql}: ${(e as Error).message}`);
      }
    }
    expect(outcomes).toEqual([]);
  });

  it('count by x, default order', async () => {
    expect(await rows({ chart: 'bar', x: 'region' })).toEqual([
      { region: 'east', count: 1 },
      { region: 'north', count: 2 },
      { region: 'south', count: 1 },
      { region: 'west', count: 2 },
    ]);
  });

  it('sum by x and series, ordered by the metric, with LIMIT/OFFSET', async () => {
    const r = await rows({
      chart: 'bar',
      x: 'region',
      series: 'tier',
      metrics: [{ id: 'm', function: 'sum', column: 'amount' }],
      order_by: [{ metric_id: 'm', direction: 'desc' }],
      limit: 3,
      offset: 1,
    });
    expect(r).toEqual([
      { region: 'south', tier: 'gold', sum_amount: 7 },
      { region: 'north', tier: 'silver', sum_amount: 5 },
      { region: 'west', tier: 'gold', sum_amount: 3 },
    ]);
  });

  it('avg/min/max and order by column + function', async () => {
    expect(await rows({ chart: 'line', x: 'region', y: ['qty'], aggregation_type: 'avg', order_by: [{ column: 'amount', function: 'max', direction: 'desc' }] })).toEqual([
      { region: 'north', avg_qty: 1.5 },
      { region: 'south', avg_qty: 3 },
      { region: 'west', avg_qty: 5.5 },
      { region: 'east', avg_qty: 4 },
    ]);
    expect(await rows({ chart: 'metric', metrics: [{ id: 'm', function: 'min', column: 'amount' }] })).toEqual([{ min_amount: 1 }]);
    expect(await rows({ chart: 'gauge', metrics: [{ id: 'm', function: 'max', column: 'qty' }] })).toEqual([{ max_qty: 6 }]);
  });

  it('ISO week and quarter buckets keep the x column name', async () => {
    const week = await rows({ chart: 'line', x: { column: 'ts', bucket: 'week' } });
    expect(week).toEqual([
      { ts: '2024-01-01T00:00:00.000Z', count: 3 },
      { ts: '2024-01-08T00:00:00.000Z', count: 1 },
      { ts: '2024-02-12T00:00:00.000Z', count: 1 },
      { ts: '2024-04-01T00:00:00.000Z', count: 1 },
    ]);
    const quarter = await rows({ chart: 'bar', x: { column: 'ts', bucket: 'quarter' }, order_by: [{ column: 'ts', direction: 'desc' }] });
    expect(quarter).toEqual([
      { ts: '2024-04-01T00:00:00.000Z', count: 1 },
      { ts: '2024-01-01T00:00:00.000Z', count: 5 },
    ]);
  });

  it('Top-N + Other on a string and on a numeric x', async () => {
    expect(await rows({ chart: 'pie', x: 'region', metrics: [{ id: 'm', function: 'sum', column: 'amount' }], top: 1, other_bucket: true })).toEqual([
      { region: 'Other', sum_amount: 13 },
      { region: 'north', sum_amount: 15 },
    ].sort((a, b) => b.sum_amount - a.sum_amount));
    expect(await rows({ chart: 'bar', x: 'qty', metrics: [{ id: 'm', function: 'sum', column: 'amount' }], top: 2, other_bucket: true })).toEqual([
      { qty: '1', sum_amount: 10 },
      { qty: 'Other', sum_amount: 11 },
      { qty: '3', sum_amount: 7 },
    ].sort((a, b) => b.sum_amount - a.sum_amount));
  });

  it('heatmap, scatter, table, none and the missing-x fallback', async () => {
    expect(await rows({ chart: 'heatmap', x: 'tier', series: 'region', order_by: [{ column: 'tier' }, { column: 'region' }] })).toEqual([
      { tier: 'gold', region: 'east', count: 1 },
      { tier: 'gold', region: 'north', count: 1 },
      { tier: 'gold', region: 'south', count: 1 },
      { tier: 'gold', region: 'west', count: 1 },
      { tier: 'silver', region: 'north', count: 1 },
      { tier: 'silver', region: 'west', count: 1 },
    ]);
    expect(await rows({ chart: 'scatter', x: 'qty', y: ['amount'], order_by: [{ column: 'qty', direction: 'desc' }], limit: 2 })).toEqual([
      { qty: 6, amount: 3 },
      { qty: 5, amount: 2 },
    ]);
    expect(await rows({ chart: 'table', y: ['region', 'qty'], order_by: [{ column: 'qty' }], limit: 2, offset: 4 })).toEqual([
      { region: 'west', qty: 5 },
      { region: 'west', qty: 6 },
    ]);
    expect(await rows({ chart: 'area', x: 'qty', y: ['amount'], aggregation_type: 'none', limit: 2 })).toEqual([
      { qty: 1, amount: 10 },
      { qty: 2, amount: 5 },
    ]);
    expect(await rows({ chart: 'bar', limit: 2 })).toHaveLength(2);
  });
});
