/**
 * Matches an actual Elasticsearch response against an expected fragment of it (the corpus format,
 * see README.md). Returns one message per mismatch, each naming its JSON path, so a failing case
 * says exactly what differs instead of dumping two large objects.
 */

/** Relative tolerance for non-integer expectations: ES computes scores in float32. */
export const RELATIVE_TOLERANCE = 1e-4;

const OPERATORS = ['$any', '$absent', '$exact', '$match', '$unordered', '$contains', '$prefix'] as const;
type Operator = (typeof OPERATORS)[number];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `{"$op": arg}` with exactly one key that is a known operator. */
function operatorOf(expected: unknown): Operator | undefined {
  if (!isObject(expected)) return undefined;
  const keys = Object.keys(expected);
  if (keys.length !== 1 || !keys[0].startsWith('$')) return undefined;
  if (!(OPERATORS as readonly string[]).includes(keys[0])) throw new Error(`unknown matcher ${keys[0]}`);
  return keys[0] as Operator;
}

function show(v: unknown): string {
  const s = v === undefined ? 'undefined' : JSON.stringify(v);
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}

function numbersMatch(expected: number, actual: number): boolean {
  if (Number.isInteger(expected)) return actual === expected;
  return Math.abs(actual - expected) <= Math.max(RELATIVE_TOLERANCE * Math.abs(expected), 1e-9);
}

/** Each expected element matched by a distinct actual element (small arrays: plain backtracking). */
function assignAll(expected: unknown[], actual: unknown[], exact: boolean): boolean {
  const used = new Array<boolean>(actual.length).fill(false);
  const place = (i: number): boolean => {
    if (i === expected.length) return true;
    for (let j = 0; j < actual.length; j++) {
      if (used[j] || match(expected[i], actual[j], '', exact).length > 0) continue;
      used[j] = true;
      if (place(i + 1)) return true;
      used[j] = false;
    }
    return false;
  };
  return place(0);
}

function matchOperator(op: Operator, arg: unknown, actual: unknown, path: string, exact: boolean): string[] {
  switch (op) {
    case '$any':
      return actual === undefined ? [`${path}: missing (expected any value)`] : [];
    case '$absent':
      return actual === undefined ? [] : [`${path}: expected absent, got ${show(actual)}`];
    case '$exact':
      return match(arg, actual, path, true);
    case '$match':
      return typeof actual === 'string' && new RegExp(String(arg)).test(actual)
        ? []
        : [`${path}: expected a string matching /${String(arg)}/, got ${show(actual)}`];
    case '$unordered':
    case '$contains':
    case '$prefix': {
      const want = arg as unknown[];
      if (!Array.isArray(actual)) return [`${path}: expected an array, got ${show(actual)}`];
      if (op === '$prefix') {
        if (actual.length < want.length) return [`${path}: expected at least ${want.length} elements, got ${actual.length}`];
        return want.flatMap((w, i) => match(w, actual[i], `${path}[${i}]`, exact));
      }
      if (op === '$unordered' && actual.length !== want.length) {
        return [`${path}: expected ${want.length} elements in any order, got ${actual.length}: ${show(actual)}`];
      }
      return assignAll(want, actual, exact) ? [] : [`${path}: elements ${show(want)} not all found in ${show(actual)}`];
    }
  }
}

/**
 * Mismatches between `expected` (a fragment, possibly with `$` operators) and `actual`. With
 * `exact`, objects may not carry extra keys (used under `$exact`).
 */
export function match(expected: unknown, actual: unknown, path = '$', exact = false): string[] {
  const op = operatorOf(expected);
  if (op) return matchOperator(op, (expected as Record<string, unknown>)[op], actual, path, exact);
  if (expected === null || typeof expected !== 'object') {
    if (typeof expected === 'number' && typeof actual === 'number') {
      return numbersMatch(expected, actual) ? [] : [`${path}: expected ${expected}, got ${actual}`];
    }
    return expected === actual ? [] : [`${path}: expected ${show(expected)}, got ${show(actual)}`];
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return [`${path}: expected an array, got ${show(actual)}`];
    if (actual.length !== expected.length) {
      return [`${path}: expected ${expected.length} elements, got ${actual.length}: ${show(actual)}`];
    }
    return expected.flatMap((e, i) => match(e, actual[i], `${path}[${i}]`, exact));
  }
  if (!isObject(actual)) return [`${path}: expected an object, got ${show(actual)}`];
  const problems: string[] = [];
  for (const [k, e] of Object.entries(expected)) problems.push(...match(e, actual[k], `${path}.${k}`, exact));
  if (exact) {
    for (const k of Object.keys(actual)) if (!(k in expected)) problems.push(`${path}.${k}: unexpected key`);
  }
  return problems;
}
