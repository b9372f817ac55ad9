/**
 * Literal syntax of PromQL, the parts lezer's grammar leaves loose: durations
 * (`1h30m`, Prometheus's `model.ParseDuration` rules), numbers (Go's `ParseInt(…, 0, 64)` then
 * `ParseFloat` rules: hex, legacy octal, underscores, Inf/NaN), string literals with Go's escape
 * rules (regexes live in parse-regex.ts).
 * Each parser throws `LiteralError`, a plain message the caller turns into a positioned parse error.
 */

import { LiteralError } from './errors.js';

export { LiteralError } from './errors.js';
/** Kept here too: callers found Go-regex compilation next to the other literal parsers. */
export { compileGoRegex } from './parse-regex.js';

const UNIT_MS: Record<string, { ms: number; order: number }> = {
  y: { ms: 365 * 24 * 3600 * 1000, order: 1 },
  w: { ms: 7 * 24 * 3600 * 1000, order: 2 },
  d: { ms: 24 * 3600 * 1000, order: 3 },
  h: { ms: 3600 * 1000, order: 4 },
  m: { ms: 60 * 1000, order: 5 },
  s: { ms: 1000, order: 6 },
  ms: { ms: 1, order: 7 },
};

/** Largest duration Go's time.Duration (int64 nanoseconds) holds, in ms. */
export const MAX_DURATION_MS = 2 ** 63 / 1e6;

/** `1h30m` → 5 400 000. Units biggest to smallest, each at most once; `0` alone is allowed. */
export function parseDurationMs(text: string): number {
  if (text === '0') return 0;
  if (text === '') throw new LiteralError('empty duration string');
  let rest = text;
  let total = 0;
  let lastOrder = 0;
  while (rest !== '') {
    const m = /^(\d+)([a-z]+)/.exec(rest);
    if (!m) throw new LiteralError(`not a valid duration string: "${text}"`);
    const unit = UNIT_MS[m[2]];
    if (!unit) throw new LiteralError(`unknown unit "${m[2]}" in duration "${text}"`);
    // Units must go from biggest to smallest (Prometheus rejects `5m1h` and `1m1m`).
    if (unit.order <= lastOrder) throw new LiteralError(`not a valid duration string: "${text}"`);
    lastOrder = unit.order;
    total += Number(m[1]) * unit.ms;
    if (total > MAX_DURATION_MS) throw new LiteralError('duration out of range');
    rest = rest.slice(m[0].length);
  }
  return total;
}

export function isDurationText(text: string): boolean {
  return /^(\d+(ms|[smhdwy]))+$/.test(text);
}

/**
 * A number token as lezer delivers it (`1`, `1.5e3`, `0x1F`, `1_000`, `Inf`, `NaN`, `5m`), with an
 * optional sign. Durations in number position mean seconds (Prometheus 3.x accepts `time() - 1h`).
 */
export function parseNumber(raw: string): number {
  let text = raw.trim();
  let sign = 1;
  if (text.startsWith('-') || text.startsWith('+')) {
    if (text.startsWith('-')) sign = -1;
    text = text.slice(1).trim();
  }
  const lower = text.toLowerCase();
  if (lower === 'inf' || lower === 'infinity') return sign * Infinity;
  if (lower === 'nan') return NaN;
  if (isDurationText(text)) return (sign * parseDurationMs(text)) / 1000;
  // Go allows `_` only between digits (or right after a base prefix).
  if (/(^_|_$|__|_\.|\._|_[eE]|[eE]_)/.test(text.replace(/^0[xX]_/, '0x'))) {
    throw new LiteralError(`error parsing number: strconv.ParseFloat: parsing "${text}": invalid syntax`);
  }
  const plain = text.replace(/_/g, '');
  let value: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(plain)) value = Number(plain);
  else if (/^0[0-7]+$/.test(plain)) value = parseInt(plain.slice(1), 8); // Go's base-0 ParseInt: leading 0 is octal.
  else if (/^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/.test(plain)) value = Number(plain);
  else throw new LiteralError(`error parsing number: strconv.ParseFloat: parsing "${text}": invalid syntax`);
  return sign * value;
}

const SIMPLE_ESCAPES: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, '\\': 92 };

/**
 * Go-style unquoting of `"…"`, `'…'` (any length, unlike Go runes) and `` `…` `` (raw). Escapes
 * build bytes (`\xff` is one byte, as in Go), decoded as UTF-8 at the end.
 */
export function unquoteString(quoted: string): string {
  const q = quoted[0];
  if (quoted.length < 2 || quoted[quoted.length - 1] !== q) throw new LiteralError('unterminated quoted string');
  const body = quoted.slice(1, -1);
  if (q === '`') return body.replace(/\r/g, '');
  if (q !== '"' && q !== "'") throw new LiteralError(`invalid string literal ${quoted}`);
  if (body.includes('\n')) throw new LiteralError('unterminated quoted string');
  const bytes: number[] = [];
  const pushText = (s: string) => bytes.push(...Buffer.from(s, 'utf8'));
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      // Keep surrogate pairs together so astral characters survive.
      const cp = body.codePointAt(i) ?? 0;
      const ch = String.fromCodePoint(cp);
      pushText(ch);
      i += ch.length - 1;
      continue;
    }
    const e = body[++i];
    if (e === undefined) throw new LiteralError('unterminated quoted string');
    if (e in SIMPLE_ESCAPES) bytes.push(SIMPLE_ESCAPES[e]);
    else if (e === q) bytes.push(q.charCodeAt(0));
    else if (e === 'x') {
      const h = body.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(h)) throw new LiteralError('invalid syntax');
      bytes.push(parseInt(h, 16));
      i += 2;
    } else if (e === 'u' || e === 'U') {
      const n = e === 'u' ? 4 : 8;
      const h = body.slice(i + 1, i + 1 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(h)) throw new LiteralError('invalid syntax');
      const cp = parseInt(h, 16);
      if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw new LiteralError('invalid syntax');
      pushText(String.fromCodePoint(cp));
      i += n;
    } else if (e >= '0' && e <= '7') {
      const o = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(o) || parseInt(o, 8) > 255) throw new LiteralError('invalid syntax');
      bytes.push(parseInt(o, 8));
      i += 2;
    } else {
      throw new LiteralError(`unknown escape sequence U+${e.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} '${e}'`);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
