/**
 * The scenarios' `expected` check, with the semantics of Quickwit's runner (the one their authors
 * validated against Elasticsearch): objects match as subsets, arrays must have the same length
 * and match element by element, scalars must be equal and of the same kind, and an object holding
 * `$expect` is judged by that expression alone — its sibling keys are ignored, as upstream does
 * (some scenarios carry sibling keys that would not hold on Elasticsearch either).
 */
import { evaluate, truthy } from './expr.js';

/** Python's view of a JSON value's type; int and float are one kind here (JSON cannot tell). */
function kind(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (Array.isArray(v)) return 'list';
  if (typeof v === 'object') return 'dict';
  return typeof v;
}

const at = (path: string) => (path === '' ? '<root>' : path);

/** Throws an Error naming the first mismatch and where it is. */
export function checkResult(result: unknown, expected: unknown, path = ''): void {
  if (expected !== null && typeof expected === 'object' && !Array.isArray(expected) && '$expect' in expected) {
    const raw = (expected as { $expect: unknown }).$expect;
    for (const expr of Array.isArray(raw) ? raw : [raw]) {
      if (typeof expr !== 'string') throw new Error(`$expect at ${at(path)} is not a string`);
      let ok: boolean;
      try {
        ok = truthy(evaluate(expr, result));
      } catch (e) {
        throw new Error(`$expect \`${expr}\` at ${at(path)} raised ${(e as Error).message}; value: ${JSON.stringify(result)}`, { cause: e });
      }
      if (!ok) throw new Error(`$expect \`${expr}\` failed at ${at(path)}; value: ${JSON.stringify(result)}`);
    }
    return;
  }
  if (kind(result) !== kind(expected)) {
    throw new Error(`wrong type at ${at(path)}: got ${kind(result)} ${JSON.stringify(result)}, expected ${kind(expected)} ${JSON.stringify(expected)}`);
  }
  if (Array.isArray(expected)) {
    const got = result as unknown[];
    if (got.length !== expected.length) {
      throw new Error(`wrong length at ${at(path)}: got ${got.length}, expected ${expected.length}`);
    }
    expected.forEach((e, i) => checkResult(got[i], e, `${path}[${i}]`));
  } else if (kind(expected) === 'dict') {
    const got = result as Record<string, unknown>;
    for (const [k, v] of Object.entries(expected as Record<string, unknown>)) {
      // Upstream reads keys with `.get`, so a key holding null counts as missing too.
      if (got[k] === null || got[k] === undefined) throw new Error(`missing key \`${k}\` at ${at(path)}`);
      checkResult(got[k], v, `${path}.${k}`);
    }
  } else if (result !== expected) {
    throw new Error(`expected ${JSON.stringify(expected)} at ${at(path)}, got ${JSON.stringify(result)}`);
  }
}

/** What a step's outcome needs: the response status and its parsed JSON body. */
export interface Observed {
  status: number;
  text: string;
  json: unknown;
}

const excerpt = (text: string) => (text.length > 1500 ? `${text.slice(0, 1500)}…` : text);

/** A step passes when the status is the one asked for (200 unless `status_code` says otherwise; null: any) and `expected` matches. */
export function checkResponse(step: { status_code?: number | null; expected?: unknown }, res: Observed): void {
  const status = 'status_code' in step ? step.status_code : 200;
  if (status !== null && status !== undefined && res.status !== status) {
    throw new Error(`status ${res.status}, expected ${status}; body: ${excerpt(res.text)}`);
  }
  if (step.expected === null || step.expected === undefined) return;
  if (res.json === undefined) throw new Error(`response is not JSON: ${excerpt(res.text)}`);
  try {
    checkResult(res.json, step.expected);
  } catch (e) {
    throw new Error(`${(e as Error).message}\nresponse: ${excerpt(res.text)}`, { cause: e });
  }
}
