/**
 * The shape of the one SQL statement an aggregation tree compiles to. Every bucket aggregation
 * adds its key column(s) to the rows of its parent bucket (`r<id>`, not materialised: DuckDB
 * inlines it), groups them with its metric sub-aggregations in the same GROUP BY (`g<id>`), and
 * contributes one SELECT of its buckets to a `UNION ALL BY NAME`; columns are prefixed by node id
 * (`b3_dc`, `m5_sum`) so that no two nodes' columns meet. JS then files the rows by node and by
 * parent bucket path, and renders Elasticsearch's JSON.
 */
import type { AggContext } from './types.js';

/** A row of the statement's result. */
export type Row = Record<string, unknown>;

/** A bucket key column of the rows relation and the SQL that turns it into its JS value. */
export interface KeyCol {
  name: string;
  /** SQL over the column giving a DOUBLE, INTEGER or VARCHAR (what the row reader returns as JS). */
  out: string;
}

/** Where a set of sibling aggregations runs: the rows of the enclosing bucket and their path keys. */
export interface Level {
  rows: string;
  keys: KeyCol[];
  /**
   * A relation of the enclosing aggregation's returned buckets (its path keys), when it returns
   * fewer buckets than it has (terms, composite): rows of the sub-aggregations are limited to them.
   */
  selected?: string;
}

/** A computation in stages: each step is SQL over the columns of the stages before it (stage 0: the value). */
export type Step = (stages: string[]) => string;

/** One key a bucket aggregation adds to each row. */
export interface KeyDef {
  /** SQL over the parent rows: the key, or a LIST of keys (`list: true`; one row per element). */
  expr: string;
  /**
   * Further steps for a scalar key, each computed as its own column, so that a large expression
   * (a time zone's offset lookup) is not copied into the next.
   */
  then?: Step[];
  list?: boolean;
  /**
   * A cheap test on the parent row that holds exactly when the row gets a key: rows failing it are
   * dropped before the key is computed (filtering on the computed key makes DuckDB compute it twice).
   */
  present?: string;
  /** With `present`: the computed key may still be NULL (out of `hard_bounds`): such rows are dropped too. */
  nullable?: boolean;
  /** Keep rows whose key is NULL (composite `missing_bucket`). */
  keepNull?: boolean;
  /** SQL over the key column giving its JS value. */
  out: (col: string) => string;
}

export class SqlBuilder {
  private readonly ctes: string[] = [];
  private readonly outputs: string[] = [];
  private nextId = 1;
  usesAllDocs = false;

  id(): number {
    return this.nextId++;
  }

  cte(name: string, sql: string, materialized: boolean): void {
    this.ctes.push(`${name} AS ${materialized ? '' : 'NOT '}MATERIALIZED (${sql})`);
  }

  output(sql: string): void {
    this.outputs.push(sql);
  }

  /** The whole statement, or undefined when nothing needs to run (only pipelines, say). */
  statement(ctx: AggContext): string | undefined {
    if (this.outputs.length === 0) return undefined;
    const heads = [`src AS NOT MATERIALIZED ${ctx.source}`];
    if (this.usesAllDocs) heads.push(`alldocs AS NOT MATERIALIZED ${ctx.allDocs}`);
    const body = this.outputs.map((o) => `SELECT * FROM (${o})`).join(' UNION ALL BY NAME ');
    return `WITH ${[...heads, ...this.ctes].join(', ')} ${body}`;
  }
}

/** `a.k1 IS NOT DISTINCT FROM b.k1 AND ...` (composite keys may be NULL). */
export function joinOn(keys: KeyCol[], left: string, right: string): string {
  return keys.length ? keys.map((k) => `${left}.${k.name} IS NOT DISTINCT FROM ${right}.${k.name}`).join(' AND ') : 'true';
}

/**
 * The rows of a bucket aggregation: the parent's rows (limited to the parent's returned buckets)
 * with the new key columns; LIST keys become one row per element, crossed with each other. Rows
 * without a key are dropped, unless `keepKeyless` (then every parent row is there exactly once,
 * provided the keys are scalars).
 */
export function rowsSql(level: Level, defs: KeyDef[], names: string[], source = level.rows, keepKeyless = false): string {
  let sql = level.selected
    ? `SELECT p.* FROM ${source} p SEMI JOIN ${level.selected} q ON ${joinOn(level.keys, 'p', 'q')}`
    : `SELECT * FROM ${source}`;
  const present = keepKeyless ? [] : defs.filter((d) => d.present !== undefined && !d.keepNull).map((d) => d.present);
  if (present.length) sql = `SELECT * FROM (${sql}) WHERE ${present.join(' AND ')}`;
  const scalars = defs.map((d, i) => ({ d, name: names[i] })).filter((x) => !x.d.list);
  const stages = Math.max(0, ...scalars.map((x) => x.d.then?.length ?? 0));
  const column = (name: string, steps: number, j: number) => (j === steps ? name : `${name}_${j}`);
  for (let j = 0; j <= stages; j++) {
    const cols = scalars.flatMap(({ d, name }) => {
      const steps = d.then ?? [];
      if (j > steps.length) return [];
      const before = Array.from({ length: j }, (_, k) => column(name, steps.length, k));
      return [`${j === 0 ? d.expr : steps[j - 1](before)} AS ${column(name, steps.length, j)}`];
    });
    if (cols.length) sql = `SELECT *, ${cols.join(', ')} FROM (${sql})`;
  }
  defs.forEach((d, i) => {
    if (d.list) sql = `SELECT *, unnest(${d.expr}) AS ${names[i]} FROM (${sql})`;
  });
  const notNull = defs.map((d, i) => (keepKeyless || d.keepNull || (d.present !== undefined && !d.nullable) ? '' : `${names[i]} IS NOT NULL`)).filter(Boolean);
  return notNull.length ? `SELECT * FROM (${sql}) WHERE ${notNull.join(' AND ')}` : sql;
}

/** The parent path of a row of node `id`: its first `depth` key values. */
export function parentPath(row: Row, id: number, depth: number): unknown[] {
  const values: unknown[] = [];
  for (let j = 0; j < depth; j++) values.push(row[`b${id}_k${j}`]);
  return values;
}

/**
 * A number from a row. The statement casts what it returns to DOUBLE/INTEGER (the row reader hands
 * BIGINTs over as bigint), and this converts anything else defensively.
 */
export function num(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  return typeof v === 'number' ? v : Number(v);
}

/**
 * A key computed from a field's value: by staged `steps` for a single value (rows without a value
 * dropped up front), by `element` over each value of an array (distinct keys; an element may map to
 * NULL to be dropped, as `list_distinct` drops NULLs).
 */
export function valueKey(value: string, multi: boolean, steps: Step[], element: (x: string) => string, out: (c: string) => string): KeyDef {
  if (!multi) return { expr: value, then: steps, present: `${value} IS NOT NULL`, out };
  return { expr: `list_distinct(list_transform(${value}, __e -> ${element('__e')}))`, list: true, out };
}
