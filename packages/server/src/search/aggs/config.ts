/**
 * The validated settings of each aggregation type (what `parseAggregations` produces in
 * `AggSpec.conf`). Field paths are not resolved yet: the mapping is only known at execution.
 */
import type { QueryNode, Scalar } from '../../query/ast.js';
import type { DateRounding } from './date-rounding.js';
import type { TimeZone } from '../../query/timezone.js';

/** One key of a bucket order: `_count`, `_key`, or a path to a sub-aggregation value (`avg_price`, `stats.max`). */
export interface OrderKey {
  path: string;
  asc: boolean;
}

export type IncludeExclude =
  | { regex: string }
  | { values: Scalar[] }
  | { partition: number; numPartitions: number };

export interface Bounds<T> {
  min?: T;
  max?: T;
}

export interface TermsConf {
  kind: 'terms';
  field: string;
  size: number;
  minDocCount: number;
  order: OrderKey[];
  missing?: Scalar;
  include?: IncludeExclude;
  exclude?: IncludeExclude;
  showTermDocCountError: boolean;
  format?: string;
}

export interface HistogramConf {
  kind: 'histogram';
  field: string;
  interval: number;
  offset: number;
  minDocCount: number;
  extendedBounds?: Bounds<number>;
  hardBounds?: Bounds<number>;
  keyed: boolean;
  order: OrderKey[];
  missing?: number;
}

export interface DateHistogramConf {
  kind: 'date_histogram';
  field: string;
  rounding: DateRounding;
  format?: string;
  minDocCount: number;
  /** Date math or epoch ms, resolved at execution (they may say `now`). */
  extendedBounds?: Bounds<string | number>;
  hardBounds?: Bounds<string | number>;
  keyed: boolean;
  order: OrderKey[];
  missing?: string | number;
}

export interface RangeSpec<T> {
  key?: string;
  from?: T;
  to?: T;
}

export interface RangeConf {
  kind: 'range';
  field: string;
  ranges: Array<RangeSpec<number>>;
  keyed: boolean;
  missing?: number;
}

export interface DateRangeConf {
  kind: 'date_range';
  field: string;
  ranges: Array<RangeSpec<string | number>>;
  keyed: boolean;
  format?: string;
  tz: TimeZone;
  missing?: string | number;
}

export interface FilterConf {
  kind: 'filter';
  query: QueryNode;
}

export interface FiltersConf {
  kind: 'filters';
  /** Named filters are sorted by key, as Elasticsearch does; anonymous ones keep their order. */
  filters: Array<{ key: string; query: QueryNode }>;
  named: boolean;
  otherBucket: boolean;
  otherBucketKey: string;
  keyed: boolean;
}

export interface MissingConf {
  kind: 'missing';
  field: string;
}

export interface GlobalConf {
  kind: 'global';
}

export interface CompositeSource {
  name: string;
  type: 'terms' | 'histogram' | 'date_histogram';
  field: string;
  asc: boolean;
  missingBucket: boolean;
  /** Where documents without a value sort (`default`: first ascending, last descending). */
  missingOrder: 'first' | 'last' | 'default';
  interval?: number;
  offset?: number;
  rounding?: DateRounding;
  format?: string;
}

export interface CompositeConf {
  kind: 'composite';
  size: number;
  sources: CompositeSource[];
  after?: Record<string, unknown>;
}

export type SimpleMetricKind = 'avg' | 'sum' | 'min' | 'max' | 'value_count' | 'cardinality' | 'stats' | 'extended_stats';

export interface MetricConf {
  kind: SimpleMetricKind;
  field: string;
  missing?: Scalar;
  /** extended_stats: the width of `std_deviation_bounds` in standard deviations. */
  sigma: number;
  format?: string;
}

export interface WeightedAvgConf {
  kind: 'weighted_avg';
  value: { field: string; missing?: number };
  weight: { field: string; missing?: number };
}

export interface PercentilesConf {
  kind: 'percentiles' | 'percentile_ranks';
  field: string;
  /** Percents (percentiles) or values (percentile_ranks). */
  points: number[];
  keyed: boolean;
  missing?: Scalar;
  format?: string;
}

export interface TopHitSort {
  /** A field path or `_score`. */
  field: string;
  asc: boolean;
}

export interface TopHitsConf {
  kind: 'top_hits';
  from: number;
  size: number;
  sort: TopHitSort[];
  /** false: no `_source`; otherwise include/exclude patterns (may hold `*`). */
  source: false | { includes: string[]; excludes: string[] };
  trackScores: boolean;
}

export type GapPolicy = 'skip' | 'insert_zeros' | 'keep_values';

export interface BucketSortConf {
  kind: 'bucket_sort';
  sort: OrderKey[];
  from: number;
  size?: number;
  gapPolicy: GapPolicy;
}

export interface CumulativeSumConf {
  kind: 'cumulative_sum';
  path: string;
}

export interface DerivativeConf {
  kind: 'derivative';
  path: string;
  gapPolicy: GapPolicy;
  /** `unit` as ms: adds `normalized_value` (per unit of the histogram's key). */
  unitMs?: number;
}

export interface BucketMetricConf {
  kind: 'max_bucket' | 'min_bucket' | 'avg_bucket' | 'sum_bucket' | 'stats_bucket';
  path: string;
  gapPolicy: GapPolicy;
}

export type BucketConf =
  | TermsConf
  | HistogramConf
  | DateHistogramConf
  | RangeConf
  | DateRangeConf
  | FilterConf
  | FiltersConf
  | MissingConf
  | GlobalConf
  | CompositeConf;

export type MetricsConf = MetricConf | WeightedAvgConf | PercentilesConf | TopHitsConf;
export type PipelineConf = BucketSortConf | CumulativeSumConf | DerivativeConf | BucketMetricConf;
export type AggConf = BucketConf | MetricsConf | PipelineConf;

export const BUCKET_KINDS: ReadonlyArray<BucketConf['kind']> = [
  'terms', 'histogram', 'date_histogram', 'range', 'date_range', 'filter', 'filters', 'missing', 'global', 'composite',
];
export const METRIC_KINDS: ReadonlyArray<MetricsConf['kind']> = [
  'avg', 'sum', 'min', 'max', 'value_count', 'cardinality', 'stats', 'extended_stats', 'percentiles', 'percentile_ranks', 'top_hits', 'weighted_avg',
];
export const PIPELINE_KINDS: ReadonlyArray<PipelineConf['kind']> = [
  'bucket_sort', 'cumulative_sum', 'derivative', 'max_bucket', 'min_bucket', 'avg_bucket', 'sum_bucket', 'stats_bucket',
];

export const isBucketConf = (c: AggConf): c is BucketConf => (BUCKET_KINDS as readonly string[]).includes(c.kind);
export const isPipelineConf = (c: AggConf): c is PipelineConf => (PIPELINE_KINDS as readonly string[]).includes(c.kind);
export const isMetricConf = (c: AggConf): c is MetricsConf => !isBucketConf(c) && !isPipelineConf(c);
