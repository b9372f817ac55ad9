/**
 * Static typing of a parsed PromQL expression, the checks Prometheus's parser runs after building
 * its AST (`checkAST` in promql/parser/parse.go), in the same order so the first error reported
 * is the one Prometheus would report. It also settles vector matching the way Prometheus does:
 * kept only between two instant vectors, many-to-many for set operators.
 */
import type { BinaryExpr, Expr, LabelMatcher, ValueType } from './ast.js';
import { parseError } from './parse-errors.js';
import { compileGoRegex } from './parse-regex.js';
import { AGGREGATE_PARAM, FUNCTIONS, arityError } from './signatures.js';

/** Operator offsets of binary expressions (Prometheus reports some errors at the operator). */
export const opStarts = new WeakMap<object, number>();

const bypassEmptyMatcher = new WeakSet<object>();

/** info()'s label-filter argument may select "everything"; Prometheus exempts it. */
export function markBypassEmptyMatcher(e: Expr): void {
  bypassEmptyMatcher.add(e);
}

/** The static type of an expression (Prometheus's `Expr.Type()`). */
export function typeOf(e: Expr): ValueType {
  switch (e.type) {
    case 'number':
      return 'scalar';
    case 'string':
      return 'string';
    case 'vector_selector':
    case 'aggregate':
      return 'vector';
    case 'matrix_selector':
    case 'subquery':
      return 'matrix';
    case 'paren':
    case 'unary':
      return typeOf(e.expr);
    case 'binary':
      return typeOf(e.lhs) === 'scalar' && typeOf(e.rhs) === 'scalar' ? 'scalar' : 'vector';
    case 'call':
      return FUNCTIONS.get(e.func)?.returns ?? 'vector';
  }
}

/** Prometheus's `DocumentedType`: the names its error messages use. */
export function documentedType(t: ValueType): string {
  return t === 'vector' ? 'instant vector' : t === 'matrix' ? 'range vector' : t;
}

const COMPARISONS = new Set(['==', '!=', '>', '<', '>=', '<=']);
const SET_OPS = new Set(['and', 'or', 'unless']);

export function matcherMatchesEmpty(m: LabelMatcher): boolean {
  switch (m.type) {
    case '=':
      return m.value === '';
    case '!=':
      return m.value !== '';
    case '=~':
      return compileGoRegex(m.value).test('');
    case '!~':
      return !compileGoRegex(m.value).test('');
  }
}

export function checkAst(root: Expr, text: string, starts: WeakMap<object, number>): void {
  const failAt = (pos: number, reason: string): never => {
    throw parseError(text, pos, reason);
  };
  const fail = (node: object, reason: string): never => failAt(starts.get(node) ?? 0, reason);
  const expectType = (e: Expr, want: ValueType, context: string) => {
    const t = check(e);
    if (t !== want) fail(e, `expected type ${documentedType(want)} in ${context}, got ${documentedType(t)}`);
  };

  const binary = (n: BinaryExpr) => {
    const lt = check(n.lhs);
    const rt = check(n.rhs);
    const opAt = opStarts.get(n) ?? starts.get(n) ?? 0;
    if (n.returnBool && !COMPARISONS.has(n.op)) failAt(opAt, 'bool modifier can only be used on comparison operators');
    if (COMPARISONS.has(n.op) && !n.returnBool && lt === 'scalar' && rt === 'scalar') {
      failAt(opAt, 'comparisons between scalars must use BOOL modifier');
    }
    const m = n.matching;
    const filled = m?.fillLeft !== undefined || m?.fillRight !== undefined;
    if (m && SET_OPS.has(n.op) && m.card === 'one-to-one') m.card = 'many-to-many';
    if (m?.on) {
      const clash = m.labels.find((l) => m.include.includes(l));
      if (clash !== undefined) failAt(opAt, `label ${JSON.stringify(clash)} must not occur in ON and GROUP clause at once`);
    }
    if (lt !== 'scalar' && lt !== 'vector') fail(n.lhs, 'binary expression must contain only scalar and instant vector types');
    if (rt !== 'scalar' && rt !== 'vector') fail(n.rhs, 'binary expression must contain only scalar and instant vector types');
    if (lt !== 'vector' || rt !== 'vector') {
      if (m && m.labels.length > 0) fail(n, 'vector matching only allowed between instant vectors');
      if (filled) fail(n, 'filling in missing series only allowed between instant vectors');
      delete n.matching;
    } else if (m && SET_OPS.has(n.op)) {
      if (m.card === 'one-to-many' || m.card === 'many-to-one') fail(n, `no grouping allowed for "${n.op}" operation`);
      if (filled) fail(n, 'filling in missing series not allowed for set operators');
    }
    if ((lt === 'scalar' || rt === 'scalar') && SET_OPS.has(n.op)) {
      fail(n, `set operator "${n.op}" not allowed in binary scalar expression`);
    }
  };

  const check = (e: Expr): ValueType => {
    switch (e.type) {
      case 'aggregate':
        expectType(e.expr, 'vector', 'aggregation expression');
        if (e.param) expectType(e.param, AGGREGATE_PARAM[e.op], 'aggregation parameter');
        break;
      case 'binary':
        binary(e);
        break;
      case 'call': {
        const sig = FUNCTIONS.get(e.func);
        if (!sig) return fail(e, `unknown function with name ${JSON.stringify(e.func)}`);
        const n = sig.args.length;
        const name = JSON.stringify(e.func);
        const arity = arityError(sig, e.args.length);
        if (arity) fail(e, arity);
        if (e.func === 'info' && e.args.length > 1) {
          const filter = e.args[1];
          if (typeOf(filter) !== 'vector') fail(e, `expected type instant vector in call to function ${name}, got ${documentedType(typeOf(filter))}`);
          if (filter.type !== 'vector_selector') fail(filter, 'expected label selectors only');
          else if (filter.name) fail(filter, 'expected label selectors only, got vector selector instead');
        }
        e.args.forEach((arg, i) => {
          if (i >= n && sig.variadic === 0) return;
          const want = sig.args[Math.min(i, n - 1)];
          const t = check(arg);
          if (t !== want) fail(arg, `expected type ${documentedType(want)} in call to function ${name}, got ${documentedType(t)}`);
        });
        break;
      }
      case 'paren':
        check(e.expr);
        break;
      case 'unary': {
        const t = check(e.expr);
        if (t !== 'scalar' && t !== 'vector') {
          fail(e, `unary expression only allowed on expressions of type scalar or instant vector, got "${documentedType(t)}"`);
        }
        break;
      }
      case 'subquery': {
        const t = check(e.expr);
        if (t !== 'vector') fail(e, `subquery is only allowed on instant vector, got ${t} instead`);
        break;
      }
      case 'matrix_selector':
        check(e.vector);
        break;
      case 'vector_selector': {
        if (e.name !== undefined) {
          // The last matcher is the name written outside the braces; a second one is an error.
          const inner = e.matchers.slice(0, -1).find((m) => m.name === '__name__');
          if (inner) fail(e, `metric name must not be set twice: ${JSON.stringify(e.name)} or ${JSON.stringify(inner.value)}`);
          break;
        }
        if (!bypassEmptyMatcher.has(e) && e.matchers.every(matcherMatchesEmpty)) {
          fail(e, 'vector selector must contain at least one non-empty matcher');
        }
        break;
      }
      case 'number':
      case 'string':
        break;
    }
    return typeOf(e);
  };

  check(root);
}
