/**
 * Where a piece of query text is searched, and the QueryNode each construct becomes there. Both
 * Lucene-syntax parsers (query_string, simple_query_string) share these builders so that a term,
 * a phrase or a prefix means the same thing in both.
 *
 * Field names may be patterns (`*`, `user.*`); the compiler expands them against the mapping.
 * Text queries carry them in `multi_match.fields`; term-level queries (prefix, wildcard, regexp,
 * fuzzy, range, exists) carry them in `field`, one node per pattern, because the parser has no
 * mapping to expand them with.
 */
import type { Fuzziness, MinimumShouldMatch, QueryNode } from '../ast.js';

export interface FieldSpec {
  name: string;
  boost?: number;
}

/** A set of fields: `raw` keeps the caller's spelling (`title^3`) for `multi_match.fields`. */
export interface Target {
  specs: FieldSpec[];
  raw: string[];
}

export interface TextSettings {
  operator: 'or' | 'and';
  lenient: boolean;
  /** How a text part over several fields is scored: query_string uses best_fields, simple_query_string most_fields. */
  multiType: 'best_fields' | 'most_fields';
}

/** `title^3` → {name: 'title', boost: 3}; a name without a valid `^number` suffix is kept whole. */
export function parseFieldSpec(spec: string): FieldSpec {
  const at = spec.lastIndexOf('^');
  if (at > 0) {
    const boost = Number(spec.slice(at + 1));
    if (spec.length > at + 1 && Number.isFinite(boost)) return { name: spec.slice(0, at), boost };
  }
  return { name: spec };
}

export const targetOf = (fields: string[]): Target => ({ specs: fields.map(parseFieldSpec), raw: fields });

const isPattern = (name: string) => name.includes('*');

/** The one concrete field of a target, or undefined when it spans several fields or a pattern. */
function singleField(t: Target): FieldSpec | undefined {
  return t.specs.length === 1 && !isPattern(t.specs[0].name) ? t.specs[0] : undefined;
}

/** Multiplies a node's boost, as nested Lucene BoostQuery wrappers multiply. */
export function withBoost(node: QueryNode, boost: number | undefined): QueryNode {
  if (boost === undefined || node.kind === 'match_none') return node;
  const out = { ...node };
  const product = (out.boost ?? 1) * boost;
  if (product === 1) delete out.boost;
  else out.boost = product;
  return out;
}

/** Analysed text: `match` on one field, `multi_match` over several or over a pattern. */
export function textQuery(t: Target, text: string, s: TextSettings): QueryNode {
  const options = { ...(s.operator === 'and' && { operator: 'and' as const }), ...(s.lenient && { lenient: true }) };
  const one = singleField(t);
  if (one) return withBoost({ kind: 'match', field: one.name, query: text, ...options }, one.boost);
  return { kind: 'multi_match', fields: t.raw, query: text, type: s.multiType, ...options };
}

export function phraseQuery(t: Target, text: string, slop: number, s: TextSettings): QueryNode {
  const options = { ...(slop > 0 && { slop }) };
  const one = singleField(t);
  if (one) return withBoost({ kind: 'match_phrase', field: one.name, query: text, ...options }, one.boost);
  return { kind: 'multi_match', fields: t.raw, query: text, type: 'phrase', ...options, ...(s.lenient && { lenient: true }) };
}

/**
 * A term-level query on every field of the target: the node itself for one field, otherwise a
 * dis_max of the per-field nodes (each carrying its field boost), as Elasticsearch combines them.
 */
export function perField(t: Target, make: (field: string) => QueryNode, tieBreaker: number): QueryNode {
  const nodes = t.specs.map((spec) => withBoost(make(spec.name), spec.boost));
  if (nodes.length === 1) return nodes[0];
  return { kind: 'dis_max', queries: nodes, ...(tieBreaker !== 0 && { tieBreaker }) };
}

/**
 * Elasticsearch normalises prefix and wildcard terms with the field's analyser (lowercasing on
 * text fields, nothing on keyword fields). The AST has no "normalise" flag, so a pattern holding
 * upper-case letters is matched case-insensitively: exact on text fields, broader than ES only on
 * keyword fields. An all-lower-case pattern is left case-sensitive, which is exact on both.
 */
const caseFold = (value: string) => (value !== value.toLowerCase() ? { caseInsensitive: true } : {});

export const prefixNode = (field: string, value: string): QueryNode => ({ kind: 'prefix', field, value, ...caseFold(value) });
export const wildcardNode = (field: string, value: string): QueryNode => ({ kind: 'wildcard', field, value, ...caseFold(value) });
export const fuzzyNode = (field: string, value: string, fuzziness: Fuzziness): QueryNode => ({ kind: 'fuzzy', field, value, fuzziness });

/**
 * `minimum_should_match` counts the top-level optional clauses, as Elasticsearch applies it to the
 * top-level boolean query only. A single-field `match` is that boolean once analysed (its words);
 * a multi-field text part is a dis_max, to which Elasticsearch cannot apply it either.
 */
export function applyMinimumShouldMatch(node: QueryNode, msm: MinimumShouldMatch | undefined): QueryNode {
  if (msm === undefined) return node;
  if ((node.kind === 'bool' && node.should.length > 0) || node.kind === 'match') return { ...node, minimumShouldMatch: msm };
  return node;
}
