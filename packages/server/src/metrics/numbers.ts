/**
 * Number scanning for the exposition parser without a substring or a regex per sample. Only the
 * forms whose double is exact to compute by hand are taken here; anything else returns undefined
 * and goes through the strict general path (parseFloatStrict), so results never differ from
 * `Number(text)`.
 */

const POW10 = Array.from({ length: 16 }, (_, k) => 10 ** k);

/**
 * `[+-]?digits[.digits]` with at most 15 digits in all, from `s[from]` to `s[to - 1]`. The digits
 * form an integer m < 2^53 and the scale is 10^k with k ≤ 15, both exact doubles, so m / 10^k is
 * the correctly rounded value of the decimal, which is what Number() returns.
 */
export function parseDecimal(s: string, from: number, to: number): number | undefined {
  let i = from;
  let c = s.charCodeAt(i);
  const neg = c === 45; /* - */
  if (neg || c === 43 /* + */) i++;
  let m = 0;
  let digits = 0;
  let frac = 0;
  let dot = false;
  for (; i < to; i++) {
    c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      m = m * 10 + (c - 48);
      digits++;
      if (dot) frac++;
    } else if (c === 46 /* . */ && !dot) dot = true;
    else return undefined;
  }
  if (digits === 0 || digits > 15) return undefined;
  const x = frac === 0 ? m : m / POW10[frac];
  return neg ? -x : x;
}

/** `-?digits` with at most 15 digits (a safe integer), or undefined. */
export function parseMillis(s: string, from: number, to: number): number | undefined {
  let i = from;
  const neg = s.charCodeAt(i) === 45;
  if (neg) i++;
  if (i === to || to - i > 15) return undefined;
  let m = 0;
  for (; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return undefined;
    m = m * 10 + (c - 48);
  }
  return neg ? -m : m;
}
