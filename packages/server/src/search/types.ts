/**
 * A search request after parsing and validation (search/request.ts), and the Elasticsearch 8
 * response the engine returns. Aggregations stay as their parsed specs (search/aggs/).
 */
import type { QueryNode, Scalar } from '../query/ast.js';
import type { AggSpec } from './aggs/types.js';

export interface SortKey {
  /** A field path, `_score` or `_doc`. */
  field: string;
  order: 'asc' | 'desc';
  /** Where documents without a value go (`_last` by default, for both orders) or the value they take. */
  missing?: '_first' | '_last' | Scalar;
  /** How an array picks its sort value (default: `min` ascending, `max` descending). */
  mode?: 'min' | 'max' | 'sum' | 'avg' | 'median';
  /** Sort as if the field were mapped with this type when it is not (ES `unmapped_type`). */
  unmappedType?: string;
  /** Date format of the returned sort value (`strict_date_optional_time_nanos`, `epoch_millis`). */
  format?: string;
}

/** `_source` filtering: false drops it; patterns may hold `*`. */
export type SourceFilter = boolean | { includes: string[]; excludes: string[] };

export interface HighlightField {
  preTags?: string[];
  postTags?: string[];
  fragmentSize?: number;
  numberOfFragments?: number;
  /** Highlight with this query instead of the search query. */
  highlightQuery?: QueryNode;
  requireFieldMatch?: boolean;
}

export interface HighlightSpec extends HighlightField {
  /** Field patterns (may hold `*`) and their own settings. */
  fields: Array<{ pattern: string } & HighlightField>;
}

export interface SearchRequest {
  query: QueryNode;
  /** Applied to hits after aggregations are computed (ES `post_filter`). */
  postFilter?: QueryNode;
  from: number;
  size: number;
  sort?: SortKey[];
  /** null stands for a document without the sort field, as ES returns in `hit.sort`. */
  searchAfter?: Array<Scalar | null>;
  /** true = exact, false = none, a number = count exactly up to it (default 10,000). */
  trackTotalHits: boolean | number;
  trackScores?: boolean;
  source: SourceFilter;
  /** `fields`: values returned under `hit.fields` as arrays. */
  fields?: string[];
  /** Date formats asked for per `fields` entry (`{"field": "at", "format": "yyyy/MM/dd"}`). */
  fieldFormats?: Record<string, string>;
  highlight?: HighlightSpec;
  minScore?: number;
  terminateAfter?: number;
  aggs?: AggSpec[];
  /** Milliseconds; a search that runs longer returns what it has with `timed_out: true`. */
  timeoutMs?: number;
}

// The search response is the wire contract, typed once, in the SDK (as QueryDSL callers see it).
export type { SearchHit, SearchResponse } from '@infino/sdk';
