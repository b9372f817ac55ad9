/**
 * Go RE2 regexes (what PromQL label matchers and label_replace use) as JS RegExps. Prometheus
 * anchors matcher regexes fully and lets `.` match newlines (`^(?s:<re>)$`); RE2 also has syntax
 * JS lacks or reads differently: scoped flag groups `(?i:…)` and `(?i)` mid-pattern, `(?P<n>…)`,
 * `\z`, `\A`, `\Q…\E`, POSIX classes `[[:alpha:]]`, `\pL`, and literal `{`/`}`/`]` where JS's
 * unicode mode wants escapes. We translate token by token (case-insensitivity becomes explicit
 * `[aA]` classes, so flags can be scoped) and compile with the `u` flag (RE2 works on code points).
 */
import { LiteralError } from './errors.js';

const POSIX: Record<string, string> = {
  alnum: '0-9A-Za-z',
  alpha: 'A-Za-z',
  ascii: '\\x00-\\x7F',
  blank: '\\t ',
  cntrl: '\\x00-\\x1F\\x7F',
  digit: '0-9',
  graph: '!-~',
  lower: 'a-z',
  print: ' -~',
  punct: '!-\\/:-@\\[-`{-~',
  space: '\\t\\n\\v\\f\\r ',
  upper: 'A-Z',
  word: '0-9A-Za-z_',
  xdigit: '0-9A-Fa-f',
};

/** Characters that must be escaped to be literal in a JS unicode-mode pattern. */
const JS_SYNTAX = new Set([...'^$\\.*+?()[]{}|/']);
const CLASS_SYNTAX = new Set([...'\\]^-[']);

interface Flags {
  i: boolean;
  s: boolean;
}

function literalChar(c: string, flags: Flags): string {
  if (flags.i && c.toLowerCase() !== c.toUpperCase()) return `[${c.toLowerCase()}${c.toUpperCase()}]`;
  return JS_SYNTAX.has(c) ? `\\${c}` : c;
}

function fail(reason: string): never {
  throw new LiteralError(`error parsing regexp: ${reason}`);
}

/** Reads one escape at `p[i] === '\\'`; returns [JS text, next index, literal char if any]. */
function escape(p: string, i: number, inClass: boolean): [string, number, string?] {
  const c = p[i + 1];
  if (c === undefined) fail('trailing backslash at end of expression: ``');
  if ('dDsSwWbB'.includes(c)) {
    if (inClass && 'bB'.includes(c)) fail(`invalid escape sequence: \`\\${c}\``);
    return [`\\${c}`, i + 2];
  }
  if (c === 'A') return ['^', i + 2];
  if (c === 'z') return ['$', i + 2];
  if ('fntrv'.includes(c)) return [`\\${c}`, i + 2, { f: '\f', n: '\n', t: '\t', r: '\r', v: '\v' }[c]];
  if (c === 'a') return ['\\x07', i + 2, '\x07'];
  if (c === 'x') {
    const braced = /^\{([0-9a-fA-F]{1,6})\}/.exec(p.slice(i + 2));
    if (braced) return [`\\u{${braced[1]}}`, i + 2 + braced[0].length, String.fromCodePoint(parseInt(braced[1], 16))];
    const two = /^[0-9a-fA-F]{2}/.exec(p.slice(i + 2));
    if (!two) fail(`invalid escape sequence: \`\\x\``);
    return [`\\x${two[0]}`, i + 4, String.fromCharCode(parseInt(two[0], 16))];
  }
  if (c === 'p' || c === 'P') {
    const named = /^(\{\^?[A-Za-z_]+\}|[A-Za-z])/.exec(p.slice(i + 2));
    if (!named) fail(`invalid character class range: \`\\${c}\``);
    let name = named[0].replace(/^\{|\}$/g, '');
    let neg = c === 'P';
    if (name.startsWith('^')) {
      neg = !neg;
      name = name.slice(1);
    }
    if (name === 'Any') return [neg ? '[^\\s\\S]' : '[\\s\\S]', i + 2 + named[0].length];
    return [`\\${neg ? 'P' : 'p'}{${name}}`, i + 2 + named[0].length];
  }
  if (/[0-7]/.test(c)) {
    const oct = /^[0-7]{1,3}/.exec(p.slice(i + 1))![0];
    if (c !== '0' && oct.length === 1) fail(`invalid escape sequence: \`\\${c}\``); // backreferences: RE2 has none
    const ch = String.fromCharCode(parseInt(oct, 8));
    return [`\\u{${ch.charCodeAt(0).toString(16)}}`, i + 1 + oct.length, ch];
  }
  if (/[A-Za-z0-9]/.test(c)) fail(`invalid escape sequence: \`\\${c}\``);
  // Escaped punctuation is a literal.
  const set = inClass ? CLASS_SYNTAX : JS_SYNTAX;
  return [set.has(c) ? `\\${c}` : c, i + 2, c];
}

/** `[...]` starting at p[i] === '['; returns [JS class, next index]. */
function charClass(p: string, i: number, flags: Flags): [string, number] {
  let j = i + 1;
  let out = '[';
  if (p[j] === '^') {
    out += '^';
    j++;
  }
  const extra: string[] = [];
  let first = true;
  while (j < p.length && (p[j] !== ']' || first)) {
    first = false;
    const posix = /^\[:(\^?)([a-z]+):\]/.exec(p.slice(j));
    if (posix) {
      const cls = POSIX[posix[2]];
      if (!cls) fail(`invalid character class range: \`${posix[0]}\``);
      if (posix[1]) fail(`negated POSIX classes are not supported: \`${posix[0]}\``);
      out += cls;
      j += posix[0].length;
      continue;
    }
    let lo: string | undefined;
    if (p[j] === '\\') {
      const [js, next, lit] = escape(p, j, true);
      out += js;
      lo = lit;
      j = next;
    } else {
      lo = p[j];
      out += CLASS_SYNTAX.has(lo) ? `\\${lo}` : lo;
      j += lo.length;
    }
    if (p[j] === '-' && p[j + 1] !== ']' && j + 1 < p.length && lo !== undefined) {
      let hi: string | undefined;
      if (p[j + 1] === '\\') {
        const [js, next, lit] = escape(p, j + 1, true);
        out += `-${js}`;
        hi = lit;
        j = next;
      } else {
        hi = p[j + 1];
        out += `-${CLASS_SYNTAX.has(hi) ? `\\${hi}` : hi}`;
        j += 2;
      }
      if (hi !== undefined && hi < lo) fail(`invalid character class range: \`${lo}-${hi}\``);
      if (flags.i && hi !== undefined && /[a-z]/i.test(lo) && /[a-z]/i.test(hi)) {
        const swap = (s: string) => (s === s.toLowerCase() ? s.toUpperCase() : s.toLowerCase());
        extra.push(`${swap(lo)}-${swap(hi)}`);
      }
    } else if (flags.i && lo !== undefined && lo.toLowerCase() !== lo.toUpperCase()) {
      extra.push(lo === lo.toLowerCase() ? lo.toUpperCase() : lo.toLowerCase());
    }
  }
  if (j >= p.length) fail(`missing closing ]: \`${p.slice(i)}\``);
  return [`${out}${extra.join('')}]`, j + 1];
}

/** Translates a Go RE2 pattern to JS source (unanchored). */
export function translateGoRegex(p: string, dotAll = true): string {
  const stack: Flags[] = [];
  let flags: Flags = { i: false, s: dotAll };
  let out = '';
  let i = 0;
  while (i < p.length) {
    const c = p[i];
    if (c === '\\') {
      if (p[i + 1] === 'Q') {
        const end = p.indexOf('\\E', i + 2);
        const lit = p.slice(i + 2, end < 0 ? p.length : end);
        for (const ch of lit) out += literalChar(ch, flags);
        i = end < 0 ? p.length : end + 2;
        continue;
      }
      const [js, next, lit] = escape(p, i, false);
      out += lit !== undefined && flags.i ? literalChar(lit, flags) : js;
      i = next;
    } else if (c === '[') {
      const [js, next] = charClass(p, i, flags);
      out += js;
      i = next;
    } else if (c === '(') {
      const group = /^\((?:\?(?:([imsU-]*)(\)|:)|P?<([A-Za-z_][A-Za-z0-9_]*)>))?/.exec(p.slice(i))!;
      if (p[i + 1] === '?' && group[0] === '(') fail(`invalid or unsupported Perl syntax: \`${p.slice(i, i + 3)}\``);
      const next: Flags = { ...flags };
      if (group[1] !== undefined) {
        let on = true;
        for (const f of group[1]) {
          if (f === '-') on = false;
          else if (f === 'i') next.i = on;
          else if (f === 's') next.s = on;
          // `m` (multi-line ^$) and `U` (ungreedy) are rare in label matchers; accepted, ignored.
        }
      }
      i += group[0].length;
      if (group[2] === ')') {
        flags = next; // `(?i)`: applies to the rest of the current group
        continue;
      }
      stack.push(flags);
      flags = next;
      out += group[3] !== undefined ? `(?<${group[3]}>` : group[2] === ':' ? '(?:' : '(';
    } else if (c === ')') {
      if (stack.length === 0) fail(`unexpected ): \`${p}\``);
      flags = stack.pop()!;
      out += ')';
      i++;
    } else if (c === '.') {
      out += flags.s ? '[\\s\\S]' : '[^\\n]';
      i++;
    } else if (c === '{') {
      // A valid repetition is copied; anything else is a literal brace, as in RE2.
      const rep = /^\{\d+(,\d*)?\}/.exec(p.slice(i));
      if (rep && i > 0) {
        out += rep[0];
        i += rep[0].length;
      } else {
        out += '\\{';
        i++;
      }
    } else if (c === '}' || c === ']' || c === '/') {
      out += `\\${c}`;
      i++;
    } else if ('^$|*+?'.includes(c)) {
      out += c;
      i++;
    } else {
      const ch = String.fromCodePoint(p.codePointAt(i)!);
      out += literalChar(ch, flags);
      i += ch.length;
    }
  }
  if (stack.length > 0) fail(`missing closing ): \`${p}\``);
  return out;
}

/** Compiles a Go RE2 pattern fully anchored, as Prometheus matches label values. */
export function compileGoRegex(pattern: string): RegExp {
  const src = translateGoRegex(pattern);
  try {
    return new RegExp(`^(?:${src})$`, 'u');
  } catch (err) {
    return fail((err as Error).message.replace(/^Invalid regular expression: /, ''));
  }
}
