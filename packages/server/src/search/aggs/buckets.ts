/** The contract every bucket aggregation implements, and the registry by type. */
import { compileComposite } from './bucket-composite.js';
import { compileFilter, compileFilters, compileGlobal, compileMissing } from './bucket-filters.js';
import { compileDateHistogram, compileHistogram } from './bucket-histogram.js';
import { compileDateRange, compileRange } from './bucket-range.js';
import { compileTerms } from './bucket-terms.js';
import type { BucketConf } from './config.js';
import type { MetricSql } from './metrics.js';
import type { KeyCol, KeyDef, Level, Row, SqlBuilder } from './plan.js';
import type { AggContext, AggSpec } from './types.js';

export interface SelectArgs {
  /** The grouped buckets (`g<id>`): path keys, `dc`, and the metric sub-aggregations' columns. */
  group: string;
  id: number;
  pathKeys: KeyCol[];
  parentKeys: KeyCol[];
  metrics: Map<string, MetricSql>;
  b: SqlBuilder;
}

/** Which grouped buckets are returned (`rel`), whether that limits the sub-aggregations, extra output columns. */
export interface Selection {
  rel: string;
  limited: boolean;
  outs: string[];
}

export interface RenderArgs {
  /** This aggregation's buckets inside the enclosing bucket. */
  rows: Row[];
  /** The JS value of this aggregation's j-th key column in a row. */
  key(row: Row, j: number): unknown;
  docCount(row: Row | undefined): number;
  /** The sub-aggregations of the bucket with this row (undefined: an empty bucket) and these keys. */
  sub(row: Row | undefined, keys: unknown[]): Record<string, unknown>;
  /** Applies the parent pipelines (cumulative_sum, derivative, bucket_sort) to the rendered buckets. */
  pipelines(buckets: Array<Record<string, unknown>>): Array<Record<string, unknown>>;
  /** An extra output column of `select` (`rn`, `other`). */
  col(row: Row, name: string): unknown;
}

export interface BucketPlan {
  keys: KeyDef[];
  /** Buckets over every document (global), not the enclosing bucket's. */
  allDocs?: boolean;
  select?(args: SelectArgs): Selection;
  render(args: RenderArgs): Record<string, unknown>;
}

export type BucketCompiler = (spec: AggSpec, ctx: AggContext, level: Level) => BucketPlan;

export const BUCKETS: Record<BucketConf['kind'], BucketCompiler> = {
  terms: compileTerms,
  histogram: compileHistogram,
  date_histogram: compileDateHistogram,
  range: compileRange,
  date_range: compileDateRange,
  filter: compileFilter,
  filters: compileFilters,
  missing: compileMissing,
  global: compileGlobal,
  composite: compileComposite,
};
