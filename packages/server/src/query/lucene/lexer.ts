/**
 * Tokenizer for the classic Lucene query syntax that Elasticsearch's `query_string` (and the `q=`
 * URI parameter) accept. It follows the token rules of Lucene's classic QueryParser grammar,
 * including its three lexical states: after `^` only a number may follow (no space), and between
 * `[`/`{` and `]`/`}` the range tokens (`TO`, quoted or bare bounds) apply.
 *
 * When two token kinds match, the longest match wins and ties go to the kind listed first in
 * Lucene's grammar; that is why `foo*` is a prefix term, `fo*o` a wildcard term, `AND` an
 * operator but `ANDY` a term, and `- ` (a sign followed by a space) a bare operator term.
 */

export type TokenKind =
  | 'AND'
  | 'OR'
  | 'NOT'
  | 'PLUS'
  | 'MINUS'
  /** `+`, `-` or `!` followed by whitespace: Lucene parses it as a one-character term. */
  | 'BAREOPER'
  | 'LPAREN'
  | 'RPAREN'
  | 'COLON'
  | 'STAR'
  | 'CARAT'
  | 'QUOTED'
  | 'TERM'
  | 'FUZZY_SLOP'
  | 'PREFIXTERM'
  | 'WILDTERM'
  | 'REGEXPTERM'
  | 'RANGEIN_START'
  | 'RANGEEX_START'
  | 'NUMBER'
  | 'RANGE_TO'
  | 'RANGEIN_END'
  | 'RANGEEX_END'
  | 'RANGE_QUOTED'
  | 'RANGE_GOOP'
  | 'EOF';

export interface Token {
  kind: TokenKind;
  /** The text as written, escapes included. */
  image: string;
  /** 0-based offset in the query; Lucene reports it as the "column". */
  pos: number;
}

/** A syntax error; the message is Lucene's wording so users recognise it from Elasticsearch. */
export class LuceneSyntaxError extends Error {}

const WHITESPACE = new Set([' ', '\t', '\n', '\r', '\u3000']);
/** Characters that cannot start a term unless escaped (Lucene's _TERM_START_CHAR exclusions). */
const NOT_TERM_START = new Set([...WHITESPACE, '+', '-', '!', '(', ')', ':', '^', '[', ']', '"', '{', '}', '~', '*', '?', '\\', '/']);
const OPERATOR_WORDS: Record<string, TokenKind> = { AND: 'AND', '&&': 'AND', OR: 'OR', '||': 'OR', NOT: 'NOT' };
const SINGLE: Record<string, TokenKind> = { '(': 'LPAREN', ')': 'RPAREN', ':': 'COLON' };

const isTermChar = (c: string) => !NOT_TERM_START.has(c) || c === '-' || c === '+';

export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let state: 'default' | 'boost' | 'range' = 'default';
  let i = 0;
  const n = query.length;
  const push = (kind: TokenKind, start: number, end: number) => {
    tokens.push({ kind, image: query.slice(start, end), pos: start });
    i = end;
  };

  while (true) {
    if (state !== 'boost') while (i < n && WHITESPACE.has(query[i])) i++;
    if (i >= n) {
      if (state === 'boost') throw lexicalError(query, i, '<EOF>');
      tokens.push({ kind: 'EOF', image: '', pos: n });
      return tokens;
    }
    const c = query[i];

    if (state === 'boost') {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(query.slice(i));
      if (!m) throw lexicalError(query, i, query[i]);
      push('NUMBER', i, i + m[0].length);
      state = 'default';
      continue;
    }

    if (state === 'range') {
      if (c === ']' || c === '}') {
        push(c === ']' ? 'RANGEIN_END' : 'RANGEEX_END', i, i + 1);
        state = 'default';
        continue;
      }
      // A bound runs to the next space or closing bracket; a quoted bound may hold both.
      let goopEnd = i;
      while (goopEnd < n && !WHITESPACE.has(query[goopEnd]) && query[goopEnd] !== ']' && query[goopEnd] !== '}') goopEnd++;
      const quotedEnd = c === '"' ? rangeQuotedEnd(query, i) : -1;
      if (quotedEnd >= goopEnd) push('RANGE_QUOTED', i, quotedEnd);
      else push(query.slice(i, goopEnd) === 'TO' ? 'RANGE_TO' : 'RANGE_GOOP', i, goopEnd);
      continue;
    }

    if (SINGLE[c]) {
      push(SINGLE[c], i, i + 1);
    } else if (c === '^') {
      push('CARAT', i, i + 1);
      state = 'boost';
    } else if (c === '[' || c === '{') {
      push(c === '[' ? 'RANGEIN_START' : 'RANGEEX_START', i, i + 1);
      state = 'range';
    } else if (c === '+' || c === '-' || c === '!') {
      if (i + 1 < n && WHITESPACE.has(query[i + 1])) push('BAREOPER', i, i + 2);
      else push(c === '+' ? 'PLUS' : c === '-' ? 'MINUS' : 'NOT', i, i + 1);
    } else if (c === '"') {
      push('QUOTED', i, quotedEnd(query, i));
    } else if (c === '~') {
      push('FUZZY_SLOP', i, scanRun(query, i + 1, isTermChar));
    } else if (c === '/') {
      push('REGEXPTERM', i, regexpEnd(query, i));
    } else {
      lexWord(query, i, push);
    }
  }
}

/** Terms, prefix terms, wildcard terms, `*` and the word operators, which share one character run. */
function lexWord(query: string, start: number, push: (kind: TokenKind, start: number, end: number) => void): void {
  const first = query[start];
  if (NOT_TERM_START.has(first) && first !== '\\' && first !== '*' && first !== '?') {
    throw lexicalError(query, start, first);
  }
  const end = scanRun(query, start, (c, at) => (at === start ? true : isTermChar(c) || c === '*' || c === '?'));
  const image = query.slice(start, end);
  const wildAt: number[] = [];
  for (let j = start; j < end; j++) {
    if (query[j] === '\\') j++;
    else if (query[j] === '*' || query[j] === '?') wildAt.push(j);
  }
  if (wildAt.length === 0) {
    push(OPERATOR_WORDS[image] ?? 'TERM', start, end);
  } else if (image === '*') {
    push('STAR', start, end);
  } else if (wildAt.length === 1 && wildAt[0] === end - 1 && query[end - 1] === '*' && first !== '*' && first !== '?') {
    push('PREFIXTERM', start, end);
  } else {
    push('WILDTERM', start, end);
  }
}

/** Scans characters accepted by `accept` (escape pairs always accepted) and returns the end offset. */
function scanRun(query: string, start: number, accept: (c: string, at: number) => boolean): number {
  let j = start;
  while (j < query.length) {
    if (query[j] === '\\') {
      if (j + 1 >= query.length) throw lexicalError(query, j + 1, '<EOF>', '\\');
      j += 2;
    } else if (accept(query[j], j)) {
      j++;
    } else {
      break;
    }
  }
  return j;
}

function quotedEnd(query: string, start: number): number {
  for (let j = start + 1; j < query.length; j++) {
    if (query[j] === '\\') j++;
    else if (query[j] === '"') return j + 1;
  }
  throw lexicalError(query, query.length, '<EOF>', query.slice(start));
}

/** A quoted range bound needs at least one character; `\"` does not close it. -1 when unterminated. */
function rangeQuotedEnd(query: string, start: number): number {
  for (let j = start + 1; j < query.length; j++) {
    if (query[j] === '\\' && query[j + 1] === '"') j++;
    else if (query[j] === '"') return j > start + 1 ? j + 1 : -1;
  }
  return -1;
}

/**
 * `/regex/`: ends at the first `/` not preceded by a backslash; if every later `/` is escaped the
 * longest match ends at the last one, as in Lucene's longest-match tokenizer.
 */
function regexpEnd(query: string, start: number): number {
  let lastEscaped = -1;
  for (let j = start + 1; j < query.length; j++) {
    if (query[j] !== '/') continue;
    if (query[j - 1] !== '\\') return j + 1;
    lastEscaped = j;
  }
  if (lastEscaped >= 0) return lastEscaped + 1;
  throw lexicalError(query, query.length, '<EOF>', query.slice(start));
}

function lexicalError(query: string, at: number, found: string, after = ''): LuceneSyntaxError {
  const what = found === '<EOF>' ? '<EOF>' : `"${found}" (${found.codePointAt(0)})`;
  return new LuceneSyntaxError(`Lexical error at line 1, column ${at}.  Encountered: ${what} after : "${after}"`);
}

/**
 * Removes backslash escapes, decoding `\uXXXX` as Lucene's QueryParserBase.discardEscapeChar does.
 * Throws Lucene's messages for a trailing backslash or a bad unicode escape.
 */
export function discardEscapeChar(input: string): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    const c = input[i];
    if (c !== '\\') {
      out += c;
      continue;
    }
    if (i + 1 >= input.length) throw new LuceneSyntaxError('Term can not end with escape character.');
    const next = input[++i];
    if (next !== 'u') {
      out += next;
      continue;
    }
    const hex = input.slice(i + 1, i + 5);
    if (hex.length < 4) throw new LuceneSyntaxError('Truncated unicode escape sequence.');
    const bad = [...hex].find((h) => !/[0-9a-fA-F]/.test(h));
    if (bad !== undefined) throw new LuceneSyntaxError(`Non-hex character in Unicode escape sequence: ${bad}`);
    out += String.fromCharCode(parseInt(hex, 16));
    i += 4;
  }
  return out;
}
