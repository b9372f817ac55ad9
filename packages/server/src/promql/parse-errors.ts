/**
 * Positioned parse errors in Prometheus's shape (`<line>:<col>: parse error: <reason>`), and the
 * translation of lezer's error recovery (`⚠` nodes) into Prometheus-like "unexpected …" reasons.
 * Lezer never fails, it recovers; so we look at the first error node and describe the token found
 * there the way Prometheus's lexer/parser would (`<op:*>`, `identifier "x"`, `end of input`…).
 */
import { PromqlError } from './errors.js';

/** Prometheus's position: 1-based line, column counted in bytes from the line start (1-based). */
export function positionOf(text: string, index: number): string {
  const before = text.slice(0, Math.max(0, Math.min(index, text.length)));
  const lines = before.split('\n');
  const col = Buffer.byteLength(lines[lines.length - 1], 'utf8') + 1;
  return `${lines.length}:${col}`;
}

export function parseError(text: string, index: number, reason: string): PromqlError {
  return new PromqlError('bad_data', `${positionOf(text, index)}: parse error: ${reason}`);
}

const KEYWORDS = new Set([
  'by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'offset', 'bool', 'start', 'end',
]);
const AGGREGATORS = new Set([
  'sum', 'avg', 'min', 'max', 'count', 'group', 'stddev', 'stdvar', 'topk', 'bottomk', 'quantile',
  'count_values', 'limitk', 'limit_ratio',
]);
const WORD_OPERATORS = new Set(['and', 'or', 'unless', 'atan2']);
const SYMBOL_OPERATORS = ['==', '!=', '>=', '<=', '=~', '!~', '+', '-', '*', '/', '%', '^', '>', '<', '=', '@'];

function skipSpace(text: string, i: number): number {
  for (;;) {
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text[i] !== '#') return i;
    while (i < text.length && text[i] !== '\n') i++;
  }
}

/** What Prometheus would call the token starting at `i` (its `Item.desc()`). */
function describeToken(text: string, i: number): string {
  if (i >= text.length) return 'end of input';
  const rest = text.slice(i);
  const word = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(rest)?.[0];
  if (word) {
    const lower = word.toLowerCase();
    if (WORD_OPERATORS.has(lower)) return `<op:${word}>`;
    if (AGGREGATORS.has(lower)) return `<aggr:${word}>`;
    if (KEYWORDS.has(lower)) return `<${word}>`;
    if (lower === 'inf' || lower === 'nan') return `number "${word}"`;
    return `identifier ${JSON.stringify(word)}`;
  }
  const num = /^(0[xX][0-9a-fA-F_]+|(\d[\d_]*(\.\d*)?|\.\d+)([eE][+-]?\d+)?([a-z]+\d*)*)/.exec(rest)?.[0];
  if (num) return `${/[a-df-wyz]/.test(num.replace(/^0[xX].*/, '')) ? 'duration' : 'number'} ${JSON.stringify(num)}`;
  if (rest[0] === '"' || rest[0] === "'" || rest[0] === '`') {
    const end = rest.indexOf(rest[0], 1);
    const s = end < 0 ? rest : rest.slice(0, end + 1);
    return `string ${JSON.stringify(s.length > 10 ? s.slice(0, 10) : s)}${s.length > 10 ? '...' : ''}`;
  }
  const op = SYMBOL_OPERATORS.find((o) => rest.startsWith(o));
  if (op) return `<op:${op}>`;
  return JSON.stringify(rest[0]);
}

/**
 * Lexer-level problems Prometheus reports before any grammar error: unbalanced parentheses,
 * unterminated strings, unclosed braces/brackets. Returns the first one found before `limit`.
 */
function lexicalProblem(text: string, limit: number): { at: number; reason: string } | undefined {
  const stack: { ch: string; at: number }[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      const start = i;
      i++;
      while (i < text.length && text[i] !== c && (c === '`' || text[i] !== '\n')) i += c !== '`' && text[i] === '\\' ? 2 : 1;
      if (i >= text.length || text[i] !== c) return { at: start, reason: 'unterminated quoted string' };
      i++;
      continue;
    }
    if (c === '(' || c === '{' || c === '[') stack.push({ ch: c, at: i });
    else if (c === ')' || c === '}' || c === ']') {
      const open = { ')': '(', '}': '{', ']': '[' }[c];
      const top = stack[stack.length - 1];
      if (!top || top.ch !== open) {
        if (i > limit) return undefined;
        if (c === ')') return { at: i, reason: "unexpected right parenthesis ')'" };
        if (c === ']') return { at: i, reason: "unexpected right bracket ']'" };
        return { at: i, reason: "unexpected character: '}'" };
      }
      stack.pop();
    }
    i++;
  }
  const top = stack[stack.length - 1];
  if (!top) return undefined;
  if (top.ch === '(') return { at: text.length, reason: 'unclosed left parenthesis' };
  if (top.ch === '[') return { at: text.length, reason: 'unclosed left bracket' };
  return { at: text.length, reason: 'unexpected end of input inside braces' };
}

/**
 * The reason for lezer's first error node at `at`. `knownFunction` tells an unknown function
 * name (`foo(x)`) from a syntax error.
 */
export function describeSyntaxError(
  text: string,
  at: number,
  knownFunction: (name: string) => boolean,
): PromqlError {
  const pos = skipSpace(text, at);
  const lexical = lexicalProblem(text, pos);
  if (lexical && (lexical.at <= pos || lexical.at >= text.length)) return parseError(text, lexical.at, lexical.reason);
  // `name(` where name is no function: Prometheus names the function.
  if (text[pos] === '(') {
    const m = /([a-zA-Z_:][a-zA-Z0-9_:]*)\s*$/.exec(text.slice(0, pos));
    // Followed by `(`, these are binop fill keywords to Prometheus's lexer, not a function name.
    if (m && /^fill(_left|_right)?$/i.test(m[1])) return parseError(text, pos - m[0].length, `unexpected <${m[1]}>`);
    if (m && !knownFunction(m[1]) && !/^(by|without|on|ignoring|group_left|group_right|bool)$/i.test(m[1])) {
      return parseError(text, pos - m[0].length, `unknown function with name ${JSON.stringify(m[1])}`);
    }
  }
  if (text[pos] === ')' && /,\s*$/.test(text.slice(0, pos))) {
    return parseError(text, pos, 'trailing commas not allowed in function call args');
  }
  if (/^\s*(#.*)?$/.test(text.replace(/\n/g, ' '))) return parseError(text, pos, 'no expression found in input');
  const badNumber = numberRunAround(text, pos);
  if (badNumber) return parseError(text, badNumber.at, `bad number or duration syntax: ${JSON.stringify(badNumber.run)}`);
  const desc = describeToken(text, pos);
  // A character no token starts with is a lexer error in Prometheus, worded differently.
  if (/^"[^()[\]{},:]"$/.test(desc) && !/[\\"]/.test(text[pos])) {
    return parseError(text, pos, `unexpected character: '${text[pos]}'`);
  }
  const unexpected = `unexpected ${desc}`;
  const before = text.slice(0, pos).replace(/\s+$/, '');
  const prevWord = /([a-zA-Z_][a-zA-Z0-9_]*)$/.exec(before)?.[1]?.toLowerCase();
  if (insideBraces(text, pos)) {
    if (pos < text.length && !/[a-zA-Z_"'`=!~,}\s]/.test(text[pos])) {
      return parseError(text, pos, `unexpected character inside braces: '${text[pos]}'`);
    }
    const expected = /(=|!=|=~|!~)$/.test(before)
      ? 'string'
      : /[{,]$/.test(before)
        ? 'identifier or "}"'
        : /["'`]$/.test(before)
          ? '"," or "}"'
          : 'label matching operator';
    if (pos >= text.length) return parseError(text, pos, 'unexpected end of input inside braces');
    return parseError(text, pos, `${unexpected} in label matching, expected ${expected}`);
  }
  if (prevWord === 'by' || prevWord === 'without') {
    if (text[pos] !== '(') return parseError(text, pos, `${unexpected} in grouping opts, expected "("`);
  }
  if (/\b(by|without)\s*\([^()]*$/i.test(before)) return parseError(text, pos, `${unexpected} in grouping opts, expected label`);
  if (prevWord === 'offset') return parseError(text, pos, `${unexpected} in offset, expected number, duration, step(), or range()`);
  if (before.endsWith('@')) return parseError(text, pos, `${unexpected} in @, expected timestamp`);
  if (before.endsWith('[')) {
    return parseError(text, pos, `${unexpected} in subquery or range selector, expected number, duration, step(), or range()`);
  }
  return parseError(text, pos, unexpected);
}

/** Whether `pos` lies inside `{…}` (outside strings), where Prometheus's lexer is stricter. */
function insideBraces(text: string, pos: number): boolean {
  let depth = 0;
  for (let i = 0; i < pos && i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') {
      i++;
      while (i < text.length && text[i] !== c) i += c !== '`' && text[i] === '\\' ? 2 : 1;
    } else if (c === '{') depth++;
    else if (c === '}') depth = Math.max(0, depth - 1);
  }
  return depth > 0;
}

/**
 * A malformed number/duration token touching `pos` (`2.5.`, `0deadbeef`, `5mm`): Prometheus's
 * lexer rejects the whole run; lezer splits it and complains about the second half.
 */
function numberRunAround(text: string, pos: number): { at: number; run: string } | undefined {
  let start = pos;
  while (start > 0 && /[0-9a-zA-Z_.]/.test(text[start - 1])) start--;
  let end = pos;
  while (end < text.length && /[0-9a-zA-Z_.]/.test(text[end])) end++;
  const run = text.slice(start, end);
  if (start === pos || !/^(\d|\.\d)/.test(run)) return undefined;
  return { at: start, run };
}
