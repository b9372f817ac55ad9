/**
 * Elasticsearch 8 QueryDSL request and search-response types, as `queryDatasetInQuerydsl` sends
 * and receives them. Precise for what Infino implements; every object stays open (`[key: string]`)
 * only where Elasticsearch itself allows per-field keys.
 */
export type FieldValue = string | number | boolean;
export type Boost = { boost?: number; _name?: string };
export type MinimumShouldMatch = number | string;
export type Fuzziness = 'AUTO' | `AUTO:${number},${number}` | 0 | 1 | 2 | '0' | '1' | '2';

/** `{ "<field>": value | {...options} }` — one field per query, as Elasticsearch requires. */
type PerField<T> = { [field: string]: T };

export interface MatchOptions extends Boost {
  query: FieldValue;
  operator?: 'or' | 'and' | 'OR' | 'AND';
  minimum_should_match?: MinimumShouldMatch;
  fuzziness?: Fuzziness;
  prefix_length?: number;
  max_expansions?: number;
  zero_terms_query?: 'none' | 'all';
  lenient?: boolean;
  analyzer?: 'standard';
}

export interface RangeOptions extends Boost {
  gt?: FieldValue;
  gte?: FieldValue;
  lt?: FieldValue;
  lte?: FieldValue;
  format?: string;
  time_zone?: string;
}

export interface QueryStringOptions extends Boost {
  query: string;
  default_field?: string;
  fields?: string[];
  default_operator?: 'OR' | 'AND' | 'or' | 'and';
  allow_leading_wildcard?: boolean;
  analyze_wildcard?: boolean;
  lenient?: boolean;
  minimum_should_match?: MinimumShouldMatch;
  fuzziness?: Fuzziness;
  phrase_slop?: number;
}

export interface BoolQuery extends Boost {
  must?: Query | Query[];
  filter?: Query | Query[];
  should?: Query | Query[];
  must_not?: Query | Query[];
  minimum_should_match?: MinimumShouldMatch;
}

export interface ScoreFunction {
  filter?: Query;
  weight?: number;
  field_value_factor?: {
    field: string;
    factor?: number;
    modifier?: 'none' | 'log' | 'log1p' | 'log2p' | 'ln' | 'ln1p' | 'ln2p' | 'square' | 'sqrt' | 'reciprocal';
    missing?: number;
  };
}

/** One query clause: exactly one of these keys. */
export type Query =
  | { match_all: Boost }
  | { match_none: Record<string, never> }
  | { match: PerField<FieldValue | MatchOptions> }
  | { match_phrase: PerField<string | (Boost & { query: string; slop?: number; zero_terms_query?: 'none' | 'all' })> }
  | { match_phrase_prefix: PerField<string | (Boost & { query: string; slop?: number; max_expansions?: number })> }
  | { match_bool_prefix: PerField<string | (Boost & { query: string; operator?: 'or' | 'and'; minimum_should_match?: MinimumShouldMatch })> }
  | {
      multi_match: Boost & {
        query: FieldValue;
        fields?: string[];
        type?: 'best_fields' | 'most_fields' | 'cross_fields' | 'phrase' | 'phrase_prefix' | 'bool_prefix';
        operator?: 'or' | 'and';
        minimum_should_match?: MinimumShouldMatch;
        tie_breaker?: number;
        fuzziness?: Fuzziness;
        slop?: number;
        lenient?: boolean;
      };
    }
  | { query_string: QueryStringOptions }
  | { simple_query_string: QueryStringOptions & { flags?: string } }
  | { term: PerField<FieldValue | (Boost & { value: FieldValue; case_insensitive?: boolean })> }
  | { terms: PerField<FieldValue[]> & Boost }
  | { terms_set: PerField<{ terms: FieldValue[]; minimum_should_match_field?: string; minimum_should_match?: number }> }
  | { range: PerField<RangeOptions> }
  | { exists: { field: string } & Boost }
  | { prefix: PerField<string | (Boost & { value: string; case_insensitive?: boolean })> }
  | { wildcard: PerField<string | (Boost & { value?: string; wildcard?: string; case_insensitive?: boolean })> }
  | { regexp: PerField<string | (Boost & { value: string; flags?: string; case_insensitive?: boolean })> }
  | { fuzzy: PerField<string | (Boost & { value: string; fuzziness?: Fuzziness; prefix_length?: number; max_expansions?: number; transpositions?: boolean })> }
  | { ids: { values: string[] } & Boost }
  | { bool: BoolQuery }
  | { constant_score: Boost & { filter: Query } }
  | { boosting: { positive: Query; negative: Query; negative_boost: number } & Boost }
  | { dis_max: Boost & { queries: Query[]; tie_breaker?: number } }
  | {
      function_score: Boost & {
        query?: Query;
        functions?: ScoreFunction[];
        score_mode?: 'multiply' | 'sum' | 'avg' | 'first' | 'max' | 'min';
        boost_mode?: 'multiply' | 'replace' | 'sum' | 'avg' | 'max' | 'min';
        max_boost?: number;
        min_score?: number;
      } & Omit<ScoreFunction, 'filter'>;
    };

export type SortOrder = 'asc' | 'desc';
export type SortClause =
  | string
  | { [field: string]: SortOrder | { order?: SortOrder; missing?: '_first' | '_last' | FieldValue; mode?: 'min' | 'max' | 'sum' | 'avg' | 'median'; unmapped_type?: string; format?: string } };

export interface Highlight {
  pre_tags?: string[];
  post_tags?: string[];
  fragment_size?: number;
  number_of_fragments?: number;
  require_field_match?: boolean;
  highlight_query?: Query;
  fields: Record<string, Omit<Highlight, 'fields'>> | Array<Record<string, Omit<Highlight, 'fields'>>>;
}

/** An aggregation request: one type key plus optional sub-aggregations and meta. */
export type Aggregation = { [type: string]: unknown } & { aggs?: Record<string, Aggregation>; aggregations?: Record<string, Aggregation>; meta?: Record<string, unknown> };

export interface SearchRequest {
  query?: Query;
  post_filter?: Query;
  from?: number;
  size?: number;
  sort?: SortClause | SortClause[];
  search_after?: Array<FieldValue | null>;
  track_total_hits?: boolean | number;
  track_scores?: boolean;
  _source?: boolean | string | string[] | { includes?: string[]; excludes?: string[] };
  fields?: Array<string | { field: string; format?: string }>;
  highlight?: Highlight;
  min_score?: number;
  timeout?: string;
  terminate_after?: number;
  explain?: boolean;
  aggs?: Record<string, Aggregation>;
  aggregations?: Record<string, Aggregation>;
}

export interface SearchHit<T = Record<string, unknown>> {
  _index: string;
  _id: string;
  _score: number | null;
  _source?: T;
  fields?: Record<string, unknown[]>;
  highlight?: Record<string, string[]>;
  sort?: Array<FieldValue | null>;
}

/** Common aggregation results; `aggregations` values are one of these (by the request's type). */
export interface Bucket {
  key: FieldValue | Record<string, FieldValue | null>;
  key_as_string?: string;
  doc_count: number;
  [subAggregation: string]: unknown;
}
export interface BucketsAggregate {
  buckets: Bucket[] | Record<string, Bucket>;
  doc_count_error_upper_bound?: number;
  sum_other_doc_count?: number;
  after_key?: Record<string, FieldValue | null>;
}
export interface ValueAggregate {
  value: number | null;
  value_as_string?: string;
}
export interface StatsAggregate {
  count: number;
  min: number | null;
  max: number | null;
  avg: number | null;
  sum: number;
}
export type Aggregate = BucketsAggregate | ValueAggregate | StatsAggregate | Record<string, unknown>;

export interface SearchResponse<T = Record<string, unknown>> {
  took: number;
  timed_out: boolean;
  terminated_early?: boolean;
  _shards: { total: number; successful: number; skipped: number; failed: number };
  hits: {
    total?: { value: number; relation: 'eq' | 'gte' };
    max_score: number | null;
    hits: Array<SearchHit<T>>;
  };
  aggregations?: Record<string, Aggregate>;
}
