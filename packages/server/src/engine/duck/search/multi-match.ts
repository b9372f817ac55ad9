/**
 * `multi_match` as the per-field queries Elasticsearch rewrites it into:
 * best_fields / phrase / phrase_prefix → dis_max over fields (tie_breaker, default 0);
 * most_fields / bool_prefix → bool should (scores add up);
 * cross_fields → term-centric: per token a dis_max over the fields, tokens combined by operator
 * (ES also blends the fields' term statistics; we keep each field's own — see docs/querydsl.md).
 */
import type { NodeOf, QueryNode } from '../../../query/ast.js';
import { analyzeTerms } from '../../analysis/standard.js';
import type { DatasetState } from '../catalog.js';
import { expandFields, isFullText, resolveField } from './fields.js';

export function rewriteMultiMatch(node: NodeOf<'multi_match'>, ds: DatasetState): QueryNode {
  const patterns = node.fields.length ? node.fields : ['*'];
  const lenient = node.lenient ?? patterns.some((p) => p.includes('*'));
  const fields = expandFields(ds, patterns).filter(({ path }) => {
    const ref = resolveField(ds, path);
    // Leniency (always on for `*` patterns) skips fields the text cannot be a value of.
    return ref !== undefined && (!lenient || isFullText(ref) || fits(ref.field.type, node.query));
  });
  if (fields.length === 0) return { kind: 'match_none' };
  const type = node.type ?? 'best_fields';
  const perField = (path: string, boost: number): QueryNode => {
    const b = boost === 1 ? undefined : boost;
    switch (type) {
      case 'phrase':
        return { kind: 'match_phrase', field: path, query: String(node.query), slop: node.slop, boost: b, zeroTermsQuery: node.zeroTermsQuery };
      case 'phrase_prefix':
        return { kind: 'match_phrase_prefix', field: path, query: String(node.query), slop: node.slop, boost: b };
      case 'bool_prefix':
        return { kind: 'match_bool_prefix', field: path, query: String(node.query), operator: node.operator, minimumShouldMatch: node.minimumShouldMatch, boost: b };
      default:
        return {
          kind: 'match',
          field: path,
          query: node.query,
          operator: node.operator,
          minimumShouldMatch: node.minimumShouldMatch,
          fuzziness: node.fuzziness,
          lenient,
          zeroTermsQuery: node.zeroTermsQuery,
          boost: b,
        };
    }
  };
  if (type === 'cross_fields') return crossFields(node, fields, lenient);
  const queries = fields.map(({ path, boost }) => perField(path, boost));
  const single = queries.length === 1 ? queries[0] : undefined;
  if (type === 'most_fields' || type === 'bool_prefix') {
    return single && node.boost === undefined ? single : { kind: 'bool', must: [], filter: [], should: queries, mustNot: [], boost: node.boost };
  }
  return { kind: 'dis_max', queries, tieBreaker: node.tieBreaker ?? 0, boost: node.boost };
}

function crossFields(node: NodeOf<'multi_match'>, fields: Array<{ path: string; boost: number }>, lenient: boolean): QueryNode {
  const tokens = analyzeTerms(String(node.query));
  if (tokens.length === 0) return { kind: 'match_none' };
  const clauses: QueryNode[] = tokens.map((t) => ({
    kind: 'dis_max',
    tieBreaker: node.tieBreaker ?? 0,
    queries: fields.map(({ path, boost }) => ({ kind: 'match', field: path, query: t, lenient, boost: boost === 1 ? undefined : boost })),
  }));
  const and = node.operator === 'and';
  return {
    kind: 'bool',
    must: and ? clauses : [],
    should: and ? [] : clauses,
    filter: [],
    mustNot: [],
    minimumShouldMatch: and ? undefined : node.minimumShouldMatch,
    boost: node.boost,
  };
}

/** Whether a query value could be a value of an exact-typed field (what `lenient` checks). */
function fits(type: string, value: unknown): boolean {
  const s = String(value).trim();
  switch (type) {
    case 'long':
    case 'double':
      return s !== '' && Number.isFinite(Number(s));
    case 'boolean':
      return s === 'true' || s === 'false';
    case 'date':
      return !Number.isNaN(Date.parse(s));
    default:
      return true;
  }
}
