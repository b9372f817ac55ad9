/**
 * PromQL's typed AST, our own (the lezer grammar's node names change between versions; only
 * parser.ts knows them). Shapes follow Prometheus's `promql/parser/ast.go`. Durations and
 * timestamps are milliseconds.
 */

export type ValueType = 'scalar' | 'string' | 'vector' | 'matrix';

export type MatchType = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  name: string;
  type: MatchType;
  value: string;
}

/** `@ <time>`, `@ start()`, `@ end()`. */
export type AtModifier = { kind: 'time'; ms: number } | { kind: 'start' } | { kind: 'end' };

export interface VectorSelector {
  type: 'vector_selector';
  /** The metric name as written before `{` (also present in `matchers` as `__name__="…"`). */
  name?: string;
  matchers: LabelMatcher[];
  /** `offset` in ms (negative allowed), 0 when absent. */
  offsetMs: number;
  at?: AtModifier;
  /**
   * Prometheus's experimental extended range selectors. `anchored`: a range window also takes the
   * last sample at or before its start (rate/increase/delta/changes/resets only). `smoothed`: values
   * at the window edges (or at the step, for an instant selector) are interpolated between the
   * neighbouring samples (rate/increase/delta only).
   */
  extension?: 'anchored' | 'smoothed';
}

export interface MatrixSelector {
  type: 'matrix_selector';
  vector: VectorSelector;
  rangeMs: number;
}

export interface SubqueryExpr {
  type: 'subquery';
  expr: Expr;
  rangeMs: number;
  /** Resolution; undefined → the engine's default evaluation interval. */
  stepMs?: number;
  offsetMs: number;
  at?: AtModifier;
}

export interface NumberLiteral {
  type: 'number';
  value: number;
}

export interface StringLiteral {
  type: 'string';
  value: string;
}

export interface ParenExpr {
  type: 'paren';
  expr: Expr;
}

export interface UnaryExpr {
  type: 'unary';
  op: '-' | '+';
  expr: Expr;
}

export type ArithmeticOp = '+' | '-' | '*' | '/' | '%' | '^' | 'atan2';
export type ComparisonOp = '==' | '!=' | '>' | '<' | '>=' | '<=';
export type SetOp = 'and' | 'or' | 'unless';
export type BinaryOp = ArithmeticOp | ComparisonOp | SetOp;

export interface VectorMatching {
  /** 'one-to-one' unless group_left / group_right. Set operators are 'many-to-many'. */
  card: 'one-to-one' | 'many-to-one' | 'one-to-many' | 'many-to-many';
  /** `on(...)` when true, `ignoring(...)` when false. */
  on: boolean;
  labels: string[];
  /** group_left/group_right(extra labels). */
  include: string[];
  /**
   * `fill_left(v)` / `fill_right(v)` (`fill(v)` sets both): the value a missing left / right
   * operand takes, so an unmatched series on the other side still yields a result. Absent = no
   * filling. Under group_right Prometheus applies them to the swapped sides: fill_right fills
   * the "one" side (the left operand) and fill_left the "many" side (the right operand).
   */
  fillLeft?: number;
  fillRight?: number;
}

export interface BinaryExpr {
  type: 'binary';
  op: BinaryOp;
  lhs: Expr;
  rhs: Expr;
  /** `bool` modifier on a comparison. */
  returnBool: boolean;
  /** Present when both sides are vectors (defaults filled in by the parser). */
  matching?: VectorMatching;
}

export type AggregateOp =
  | 'sum'
  | 'avg'
  | 'min'
  | 'max'
  | 'count'
  | 'group'
  | 'stddev'
  | 'stdvar'
  | 'topk'
  | 'bottomk'
  | 'quantile'
  | 'count_values'
  | 'limitk'
  | 'limit_ratio';

export interface AggregateExpr {
  type: 'aggregate';
  op: AggregateOp;
  expr: Expr;
  /** topk/bottomk/quantile/limitk/limit_ratio: a scalar expr; count_values: a string literal. */
  param?: Expr;
  /** `by (...)` when `without` is false, `without (...)` when true; no clause = `by ()`. */
  grouping: string[];
  without: boolean;
}

export interface Call {
  type: 'call';
  /** Function name as in Prometheus (`rate`, `histogram_quantile`, `label_replace`…). */
  func: string;
  args: Expr[];
}

export type Expr =
  | VectorSelector
  | MatrixSelector
  | SubqueryExpr
  | NumberLiteral
  | StringLiteral
  | ParenExpr
  | UnaryExpr
  | BinaryExpr
  | AggregateExpr
  | Call;
