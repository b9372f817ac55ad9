/**
 * Aggregations compiled to DuckDB SQL, over a real in-memory DuckDB table shaped like the search
 * executor's source relation (columns named by field path, plus _index/_id/_seq/_score/_source).
 * Expected values are Elasticsearch 8's responses for the same documents and requests.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryNode, Scalar } from '../src/query/ast.js';
import { parseQuery } from '../src/query/parse.js';
import { executeAggregations, parseAggregations } from '../src/search/aggs/index.js';
import type { AggContext, AggField } from '../src/search/aggs/types.js';

interface Doc {
  title: string;
  category: string;
  brand: string | null;
  price: number | null;
  qty: number | null;
  in_stock: boolean | null;
  ts: string | null;
  tags: string[] | null;
  ratings: number[] | null;
  user?: { name: string };
}

const DOCS: Doc[] = [
  { title: 'Laptop Pro', category: 'electronics', brand: 'acme', price: 1200, qty: 5, in_stock: true, ts: '2024-01-01T10:00:00Z', tags: ['new', 'sale'], ratings: [5, 4], user: { name: 'ann' } },
  { title: 'Phone', category: 'electronics', brand: 'acme', price: 800, qty: 10, in_stock: true, ts: '2024-01-01T23:30:00Z', tags: ['new'], ratings: [5], user: { name: 'bob' } },
  { title: 'Headphones', category: 'electronics', brand: 'zeta', price: 150, qty: 0, in_stock: false, ts: '2024-01-02T08:00:00Z', tags: ['sale'], ratings: [3, 3], user: { name: 'ann' } },
  { title: 'Novel', category: 'books', brand: 'paper', price: 15, qty: 100, in_stock: true, ts: '2024-01-15T12:00:00Z', tags: [], ratings: [] },
  { title: 'Cookbook', category: 'books', brand: 'paper', price: 25, qty: 40, in_stock: true, ts: '2024-02-01T00:00:00Z', tags: ['sale'], ratings: [4] },
  { title: 'Tablet', category: 'electronics', brand: 'zeta', price: 500, qty: 3, in_stock: false, ts: '2024-02-10T15:00:00Z', tags: ['new', 'sale'], ratings: null },
  { title: 'Puzzle', category: 'toys', brand: null, price: 30, qty: null, in_stock: null, ts: '2024-03-05T09:00:00Z', tags: null, ratings: [2] },
  { title: 'Lego', category: 'toys', brand: 'acme', price: 90, qty: 12, in_stock: true, ts: null, tags: ['sale'], ratings: [5, 5] },
  { title: 'Monitor', category: 'electronics', brand: 'acme', price: 300, qty: 7, in_stock: true, ts: '2024-03-31T01:30:00Z', tags: ['new'], ratings: [4] },
  { title: 'Desk', category: 'furniture', brand: 'oak', price: null, qty: 2, in_stock: true, ts: '2024-04-01T00:00:00Z', tags: null, ratings: null },
];

const FIELDS: Record<string, AggField> = {
  title: { sql: '"title"', type: 'text', multi: false, analyzed: true },
  category: { sql: '"category"', type: 'text', multi: false, analyzed: true },
  'category.keyword': { sql: '"category"', type: 'keyword', multi: false, analyzed: false },
  brand: { sql: '"brand"', type: 'keyword', multi: false, analyzed: false },
  price: { sql: '"price"', type: 'double', multi: false, analyzed: false },
  qty: { sql: '"qty"', type: 'long', multi: false, analyzed: false },
  in_stock: { sql: '"in_stock"', type: 'boolean', multi: false, analyzed: false },
  ts: { sql: '"ts"', type: 'date', multi: false, analyzed: false },
  tags: { sql: '"tags"', type: 'keyword', multi: true, analyzed: false },
  ratings: { sql: '"ratings"', type: 'long', multi: true, analyzed: false },
  'user.name': { sql: '"user.name"', type: 'keyword', multi: false, analyzed: false },
};

const sqlLit = (v: Scalar) => (typeof v === 'string' ? `'${v.replace(/'/g, "''")}'` : String(v));

/** The executor's job in production; here just enough of it for the filter/filters aggregations. */
function predicate(node: QueryNode): string {
  switch (node.kind) {
    case 'match_all':
      return 'true';
    case 'match_none':
      return 'false';
    case 'term':
      return FIELDS[node.field].multi ? `coalesce(list_contains(${FIELDS[node.field].sql}, ${sqlLit(node.value)}), false)` : `coalesce(${FIELDS[node.field].sql} = ${sqlLit(node.value)}, false)`;
    case 'terms':
      return `coalesce(${FIELDS[node.field].sql} IN (${node.values.map(sqlLit).join(', ')}), false)`;
    case 'range': {
      const col = FIELDS[node.field].sql;
      const parts = (['gt', 'gte', 'lt', 'lte'] as const)
        .filter((k) => node[k] !== undefined)
        .map((k) => `${col} ${{ gt: '>', gte: '>=', lt: '<', lte: '<=' }[k]} ${sqlLit(node[k]!)}`);
      return `coalesce(${parts.join(' AND ') || 'true'}, false)`;
    }
    case 'exists':
      return `${FIELDS[node.field].sql} IS NOT NULL`;
    case 'bool':
      return [...node.must, ...node.filter].map((q) => `(${predicate(q)})`).concat(node.mustNot.map((q) => `NOT (${predicate(q)})`)).join(' AND ') || 'true';
    default:
      throw new Error(`test predicate: ${node.kind}`);
  }
}

let instance: DuckDBInstance;
let conn: DuckDBConnection;
const statements: string[] = [];

beforeAll(async () => {
  instance = await DuckDBInstance.create(':memory:');
  conn = await instance.connect();
  await conn.run(`CREATE TABLE docs (_index VARCHAR, _id VARCHAR, _seq BIGINT, _score DOUBLE, _source VARCHAR,
    "title" VARCHAR, "category" VARCHAR, "brand" VARCHAR, "price" DOUBLE, "qty" BIGINT, "in_stock" BOOLEAN, "ts" TIMESTAMP,
    "tags" VARCHAR[], "ratings" BIGINT[], "user.name" VARCHAR)`);
  for (const [i, d] of DOCS.entries()) {
    const list = (v: Array<string | number> | null, type: string) => (v === null ? 'NULL' : `[${v.map(sqlLit).join(', ')}]::${type}[]`);
    const values = [
      `'products'`, `'${i + 1}'`, i, 1 + i / 10, sqlLit(JSON.stringify(d)),
      sqlLit(d.title), sqlLit(d.category), d.brand === null ? 'NULL' : sqlLit(d.brand), d.price ?? 'NULL', d.qty ?? 'NULL',
      d.in_stock ?? 'NULL', d.ts === null ? 'NULL' : `TIMESTAMP '${d.ts.slice(0, 19).replace('T', ' ')}'`,
      list(d.tags, 'VARCHAR'), list(d.ratings, 'BIGINT'), d.user ? sqlLit(d.user.name) : 'NULL',
    ];
    await conn.run(`INSERT INTO docs VALUES (${values.join(', ')})`);
  }
});

afterAll(() => {
  conn?.closeSync();
});

/** An AggContext over the documents matching `where` (SQL over the docs table). */
function context(where = 'true'): AggContext {
  return {
    source: `(SELECT * FROM docs WHERE ${where})`,
    allDocs: '(SELECT * FROM docs)',
    field: (path) => FIELDS[path],
    predicate,
    run: async (sql) => {
      statements.push(sql);
      return (await conn.runAndReadAll(sql)).getRowObjects() as Array<Record<string, unknown>>;
    },
    now: Date.UTC(2024, 2, 15, 13, 45),
  };
}

const parse = (aggs: unknown) => parseAggregations(aggs, parseQuery);
const run = (aggs: unknown, where?: string) => executeAggregations(parse(aggs), context(where));
const parseError = (aggs: unknown) => {
  try {
    parse(aggs);
  } catch (e) {
    return e;
  }
  throw new Error('expected a parse error');
};
const runError = async (aggs: unknown) => {
  try {
    await run(aggs);
  } catch (e) {
    return e;
  }
  throw new Error('expected an execution error');
};
const ms = (iso: string) => Date.parse(iso);

describe('terms', () => {
  it('counts keyword values, most frequent first, ties by key', async () => {
    expect(await run({ by_cat: { terms: { field: 'category.keyword' } } })).toEqual({
      by_cat: {
        doc_count_error_upper_bound: 0,
        sum_other_doc_count: 0,
        buckets: [
          { key: 'electronics', doc_count: 5 },
          { key: 'books', doc_count: 2 },
          { key: 'toys', doc_count: 2 },
          { key: 'furniture', doc_count: 1 },
        ],
      },
    });
  });

  it('keeps the top `size` and counts the rest in sum_other_doc_count', async () => {
    expect(await run({ b: { terms: { field: 'brand', size: 2 } } })).toEqual({
      b: {
        doc_count_error_upper_bound: 0,
        sum_other_doc_count: 3,
        buckets: [
          { key: 'acme', doc_count: 4 },
          { key: 'paper', doc_count: 2 },
        ],
      },
    });
  });

  it('orders by key, by a sub-metric, and by several keys', async () => {
    const byKey = await run({ b: { terms: { field: 'brand', order: { _key: 'desc' } } } });
    expect((byKey.b as { buckets: Array<{ key: string }> }).buckets.map((b) => b.key)).toEqual(['zeta', 'paper', 'oak', 'acme']);
    const byAvg = await run({ b: { terms: { field: 'brand', order: { avg_price: 'asc' } }, aggs: { avg_price: { avg: { field: 'price' } } } } });
    expect(byAvg.b).toEqual({
      doc_count_error_upper_bound: 0,
      sum_other_doc_count: 0,
      buckets: [
        { key: 'paper', doc_count: 2, avg_price: { value: 20 } },
        { key: 'zeta', doc_count: 2, avg_price: { value: 325 } },
        { key: 'acme', doc_count: 4, avg_price: { value: 597.5 } },
        // No price at all: ES's NaN sorts after every number.
        { key: 'oak', doc_count: 1, avg_price: { value: null } },
      ],
    });
    const byStats = await run({
      b: { terms: { field: 'brand', order: [{ 'st.max': 'desc' }, { _count: 'asc' }] }, aggs: { st: { stats: { field: 'qty' } } } },
    });
    expect((byStats.b as { buckets: Array<{ key: string }> }).buckets.map((b) => b.key)).toEqual(['paper', 'acme', 'zeta', 'oak']);
  });

  it('min_doc_count filters buckets; 0 adds every value of the field with a zero count', async () => {
    const two = await run({ b: { terms: { field: 'brand', min_doc_count: 2 } } });
    expect((two.b as { buckets: unknown[] }).buckets).toEqual([
      { key: 'acme', doc_count: 4 },
      { key: 'paper', doc_count: 2 },
      { key: 'zeta', doc_count: 2 },
    ]);
    const zero = await run({ b: { terms: { field: 'brand', min_doc_count: 0 } } }, `"category" = 'books'`);
    expect(zero.b).toEqual({
      doc_count_error_upper_bound: 0,
      sum_other_doc_count: 0,
      buckets: [
        { key: 'paper', doc_count: 2 },
        { key: 'acme', doc_count: 0 },
        { key: 'oak', doc_count: 0 },
        { key: 'zeta', doc_count: 0 },
      ],
    });
  });

  it('`missing` buckets documents without a value', async () => {
    const r = await run({ b: { terms: { field: 'brand', missing: 'N/A', order: { _key: 'asc' } } } });
    expect((r.b as { buckets: unknown[] }).buckets).toEqual([
      { key: 'N/A', doc_count: 1 },
      { key: 'acme', doc_count: 4 },
      { key: 'oak', doc_count: 1 },
      { key: 'paper', doc_count: 2 },
      { key: 'zeta', doc_count: 2 },
    ]);
  });

  it('include/exclude as regular expressions and as exact values', async () => {
    const regex = await run({ b: { terms: { field: 'brand', include: '.*a.*', exclude: 'p.*' } } });
    expect((regex.b as { buckets: unknown[] }).buckets).toEqual([
      { key: 'acme', doc_count: 4 },
      { key: 'zeta', doc_count: 2 },
      { key: 'oak', doc_count: 1 },
    ]);
    const values = await run({ b: { terms: { field: 'brand', include: ['oak', 'zeta', 'nope'] } } });
    expect((values.b as { buckets: unknown[] }).buckets).toEqual([
      { key: 'zeta', doc_count: 2 },
      { key: 'oak', doc_count: 1 },
    ]);
    const numbers = await run({ q: { terms: { field: 'qty', exclude: [0, 100, 40], size: 3, order: { _key: 'asc' } } } });
    expect(numbers.q).toEqual({
      doc_count_error_upper_bound: 0,
      sum_other_doc_count: 3,
      buckets: [
        { key: 2, doc_count: 1 },
        { key: 3, doc_count: 1 },
        { key: 5, doc_count: 1 },
      ],
    });
  });

  it('numeric, boolean and date keys', async () => {
    const r = await run({
      stock: { terms: { field: 'in_stock' } },
      day: { terms: { field: 'ts', size: 2, order: { _key: 'asc' } } },
      price: { terms: { field: 'price', size: 1, order: { _key: 'desc' } } },
    });
    expect(r.stock).toEqual({
      doc_count_error_upper_bound: 0,
      sum_other_doc_count: 0,
      buckets: [
        { key: 1, key_as_string: 'true', doc_count: 7 },
        { key: 0, key_as_string: 'false', doc_count: 2 },
      ],
    });
    expect(r.day).toEqual({
      doc_count_error_upper_bound: 0,
      sum_other_doc_count: 7,
      buckets: [
        { key: ms('2024-01-01T10:00:00Z'), key_as_string: '2024-01-01T10:00:00.000Z', doc_count: 1 },
        { key: ms('2024-01-01T23:30:00Z'), key_as_string: '2024-01-01T23:30:00.000Z', doc_count: 1 },
      ],
    });
    expect(r.price).toEqual({ doc_count_error_upper_bound: 0, sum_other_doc_count: 8, buckets: [{ key: 1200, doc_count: 1 }] });
  });

  it('counts a document once per distinct value of an array', async () => {
    expect(await run({ t: { terms: { field: 'tags' } }, r: { terms: { field: 'ratings', size: 2 } } })).toEqual({
      t: {
        doc_count_error_upper_bound: 0,
        sum_other_doc_count: 0,
        buckets: [
          { key: 'sale', doc_count: 5 },
          { key: 'new', doc_count: 4 },
        ],
      },
      r: {
        doc_count_error_upper_bound: 0,
        sum_other_doc_count: 2,
        buckets: [
          { key: 4, doc_count: 3 },
          { key: 5, doc_count: 3 },
        ],
      },
    });
  });

  it('an unmapped field has no buckets, unless `missing` gives every document one', async () => {
    expect(await run({ u: { terms: { field: 'nope' } }, m: { terms: { field: 'nope', missing: 'x' } } })).toEqual({
      u: { doc_count_error_upper_bound: 0, sum_other_doc_count: 0, buckets: [] },
      m: { doc_count_error_upper_bound: 0, sum_other_doc_count: 0, buckets: [{ key: 'x', doc_count: 10 }] },
    });
  });

  it('echoes `meta` and shows per-bucket errors on request', async () => {
    expect(await run({ b: { terms: { field: 'brand', size: 1, show_term_doc_count_error: true }, meta: { color: 'blue' } } })).toEqual({
      b: {
        meta: { color: 'blue' },
        doc_count_error_upper_bound: 0,
        sum_other_doc_count: 5,
        buckets: [{ key: 'acme', doc_count: 4, doc_count_error_upper_bound: 0 }],
      },
    });
  });
});

describe('histogram', () => {
  it('buckets by interval and fills empty buckets between the first and last', async () => {
    expect(await run({ h: { histogram: { field: 'price', interval: 500 } } })).toEqual({
      h: {
        buckets: [
          { key: 0, doc_count: 6 },
          { key: 500, doc_count: 2 },
          { key: 1000, doc_count: 1 },
        ],
      },
    });
    const offset = await run({ h: { histogram: { field: 'price', interval: 500, offset: 100 } } });
    expect(offset.h).toEqual({
      buckets: [
        { key: -400, doc_count: 4 },
        { key: 100, doc_count: 3 },
        { key: 600, doc_count: 1 },
        { key: 1100, doc_count: 1 },
      ],
    });
  });

  it('extended_bounds widen, hard_bounds clip, min_doc_count drops empty buckets', async () => {
    const r = await run({
      ext: { histogram: { field: 'price', interval: 500, extended_bounds: { min: -1000, max: 2000 } } },
      hard: { histogram: { field: 'price', interval: 500, hard_bounds: { min: 0, max: 600 } } },
      min: { histogram: { field: 'price', interval: 200, min_doc_count: 1 } },
    });
    expect(r.ext).toEqual({
      buckets: [-1000, -500, 0, 500, 1000, 1500, 2000].map((key) => ({ key, doc_count: { 0: 6, 500: 2, 1000: 1 }[key] ?? 0 })),
    });
    expect(r.hard).toEqual({ buckets: [{ key: 0, doc_count: 6 }, { key: 500, doc_count: 2 }] });
    expect(r.min).toEqual({
      buckets: [
        { key: 0, doc_count: 5 },
        { key: 200, doc_count: 1 },
        { key: 400, doc_count: 1 },
        { key: 800, doc_count: 1 },
        { key: 1200, doc_count: 1 },
      ],
    });
  });

  it('keyed output (keys as Java doubles) and ordering by count', async () => {
    expect(await run({ h: { histogram: { field: 'price', interval: 500, keyed: true, order: { _count: 'asc' } } } })).toEqual({
      h: {
        buckets: {
          '1000.0': { key: 1000, doc_count: 1 },
          '500.0': { key: 500, doc_count: 2 },
          '0.0': { key: 0, doc_count: 6 },
        },
      },
    });
  });

  it('counts a multi-valued document once per bucket and carries sub-aggregations', async () => {
    expect(await run({ h: { histogram: { field: 'ratings', interval: 2 }, aggs: { p: { max: { field: 'price' } } } } })).toEqual({
      h: {
        buckets: [
          { key: 2, doc_count: 2, p: { value: 150 } },
          { key: 4, doc_count: 5, p: { value: 1200 } },
        ],
      },
    });
  });

  it('an unmapped field has no buckets; an empty result neither', async () => {
    expect(await run({ h: { histogram: { field: 'nope', interval: 10 } } })).toEqual({ h: { buckets: [] } });
    expect(await run({ h: { histogram: { field: 'price', interval: 10 } } }, 'false')).toEqual({ h: { buckets: [] } });
  });
});

describe('date_histogram', () => {
  const bucket = (iso: string, doc_count: number, key_as_string = iso.replace('Z', '.000Z')) => ({ key_as_string, key: ms(iso), doc_count });

  it('calendar months in UTC, with ISO keys', async () => {
    expect(await run({ m: { date_histogram: { field: 'ts', calendar_interval: 'month' } } })).toEqual({
      m: {
        buckets: [
          bucket('2024-01-01T00:00:00Z', 4),
          bucket('2024-02-01T00:00:00Z', 2),
          bucket('2024-03-01T00:00:00Z', 2),
          bucket('2024-04-01T00:00:00Z', 1),
        ],
      },
    });
  });

  it('weeks start on Monday; empty weeks are filled', async () => {
    expect(await run({ w: { date_histogram: { field: 'ts', calendar_interval: '1w' } } }, `ts < TIMESTAMP '2024-01-20'`)).toEqual({
      w: { buckets: [bucket('2024-01-01T00:00:00Z', 3), bucket('2024-01-08T00:00:00Z', 0), bucket('2024-01-15T00:00:00Z', 1)] },
    });
  });

  it('fixed intervals and the legacy `interval`', async () => {
    const where = `ts < TIMESTAMP '2024-01-03'`;
    const expected = [bucket('2024-01-01T00:00:00Z', 1), bucket('2024-01-01T12:00:00Z', 1), bucket('2024-01-02T00:00:00Z', 1)];
    expect(await run({ h: { date_histogram: { field: 'ts', fixed_interval: '12h' } } }, where)).toEqual({ h: { buckets: expected } });
    expect(await run({ h: { date_histogram: { field: 'ts', interval: '12h' } } }, where)).toEqual({ h: { buckets: expected } });
    expect(await run({ h: { date_histogram: { field: 'ts', fixed_interval: '720m', min_doc_count: 1 } } }, where)).toEqual({ h: { buckets: expected } });
  });

  it('a region time zone: buckets start at local midnight, keys are UTC, strings carry the offset', async () => {
    expect(await run({ m: { date_histogram: { field: 'ts', calendar_interval: 'month', time_zone: 'America/New_York' } } })).toEqual({
      m: {
        buckets: [
          bucket('2024-01-01T05:00:00Z', 5, '2024-01-01T00:00:00.000-05:00'),
          bucket('2024-02-01T05:00:00Z', 1, '2024-02-01T00:00:00.000-05:00'),
          bucket('2024-03-01T05:00:00Z', 3, '2024-03-01T00:00:00.000-05:00'),
        ],
      },
    });
  });

  it('days across a DST change are 23 hours long', async () => {
    expect(await run({ d: { date_histogram: { field: 'ts', calendar_interval: 'day', time_zone: 'Europe/Paris' } } }, `ts >= TIMESTAMP '2024-03-30'`)).toEqual({
      d: { buckets: [bucket('2024-03-30T23:00:00Z', 1, '2024-03-31T00:00:00.000+01:00'), bucket('2024-03-31T22:00:00Z', 1, '2024-04-01T00:00:00.000+02:00')] },
    });
  });

  it('a fixed-offset time zone, a custom format, min_doc_count', async () => {
    const r = await run(
      { d: { date_histogram: { field: 'ts', calendar_interval: 'day', time_zone: '+05:30', format: 'yyyy-MM-dd', min_doc_count: 1 } } },
      `ts < TIMESTAMP '2024-01-03'`,
    );
    expect(r.d).toEqual({ buckets: [bucket('2023-12-31T18:30:00Z', 1, '2024-01-01'), bucket('2024-01-01T18:30:00Z', 2, '2024-01-02')] });
  });

  it('`offset` shifts the bucket boundaries; epoch_millis format', async () => {
    const r = await run({ d: { date_histogram: { field: 'ts', calendar_interval: 'day', offset: '+6h', format: 'epoch_millis' } } }, `ts < TIMESTAMP '2024-01-03'`);
    expect(r.d).toEqual({
      buckets: [bucket('2024-01-01T06:00:00Z', 2, String(ms('2024-01-01T06:00:00Z'))), bucket('2024-01-02T06:00:00Z', 1, String(ms('2024-01-02T06:00:00Z')))],
    });
  });

  it('extended_bounds take date math; keyed output', async () => {
    const r = await run({
      m: { date_histogram: { field: 'ts', calendar_interval: 'month', extended_bounds: { min: '2023-11-15', max: 'now' }, keyed: true, format: 'yyyy-MM' } },
    });
    expect(r.m).toEqual({
      buckets: {
        '2023-11': bucket('2023-11-01T00:00:00Z', 0, '2023-11'),
        '2023-12': bucket('2023-12-01T00:00:00Z', 0, '2023-12'),
        '2024-01': bucket('2024-01-01T00:00:00Z', 4, '2024-01'),
        '2024-02': bucket('2024-02-01T00:00:00Z', 2, '2024-02'),
        '2024-03': bucket('2024-03-01T00:00:00Z', 2, '2024-03'),
        '2024-04': bucket('2024-04-01T00:00:00Z', 1, '2024-04'),
      },
    });
  });

  it('quarters and years; ordering by count', async () => {
    const r = await run({
      q: { date_histogram: { field: 'ts', calendar_interval: 'quarter', order: { _count: 'asc' } } },
      y: { date_histogram: { field: 'ts', calendar_interval: '1y' } },
    });
    expect(r.q).toEqual({ buckets: [bucket('2024-04-01T00:00:00Z', 1), bucket('2024-01-01T00:00:00Z', 8)] });
    expect(r.y).toEqual({ buckets: [bucket('2024-01-01T00:00:00Z', 9)] });
  });
});

describe('range and date_range', () => {
  it('from inclusive, to exclusive, with generated keys', async () => {
    expect(await run({ r: { range: { field: 'price', ranges: [{ to: 100 }, { from: 100, to: 500 }, { from: 500 }] }, aggs: { q: { sum: { field: 'qty' } } } } })).toEqual({
      r: {
        buckets: [
          { key: '*-100.0', to: 100, doc_count: 4, q: { value: 152 } },
          { key: '100.0-500.0', from: 100, to: 500, doc_count: 2, q: { value: 7 } },
          { key: '500.0-*', from: 500, doc_count: 3, q: { value: 18 } },
        ],
      },
    });
  });

  it('custom keys, keyed output, ranges sorted by from; `missing`', async () => {
    expect(await run({ r: { range: { field: 'price', keyed: true, missing: 0, ranges: [{ from: 500, key: 'expensive' }, { to: 100, key: 'cheap' }] } } })).toEqual({
      r: { buckets: { cheap: { to: 100, doc_count: 5 }, expensive: { from: 500, doc_count: 3 } } },
    });
  });

  it('overlapping ranges and multi-valued fields count a document in each range it falls in', async () => {
    const r = await run({
      o: { range: { field: 'price', ranges: [{ from: 0, to: 1000 }, { from: 100 }] } },
      m: { range: { field: 'ratings', ranges: [{ to: 3 }, { from: 3, to: 5 }, { from: 5 }] } },
    });
    expect(r.o).toEqual({ buckets: [{ key: '0.0-1000.0', from: 0, to: 1000, doc_count: 8 }, { key: '100.0-*', from: 100, doc_count: 5 }] });
    expect(r.m).toEqual({
      buckets: [
        { key: '*-3.0', to: 3, doc_count: 1 },
        { key: '3.0-5.0', from: 3, to: 5, doc_count: 4 },
        { key: '5.0-*', from: 5, doc_count: 3 },
      ],
    });
  });

  it('date_range resolves date math against now and prints the bounds', async () => {
    const feb = ms('2024-02-01T00:00:00Z');
    expect(await run({ d: { date_range: { field: 'ts', ranges: [{ to: 'now-1M/M' }, { from: 'now-1M/M' }] } } })).toEqual({
      d: {
        buckets: [
          { key: '*-2024-02-01T00:00:00.000Z', to: feb, to_as_string: '2024-02-01T00:00:00.000Z', doc_count: 4 },
          { key: '2024-02-01T00:00:00.000Z-*', from: feb, from_as_string: '2024-02-01T00:00:00.000Z', doc_count: 5 },
        ],
      },
    });
  });

  it('date_range with a format and a time zone; keyed', async () => {
    const r = await run({ d: { date_range: { field: 'ts', format: 'yyyy-MM', time_zone: '+01:00', keyed: true, ranges: [{ from: '2024-01', to: '2024-03' }] } } });
    expect(r.d).toEqual({
      buckets: {
        '2024-01-2024-03': {
          from: ms('2023-12-31T23:00:00Z'),
          from_as_string: '2024-01',
          to: ms('2024-02-29T23:00:00Z'),
          to_as_string: '2024-03',
          doc_count: 6,
        },
      },
    });
  });

  it('every range is returned, even with no documents', async () => {
    expect(await run({ r: { range: { field: 'price', ranges: [{ to: 10 }] } } }, 'false')).toEqual({ r: { buckets: [{ key: '*-10.0', to: 10, doc_count: 0 }] } });
  });
});

describe('filter, filters, missing, global', () => {
  it('filter: one bucket of the matching documents', async () => {
    const r = await run({
      acme: { filter: { term: { brand: 'acme' } }, aggs: { p: { avg: { field: 'price' } } } },
      all: { filter: {} },
    });
    expect(r).toEqual({ acme: { doc_count: 4, p: { value: 597.5 } }, all: { doc_count: 10 } });
    expect(await run({ acme: { filter: { term: { brand: 'acme' } }, aggs: { p: { avg: { field: 'price' } } } } }, 'false')).toEqual({
      acme: { doc_count: 0, p: { value: null } },
    });
  });

  it('named filters are keyed and sorted by name, with an other bucket', async () => {
    const filters = { expensive: { range: { price: { gte: 500 } } }, cheap: { range: { price: { lt: 100 } } } };
    expect(await run({ f: { filters: { filters, other_bucket_key: 'rest' } } })).toEqual({
      f: { buckets: { cheap: { doc_count: 4 }, expensive: { doc_count: 3 }, rest: { doc_count: 3 } } },
    });
    expect(await run({ f: { filters: { filters, keyed: false } } })).toEqual({
      f: { buckets: [{ key: 'cheap', doc_count: 4 }, { key: 'expensive', doc_count: 3 }] },
    });
  });

  it('anonymous filters keep their order; a document may match several', async () => {
    expect(await run({ f: { filters: { filters: [{ term: { brand: 'acme' } }, { term: { tags: 'sale' } }], other_bucket: true }, aggs: { n: { value_count: { field: 'brand' } } } } })).toEqual({
      f: { buckets: [{ doc_count: 4, n: { value: 4 } }, { doc_count: 5, n: { value: 5 } }, { doc_count: 3, n: { value: 2 } }] },
    });
  });

  it('missing: documents without a value (null or an empty array); unmapped means all', async () => {
    expect(await run({ b: { missing: { field: 'brand' }, aggs: { c: { terms: { field: 'category.keyword' } } } }, t: { missing: { field: 'tags' } }, u: { missing: { field: 'nope' } } })).toEqual({
      b: { doc_count: 1, c: { doc_count_error_upper_bound: 0, sum_other_doc_count: 0, buckets: [{ key: 'toys', doc_count: 1 }] } },
      t: { doc_count: 3 },
      u: { doc_count: 10 },
    });
  });

  it('global ignores the query; its siblings do not', async () => {
    expect(await run({ g: { global: {}, aggs: { p: { avg: { field: 'price' } } } }, p: { avg: { field: 'price' } } }, `brand = 'acme'`)).toEqual({
      g: { doc_count: 10, p: { value: 3110 / 9 } },
      p: { value: 597.5 },
    });
  });
});

describe('composite', () => {
  it('pages through terms with after_key', async () => {
    const page = (after?: Record<string, unknown>) => run({ c: { composite: { size: 2, sources: [{ brand: { terms: { field: 'brand' } } }], ...(after ? { after } : {}) } } });
    expect(await page()).toEqual({ c: { after_key: { brand: 'oak' }, buckets: [{ key: { brand: 'acme' }, doc_count: 4 }, { key: { brand: 'oak' }, doc_count: 1 }] } });
    expect(await page({ brand: 'oak' })).toEqual({ c: { after_key: { brand: 'zeta' }, buckets: [{ key: { brand: 'paper' }, doc_count: 2 }, { key: { brand: 'zeta' }, doc_count: 2 }] } });
    expect(await page({ brand: 'zeta' })).toEqual({ c: { buckets: [] } });
  });

  it('several sources, per-source order, sub-aggregations', async () => {
    const r = await run({
      c: {
        composite: { sources: [{ b: { terms: { field: 'brand', order: 'desc' } } }, { m: { date_histogram: { field: 'ts', calendar_interval: 'month', format: 'yyyy-MM' } } }] },
        aggs: { q: { max: { field: 'qty' } } },
      },
    });
    expect(r.c).toEqual({
      after_key: { b: 'acme', m: '2024-03' },
      buckets: [
        { key: { b: 'zeta', m: '2024-01' }, doc_count: 1, q: { value: 0 } },
        { key: { b: 'zeta', m: '2024-02' }, doc_count: 1, q: { value: 3 } },
        { key: { b: 'paper', m: '2024-01' }, doc_count: 1, q: { value: 100 } },
        { key: { b: 'paper', m: '2024-02' }, doc_count: 1, q: { value: 40 } },
        { key: { b: 'oak', m: '2024-04' }, doc_count: 1, q: { value: 2 } },
        { key: { b: 'acme', m: '2024-01' }, doc_count: 2, q: { value: 10 } },
        { key: { b: 'acme', m: '2024-03' }, doc_count: 1, q: { value: 7 } },
      ],
    });
  });

  it('missing_bucket puts documents without a value under a null key, first when ascending', async () => {
    const sources = [{ b: { terms: { field: 'brand', missing_bucket: true } } }, { p: { histogram: { field: 'price', interval: 1000 } } }];
    const first = await run({ c: { composite: { size: 2, sources } } });
    expect(first.c).toEqual({
      after_key: { b: 'acme', p: 0 },
      buckets: [
        { key: { b: null, p: 0 }, doc_count: 1 },
        { key: { b: 'acme', p: 0 }, doc_count: 3 },
      ],
    });
    const next = await run({ c: { composite: { size: 2, sources, after: { b: null, p: 0 } } } });
    expect((next.c as { buckets: unknown[] }).buckets).toEqual([
      { key: { b: 'acme', p: 0 }, doc_count: 3 },
      { key: { b: 'acme', p: 1000 }, doc_count: 1 },
    ]);
  });
});

/** Elasticsearch's exact percentile (its t-digest keeps every sample below 2,000 values). */
function esPercentile(sorted: number[], percent: number): number {
  const index = (percent / 100) * (sorted.length - 1);
  if (index <= 0) return sorted[0];
  if (index >= sorted.length - 1) return sorted[sorted.length - 1];
  const low = Math.floor(index);
  return sorted[low] + (index - low) * (sorted[low + 1] - sorted[low]);
}

/** Elasticsearch's exact cdf (Dist.cdf) × 100. */
function esRank(sorted: number[], x: number): number {
  if (x < sorted[0]) return 0;
  let [n1, n2] = [0.5, 0];
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] > x) return (n2 > 0 ? (n1 + 0.5 * n2) / sorted.length : (n1 + (x - sorted[i - 1]) / (sorted[i] - sorted[i - 1])) / sorted.length) * 100;
    if (sorted[i] < x) n1++;
    else n2++;
  }
  return ((sorted.length - 0.5 * n2) / sorted.length) * 100;
}

const PRICES = DOCS.flatMap((d) => (d.price === null ? [] : [d.price]));
const SORTED_PRICES = [...PRICES].sort((a, b) => a - b);

describe('metrics', () => {
  it('avg, sum, min, max, value_count, cardinality', async () => {
    expect(
      await run({
        avg: { avg: { field: 'price' } },
        sum: { sum: { field: 'qty' } },
        min: { min: { field: 'price' } },
        max: { max: { field: 'qty' } },
        count: { value_count: { field: 'brand' } },
        card: { cardinality: { field: 'brand' } },
      }),
    ).toEqual({
      avg: { value: 3110 / 9 },
      sum: { value: 179 },
      min: { value: 15 },
      max: { value: 100 },
      count: { value: 9 },
      card: { value: 4 },
    });
  });

  it('arrays: numbers keep duplicates, keywords count once per document', async () => {
    expect(
      await run({
        avg: { avg: { field: 'ratings' } },
        stats: { stats: { field: 'ratings' } },
        vc_num: { value_count: { field: 'ratings' } },
        vc_kw: { value_count: { field: 'tags' } },
        card_num: { cardinality: { field: 'ratings' } },
        card_kw: { cardinality: { field: 'tags' } },
      }),
    ).toEqual({
      avg: { value: 4 },
      stats: { count: 10, min: 2, max: 5, avg: 4, sum: 40 },
      vc_num: { value: 10 },
      vc_kw: { value: 9 },
      card_num: { value: 4 },
      card_kw: { value: 2 },
    });
  });

  it('dates: values in epoch ms with value_as_string', async () => {
    const r = await run({ min: { min: { field: 'ts' } }, max: { max: { field: 'ts', format: 'yyyy-MM-dd' } }, st: { stats: { field: 'ts' } } });
    const [first, last] = [ms('2024-01-01T10:00:00Z'), ms('2024-04-01T00:00:00Z')];
    expect(r.min).toEqual({ value: first, value_as_string: '2024-01-01T10:00:00.000Z' });
    expect(r.max).toEqual({ value: last, value_as_string: '2024-04-01' });
    const stamps = DOCS.flatMap((d) => (d.ts ? [ms(d.ts)] : []));
    const sum = stamps.reduce((a, b) => a + b, 0);
    expect(r.st).toEqual({
      count: 9,
      min: first,
      max: last,
      avg: sum / 9,
      sum,
      min_as_string: '2024-01-01T10:00:00.000Z',
      max_as_string: '2024-04-01T00:00:00.000Z',
      avg_as_string: new Date(Math.trunc(sum / 9)).toISOString(),
      sum_as_string: new Date(sum).toISOString(),
    });
  });

  it('`missing` stands in for documents without a value', async () => {
    expect(await run({ a: { avg: { field: 'price', missing: 0 } }, s: { sum: { field: 'qty', missing: '1000' } }, c: { value_count: { field: 'brand', missing: 'none' } } })).toEqual({
      a: { value: 311 },
      s: { value: 1179 },
      c: { value: 10 },
    });
  });

  it('unmapped fields and empty results: null values, zero sums and counts', async () => {
    const aggs = {
      avg: { avg: { field: 'nope' } },
      sum: { sum: { field: 'nope' } },
      min: { min: { field: 'nope' } },
      count: { value_count: { field: 'nope' } },
      card: { cardinality: { field: 'nope' } },
      stats: { stats: { field: 'nope' } },
      pct: { percentiles: { field: 'nope', percents: [50] } },
    };
    const empty = {
      avg: { value: null },
      sum: { value: 0 },
      min: { value: null },
      count: { value: 0 },
      card: { value: 0 },
      stats: { count: 0, min: null, max: null, avg: null, sum: 0 },
      pct: { values: { '50.0': null } },
    };
    expect(await run(aggs)).toEqual(empty);
    expect(await run(JSON.parse(JSON.stringify(aggs).replaceAll('nope', 'price')), 'false')).toEqual(empty);
    expect(await run({ a: { avg: { field: 'nope', missing: 5 } } })).toEqual({ a: { value: 5 } });
  });

  it('extended_stats: population and sample variance, bounds at sigma', async () => {
    const r = await run({ e: { extended_stats: { field: 'price', sigma: 3 } }, none: { extended_stats: { field: 'price' } } }, 'price IS NOT NULL');
    const n = PRICES.length;
    const sum = PRICES.reduce((a, b) => a + b, 0);
    const sq = PRICES.reduce((a, b) => a + b * b, 0);
    const avg = sum / n;
    const varPop = (sq - (sum * sum) / n) / n;
    const varSample = (sq - (sum * sum) / n) / (n - 1);
    expect(r.e).toEqual({
      count: n,
      min: 15,
      max: 1200,
      avg,
      sum,
      sum_of_squares: sq,
      variance: varPop,
      variance_population: varPop,
      variance_sampling: varSample,
      std_deviation: Math.sqrt(varPop),
      std_deviation_population: Math.sqrt(varPop),
      std_deviation_sampling: Math.sqrt(varSample),
      std_deviation_bounds: {
        upper: avg + 3 * Math.sqrt(varPop),
        lower: avg - 3 * Math.sqrt(varPop),
        upper_population: avg + 3 * Math.sqrt(varPop),
        lower_population: avg - 3 * Math.sqrt(varPop),
        upper_sampling: avg + 3 * Math.sqrt(varSample),
        lower_sampling: avg - 3 * Math.sqrt(varSample),
      },
    });
    const one = await run({ e: { extended_stats: { field: 'price' } } }, `brand = 'oak' OR price = 15`);
    expect((one.e as Record<string, unknown>).variance_sampling).toBe('NaN');
    const none = await run({ e: { extended_stats: { field: 'price' } } }, 'false');
    expect(none.e).toEqual({
      count: 0,
      min: null,
      max: null,
      avg: null,
      sum: 0,
      sum_of_squares: null,
      variance: null,
      variance_population: null,
      variance_sampling: null,
      std_deviation: null,
      std_deviation_population: null,
      std_deviation_sampling: null,
      std_deviation_bounds: { upper: null, lower: null, upper_population: null, lower_population: null, upper_sampling: null, lower_sampling: null },
    });
  });

  it('percentiles: ES interpolation, default percents, keyed and unkeyed', async () => {
    const r = await run({ p: { percentiles: { field: 'price' } }, q: { percentiles: { field: 'price', percents: [10, 99.9], keyed: false } } });
    expect(r.p).toEqual({
      values: Object.fromEntries([1, 5, 25, 50, 75, 95, 99].map((p) => [`${p}.0`, esPercentile(SORTED_PRICES, p)])),
    });
    expect(r.q).toEqual({
      values: [
        { key: 10, value: esPercentile(SORTED_PRICES, 10) },
        { key: 99.9, value: esPercentile(SORTED_PRICES, 99.9) },
      ],
    });
  });

  it('percentiles of a date field print the values; of an array use every value', async () => {
    const r = await run({ d: { percentiles: { field: 'ts', percents: [50] } }, a: { percentiles: { field: 'ratings', percents: [25, 50] } } });
    const stamps = DOCS.flatMap((d) => (d.ts ? [ms(d.ts)] : [])).sort((a, b) => a - b);
    const median = esPercentile(stamps, 50);
    expect(r.d).toEqual({ values: { '50.0': median, '50.0_as_string': new Date(median).toISOString() } });
    const ratings = DOCS.flatMap((d) => d.ratings ?? []).sort((a, b) => a - b);
    expect(r.a).toEqual({ values: { '25.0': esPercentile(ratings, 25), '50.0': esPercentile(ratings, 50) } });
  });

  it('percentile_ranks: the exact cdf Elasticsearch computes for small samples', async () => {
    const r = await run({ r: { percentile_ranks: { field: 'price', values: [10, 25, 100, 2000] } } });
    expect(r.r).toEqual({
      values: { '10.0': 0, '25.0': esRank(SORTED_PRICES, 25), '100.0': esRank(SORTED_PRICES, 100), '2000.0': 100 },
    });
  });

  it('weighted_avg skips documents missing the value or the weight', async () => {
    expect(await run({ w: { weighted_avg: { value: { field: 'price' }, weight: { field: 'qty' } } } })).toEqual({ w: { value: 21180 / 177 } });
  });
});

describe('top_hits', () => {
  it('by score by default, with the documents and their source', async () => {
    const r = await run({ b: { terms: { field: 'brand', size: 1 }, aggs: { top: { top_hits: { size: 2 } } } } });
    const hit = (id: number) => ({ _index: 'products', _id: String(id), _score: Math.fround(1 + (id - 1) / 10), _source: DOCS[id - 1] });
    expect((r.b as { buckets: unknown[] }).buckets).toEqual([
      { key: 'acme', doc_count: 4, top: { hits: { total: { value: 4, relation: 'eq' }, max_score: Math.fround(1.8), hits: [hit(9), hit(8)] } } },
    ]);
  });

  it('sorted by a field, with from, _source filtering and sort values', async () => {
    const r = await run({
      cheapest: { top_hits: { sort: [{ price: { order: 'asc' } }], from: 1, size: 2, _source: { includes: ['title', 'price'] } } },
      newest: { top_hits: { sort: ['_score', { ts: 'desc' }], size: 1, _source: false } },
      by_brand: { top_hits: { sort: [{ brand: 'desc' }, { price: 'desc' }], size: 2, _source: 'title' } },
    });
    expect(r.cheapest).toEqual({
      hits: {
        total: { value: 10, relation: 'eq' },
        max_score: null,
        hits: [
          { _index: 'products', _id: '5', _score: null, _source: { title: 'Cookbook', price: 25 }, sort: [25] },
          { _index: 'products', _id: '7', _score: null, _source: { title: 'Puzzle', price: 30 }, sort: [30] },
        ],
      },
    });
    expect(r.newest).toEqual({
      hits: {
        total: { value: 10, relation: 'eq' },
        max_score: Math.fround(1.9),
        hits: [{ _index: 'products', _id: '10', _score: Math.fround(1.9), sort: [Math.fround(1.9), ms('2024-04-01T00:00:00Z')] }],
      },
    });
    expect((r.by_brand as { hits: { hits: unknown[] } }).hits.hits).toEqual([
      { _index: 'products', _id: '6', _score: null, _source: { title: 'Tablet' }, sort: ['zeta', 500] },
      { _index: 'products', _id: '3', _score: null, _source: { title: 'Headphones' }, sort: ['zeta', 150] },
    ]);
  });

  it('an empty bucket has no hits', async () => {
    expect(await run({ t: { top_hits: {} } }, 'false')).toEqual({ t: { hits: { total: { value: 0, relation: 'eq' }, max_score: null, hits: [] } } });
  });
});

describe('pipelines', () => {
  const month = (iso: string) => ({ key_as_string: `${iso}T00:00:00.000Z`, key: ms(`${iso}T00:00:00Z`) });

  it('cumulative_sum and derivative (with a unit) over a date histogram', async () => {
    const r = await run({
      m: {
        date_histogram: { field: 'ts', calendar_interval: 'month' },
        aggs: {
          sales: { sum: { field: 'price' } },
          total: { cumulative_sum: { buckets_path: 'sales' } },
          docs: { cumulative_sum: { buckets_path: '_count' } },
          change: { derivative: { buckets_path: 'sales', unit: '1d' } },
        },
      },
    });
    expect(r.m).toEqual({
      buckets: [
        { ...month('2024-01-01'), doc_count: 4, sales: { value: 2165 }, total: { value: 2165 }, docs: { value: 4 } },
        { ...month('2024-02-01'), doc_count: 2, sales: { value: 525 }, total: { value: 2690 }, docs: { value: 6 }, change: { value: -1640, normalized_value: -1640 / 31 } },
        { ...month('2024-03-01'), doc_count: 2, sales: { value: 330 }, total: { value: 3020 }, docs: { value: 8 }, change: { value: -195, normalized_value: -195 / 29 } },
        { ...month('2024-04-01'), doc_count: 1, sales: { value: 0 }, total: { value: 3020 }, docs: { value: 9 }, change: { value: -330, normalized_value: -330 / 31 } },
      ],
    });
  });

  it('bucket_sort sorts and truncates the parent buckets', async () => {
    const r = await run({
      top: { terms: { field: 'brand' }, aggs: { p: { sum: { field: 'price' } }, s: { bucket_sort: { sort: [{ p: { order: 'desc' } }], size: 2 } } } },
      page: { terms: { field: 'brand' }, aggs: { s: { bucket_sort: { from: 1, size: 1 } } } },
    });
    expect(r.top).toEqual({
      doc_count_error_upper_bound: 0,
      sum_other_doc_count: 0,
      buckets: [
        { key: 'acme', doc_count: 4, p: { value: 2390 } },
        { key: 'zeta', doc_count: 2, p: { value: 650 } },
      ],
    });
    expect((r.page as { buckets: unknown[] }).buckets).toEqual([{ key: 'paper', doc_count: 2 }]);
  });

  it('sibling pipelines summarise another aggregation’s buckets', async () => {
    const r = await run({
      by_month: { date_histogram: { field: 'ts', calendar_interval: 'month' }, aggs: { sales: { sum: { field: 'price' } } } },
      by_brand: { terms: { field: 'brand' } },
      max: { max_bucket: { buckets_path: 'by_month>sales' } },
      min: { min_bucket: { buckets_path: 'by_month>sales' } },
      avg: { avg_bucket: { buckets_path: 'by_month>sales' } },
      sum: { sum_bucket: { buckets_path: 'by_month>sales' } },
      stats: { stats_bucket: { buckets_path: 'by_month>sales' } },
      busiest: { max_bucket: { buckets_path: 'by_brand>_count' } },
    });
    expect(r.max).toEqual({ value: 2165, keys: ['2024-01-01T00:00:00.000Z'] });
    expect(r.min).toEqual({ value: 0, keys: ['2024-04-01T00:00:00.000Z'] });
    expect(r.avg).toEqual({ value: 755 });
    expect(r.sum).toEqual({ value: 3020 });
    expect(r.stats).toEqual({ count: 4, min: 0, max: 2165, avg: 755, sum: 3020 });
    expect(r.busiest).toEqual({ value: 4, keys: ['acme'] });
  });
});

describe('nesting and statements', () => {
  it('three levels of buckets with metrics, in one SQL statement', async () => {
    const before = statements.length;
    const r = await run({
      cats: {
        terms: { field: 'category.keyword', size: 2 },
        aggs: {
          months: {
            date_histogram: { field: 'ts', calendar_interval: 'month', min_doc_count: 1 },
            aggs: { brands: { terms: { field: 'brand' }, aggs: { price: { avg: { field: 'price' } } } } },
          },
          stock: { sum: { field: 'qty' } },
        },
      },
      total: { value_count: { field: 'ts' } },
    });
    expect(statements.length - before).toBe(1);
    const terms = (buckets: unknown[]) => ({ doc_count_error_upper_bound: 0, sum_other_doc_count: 0, buckets });
    const m = (iso: string, doc_count: number, brands: unknown[]) => ({ key_as_string: `${iso}T00:00:00.000Z`, key: ms(`${iso}T00:00:00Z`), doc_count, brands: terms(brands) });
    expect(r).toEqual({
      cats: {
        doc_count_error_upper_bound: 0,
        sum_other_doc_count: 3,
        buckets: [
          {
            key: 'electronics',
            doc_count: 5,
            months: {
              buckets: [
                m('2024-01-01', 3, [
                  { key: 'acme', doc_count: 2, price: { value: 1000 } },
                  { key: 'zeta', doc_count: 1, price: { value: 150 } },
                ]),
                m('2024-02-01', 1, [{ key: 'zeta', doc_count: 1, price: { value: 500 } }]),
                m('2024-03-01', 1, [{ key: 'acme', doc_count: 1, price: { value: 300 } }]),
              ],
            },
            stock: { value: 25 },
          },
          {
            key: 'books',
            doc_count: 2,
            months: {
              buckets: [m('2024-01-01', 1, [{ key: 'paper', doc_count: 1, price: { value: 15 } }]), m('2024-02-01', 1, [{ key: 'paper', doc_count: 1, price: { value: 25 } }])],
            },
            stock: { value: 140 },
          },
        ],
      },
      total: { value: 9 },
    });
  });

  it('terms under terms keep the top buckets of each parent', async () => {
    const r = await run({ b: { terms: { field: 'brand', size: 2 }, aggs: { t: { terms: { field: 'tags', size: 1 } } } } });
    expect(r.b).toEqual({
      doc_count_error_upper_bound: 0,
      sum_other_doc_count: 3,
      buckets: [
        { key: 'acme', doc_count: 4, t: { doc_count_error_upper_bound: 0, sum_other_doc_count: 2, buckets: [{ key: 'new', doc_count: 3 }] } },
        { key: 'paper', doc_count: 2, t: { doc_count_error_upper_bound: 0, sum_other_doc_count: 0, buckets: [{ key: 'sale', doc_count: 1 }] } },
      ],
    });
  });

  it('nothing to run for an empty aggs object', async () => {
    const before = statements.length;
    expect(await run({})).toEqual({});
    expect(statements.length).toBe(before);
  });
});

describe('bad input', () => {
  const fails = (aggs: unknown, type: string, reason: string | RegExp) =>
    expect(parseError(aggs)).toMatchObject({ status: 400, type, reason: typeof reason === 'string' ? reason : expect.stringMatching(reason) });

  it('unknown aggregation types, with a suggestion when one is close', () => {
    fails({ a: { termz: { field: 'brand' } } }, 'parsing_exception', 'Unknown aggregation type [termz] did you mean [terms]?');
    fails({ a: { foo: {} } }, 'parsing_exception', 'Unknown aggregation type [foo]');
    fails({ a: { significant_terms: { field: 'brand' } } }, 'parsing_exception', /not supported/);
  });

  it('unknown and wrongly typed parameters name the aggregation path', () => {
    fails({ by_cat: { terms: { field: 'brand', sizee: 3 } } }, 'x_content_parse_exception', '[aggs.by_cat.terms] unknown field [sizee] did you mean [size]?');
    fails({ a: { terms: { field: 'brand', size: { n: 1 } } } }, 'x_content_parse_exception', "[aggs.a.terms] size doesn't support values of type: START_OBJECT");
    fails({ a: { terms: { field: 'brand', size: 'ten' } } }, 'x_content_parse_exception', '[aggs.a.terms] failed to parse field [size]: [ten] is not a number');
    fails({ a: { terms: { field: 'brand' }, aggs: { b: { avg: { field: 'price', bogus: 1 } } } } }, 'x_content_parse_exception', '[aggs.a.aggs.b.avg] unknown field [bogus]');
    fails({ a: { avg: { script: 'doc.x' } } }, 'illegal_argument_exception', '[aggs.a.avg] scripts are not supported');
  });

  it('malformed trees', () => {
    fails([], 'parsing_exception', 'Unknown key for a START_ARRAY in [aggs].');
    fails({ a: [] }, 'parsing_exception', 'Aggregation definition for [a starts with a [START_ARRAY], expected a [START_OBJECT].');
    fails({ a: { terms: 'brand' } }, 'parsing_exception', 'Expected [START_OBJECT] under [terms], but got a [VALUE_STRING] in [a]');
    fails({ a: { terms: { field: 'brand' }, avg: { field: 'price' } } }, 'parsing_exception', 'Found two aggregation type definitions in [a]: [terms] and [avg]');
    fails({ a: { meta: { x: 1 } } }, 'parsing_exception', 'Missing definition for aggregation [a]');
    fails({ 'a>b': { avg: { field: 'price' } } }, 'parsing_exception', /Invalid aggregation name \[a>b\]/);
    fails({ a: { avg: { field: 'price' }, aggs: { b: { max: { field: 'price' } } } } }, 'aggregation_initialization_exception', 'Aggregator [a] of type [avg] cannot accept sub-aggregations');
    fails({ a: { terms: { field: 'brand' }, aggs: { g: { global: {} } } } }, 'aggregation_execution_exception', /Global aggregations can only be defined as top level aggregations/);
    fails({ a: { terms: { field: 'brand' }, aggs: { c: { composite: { sources: [{ b: { terms: { field: 'brand' } } }] } } } } }, 'aggregation_execution_exception', /\[composite\] aggregation cannot be used with a parent/);
    fails({ a: { terms: { field: 'brand' }, aggs: { c: { cumulative_sum: { buckets_path: '_count' } } } } }, 'action_request_validation_exception', /must have a histogram, date_histogram or auto_date_histogram as parent/);
  });

  it('missing or invalid required settings', () => {
    fails({ a: { terms: {} } }, 'illegal_argument_exception', '[aggs.a.terms] Required one of fields [field, script], but none were specified.');
    fails({ a: { terms: { field: 'brand', size: 0 } } }, 'illegal_argument_exception', '[size] must be greater than 0. Found [0] in [a]');
    fails({ a: { terms: { field: 'brand', order: { _count: 'up' } } } }, 'parsing_exception', 'Unknown terms order direction [up]');
    fails({ a: { histogram: { field: 'price' } } }, 'illegal_argument_exception', '[aggs.a.histogram] Required [interval]');
    fails({ a: { histogram: { field: 'price', interval: -1 } } }, 'illegal_argument_exception', '[interval] must be >0 for histogram aggregation [a]');
    fails({ a: { range: { field: 'price' } } }, 'illegal_argument_exception', 'No [ranges] specified for the [a] aggregation');
    fails({ a: { filters: { filters: [] } } }, 'illegal_argument_exception', '[filters] cannot be empty.');
    fails({ a: { percentiles: { field: 'price', percents: [101] } } }, 'illegal_argument_exception', 'percent must be in [0,100], got [101]: percent');
    fails({ a: { percentile_ranks: { field: 'price' } } }, 'illegal_argument_exception', '[values] must not be null: [a]');
    fails({ a: { composite: { sources: [] } } }, 'illegal_argument_exception', 'Composite [sources] cannot be null or empty');
    fails({ a: { max_bucket: {} } }, 'illegal_argument_exception', '[aggs.a.max_bucket] Required [buckets_path]');
    fails({ a: { filter: { nope: {} } } }, 'parsing_exception', /nope/);
  });

  it('date histogram intervals, time zones and formats', () => {
    fails({ a: { date_histogram: { field: 'ts' } } }, 'illegal_argument_exception', 'Invalid interval specified, must be non-null and non-empty');
    fails({ a: { date_histogram: { field: 'ts', calendar_interval: '2d' } } }, 'illegal_argument_exception', /The supplied interval \[2d\] could not be parsed as a calendar interval/);
    fails({ a: { date_histogram: { field: 'ts', fixed_interval: '1M' } } }, 'illegal_argument_exception', /failed to parse setting \[date_histogram.fixedInterval\] with value \[1M\]/);
    fails({ a: { date_histogram: { field: 'ts', fixed_interval: '1h', calendar_interval: '1d' } } }, 'illegal_argument_exception', 'Cannot use [fixed_interval] with [calendar_interval] configuration option.');
    fails({ a: { date_histogram: { field: 'ts', calendar_interval: 'day', time_zone: 'Mars/Olympus' } } }, 'illegal_argument_exception', /Unknown time-zone ID: Mars\/Olympus/);
    fails({ a: { date_histogram: { field: 'ts', calendar_interval: 'day', format: 'yyyy-qq' } } }, 'illegal_argument_exception', 'Invalid format: [yyyy-qq]: Unknown pattern letter: q');
  });

  it('fields the aggregation cannot use: text without fielddata, keywords for numbers', async () => {
    const fielddata =
      'Text fields are not optimised for operations that require per-document field data like aggregations and sorting, so these operations are disabled by default. Please use a keyword field instead. Alternatively, set fielddata=true on [category] in order to load field data by uninverting the inverted index. Note that this can use significant memory.';
    expect(await runError({ a: { terms: { field: 'category' } } })).toMatchObject({ status: 400, type: 'illegal_argument_exception', reason: fielddata });
    expect(await runError({ a: { histogram: { field: 'category', interval: 1 } } })).toMatchObject({ status: 400, reason: fielddata });
    expect(await runError({ a: { avg: { field: 'brand' } } })).toMatchObject({ status: 400, type: 'illegal_argument_exception', reason: 'Field [brand] of type [keyword] is not supported for aggregation [avg]' });
    expect(await runError({ a: { date_histogram: { field: 'brand', calendar_interval: 'day' } } })).toMatchObject({ status: 400, reason: 'Field [brand] of type [keyword] is not supported for aggregation [date_histogram]' });
    expect(await runError({ a: { terms: { field: 'qty', include: 'a.*' } } })).toMatchObject({ status: 400, reason: /cannot support regular expression style include\/exclude/ });
    expect(await runError({ a: { terms: { field: 'brand', order: { nope: 'asc' } } } })).toMatchObject({ status: 400, reason: /Invalid aggregation order path \[nope\]/ });
    expect(await runError({ a: { terms: { field: 'brand', order: { st: 'asc' } }, aggs: { st: { stats: { field: 'price' } } } } })).toMatchObject({
      status: 400,
      reason: /a metric name must be specified/,
    });
    expect(await runError({ a: { terms: { field: 'qty', missing: 'N/A' } } })).toMatchObject({ status: 400 });
    expect(await runError({ a: { max_bucket: { buckets_path: 'nope>x' } } })).toMatchObject({ status: 400 });
  });

  it('too many buckets', async () => {
    expect(await runError({ a: { histogram: { field: 'price', interval: 0.001 } } })).toMatchObject({ status: 400, type: 'too_many_buckets_exception' });
  });
});

describe('more combinations', () => {
  const keys = (agg: unknown) => (agg as { buckets: Array<{ key: unknown }> }).buckets.map((b) => b.key);

  it('min_doc_count 0 under a parent fills each parent bucket', async () => {
    const r = await run({ b: { terms: { field: 'brand', size: 2 }, aggs: { t: { terms: { field: 'tags', min_doc_count: 0 } } } } });
    const inner = (r.b as { buckets: Array<{ t: unknown }> }).buckets.map((b) => b.t);
    expect(inner).toEqual([
      { doc_count_error_upper_bound: 0, sum_other_doc_count: 0, buckets: [{ key: 'new', doc_count: 3 }, { key: 'sale', doc_count: 2 }] },
      { doc_count_error_upper_bound: 0, sum_other_doc_count: 0, buckets: [{ key: 'sale', doc_count: 1 }, { key: 'new', doc_count: 0 }] },
    ]);
  });

  it('composite descending: missing values come last', async () => {
    const sources = [{ b: { terms: { field: 'brand', order: 'desc', missing_bucket: true } } }];
    expect(keys((await run({ c: { composite: { sources } } })).c)).toEqual([{ b: 'zeta' }, { b: 'paper' }, { b: 'oak' }, { b: 'acme' }, { b: null }]);
    expect(await run({ c: { composite: { sources, after: { b: 'acme' } } } })).toEqual({ c: { after_key: { b: null }, buckets: [{ key: { b: null }, doc_count: 1 }] } });
  });

  it('Lucene regular expressions in include/exclude', async () => {
    expect(keys((await run({ b: { terms: { field: 'brand', include: '"acme"|z.*' } } })).b)).toEqual(['acme', 'zeta']);
    expect(keys((await run({ b: { terms: { field: 'brand', include: 'o@' } } })).b)).toEqual(['oak']);
    expect(keys((await run({ b: { terms: { field: 'brand', exclude: 'pa\\per|a.*' } } })).b)).toEqual(['zeta', 'oak']);
  });

  it('`missing` on histograms and date histograms; range keys past 10⁷ in Java notation', async () => {
    const r = await run({
      h: { histogram: { field: 'price', interval: 1000, missing: 0 } },
      d: { date_histogram: { field: 'ts', calendar_interval: 'month', missing: '2024-04-15' } },
      big: { range: { field: 'price', ranges: [{ from: 1e7 }] } },
    });
    expect(r.h).toEqual({ buckets: [{ key: 0, doc_count: 9 }, { key: 1000, doc_count: 1 }] });
    expect((r.d as { buckets: Array<{ doc_count: number }> }).buckets.map((b) => b.doc_count)).toEqual([4, 2, 2, 2]);
    expect(r.big).toEqual({ buckets: [{ key: '1.0E7-*', from: 1e7, doc_count: 0 }] });
  });

  it('derivative skips buckets without a value', async () => {
    const r = await run({ m: { date_histogram: { field: 'ts', calendar_interval: 'month' }, aggs: { p: { avg: { field: 'price' } }, d: { derivative: { buckets_path: 'p' } } } } });
    const buckets = (r.m as { buckets: Array<Record<string, unknown>> }).buckets;
    expect(buckets.map((b) => [b.p, b.d])).toEqual([
      [{ value: 541.25 }, undefined],
      [{ value: 262.5 }, { value: -278.75 }],
      [{ value: 165 }, { value: -97.5 }],
      [{ value: null }, undefined],
    ]);
  });

  it('top_hits sorted by a keyword puts documents without one last; bucket_sort by key', async () => {
    const r = await run({
      t: { top_hits: { sort: [{ brand: 'asc' }], size: 10, _source: false } },
      b: { terms: { field: 'brand' }, aggs: { s: { bucket_sort: { sort: [{ _key: { order: 'desc' } }] } } } },
    });
    const hits = (r.t as { hits: { hits: Array<{ _id: string; sort: unknown[] }> } }).hits.hits;
    expect(hits.map((h) => h._id)).toEqual(['1', '2', '8', '9', '10', '4', '5', '3', '6', '7']);
    expect(hits[9].sort).toEqual([null]);
    expect(keys(r.b)).toEqual(['zeta', 'paper', 'oak', 'acme']);
  });

  it('weighted_avg with a missing weight, percentiles of a long unkeyed, cardinality of numbers and booleans', async () => {
    expect(
      await run({
        w: { weighted_avg: { value: { field: 'price' }, weight: { field: 'qty', missing: 1 } } },
        p: { percentiles: { field: 'qty', percents: [50], keyed: false } },
        cp: { cardinality: { field: 'price' } },
        cb: { cardinality: { field: 'in_stock' } },
        u: { terms: { field: 'user.name' } },
        dr: { date_range: { field: 'nope', missing: '2024-01-01', ranges: [{ from: '2023-12-31' }] } },
      }),
    ).toEqual({
      w: { value: 21210 / 178 },
      p: { values: [{ key: 50, value: 7 }] },
      cp: { value: 9 },
      cb: { value: 2 },
      u: { doc_count_error_upper_bound: 0, sum_other_doc_count: 0, buckets: [{ key: 'ann', doc_count: 2 }, { key: 'bob', doc_count: 1 }] },
      dr: { buckets: [{ key: '2023-12-31T00:00:00.000Z-*', from: ms('2023-12-31T00:00:00Z'), from_as_string: '2023-12-31T00:00:00.000Z', doc_count: 10 }] },
    });
  });

  it('filters under terms, ranges under a date histogram', async () => {
    const r = await run({
      b: { terms: { field: 'brand', size: 1 }, aggs: { f: { filters: { filters: { sale: { term: { tags: 'sale' } } } } } } },
      m: { date_histogram: { field: 'ts', calendar_interval: 'month' }, aggs: { r: { range: { field: 'price', ranges: [{ to: 500 }, { from: 500 }] } } } },
    });
    expect((r.b as { buckets: unknown[] }).buckets).toEqual([{ key: 'acme', doc_count: 4, f: { buckets: { sale: { doc_count: 2 } } } }]);
    const months = (r.m as { buckets: Array<{ doc_count: number; r: { buckets: Array<{ doc_count: number }> } }> }).buckets;
    expect(months.map((b) => [b.doc_count, ...b.r.buckets.map((x) => x.doc_count)])).toEqual([
      [4, 2, 2],
      [2, 1, 1],
      [2, 2, 0],
      [1, 0, 0],
    ]);
  });
});
