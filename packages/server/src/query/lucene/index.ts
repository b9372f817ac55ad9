/**
 * Lucene query syntax → QueryNode: Elasticsearch's `query_string` query (also behind the `q=`
 * URI parameter) and `simple_query_string`. Pure functions; the field patterns and analysed text
 * they leave in the AST are resolved by the compiler against the mapping.
 */
import { ApiError } from '../../errors.js';
import type { QueryNode } from '../ast.js';
import { LuceneSyntaxError, tokenize } from './lexer.js';
import { QueryStringParser } from './parser.js';
import { applyMinimumShouldMatch, targetOf, withBoost } from './targets.js';

export { parseSimpleQueryString } from './simple.js';

export interface QueryStringOptions {
  query: string;
  /** Field searched by words without a field; defaults to `*` (all fields). Exclusive with `fields`. */
  defaultField?: string;
  /** Fields searched by words without a field; may hold boosts `title^3` and patterns `*_name`. */
  fields?: string[];
  defaultOperator?: 'or' | 'and';
  allowLeadingWildcard?: boolean;
  /** Ignore format errors (text on a numeric field). Defaults to true when searching all fields, as in ES. */
  lenient?: boolean;
  /** Edit distance of `term~` without a number; AUTO by default. */
  fuzziness?: string | number;
  phraseSlop?: number;
  minimumShouldMatch?: string | number;
  boost?: number;
  /** Accepted for compatibility; prefix and wildcard terms are matched as described in targets.ts. */
  analyzeWildcard?: boolean;
}

/** query_string / `q=`: a syntax error is a 400 `query_shard_exception`, as Elasticsearch reports it. */
export function parseQueryString(opts: QueryStringOptions): QueryNode {
  const { query } = opts;
  const fields = opts.fields ?? [];
  if (opts.defaultField !== undefined && fields.length > 0) {
    throw new ApiError(
      400,
      'query_shard_exception',
      'failed to create query: Validation Failed: 1: cannot use [fields] parameter in conjunction with [default_field];',
    );
  }
  // Elasticsearch answers a blank query with no documents (Java's trim: code points up to U+0020).
  if ([...query].every((c) => c <= ' ')) return { kind: 'match_none' };

  // Lucene's default field is `*`, the default_field, or none when a `fields` list is given.
  const defaultField = fields.length > 0 ? null : (opts.defaultField ?? '*');
  const defaultTarget = targetOf(fields);
  const allFields = defaultField === '*' || defaultTarget.specs.some((s) => s.name === '*');
  const parser = new QueryStringParser({
    defaultField,
    defaultTarget,
    operator: opts.defaultOperator ?? 'or',
    lenient: opts.lenient ?? allFields,
    multiType: 'best_fields',
    allowLeadingWildcard: opts.allowLeadingWildcard ?? true,
    fuzziness: opts.fuzziness ?? 'AUTO',
    phraseSlop: opts.phraseSlop ?? 0,
  });

  let node: QueryNode | null;
  try {
    node = parser.parse(tokenize(query));
  } catch (e) {
    if (!(e instanceof LuceneSyntaxError)) throw e;
    throw new ApiError(400, 'query_shard_exception', `Failed to parse query [${query}]: Cannot parse '${query}': ${e.message}`);
  }
  if (node === null) return { kind: 'match_none' };
  return withBoost(applyMinimumShouldMatch(node, opts.minimumShouldMatch), opts.boost);
}
