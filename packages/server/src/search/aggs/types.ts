/**
 * The contract between the search executor and the aggregations module.
 *
 * The executor hands the aggregations a SQL relation of the matching documents (`AggContext.source`)
 * whose columns are named by field path, so the same aggregation SQL works over one dataset or a
 * union of several (`UNION ALL BY NAME`).
 */
import type { QueryNode } from '../../query/ast.js';
import type { FieldType } from '../../engine/types.js';
import type { AggConf } from './config.js';

/** A parsed, validated aggregation (one named entry of `aggs`, with its sub-aggregations). */
export interface AggSpec {
  name: string;
  type: string;
  /** The aggregation's own body as given, after validation. */
  body: Record<string, unknown>;
  /** The body's settings, typed and defaulted (see config.ts). */
  conf: AggConf;
  subs: AggSpec[];
  meta?: Record<string, unknown>;
}

export interface AggField {
  /** SQL expression of the field in the source relation, e.g. `"user.name"`. */
  sql: string;
  type: FieldType;
  /** A LIST column (the field held an array in some document). */
  multi: boolean;
  /** A text field without fielddata: terms/histogram/sort on it are refused, as in ES. */
  analyzed: boolean;
}

export interface AggContext {
  /**
   * A parenthesised SQL subquery of the matching documents, e.g. `(SELECT ... )`. Columns:
   * `_index` VARCHAR, `_id` VARCHAR, `_seq` BIGINT, `_score` DOUBLE, `_source` VARCHAR (JSON text),
   * and one column per mapped field, named by its path. Use it as `WITH src AS <source> ...`.
   */
  source: string;
  /** The same relation over every document of the searched datasets (for the `global` aggregation). */
  allDocs: string;
  /** Resolves a field path (including `x.keyword` on a text field) in the source relation. */
  field(path: string): AggField | undefined;
  /** SQL boolean over source rows that is true when the row matches `node` (filter/filters aggs). */
  predicate(node: QueryNode): string;
  /** Runs one read-only statement and returns its rows as objects keyed by column name. */
  run(sql: string): Promise<Array<Record<string, unknown>>>;
  /** Current time in epoch ms (date math in date_range etc.). */
  now: number;
}
