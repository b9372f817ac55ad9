/**
 * The query AST that every query language compiles into (QueryDSL today; visualizations, RBAC
 * filters and Fino later). Parsing (query/parse.ts) is separate from execution (engine/compile.ts),
 * as in Quickwit's quickwit-query. The QueryDSL issue extends this union.
 */
export type Scalar = string | number | boolean;

export type QueryNode =
  | { kind: 'match_all'; boost?: number }
  | { kind: 'match_none' }
  | { kind: 'term'; field: string; value: Scalar; boost?: number }
  | { kind: 'terms'; field: string; values: Scalar[]; boost?: number }
  | { kind: 'ids'; values: string[] }
  | {
      kind: 'range';
      field: string;
      gt?: Scalar;
      gte?: Scalar;
      lt?: Scalar;
      lte?: Scalar;
      format?: string;
      boost?: number;
    }
  | {
      kind: 'bool';
      must: QueryNode[];
      filter: QueryNode[];
      should: QueryNode[];
      mustNot: QueryNode[];
      minimumShouldMatch?: number | string;
      boost?: number;
    };
