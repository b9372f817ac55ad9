/**
 * A lexer for DuckDB's SQL (PostgreSQL's lexical rules plus back-quoted identifiers). It never
 * interprets a statement: it finds where strings, quoted names and comments start and end, so that
 * name rewrites (back-quotes, dataset references) touch identifiers only and never text inside a
 * string literal or a comment.
 */

export type TokenKind = 'word' | 'quoted' | 'backquoted' | 'string' | 'number' | 'param' | 'op';

export interface Token {
  kind: TokenKind;
  /** Offsets into the statement text: `text.slice(start, end)` is the token as written. */
  start: number;
  end: number;
  /** Identifier value (quotes removed, escapes undone); upper-cased keyword for `word`. */
  value: string;
}

export class LexError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(message);
  }
}

const OP_CHARS = new Set('+-*/<>=~!@#%^&|?:'.split(''));
const isIdentStart = (ch: string) => /[A-Za-z_\u0080-\uffff]/.test(ch);
const isIdentPart = (ch: string) => /[A-Za-z0-9_$\u0080-\uffff]/.test(ch);

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const ch = sql[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '-' && sql[i + 1] === '-') {
      while (i < n && sql[i] !== '\n') i++;
      continue;
    }
    if (ch === '/' && sql[i + 1] === '*') {
      i = skipBlockComment(sql, i);
      continue;
    }
    const start = i;
    if (ch === "'") {
      i = skipQuoted(sql, i, "'", false);
      tokens.push({ kind: 'string', start, end: i, value: '' });
      continue;
    }
    // E'…' (backslash escapes), X'…', B'…', N'…': a prefix letter glued to a string literal.
    if (/[EeXxBbNn]/.test(ch) && sql[i + 1] === "'") {
      i = skipQuoted(sql, i + 1, "'", ch === 'E' || ch === 'e');
      tokens.push({ kind: 'string', start, end: i, value: '' });
      continue;
    }
    if (ch === '"' || ch === '`') {
      i = skipQuoted(sql, i, ch, false);
      const body = sql.slice(start + 1, i - 1);
      tokens.push({ kind: ch === '"' ? 'quoted' : 'backquoted', start, end: i, value: body.split(ch + ch).join(ch) });
      continue;
    }
    if (ch === '$') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (tag) {
        const close = sql.indexOf(tag[0], i + tag[0].length);
        if (close < 0) throw new LexError('unterminated dollar-quoted string', start);
        i = close + tag[0].length;
        tokens.push({ kind: 'string', start, end: i, value: '' });
        continue;
      }
      const param = /^\$\d+/.exec(sql.slice(i));
      if (param) {
        i += param[0].length;
        tokens.push({ kind: 'param', start, end: i, value: param[0] });
        continue;
      }
    }
    if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(sql[i + 1] ?? ''))) {
      const m = /^(0[xX][0-9A-Fa-f_]+|0[bB][01_]+|(\d[\d_]*)?(\.\d[\d_]*|\.)?([eE][+-]?\d+)?)/.exec(sql.slice(i));
      i += Math.max(1, m![0].length);
      tokens.push({ kind: 'number', start, end: i, value: sql.slice(start, i) });
      continue;
    }
    if (isIdentStart(ch)) {
      while (i < n && isIdentPart(sql[i])) i++;
      tokens.push({ kind: 'word', start, end: i, value: sql.slice(start, i).toUpperCase() });
      continue;
    }
    if (ch === '?') {
      i++;
      tokens.push({ kind: 'param', start, end: i, value: '?' });
      continue;
    }
    if (OP_CHARS.has(ch)) {
      while (i < n && OP_CHARS.has(sql[i]) && !(sql[i] === '-' && sql[i + 1] === '-') && !(sql[i] === '/' && sql[i + 1] === '*')) i++;
      tokens.push({ kind: 'op', start, end: i, value: sql.slice(start, i) });
      continue;
    }
    i++;
    tokens.push({ kind: 'op', start, end: i, value: ch });
  }
  return tokens;
}

function skipQuoted(sql: string, open: number, quote: string, backslashEscapes: boolean): number {
  let i = open + 1;
  while (i < sql.length) {
    const ch = sql[i];
    if (backslashEscapes && ch === '\\') {
      i += 2;
      continue;
    }
    if (ch === quote) {
      if (sql[i + 1] === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  const what = quote === "'" ? 'string literal' : 'quoted identifier';
  throw new LexError(`unterminated ${what}`, open);
}

/** Block comments nest, as in PostgreSQL and DuckDB. */
function skipBlockComment(sql: string, open: number): number {
  let depth = 0;
  let i = open;
  while (i < sql.length) {
    if (sql[i] === '/' && sql[i + 1] === '*') {
      depth++;
      i += 2;
    } else if (sql[i] === '*' && sql[i + 1] === '/') {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  throw new LexError('unterminated /* comment', open);
}

/** A double-quoted SQL identifier. */
export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

export interface Edit {
  start: number;
  end: number;
  text: string;
}

/** Applies non-overlapping edits (any order) to `sql`. */
export function applyEdits(sql: string, edits: Edit[]): string {
  let out = '';
  let at = 0;
  for (const e of [...edits].sort((a, b) => a.start - b.start)) {
    out += sql.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + sql.slice(at);
}

/**
 * DuckDB has no back-quoted identifiers (MySQL's spelling, which users bring along): each becomes
 * the equivalent double-quoted one. Offsets of everything else stay put unless a name holds `"`.
 */
export function translateBackquotes(sql: string, tokens: Token[]): string {
  const edits = tokens.filter((t) => t.kind === 'backquoted').map((t) => ({ start: t.start, end: t.end, text: quoteIdent(t.value) }));
  return edits.length === 0 ? sql : applyEdits(sql, edits);
}

/** Drops trailing `;` tokens; returns the statement's text without them. */
export function withoutTrailingSemicolons(sql: string, tokens: Token[]): { sql: string; tokens: Token[] } {
  let last = tokens.length;
  while (last > 0 && tokens[last - 1].kind === 'op' && tokens[last - 1].value === ';') last--;
  if (last === tokens.length) return { sql, tokens };
  return { sql: sql.slice(0, last > 0 ? tokens[last - 1].end : 0), tokens: tokens.slice(0, last) };
}

/** The statement's leading keyword, skipping opening parentheses: `(SELECT …)` is a SELECT. */
export function leadingKeyword(tokens: Token[]): string | undefined {
  for (const t of tokens) {
    if (t.kind === 'op' && t.value === '(') continue;
    return t.kind === 'word' ? t.value : undefined;
  }
  return undefined;
}

/** Index of the identifier chain (`a`, `"a.b"`, `a.b.c`) starting at token `from`, as [from, endExclusive). */
export function nameChainEnd(tokens: Token[], from: number): number {
  let i = from;
  const isName = (t: Token | undefined) => t !== undefined && (t.kind === 'word' || t.kind === 'quoted' || t.kind === 'backquoted');
  if (!isName(tokens[i])) return from;
  i++;
  while (tokens[i]?.kind === 'op' && tokens[i].value === '.' && isName(tokens[i + 1])) i += 2;
  return i;
}

/** The identifier parts of a name chain, as written (unquoted words keep their case). */
export function nameParts(sql: string, tokens: Token[], from: number, end: number): string[] {
  const parts: string[] = [];
  for (let i = from; i < end; i += 2) {
    const t = tokens[i];
    parts.push(t.kind === 'word' ? sql.slice(t.start, t.end) : t.value);
  }
  return parts;
}
