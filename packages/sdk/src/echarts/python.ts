/**
 * The few Python semantics `to_echarts_option` (spec §3.11) depends on: `str()`, truthiness, `float()`
 * parsing, `max()` and `sorted()`. The reference SDK is Python, and category names, axis order and
 * `or 0` fallbacks are only byte-identical if these behave exactly like CPython on JSON values.
 *
 * JSON-level caveat: after `JSON.parse` an integral float (`5.0`) is indistinguishable from an int
 * (`5`). Safe integers therefore print as ints; any other finite number prints as a Python float
 * (`2.5`, `1e-05`, `1e+16`, `9007199254740992.0`), which is what Python holds for such values.
 */

/** Python truthiness of a JSON value: `None`, `False`, `0`, `""`, `[]`, `{}` are false (NaN is true). */
export function pyTruthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === '' || v === 0) return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

/** Python `a or b`. */
export function pyOr<A, B>(a: A, b: B): A | B {
  return pyTruthy(a) ? a : b;
}

/** `repr(float)`: shortest round-trip digits, scientific outside 1e-4 ≤ |x| < 1e16, `.0` on integral. */
function floatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (n === Infinity) return 'inf';
  if (n === -Infinity) return '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0.0' : '0.0';
  // toExponential() without an argument yields the shortest digits that round-trip (same as repr).
  const [mantissa, expText] = n.toExponential().split('e');
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const digits = mantissa.replace('-', '').replace('.', '');
  const sign = negative ? '-' : '';
  if (exp < -4 || exp >= 16) {
    const frac = digits.slice(1);
    const e = `${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
    return `${sign}${digits[0]}${frac ? `.${frac}` : ''}e${e}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const fracPart = digits.slice(exp + 1);
  return `${sign}${intPart}.${fracPart || '0'}`;
}

function numberStr(n: number): string {
  return Number.isSafeInteger(n) ? String(Object.is(n, -0) ? 0 : n) : floatRepr(n);
}

// Python's str.isprintable() is false for these general categories (the ASCII space excepted).
const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;

function hex(cp: number, width: number): string {
  return cp.toString(16).padStart(width, '0');
}

/** `repr(str)`: CPython's quote choice and escaping (unicode_repr). */
function strRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\t') out += '\\t';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${hex(cp, 2)}`;
    else if (cp < 0x7f || !NON_PRINTABLE.test(ch)) out += ch;
    else if (cp <= 0xff) out += `\\x${hex(cp, 2)}`;
    else if (cp <= 0xffff) out += `\\u${hex(cp, 4)}`;
    else out += `\\U${hex(cp, 8)}`;
  }
  return out + quote;
}

/** Python `repr()` of a JSON value (how containers print their items). */
export function pyRepr(v: unknown): string {
  return typeof v === 'string' ? strRepr(v) : pyStr(v);
}

/**
 * Python `str()` of a JSON value: `None`, `True`/`False`, ints, float reprs, strings unchanged,
 * lists/dicts as their reprs (`['a', 1]`, `{'k': 'v'}`). `undefined` (a missing key) prints `None`.
 */
export function pyStr(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return numberStr(v);
  if (typeof v === 'bigint') return v.toString();
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (typeof v === 'object') {
    const items = Object.entries(v).map(([k, item]) => `${strRepr(k)}: ${pyRepr(item)}`);
    return `{${items.join(', ')}}`;
  }
  return String(v);
}

// float() strips Unicode White_Space (not \x1c-\x1f) and accepts any Unicode decimal digit (Nd).
const WHITESPACE = /^\p{White_Space}+|\p{White_Space}+$/gu;
const DECIMAL_DIGIT = /\p{Nd}/u;
const DIGITS = String.raw`\d(?:_?\d)*`;
const FLOAT_GRAMMAR = new RegExp(
  String.raw`^[+-]?(?:(?:${DIGITS}(?:\.(?:${DIGITS})?)?|\.${DIGITS})(?:[eE][+-]?${DIGITS})?|inf(?:inity)?|nan)$`,
  'i',
);

/** Value 0–9 of a Unicode decimal digit: Nd digits are encoded in contiguous runs of ten from 0. */
function digitValue(cp: number): number {
  let start = cp;
  while (DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start--;
  return (cp - start) % 10;
}

/** Python `float(s)` for a string, or `null` where Python raises ValueError (`""`, hex, `"None"`). */
export function parsePyFloat(s: string): number | null {
  let ascii = '';
  for (const ch of s.replace(WHITESPACE, '')) {
    const cp = ch.codePointAt(0)!;
    ascii += cp > 0x7f && DECIMAL_DIGIT.test(ch) ? String(digitValue(cp)) : ch;
  }
  if (!FLOAT_GRAMMAR.test(ascii)) return null;
  const lower = ascii.toLowerCase().replace(/_/g, '');
  const negative = lower.startsWith('-');
  const body = lower.replace(/^[+-]/, '');
  if (body.startsWith('inf')) return negative ? -Infinity : Infinity;
  if (body === 'nan') return NaN;
  return Number(lower);
}

/** Unicode code-point order — Python's `sorted()` on str (JS's default sort compares UTF-16 units). */
export function compareCodePoints(a: string, b: string): number {
  const ai = a[Symbol.iterator]();
  const bi = b[Symbol.iterator]();
  for (;;) {
    const x = ai.next();
    const y = bi.next();
    if (x.done || y.done) return x.done ? (y.done ? 0 : -1) : 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d;
  }
}

/**
 * Heatmap axis order (`_sort_axis_values`): numerically ascending when every value parses as a Python
 * float, else by code point (`["A", "a", "b"]`). Ties keep input order; NaN (unordered in Python,
 * where the outcome depends on the set's iteration order) sorts last so the result is deterministic.
 */
export function sortAxis(values: Iterable<string>): string[] {
  const list = [...values];
  const nums = list.map(parsePyFloat);
  if (nums.every((n) => n !== null)) {
    const key = (i: number): number => nums[i] as number;
    return list
      .map((_, i) => i)
      .sort((i, j) => {
        const a = key(i);
        const b = key(j);
        if (Number.isNaN(a) || Number.isNaN(b)) return Number(Number.isNaN(a)) - Number(Number.isNaN(b));
        return a < b ? -1 : a > b ? 1 : 0;
      })
      .map((i) => list[i]);
  }
  return list.sort(compareCodePoints);
}

/** Python `a > b` for the scalar JSON values heatmap cells hold; other mixes raise TypeError as in Python. */
function pyGreater(a: unknown, b: unknown): boolean {
  const num = (v: unknown): number | null => (typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : null);
  const na = num(a);
  const nb = num(b);
  if (na !== null && nb !== null) return na > nb;
  if (typeof a === 'string' && typeof b === 'string') return compareCodePoints(a, b) > 0;
  throw new TypeError(`'>' not supported between ${pyTypeName(a)} and ${pyTypeName(b)}`);
}

function pyTypeName(v: unknown): string {
  if (v === null || v === undefined) return 'NoneType';
  if (Array.isArray(v)) return 'list';
  return { number: 'float', boolean: 'bool', string: 'str', object: 'dict' }[typeof v as string] ?? typeof v;
}

/** Python `max(values, default=d)`: the first maximal element wins (later ones must be strictly greater). */
export function pyMax<T>(values: readonly T[], defaultValue: T): T {
  if (values.length === 0) return defaultValue;
  let best = values[0];
  for (const v of values.slice(1)) if (pyGreater(v, best)) best = v;
  return best;
}
