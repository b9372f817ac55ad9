/**
 * `simple_query_string` → QueryNode. Follows Lucene's SimpleQueryParser, which Elasticsearch
 * wraps: a forgiving left-to-right scan that never fails — an unmatched quote or parenthesis and
 * a dangling operator are skipped.
 *
 * Operators: `+` AND, `|` OR, `-` NOT (a NOT clause matches every document without the term, so
 * `foo -bar` with the default OR operator means "foo OR NOT bar"), `"phrase"` with `~N` slop,
 * `term*` prefix, `term~N` fuzzy, `( )` precedence, `\` escapes; whitespace separates terms.
 * When the operator changes (`a + b | c`), everything so far becomes one clause of a new bool,
 * so operators bind left to right with no precedence of AND over OR.
 */
import { ApiError } from '../../errors.js';
import type { NodeOf, QueryNode } from '../ast.js';
import type { QueryStringOptions } from './index.js';
import {
  applyMinimumShouldMatch,
  fuzzyNode,
  perField,
  phraseQuery,
  prefixNode,
  targetOf,
  textQuery,
  withBoost,
  type Target,
  type TextSettings,
} from './targets.js';

/** Elasticsearch's SimpleQueryStringFlag values (SLOP is an alias of NEAR). */
const FLAG_VALUES: Record<string, number> = {
  ALL: -1, NONE: 0, AND: 1, NOT: 2, OR: 4, PREFIX: 8, PHRASE: 16, PRECEDENCE: 32, ESCAPE: 64,
  WHITESPACE: 128, FUZZY: 256, NEAR: 512, SLOP: 512,
};
const F = FLAG_VALUES;

/** `"AND|OR|PREFIX"` (case-insensitive) or the numeric form; ALL by default, a negative number is ALL. */
export function resolveFlags(flags: string | number | undefined): number {
  if (typeof flags === 'number') return flags < 0 ? F.ALL : flags;
  if (!flags) return F.ALL;
  let bits = F.NONE;
  for (const name of flags.split('|')) {
    if (name === '') continue;
    const value = FLAG_VALUES[name.toUpperCase()];
    if (value === undefined) throw new ApiError(400, 'illegal_argument_exception', `Unknown simple_query_string flag [${name}]`);
    if (value === F.NONE || value === F.ALL) return value;
    bits |= value;
  }
  return bits;
}

type Occur = 'must' | 'should';

interface State {
  end: number;
  index: number;
  top: QueryNode | null;
  /** The bool at the top once a second clause arrived (the same object as `top`). */
  tree: NodeOf<'bool'> | null;
  current: Occur | null;
  previous: Occur | null;
  /** Count of `-` seen before the next clause; two negate each other. */
  not: number;
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

class SimpleParser {
  constructor(
    private readonly data: string,
    private readonly flags: number,
    private readonly target: Target,
    private readonly settings: TextSettings,
  ) {}

  private on(flag: number): boolean {
    return (this.flags & flag) !== 0;
  }

  parse(start: number, end: number): QueryNode | null {
    const state: State = { end, index: start, top: null, tree: null, current: null, previous: null, not: 0 };
    while (state.index < state.end) {
      const c = this.data[state.index];
      if (c === '(' && this.on(F.PRECEDENCE)) {
        this.subQuery(state);
      } else if (c === ')' && this.on(F.PRECEDENCE)) {
        state.index++; // an unmatched closing parenthesis is ignored
      } else if (c === '"' && this.on(F.PHRASE)) {
        this.phrase(state);
      } else if ((c === '+' && this.on(F.AND)) || (c === '|' && this.on(F.OR))) {
        // An operator applies to the next clause; before the first clause or after another it is ignored.
        if (state.current === null && state.top !== null) state.current = c === '+' ? 'must' : 'should';
        state.index++;
      } else if (c === '-' && this.on(F.NOT)) {
        state.not++;
        state.index++;
        continue; // keep the count for the clause that follows directly
      } else if (WHITESPACE.has(c) && this.on(F.WHITESPACE)) {
        state.index++;
      } else {
        this.token(state);
      }
      state.not = 0;
    }
    return state.top;
  }

  private subQuery(state: State): void {
    const start = ++state.index;
    let depth = 1;
    let escaped = false;
    for (; state.index < state.end; state.index++) {
      const c = this.data[state.index];
      if (escaped) {
        escaped = false;
      } else if (c === '\\' && this.on(F.ESCAPE)) {
        escaped = true;
      } else if (c === '(') {
        depth++;
      } else if (c === ')' && --depth === 0) {
        break;
      }
    }
    if (state.index === state.end) {
      state.index = start; // never closed: the `(` is skipped
    } else if (state.index === start) {
      state.current = null; // `()` drops the operator meant for it
      state.index++;
    } else {
      this.addBranch(state, this.parse(start, state.index));
      state.index++;
    }
  }

  private phrase(state: State): void {
    const start = ++state.index;
    let text = '';
    let escaped = false;
    let hasSlop = false;
    for (; state.index < state.end; state.index++) {
      const c = this.data[state.index];
      if (!escaped && c === '\\' && this.on(F.ESCAPE)) {
        escaped = true;
        continue;
      }
      if (!escaped && c === '"') {
        if (this.data[state.index + 1] === '~' && state.index + 1 < state.end && this.on(F.NEAR)) {
          state.index++;
          hasSlop = state.index + 1 < state.end;
        }
        break;
      }
      escaped = false;
      text += c;
    }
    if (state.index === state.end) {
      state.index = start; // never closed: the `"` is skipped
    } else if (state.index === start) {
      state.current = null; // `""` drops the operator meant for it
      state.index++;
    } else {
      const slop = hasSlop ? this.slop(state) : 0;
      this.addBranch(state, text.trim() === '' ? null : phraseQuery(this.target, text, slop, this.settings));
      state.index++;
    }
  }

  private token(state: State): void {
    let text = '';
    let escaped = false;
    let prefix = false;
    let fuzzy = false;
    for (; state.index < state.end; state.index++) {
      const c = this.data[state.index];
      if (!escaped) {
        if (c === '\\' && this.on(F.ESCAPE)) {
          escaped = true;
          prefix = false;
          continue;
        }
        if (this.finishes(c)) break;
        if (text.length > 0 && c === '~' && this.on(F.FUZZY)) {
          fuzzy = true;
          break;
        }
        // Only an unescaped `*` after at least one character, as the last character, makes a prefix.
        prefix = text.length > 0 && c === '*' && this.on(F.PREFIX);
      }
      escaped = false;
      text += c;
    }
    if (text.length === 0) return;
    if (fuzzy) {
      const edits = Math.min(this.slop(state), 2);
      this.addBranch(state, edits === 0 ? this.text(text) : perField(this.target, (f) => fuzzyNode(f, text, edits), 1));
    } else if (prefix) {
      const value = text.slice(0, -1);
      this.addBranch(state, perField(this.target, (f) => prefixNode(f, value), 1));
    } else {
      this.addBranch(state, this.text(text));
    }
  }

  private text(text: string): QueryNode | null {
    return text.trim() === '' ? null : textQuery(this.target, text, this.settings);
  }

  /** Characters that end a term (each only while its operator is enabled). */
  private finishes(c: string): boolean {
    return (
      (c === '"' && this.on(F.PHRASE)) ||
      (c === '|' && this.on(F.OR)) ||
      (c === '+' && this.on(F.AND)) ||
      ((c === '(' || c === ')') && this.on(F.PRECEDENCE)) ||
      (WHITESPACE.has(c) && this.on(F.WHITESPACE))
    );
  }

  /**
   * The number after `~` (at state.index), read up to the end of the term: empty means 2, an
   * unreadable or negative number 0. Leaves state.index on the character that ended it.
   */
  private slop(state: State): number {
    let spec = '';
    while (++state.index < state.end && !this.finishes(this.data[state.index])) spec += this.data[state.index];
    if (spec === '') return 2;
    const n = /^[+-]?\d+$/.test(spec) ? Number(spec) : 0;
    return Math.max(0, n);
  }

  /** Adds a clause to the tree with the pending operator (or the default one). */
  private addBranch(state: State, branch: QueryNode | null): void {
    if (branch === null) return;
    if (state.not % 2 === 1) {
      branch = { kind: 'bool', must: [], filter: [], should: [{ kind: 'match_all' }], mustNot: [branch] };
    }
    if (state.top === null) {
      state.top = branch;
    } else {
      const occur = state.current ?? (this.settings.operator === 'and' ? 'must' : 'should');
      // A new operator starts a new bool holding everything so far as its first clause.
      if (state.tree === null || state.previous !== occur) {
        state.tree = { kind: 'bool', must: [], filter: [], should: [], mustNot: [] };
        state.tree[occur].push(state.top);
      }
      state.tree[occur].push(branch);
      state.top = state.tree;
      state.previous = occur;
    }
    state.current = null;
  }
}

/** simple_query_string: never throws on the query text (only on an unknown flag name). */
export function parseSimpleQueryString(opts: QueryStringOptions & { flags?: string | number }): QueryNode {
  const fields = opts.fields?.length ? opts.fields : [opts.defaultField ?? '*'];
  const target = targetOf(fields);
  const allFields = target.specs.some((s) => s.name === '*');
  const settings: TextSettings = { operator: opts.defaultOperator ?? 'or', lenient: opts.lenient ?? allFields, multiType: 'most_fields' };
  const parser = new SimpleParser(opts.query, resolveFlags(opts.flags), target, settings);
  const node = parser.parse(0, opts.query.length);
  if (node === null) return { kind: 'match_none' };
  return withBoost(applyMinimumShouldMatch(node, opts.minimumShouldMatch), opts.boost);
}
