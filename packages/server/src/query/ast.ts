/**
 * The query AST that every query language compiles into (QueryDSL, query_string's Lucene syntax;
 * visualizations, RBAC filters and Fino later). Parsing (query/parse*.ts, query/lucene/) is
 * separate from execution (engine/duck/search/), as in Quickwit's quickwit-query.
 *
 * Field names may still hold wildcards (`title*`) only in `multi_match`/`query_string` field
 * lists; the compiler expands them against the mapping. Every node may carry a `boost`.
 */
export type Scalar = string | number | boolean;

/** How many optional clauses must match: ES's `minimum_should_match` spec (`2`, `-1`, `75%`, `3<90%`). */
export type MinimumShouldMatch = number | string;

/** `fuzziness`: `AUTO`, `AUTO:low,high`, or an edit distance 0–2. */
export type Fuzziness = string | number;

export type QueryNode =
  | { kind: 'match_all'; boost?: number }
  | { kind: 'match_none' }
  | { kind: 'term'; field: string; value: Scalar; caseInsensitive?: boolean; boost?: number }
  | { kind: 'terms'; field: string; values: Scalar[]; boost?: number }
  /** `terms_set`: at least N of `values` must match, N from a field or a fixed number. */
  | { kind: 'terms_set'; field: string; values: Scalar[]; minimumShouldMatchField?: string; minimumShouldMatch?: number; boost?: number }
  | { kind: 'ids'; values: string[]; boost?: number }
  | {
      kind: 'range';
      field: string;
      gt?: Scalar;
      gte?: Scalar;
      lt?: Scalar;
      lte?: Scalar;
      format?: string;
      timeZone?: string;
      boost?: number;
    }
  | { kind: 'exists'; field: string; boost?: number }
  | { kind: 'prefix'; field: string; value: string; caseInsensitive?: boolean; boost?: number }
  /** Lucene wildcard: `*` any run, `?` one character, `\` escapes. */
  | { kind: 'wildcard'; field: string; value: string; caseInsensitive?: boolean; boost?: number }
  /** Lucene regular expression (always anchored to the whole term). */
  | { kind: 'regexp'; field: string; value: string; caseInsensitive?: boolean; boost?: number }
  | { kind: 'fuzzy'; field: string; value: string; fuzziness?: Fuzziness; prefixLength?: number; maxExpansions?: number; transpositions?: boolean; boost?: number }
  /**
   * Full text on one field. `query` is analysed with the field's analyser; on keyword, numeric,
   * date and boolean fields it is a single term, as in Elasticsearch.
   */
  | {
      kind: 'match';
      field: string;
      query: Scalar;
      operator?: 'or' | 'and';
      minimumShouldMatch?: MinimumShouldMatch;
      fuzziness?: Fuzziness;
      prefixLength?: number;
      maxExpansions?: number;
      zeroTermsQuery?: 'none' | 'all';
      lenient?: boolean;
      boost?: number;
    }
  | { kind: 'match_phrase'; field: string; query: string; slop?: number; zeroTermsQuery?: 'none' | 'all'; boost?: number }
  | { kind: 'match_phrase_prefix'; field: string; query: string; slop?: number; maxExpansions?: number; boost?: number }
  | { kind: 'match_bool_prefix'; field: string; query: string; operator?: 'or' | 'and'; minimumShouldMatch?: MinimumShouldMatch; boost?: number }
  | {
      kind: 'multi_match';
      /** Field patterns, each optionally boosted: `title^3`, `*_name`. Empty = the index's default fields (`*`). */
      fields: string[];
      query: Scalar;
      type?: 'best_fields' | 'most_fields' | 'cross_fields' | 'phrase' | 'phrase_prefix' | 'bool_prefix';
      operator?: 'or' | 'and';
      minimumShouldMatch?: MinimumShouldMatch;
      tieBreaker?: number;
      slop?: number;
      fuzziness?: Fuzziness;
      lenient?: boolean;
      zeroTermsQuery?: 'none' | 'all';
      boost?: number;
    }
  | {
      kind: 'bool';
      must: QueryNode[];
      filter: QueryNode[];
      should: QueryNode[];
      mustNot: QueryNode[];
      minimumShouldMatch?: MinimumShouldMatch;
      boost?: number;
    }
  | { kind: 'constant_score'; filter: QueryNode; boost?: number }
  | { kind: 'boosting'; positive: QueryNode; negative: QueryNode; negativeBoost: number; boost?: number }
  | { kind: 'dis_max'; queries: QueryNode[]; tieBreaker?: number; boost?: number }
  | {
      kind: 'function_score';
      query: QueryNode;
      functions: ScoreFunction[];
      scoreMode?: 'multiply' | 'sum' | 'avg' | 'first' | 'max' | 'min';
      boostMode?: 'multiply' | 'replace' | 'sum' | 'avg' | 'max' | 'min';
      maxBoost?: number;
      minScore?: number;
      boost?: number;
    };

export interface ScoreFunction {
  filter?: QueryNode;
  weight?: number;
  fieldValueFactor?: {
    field: string;
    factor?: number;
    modifier?: 'none' | 'log' | 'log1p' | 'log2p' | 'ln' | 'ln1p' | 'ln2p' | 'square' | 'sqrt' | 'reciprocal';
    missing?: number;
  };
}

export type QueryKind = QueryNode['kind'];
export type NodeOf<K extends QueryKind> = Extract<QueryNode, { kind: K }>;
