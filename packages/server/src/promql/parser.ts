/**
 * PromQL text → our AST (ast.ts), on top of Prometheus's own lezer grammar
 * (`@prometheus-io/lezer-promql`). The lezer grammar is built for editors: it recovers from
 * errors, and it gives postfix modifiers (`offset`, `@`, `[range]`, `[range:step]`) no precedence
 * over binary operators, so `a + b offset 5m` comes back as `(a + b) offset 5m` and `-2 ^ 2` as
 * `(-2) ^ 2`. This walker restores Prometheus's yacc precedence (postfix modifiers bind tightest,
 * then `^`, then unary minus), applies the checks Prometheus's grammar actions make, and then
 * type-checks the result (parse-check.ts). Every problem is a `PromqlError('bad_data',
 * '<line>:<col>: parse error: …')`, worded like Prometheus where we know its wording.
 */
import { parser as lezer } from '@prometheus-io/lezer-promql';
import type {
  AggregateOp,
  AtModifier,
  BinaryExpr,
  BinaryOp,
  Expr,
  LabelMatcher,
  MatchType,
  VectorMatching,
  VectorSelector,
} from './ast.js';
import { checkAst, markBypassEmptyMatcher, opStarts } from './parse-check.js';
import { describeSyntaxError, parseError } from './parse-errors.js';
import {
  LiteralError,
  MAX_DURATION_MS,
  parseDurationMs,
  parseNumber,
  unquoteString,
} from './parse-literals.js';
import { compileGoRegex } from './parse-regex.js';
import { FUNCTIONS } from './signatures.js';

type SyntaxNode = ReturnType<typeof lezer.parse>['topNode'];

const BINARY_OPS: Record<string, BinaryOp> = {
  Pow: '^',
  Mul: '*',
  Div: '/',
  Mod: '%',
  Atan2: 'atan2',
  Add: '+',
  Sub: '-',
  Eql: '==',
  Neq: '!=',
  Gtr: '>',
  Lss: '<',
  Gte: '>=',
  Lte: '<=',
  And: 'and',
  Or: 'or',
  Unless: 'unless',
};

const MATCH_OPS: Record<string, MatchType> = { EqlSingle: '=', Neq: '!=', EqlRegex: '=~', NeqRegex: '!~' };

/** A postfix modifier waiting to be applied to the primary expression it belongs to. */
type Postfix =
  | { kind: 'range'; node: SyntaxNode; bracket: number }
  | { kind: 'subquery'; range: SyntaxNode; step?: SyntaxNode }
  | { kind: 'offset'; node: SyntaxNode }
  | { kind: 'at'; node: SyntaxNode }
  | { kind: 'anchored' | 'smoothed' };

function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

function firstError(node: SyntaxNode): SyntaxNode | undefined {
  let found: SyntaxNode | undefined;
  node.cursor().iterate((n) => {
    if (found) return false;
    if (n.type.isError) {
      found = n.node;
      return false;
    }
    return undefined;
  });
  return found;
}

/**
 * The query's evaluation range. Prometheus resolves `start()`, `end()`, `range()`, `step()` (as
 * calls and inside duration expressions like `[step() * 2]`) before evaluating; we fold them at
 * parse time instead, so the AST stays plain numbers. Instant queries: start = end, step 0.
 */
export interface QueryContext {
  startMs: number;
  endMs: number;
  stepMs: number;
}

const QUERY_CONTEXT_FUNCTIONS = new Set(['start', 'end', 'range', 'step']);

class Walker {
  /** Start offset of every node we build, for Prometheus-style error positions. */
  readonly starts = new WeakMap<object, number>();

  constructor(
    readonly text: string,
    readonly ctx: QueryContext | undefined,
  ) {}

  /** Seconds for start()/end()/range()/step(). */
  contextValue(name: string, at: number): number {
    const ctx = this.ctx;
    if (!ctx) return this.fail(at, `${name}() needs the query's time range, which is not known here`);
    const ms = name === 'start' ? ctx.startMs : name === 'end' ? ctx.endMs : name === 'step' ? ctx.stepMs : ctx.endMs - ctx.startMs;
    return ms / 1000;
  }

  src(n: SyntaxNode): string {
    return this.text.slice(n.from, n.to);
  }

  fail(at: number, reason: string): never {
    throw parseError(this.text, at, reason);
  }

  at<T extends object>(e: T, start: number): T {
    this.starts.set(e, start);
    return e;
  }

  /** Runs a literal parser, turning its error into a parse error at `at`. */
  literal<T>(at: number, f: () => T): T {
    try {
      return f();
    } catch (err) {
      if (err instanceof LiteralError) this.fail(at, err.message);
      throw err;
    }
  }

  /** Converts `node`; `post` are modifiers (innermost first) that bind to its rightmost primary. */
  expr(node: SyntaxNode, post: Postfix[] = []): Expr {
    const kids = children(node);
    switch (node.name) {
      case 'PromQL':
        return this.expr(kids[0], post);
      case 'MatrixSelector':
        return this.expr(kids[0], [{ kind: 'range', node: kids[1], bracket: this.text.indexOf('[', kids[0].to) }, ...post]);
      case 'SubqueryExpr':
        return this.expr(kids[0], [{ kind: 'subquery', range: kids[1], step: kids[2] }, ...post]);
      case 'OffsetExpr':
        return this.expr(kids[0], [{ kind: 'offset', node: kids[2] }, ...post]);
      case 'StepInvariantExpr':
        return this.expr(kids[0], [{ kind: 'at', node: kids[2] }, ...post]);
      case 'AnchoredExpr':
        return this.expr(kids[0], [{ kind: 'anchored' }, ...post]);
      case 'SmoothedExpr':
        return this.expr(kids[0], [{ kind: 'smoothed' }, ...post]);
      case 'BinaryExpr':
        return this.binary(node, kids, post);
      case 'UnaryExpr':
        return this.unary(this.src(kids[0]) as '-' | '+', node.from, kids[1], post);
      case 'NumberDurationLiteral': {
        const t = this.src(node);
        // A signed literal is a unary minus/plus in Prometheus's grammar; modifiers bind inside it.
        if (post.length > 0 && /^[-+]/.test(t)) return this.unary(t[0] as '-' | '+', node.from, undefined, post, node);
        return this.postfix(this.number(node), post);
      }
      default:
        return this.postfix(this.primary(node, kids), post);
    }
  }

  number(node: SyntaxNode, from = node.from): Expr {
    const value = this.literal(node.from, () => parseNumber(this.text.slice(from, node.to)));
    return this.at({ type: 'number', value }, node.from);
  }

  /** `-x`, folding `-<number>` into the literal like Prometheus. `literal` = a signed number token. */
  unary(op: '-' | '+', start: number, operand: SyntaxNode | undefined, post: Postfix[], literal?: SyntaxNode): Expr {
    const inner = literal ? this.postfix(this.number(literal, literal.from + 1), post) : this.expr(operand!, post);
    if (inner.type === 'number') {
      if (op === '-') inner.value = -inner.value;
      return this.at(inner, start);
    }
    return this.at({ type: 'unary', op, expr: inner }, start);
  }

  binary(node: SyntaxNode, kids: SyntaxNode[], post: Postfix[]): Expr {
    const lhsNode = kids[0];
    const opNode = kids[1];
    if (opNode.name === 'TrimUpper' || opNode.name === 'TrimLower') {
      this.fail(opNode.from, `histogram trim operator "${this.src(opNode)}" is not supported`);
    }
    const op = BINARY_OPS[opNode.name];
    if (!op) this.fail(opNode.from, `unexpected ${this.src(opNode)}`);
    // `-2 ^ 2` is `-(2 ^ 2)` in Prometheus (unary minus binds looser than `^`); lezer lexes `-2`
    // as one signed literal, so rebuild the unary around the power.
    if (op === '^') {
      const lhsText = lhsNode.name === 'NumberDurationLiteral' ? this.src(lhsNode) : '';
      if (/^[-+]/.test(lhsText) || lhsNode.name === 'UnaryExpr') {
        const sign = (lhsNode.name === 'UnaryExpr' ? this.src(lhsNode.firstChild!) : lhsText[0]) as '-' | '+';
        const base =
          lhsNode.name === 'UnaryExpr' ? this.expr(lhsNode.lastChild!) : this.number(lhsNode, lhsNode.from + 1);
        const pow = this.finishBinary(node, kids, base, post);
        return this.at({ type: 'unary', op: sign, expr: pow }, lhsNode.from);
      }
    }
    return this.finishBinary(node, kids, this.expr(lhsNode), post);
  }

  finishBinary(node: SyntaxNode, kids: SyntaxNode[], lhs: Expr, post: Postfix[]): Expr {
    const opNode = kids[1];
    const op = BINARY_OPS[opNode.name];
    let returnBool = false;
    const matching: VectorMatching = {
      card: op === 'and' || op === 'or' || op === 'unless' ? 'many-to-many' : 'one-to-one',
      on: false,
      labels: [],
      include: [],
    };
    for (const k of kids.slice(2, -1)) {
      if (k.name === 'BoolModifier') returnBool = true;
      else if (k.name === 'FillModifier') this.fill(k, matching);
      else if (k.name === 'MatchingModifierClause') {
        for (const m of children(k)) {
          if (m.name === 'On') matching.on = true;
          else if (m.name === 'GroupLeft') matching.card = 'many-to-one';
          else if (m.name === 'GroupRight') matching.card = 'one-to-many';
          else if (m.name === 'GroupingLabels') {
            if (m.prevSibling?.name === 'On' || m.prevSibling?.name === 'Ignoring') matching.labels = this.grouping(m);
            else matching.include = this.grouping(m);
          }
        }
      }
    }
    const rhs = this.expr(kids[kids.length - 1], post);
    const bin: BinaryExpr = { type: 'binary', op, lhs, rhs, returnBool, matching };
    this.at(bin, this.starts.get(lhs) ?? node.from);
    opStarts.set(bin, opNode.from);
    return bin;
  }

  /** `fill(v)`, `fill_left(v)`, `fill_right(v)`; the grammar allows each side at most once. */
  fill(node: SyntaxNode, matching: VectorMatching): void {
    for (const clause of children(node)) {
      const literal = clause.lastChild!;
      const value = this.literal(literal.from, () => parseNumber(this.src(literal)));
      if (clause.name !== 'FillRightClause') matching.fillLeft = value;
      if (clause.name !== 'FillLeftClause') matching.fillRight = value;
    }
  }

  grouping(node: SyntaxNode): string[] {
    return children(node).map((l) =>
      l.name === 'QuotedLabelName' ? this.string(l.firstChild ?? l) : this.src(l),
    );
  }

  string(node: SyntaxNode): string {
    return this.literal(node.from, () => unquoteString(this.src(node)));
  }

  primary(node: SyntaxNode, kids: SyntaxNode[]): Expr {
    switch (node.name) {
      case 'ParenExpr':
        return this.at({ type: 'paren', expr: this.expr(kids[0]) }, node.from);
      case 'StringLiteral':
        return this.at({ type: 'string', value: this.string(node) }, node.from);
      case 'VectorSelector':
        return this.vectorSelector(node, kids);
      case 'AggregateExpr':
        return this.aggregate(node, kids);
      case 'FunctionCall':
        return this.call(node, kids);
      default:
        return this.fail(node.from, `unexpected ${this.src(node)}`);
    }
  }

  vectorSelector(node: SyntaxNode, kids: SyntaxNode[]): VectorSelector {
    const ident = kids.find((k) => k.name === 'Identifier');
    const braces = kids.find((k) => k.name === 'LabelMatchers');
    const matchers: LabelMatcher[] = [];
    for (const m of braces ? children(braces) : []) {
      if (m.name === 'QuotedLabelName') {
        // `{"metric.name"}`: a bare quoted string inside braces names the metric.
        matchers.push({ name: '__name__', type: '=', value: this.string(m.firstChild ?? m) });
        continue;
      }
      const [label, opNode, valueNode] = children(m);
      const name = m.name === 'QuotedLabelMatcher' ? this.string(label.firstChild ?? label) : this.src(label);
      const type = MATCH_OPS[opNode.firstChild?.name ?? ''];
      const value = this.string(valueNode);
      if (type === '=~' || type === '!~') this.literal(label.from, () => compileGoRegex(value));
      matchers.push({ name, type, value });
    }
    const vs: VectorSelector = { type: 'vector_selector', matchers, offsetMs: 0 };
    if (ident) {
      vs.name = this.src(ident);
      matchers.push({ name: '__name__', type: '=', value: vs.name });
    }
    return this.at(vs, node.from);
  }

  aggregate(node: SyntaxNode, kids: SyntaxNode[]): Expr {
    const op = this.src(kids[0]).toLowerCase() as AggregateOp;
    const modifier = kids.find((k) => k.name === 'AggregateModifier');
    const body = kids.find((k) => k.name === 'FunctionCallBody')!;
    const args = children(body).map((a) => this.expr(a));
    const withParam = ['topk', 'bottomk', 'quantile', 'count_values', 'limitk', 'limit_ratio'].includes(op);
    if (args.length === 0) this.fail(node.from, 'no arguments for aggregate expression provided');
    const want = withParam ? 2 : 1;
    if (args.length !== want) {
      this.fail(node.from, `wrong number of arguments for aggregate expression provided, expected ${want}, got ${args.length}`);
    }
    const without = modifier?.firstChild?.name === 'Without';
    const labels = modifier ? this.grouping(modifier.lastChild!) : [];
    const agg: Expr = { type: 'aggregate', op, expr: args[want - 1], grouping: labels, without };
    if (withParam) agg.param = args[0];
    return this.at(agg, node.from);
  }

  call(node: SyntaxNode, kids: SyntaxNode[]): Expr {
    const name = this.src(kids[0]);
    const args = children(kids[1]).map((a) => this.expr(a));
    if (QUERY_CONTEXT_FUNCTIONS.has(name)) {
      if (args.length !== 0) this.fail(node.from, `expected 0 argument(s) in call to "${name}", got ${args.length}`);
      return this.at({ type: 'number', value: this.contextValue(name, node.from) }, node.from);
    }
    if (!FUNCTIONS.has(name)) this.fail(node.from, `unknown function with name ${JSON.stringify(name)}`);
    const call: Expr = { type: 'call', func: name, args };
    // info()'s second argument is a label filter, exempt from the non-empty-matcher rule.
    if (name === 'info' && args[1]?.type === 'vector_selector') markBypassEmptyMatcher(args[1]);
    return this.at(call, node.from);
  }

  /** Applies modifiers to a primary expression, with the checks of Prometheus's grammar actions. */
  postfix(e: Expr, post: Postfix[]): Expr {
    const start = this.starts.get(e) ?? 0;
    for (const p of post) {
      switch (p.kind) {
        case 'range': {
          if (e.type !== 'vector_selector') this.fail(p.bracket, 'ranges only allowed for vector selectors');
          if (e.offsetMs !== 0) this.fail(p.bracket, 'no offset modifiers allowed before range');
          if (e.at) this.fail(p.bracket, 'no @ modifiers allowed before range');
          e = this.at({ type: 'matrix_selector', vector: e, rangeMs: this.positiveDuration(p.node) }, start);
          break;
        }
        case 'subquery': {
          const rangeMs = this.positiveDuration(p.range);
          const sq: Expr = { type: 'subquery', expr: e, rangeMs, offsetMs: 0 };
          if (p.step) sq.stepMs = this.positiveDuration(p.step);
          e = this.at(sq, start);
          break;
        }
        case 'offset': {
          const target = e.type === 'matrix_selector' ? e.vector : e;
          if (target.type !== 'vector_selector' && target.type !== 'subquery') {
            this.fail(start, 'offset modifier must be preceded by an instant vector selector or range vector selector or a subquery');
          }
          if (target.offsetMs !== 0) this.fail(start, 'offset may not be set multiple times');
          target.offsetMs = this.duration(p.node);
          break;
        }
        case 'at': {
          const target = e.type === 'matrix_selector' ? e.vector : e;
          if (target.type !== 'vector_selector' && target.type !== 'subquery') {
            this.fail(start, '@ modifier must be preceded by an instant vector selector or range vector selector or a subquery');
          }
          if (target.at) this.fail(start, '@ <timestamp> may not be set multiple times');
          target.at = this.atModifier(p.node, start);
          break;
        }
        default: {
          // Prometheus's setAnchored/setSmoothed: they land on the (range) vector selector.
          if (e.type === 'subquery') this.fail(start, `${p.kind} modifier is not supported for subqueries`);
          const target = e.type === 'matrix_selector' ? e.vector : e;
          if (target.type !== 'vector_selector') this.fail(start, `${p.kind} modifier not implemented`);
          if (target.extension && target.extension !== p.kind) this.fail(start, 'anchored and smoothed modifiers cannot be used together');
          target.extension = p.kind;
        }
      }
    }
    return e;
  }

  atModifier(node: SyntaxNode, start: number): AtModifier {
    if (node.name === 'AtModifierPreprocessors') return { kind: node.firstChild?.name === 'AtStart' ? 'start' : 'end' };
    const ts = this.literal(node.from, () => parseNumber(this.src(node)));
    if (!Number.isFinite(ts) || Math.abs(ts) >= 2 ** 63) {
      this.fail(start, `timestamp out of bounds for @ modifier: ${Number.isNaN(ts) ? 'NaN' : ts > 0 ? '+Inf' : '-Inf'}`);
    }
    return { kind: 'time', ms: Math.round(ts * 1000) };
  }

  positiveDuration(node: SyntaxNode): number {
    const ms = this.duration(node);
    if (!(ms > 0)) this.fail(node.from, 'duration must be greater than 0');
    return ms;
  }

  /** A duration expression in ms; constant arithmetic (`[1h+5m]`, `min_of(…)`) is folded here. */
  duration(node: SyntaxNode): number {
    const ms = Math.round(this.durationSeconds(node) * 1000);
    if (!Number.isFinite(ms) || Math.abs(ms) > MAX_DURATION_MS) this.fail(node.from, 'duration out of range');
    return ms;
  }

  durationSeconds(node: SyntaxNode): number {
    const kids = children(node);
    const first = kids[0];
    if (!first) this.fail(node.from, 'expected number literal or duration expression');
    switch (first.name) {
      case 'NumberDurationLiteralInDurationContext': {
        const text = this.src(first);
        const sec = this.literal(first.from, () => parseNumber(text));
        if (/[a-z]$/.test(text)) this.literal(first.from, () => parseDurationMs(text));
        if (Math.abs(sec * 1000) > MAX_DURATION_MS) this.fail(first.from, 'duration out of range');
        return sec;
      }
      case 'UnaryOp': {
        const v = this.durationSeconds(kids[1]);
        return this.src(first) === '-' ? -v : v;
      }
      case 'DurationMinOf':
      case 'DurationMaxOf': {
        const a = this.durationSeconds(kids[1]);
        const b = this.durationSeconds(kids[2]);
        return first.name === 'DurationMinOf' ? Math.min(a, b) : Math.max(a, b);
      }
      case 'DurationStep':
      case 'DurationRange':
        return this.contextValue(this.src(first).toLowerCase(), first.from);
      case 'DurationExpr':
      case 'OffsetDurationExpr': {
        if (kids.length === 1) return this.durationSeconds(first);
        const a = this.durationSeconds(first);
        const b = this.durationSeconds(kids[2]);
        switch (kids[1].name) {
          case 'Add':
            return a + b;
          case 'Sub':
            return a - b;
          case 'Mul':
            return a * b;
          case 'Div':
            if (b === 0) this.fail(kids[1].from, 'division by zero');
            return a / b;
          case 'Mod':
            if (b === 0) this.fail(kids[1].from, 'modulo by zero');
            return a % b;
          case 'Pow':
            return a ** b;
        }
      }
    }
    return this.fail(first.from, `unexpected ${this.src(first)} in duration expression`);
  }
}

/**
 * Same-length rewrites of spellings Prometheus accepts and the lezer grammar does not: numbers
 * with a trailing dot (`1.`, `5./6.`), `0X` hex prefixes, upper-case `STEP()`/`RANGE()`/`MIN_OF(`/`MAX_OF(`
 * (keywords are case-insensitive in Prometheus's lexer), and `min_of(`/`max_of(` as ordinary
 * scalar functions outside duration expressions (lezer only knows them inside `[…]` and after
 * `offset`): they become `vector(`, which lezer parses as a call; the walker reads the real name
 * from the original text. Strings and comments are left alone; offsets do not move, so error
 * positions still point into the user's text.
 */
function normalizeForLezer(text: string): string {
  const out = text.split('');
  let i = 0;
  let brackets = 0;
  let parens = 0;
  // After `offset`: a duration expression follows, either one (signed) term or a parenthesised group.
  let afterOffset = false;
  let offsetParens = -1;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const inDuration: boolean = brackets > 0 || afterOffset || offsetParens >= 0;
    if (c === '(') {
      if (afterOffset && offsetParens < 0) offsetParens = parens;
      parens++;
      afterOffset = false;
      i++;
      continue;
    }
    if (c === ')') {
      parens--;
      if (parens === offsetParens) offsetParens = -1;
      afterOffset = false;
      i++;
      continue;
    }
    if (c === '[') brackets++;
    if (c === ']') brackets = Math.max(0, brackets - 1);
    if (afterOffset && c !== '-' && c !== '+') afterOffset = false;
    if (c === '"' || c === "'" || c === '`') {
      i++;
      while (i < text.length && text[i] !== c) i += c !== '`' && text[i] === '\\' ? 2 : 1;
      i++;
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (/[a-zA-Z_:]/.test(c)) {
      const word = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(text.slice(i))![0];
      const lower = word.toLowerCase();
      const call = /^\s*\(/.test(text.slice(i + word.length));
      if (lower !== word && /^(step|range|min_of|max_of)$/.test(lower) && call) {
        for (let k = 0; k < word.length; k++) out[i + k] = lower[k];
      }
      if (!inDuration && call && (word === 'min_of' || word === 'max_of')) {
        for (let k = 0; k < word.length; k++) out[i + k] = 'vector'[k];
      }
      // A duration function's arguments stay in the duration context, like `offset`'s group.
      afterOffset = lower === 'offset' || (inDuration && call && (lower === 'min_of' || lower === 'max_of'));
      i += word.length;
    } else if (/[0-9]/.test(c)) {
      const num = /^(0[xX][0-9a-fA-F_]+|[0-9][0-9_]*(\.[0-9_]*)?([eE][+-]?[0-9]+)?)/.exec(text.slice(i))![0];
      const after = text[i + num.length] ?? '';
      if (num.endsWith('.') && !/[a-zA-Z0-9_.]/.test(after)) out[i + num.length - 1] = ' ';
      if (num[1] === 'X') out[i + 1] = 'x';
      i += num.length;
    } else i++;
  }
  return out.join('');
}

/**
 * Parses a PromQL expression the way Prometheus 3.x does (without native-histogram literals).
 * `ctx` resolves `start()`/`end()`/`range()`/`step()`; without it they are errors.
 */
export function parsePromql(text: string, ctx?: QueryContext): Expr {
  const tree = lezer.parse(normalizeForLezer(text));
  const knownFunction = (name: string) => FUNCTIONS.has(name);
  const err = firstError(tree.topNode);
  if (err || !tree.topNode.firstChild) throw describeSyntaxError(text, err?.from ?? 0, knownFunction);
  const walker = new Walker(text, ctx);
  const expr = walker.expr(tree.topNode);
  checkAst(expr, text, walker.starts);
  return expr;
}
