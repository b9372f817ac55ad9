/**
 * The plain highlighter: re-analyse a text field's stored value, wrap the tokens the query matched
 * on that field in pre/post tags, and cut fragments of about `fragment_size` characters around them.
 */
import type { QueryNode } from '../../../query/ast.js';
import type { HighlightSpec } from '../../../search/types.js';
import { analyzeTerms, analyzeTokens } from '../../analysis/standard.js';
import type { DatasetState } from '../catalog.js';
import { globToRegExp } from '../../../query/glob.js';
import { expandFields } from './fields.js';
import { fuzzyDistance, wildcardToLike } from './leaves.js';

type TermTest = (term: string) => boolean;

/** Per field path: tests that say whether a token was matched by the query. */
export function queryTermTests(node: QueryNode, ds: DatasetState, out = new Map<string, TermTest[]>()): Map<string, TermTest[]> {
  const add = (field: string, test: TermTest) => {
    const list = out.get(field) ?? [];
    list.push(test);
    out.set(field, list);
  };
  const exact = (terms: string[]) => {
    const set = new Set(terms);
    return (t: string) => set.has(t);
  };
  switch (node.kind) {
    case 'term':
      add(node.field, exact([String(node.value)]));
      break;
    case 'terms':
      add(node.field, exact(node.values.map(String)));
      break;
    case 'match':
    case 'match_phrase':
    case 'match_bool_prefix':
    case 'match_phrase_prefix': {
      const tokens = analyzeTerms(String(node.query));
      add(node.field, exact(tokens));
      const last = tokens[tokens.length - 1];
      if (last && (node.kind === 'match_phrase_prefix' || node.kind === 'match_bool_prefix')) add(node.field, (t) => t.startsWith(last));
      if (node.kind === 'match' && node.fuzziness !== undefined) {
        for (const tok of tokens) {
          const d = fuzzyDistance(node.fuzziness, tok);
          add(node.field, (t) => editDistance(t, tok) <= d);
        }
      }
      break;
    }
    case 'multi_match':
      for (const { path } of expandFields(ds, node.fields.length ? node.fields : ['*'])) {
        queryTermTests({ kind: 'match', field: path, query: node.query, fuzziness: node.fuzziness }, ds, out);
      }
      break;
    case 'prefix':
      add(node.field, (t) => t.startsWith(node.value.toLowerCase()));
      break;
    case 'wildcard': {
      const re = new RegExp(`^${wildcardToLike(node.value.toLowerCase()).replace(/[.+^${}()|[\]]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')}$`);
      add(node.field, (t) => re.test(t));
      break;
    }
    case 'regexp': {
      try {
        const re = new RegExp(`^(?:${node.value})$`);
        add(node.field, (t) => re.test(t));
      } catch {
        // an invalid pattern already failed the search
      }
      break;
    }
    case 'fuzzy': {
      const d = fuzzyDistance(node.fuzziness ?? 'AUTO', node.value);
      add(node.field, (t) => editDistance(t, node.value.toLowerCase()) <= d);
      break;
    }
    case 'bool':
      for (const q of [...node.must, ...node.should, ...node.filter]) queryTermTests(q, ds, out);
      break;
    case 'constant_score':
      queryTermTests(node.filter, ds, out);
      break;
    case 'boosting':
      queryTermTests(node.positive, ds, out);
      break;
    case 'dis_max':
      for (const q of node.queries) queryTermTests(q, ds, out);
      break;
    case 'function_score':
      queryTermTests(node.query, ds, out);
      break;
    default:
      break;
  }
  return out;
}

export function highlightSource(
  ds: DatasetState,
  source: Record<string, unknown>,
  spec: HighlightSpec,
  tests: Map<string, TermTest[]>,
): Record<string, string[]> | undefined {
  const out: Record<string, string[]> = {};
  for (const fieldSpec of spec.fields) {
    const re = globToRegExp(fieldSpec.pattern);
    for (const f of ds.mapping.list()) {
      if (f.type !== 'text' || !re.test(f.path)) continue;
      const fieldTests = tests.get(f.path) ?? (fieldSpec.requireFieldMatch ?? spec.requireFieldMatch ?? true ? [] : [...tests.values()].flat());
      if (fieldTests.length === 0) continue;
      const values = valuesAt(source, f.path);
      const pre = fieldSpec.preTags?.[0] ?? spec.preTags?.[0] ?? '<em>';
      const post = fieldSpec.postTags?.[0] ?? spec.postTags?.[0] ?? '</em>';
      const size = fieldSpec.fragmentSize ?? spec.fragmentSize ?? 100;
      const count = fieldSpec.numberOfFragments ?? spec.numberOfFragments ?? 5;
      const fragments: string[] = [];
      for (const text of values) fragments.push(...highlightText(text, (t) => fieldTests.some((test) => test(t)), pre, post, size, count));
      if (fragments.length) out[f.path] = count > 0 ? fragments.slice(0, count) : fragments;
    }
  }
  return Object.keys(out).length ? out : undefined;
}

function highlightText(text: string, matches: TermTest, pre: string, post: string, size: number, count: number): string[] {
  const hits = analyzeTokens(text).filter((t) => matches(t.term));
  if (hits.length === 0) return [];
  const wrap = (from: number, to: number) => {
    let s = '';
    let at = from;
    for (const h of hits) {
      if (h.startOffset < from || h.endOffset > to) continue;
      s += text.slice(at, h.startOffset) + pre + text.slice(h.startOffset, h.endOffset) + post;
      at = h.endOffset;
    }
    return s + text.slice(at, to);
  };
  if (count === 0 || text.length <= size) return [wrap(0, text.length)];
  // Fragments of about `size` characters, each starting at the fragment boundary before a hit.
  const fragments: string[] = [];
  let covered = -1;
  for (const h of hits) {
    if (h.startOffset < covered) continue;
    const start = Math.floor(h.startOffset / size) * size;
    const end = Math.min(text.length, Math.max(start + size, h.endOffset));
    fragments.push(wrap(start, end).trim());
    covered = end;
  }
  return fragments;
}

function valuesAt(source: unknown, path: string): string[] {
  const out: string[] = [];
  const walk = (v: unknown, rest: string[]) => {
    if (Array.isArray(v)) return v.forEach((x) => walk(x, rest));
    if (rest.length === 0) {
      if (typeof v === 'string') out.push(v);
      return;
    }
    if (v === null || typeof v !== 'object') return;
    const obj = v as Record<string, unknown>;
    // Keys may themselves hold dots (`{"a.b": 1}`): try the longest key first.
    for (let i = rest.length; i > 0; i--) {
      const key = rest.slice(0, i).join('.');
      if (key in obj) walk(obj[key], rest.slice(i));
    }
  };
  walk(source, path.split('.'));
  return out;
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) dp[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      dp[i][j] = Math.min(dp[i - 1][j] + 1, dp[i][j - 1] + 1, dp[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) dp[i][j] = Math.min(dp[i][j], dp[i - 2][j - 2] + 1);
    }
  }
  return dp[a.length][b.length];
}
