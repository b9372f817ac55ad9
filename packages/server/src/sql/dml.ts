/**
 * The outer shape of INSERT / UPSERT / UPDATE / DELETE, read from tokens. Only the clause
 * boundaries are found here; every expression, source query and FROM list stays as the user's
 * text and is later embedded in a SELECT that DuckDB parses and the read rules check
 * (writes.ts), so writes can use exactly the SQL that reads can.
 */
import { badRequest } from '../errors.js';
import { nameChainEnd, nameParts, type Token } from './tokens.js';

export interface Target {
  /** The dataset name as written (`logs.doc`, `"orders.rel"`). */
  name: string;
  /** The name's text in the statement, to embed in generated SELECTs. */
  text: string;
  /** Alias given in the statement, else the name's last part (SQL's binding name). */
  alias: string;
}

export interface Assignment {
  /** Field path (`price`, `user.name`). */
  path: string;
  expr: string;
}

export type Conflict =
  | { action: 'error' }
  | { action: 'nothing' }
  /** `INSERT OR REPLACE` / `UPSERT`: the listed columns overwrite those of the existing document. */
  | { action: 'merge' }
  | { action: 'update'; sets: Assignment[]; where?: string };

export type WritePlan =
  | { kind: 'insert'; target: Target; columns?: string[]; source: string; sourceIsValues: boolean; conflict: Conflict }
  | { kind: 'update'; target: Target; sets: Assignment[]; from?: string; where?: string }
  | { kind: 'delete'; target: Target; using?: string; where?: string };

const syntax = (reason: string) => badRequest(reason, 'parsing_exception');

class Cursor {
  i = 0;
  constructor(
    readonly sql: string,
    readonly t: Token[],
  ) {}

  get done(): boolean {
    return this.i >= this.t.length;
  }
  isWord(...words: string[]): boolean {
    const tok = this.t[this.i];
    return tok?.kind === 'word' && words.includes(tok.value);
  }
  isOp(op: string, at = this.i): boolean {
    const tok = this.t[at];
    return tok?.kind === 'op' && tok.value === op;
  }
  expectWord(word: string, context: string): void {
    if (!this.isWord(word)) throw syntax(`expected ${word} ${context}${this.near()}`);
    this.i++;
  }
  near(): string {
    const tok = this.t[this.i];
    return tok ? ` at or near "${this.sql.slice(tok.start, tok.end)}" (position ${tok.start})` : ' at the end of the statement';
  }
  /**
   * The text of tokens [from, to). A fragment is embedded in a generated SELECT, so its brackets
   * must balance: a stray `)` could otherwise close the generated query's own parenthesis.
   */
  text(from: number, to: number): string {
    let depth = 0;
    for (let k = from; k < to; k++) {
      const tok = this.t[k];
      if (tok.kind === 'op' && ['(', '[', '{'].includes(tok.value)) depth++;
      else if (tok.kind === 'op' && [')', ']', '}'].includes(tok.value) && --depth < 0) break;
    }
    if (depth !== 0) throw syntax(`unbalanced brackets in "${this.sql.slice(this.t[from].start, this.t[to - 1].end).slice(0, 80)}"`);
    return from >= to ? '' : this.sql.slice(this.t[from].start, this.t[to - 1].end);
  }
  /** Index of the first top-level token (outside brackets) from `i` that `stop` accepts; length if none. */
  findTop(stop: (at: number) => boolean): number {
    let depth = 0;
    for (let k = this.i; k < this.t.length; k++) {
      const tok = this.t[k];
      if (tok.kind === 'op' && ['(', '[', '{'].includes(tok.value)) depth++;
      else if (tok.kind === 'op' && [')', ']', '}'].includes(tok.value)) depth--;
      else if (depth === 0 && stop(k)) return k;
    }
    return this.t.length;
  }
  wordAt(k: number, ...words: string[]): boolean {
    const tok = this.t[k];
    return tok?.kind === 'word' && words.includes(tok.value);
  }
  /** A clause keyword, not `IS DISTINCT FROM`. */
  clauseAt(k: number, ...words: string[]): boolean {
    return this.wordAt(k, ...words) && !(this.t[k].value === 'FROM' && this.wordAt(k - 1, 'DISTINCT'));
  }
  name(context: string): string[] {
    const end = nameChainEnd(this.t, this.i);
    if (end === this.i) throw syntax(`expected a name ${context}${this.near()}`);
    const parts = nameParts(this.sql, this.t, this.i, end);
    this.i = end;
    return parts;
  }
}

export function parseWrite(sql: string, tokens: Token[]): WritePlan {
  const c = new Cursor(sql, tokens);
  if (c.isWord('INSERT', 'UPSERT')) return parseInsert(c);
  if (c.isWord('UPDATE')) return parseUpdate(c);
  if (c.isWord('DELETE')) return parseDelete(c);
  throw syntax('expected INSERT, UPSERT, UPDATE or DELETE');
}

function target(c: Cursor, notAlias: string[]): Target {
  const start = c.i;
  const parts = c.name('for the dataset');
  const text = c.text(start, c.i);
  let alias = parts[parts.length - 1];
  if (c.isWord('AS')) {
    c.i++;
    alias = c.name('after AS').join('.');
  } else if ((c.t[c.i]?.kind === 'word' && !c.isWord(...notAlias)) || c.t[c.i]?.kind === 'quoted') {
    alias = c.name('as alias').join('.');
  }
  return { name: parts.join('.'), text, alias };
}

function parseInsert(c: Cursor): WritePlan {
  let conflict: Conflict = { action: 'error' };
  if (c.isWord('UPSERT')) {
    c.i++;
    conflict = { action: 'merge' };
  } else {
    c.i++;
    if (c.isWord('OR')) {
      c.i++;
      if (c.isWord('REPLACE')) conflict = { action: 'merge' };
      else if (c.isWord('IGNORE')) conflict = { action: 'nothing' };
      else throw syntax(`expected REPLACE or IGNORE after INSERT OR${c.near()}`);
      c.i++;
    }
  }
  c.expectWord('INTO', 'after INSERT');
  const tgt = target(c, ['VALUES', 'SELECT', 'WITH', 'FROM', 'DEFAULT', 'BY', 'TABLE']);
  let columns: string[] | undefined;
  const sourceKeyword = (k: number) => c.wordAt(k, 'SELECT', 'WITH', 'VALUES', 'FROM', 'TABLE');
  if (c.isOp('(') && !sourceKeyword(c.i + 1)) {
    c.i++;
    columns = [];
    for (;;) {
      columns.push(c.name('in the column list').join('.'));
      if (c.isOp(',')) c.i++;
      else break;
    }
    if (!c.isOp(')')) throw syntax(`expected , or ) in the column list${c.near()}`);
    c.i++;
  }
  if (c.isWord('BY')) {
    c.i++;
    if (!c.isWord('NAME', 'POSITION')) throw syntax(`expected NAME or POSITION after BY${c.near()}`);
    c.i++;
  }
  if (c.isWord('DEFAULT')) throw badRequest('INSERT … DEFAULT VALUES has no columns to write: list the columns and their values');
  const sourceStart = c.i;
  const sourceEnd = c.findTop((k) => (c.wordAt(k, 'ON') && c.wordAt(k + 1, 'CONFLICT')) || c.wordAt(k, 'RETURNING'));
  if (sourceEnd === sourceStart) throw syntax(`expected VALUES or a SELECT after the target${c.near()}`);
  const source = c.text(sourceStart, sourceEnd);
  const sourceIsValues = c.wordAt(sourceStart, 'VALUES');
  c.i = sourceEnd;
  if (c.isWord('ON')) {
    if (conflict.action !== 'error') throw syntax('INSERT OR REPLACE / OR IGNORE and UPSERT cannot have an ON CONFLICT clause');
    c.i += 2;
    if (c.isOp('(')) {
      c.i++;
      const key = c.name('in the conflict target').join('.');
      if (key !== '_id' || !c.isOp(')')) throw badRequest('ON CONFLICT works on `_id`, the only unique key of a dataset: write ON CONFLICT (_id)');
      c.i++;
    }
    if (c.isWord('WHERE', 'ON')) throw badRequest('ON CONFLICT takes no index predicate or constraint name: write ON CONFLICT (_id) DO …');
    c.expectWord('DO', 'after ON CONFLICT');
    if (c.isWord('NOTHING')) {
      c.i++;
      conflict = { action: 'nothing' };
    } else {
      c.expectWord('UPDATE', 'or NOTHING after DO');
      c.expectWord('SET', 'after DO UPDATE');
      const sets = assignments(c);
      conflict = { action: 'update', sets, where: clause(c, 'WHERE', ['RETURNING']) };
    }
  }
  finish(c);
  return { kind: 'insert', target: tgt, columns, source, sourceIsValues, conflict };
}

function parseUpdate(c: Cursor): WritePlan {
  c.i++;
  const tgt = target(c, ['SET']);
  c.expectWord('SET', 'after the dataset');
  const sets = assignments(c);
  const from = clause(c, 'FROM', ['WHERE', 'RETURNING']);
  const where = clause(c, 'WHERE', ['RETURNING']);
  finish(c);
  return { kind: 'update', target: tgt, sets, from, where };
}

function parseDelete(c: Cursor): WritePlan {
  c.i++;
  c.expectWord('FROM', 'after DELETE');
  const tgt = target(c, ['USING', 'WHERE', 'RETURNING']);
  const using = clause(c, 'USING', ['WHERE', 'RETURNING']);
  const where = clause(c, 'WHERE', ['RETURNING']);
  finish(c);
  return { kind: 'delete', target: tgt, using, where };
}

/** `KEYWORD <text>` up to the next top-level `stops` keyword; undefined when the clause is absent. */
function clause(c: Cursor, keyword: string, stops: string[]): string | undefined {
  if (!c.isWord(keyword)) return undefined;
  c.i++;
  const end = c.findTop((k) => c.wordAt(k, ...stops));
  const text = c.text(c.i, end);
  c.i = end;
  return text;
}

function assignments(c: Cursor): Assignment[] {
  const sets: Assignment[] = [];
  for (;;) {
    if (c.isOp('(')) throw badRequest('SET (a, b) = (…) is not supported: write SET a = …, b = …');
    const path = c.name('to assign').join('.');
    if (path === '_id') throw badRequest('_id cannot be changed by SET: insert the document under its new _id and delete the old one');
    if (!c.isOp('=')) throw syntax(`expected = after ${path}${c.near()}`);
    c.i++;
    const end = c.findTop((k) => c.isOp(',', k) || c.clauseAt(k, 'FROM', 'WHERE', 'RETURNING'));
    if (end === c.i) throw syntax(`expected an expression for ${path}${c.near()}`);
    sets.push({ path, expr: c.text(c.i, end) });
    c.i = end;
    if (!c.isOp(',')) return sets;
    c.i++;
  }
}

function finish(c: Cursor): void {
  if (c.isWord('RETURNING')) throw badRequest('RETURNING is not supported yet: read the rows back with a SELECT');
  if (!c.done) throw syntax(`unexpected text${c.near()}`);
}
