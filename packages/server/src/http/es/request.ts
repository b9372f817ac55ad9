/**
 * Request helpers shared by the Elasticsearch-compatible routes: JSON bodies with ES's parse
 * errors, ES boolean parameters, and index expressions with `ignore_unavailable` /
 * `allow_no_indices`.
 */
import { ApiError, badRequest, indexNotFound } from '../../errors.js';
import type { QueryNode } from '../../query/ast.js';
import { parseSearchRequest } from '../../search/request.js';
import { bodyText } from '../body.js';
import type { Ctx } from '../context.js';
import { validateDatasetName } from '../names.js';

/** `[line:column]` of a character offset, as Elasticsearch prefixes its parse errors. */
function position(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `[${line}:${offset - before.lastIndexOf('\n')}]`;
}

/** Parse JSON text; a syntax error is ES's 400 `x_content_parse_exception` naming where it is. */
export function parseJson(text: string, what = 'request body'): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const message = (e as Error).message;
    const at = /position (\d+)/.exec(message);
    const where = at ? position(text, Number(at[1])) + ' ' : '';
    throw badRequest(`${where}Failed to parse the ${what} as JSON: ${message}`, 'x_content_parse_exception');
  }
}

/** The JSON request body, or undefined when there is none (ES treats an empty body as absent). */
export function optionalJson(body: Buffer | undefined): unknown {
  const text = bodyText(body);
  return text.trim() === '' ? undefined : parseJson(text);
}

export const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** A JSON body that must be an object (documents, update requests). */
export function objectBody(ctx: Ctx, missing: string): Record<string, unknown> {
  const body = optionalJson(ctx.body);
  if (body === undefined) throw new ApiError(400, 'action_request_validation_exception', `Validation Failed: 1: ${missing};`);
  if (!isObject(body)) throw badRequest('the request body must be a JSON object', 'x_content_parse_exception');
  return body;
}

/**
 * An Elasticsearch boolean URL parameter: absent → `fallback`; present with no value or `true` →
 * true; `false` → false; anything else is rejected as ES does.
 */
export function flag(query: URLSearchParams, name: string, fallback = false): boolean {
  const v = query.get(name);
  if (v === null) return fallback;
  if (v === '' || v === 'true') return true;
  if (v === 'false') return false;
  throw badRequest(`Failed to parse value [${v}] as only [true] or [false] are allowed (parameter [${name}])`);
}

/** The URL parameters as `parseSearchRequest` takes them (it reads the search ones, ignores the rest). */
export const searchParams = (query: URLSearchParams): Record<string, string> => Object.fromEntries(query);

export interface ResolveOptions {
  /** Skip concrete names that do not exist instead of failing with 404. */
  ignoreUnavailable?: boolean;
  /** When false, an expression that resolves to nothing is a 404 (ES default: true). */
  allowNoIndices?: boolean;
}

/** The index-resolution options a request carries as URL parameters. */
export function resolveOptions(query: URLSearchParams): ResolveOptions {
  return { ignoreUnavailable: flag(query, 'ignore_unavailable'), allowNoIndices: flag(query, 'allow_no_indices', true) };
}

const isPattern = (part: string) => part === '_all' || part.includes('*') || part.startsWith('-');

/**
 * The datasets an index expression names (`a,b`, `logs-*`, `-x`, `_all`), through the policy.
 * `ignore_unavailable` drops missing concrete names before resolution, so the rest still runs.
 */
export function resolveIndices(ctx: Ctx, expression: string, opts: ResolveOptions = {}): string[] {
  // A name no dataset can have (a reserved API path, bad characters) is the protocol's 400 (§0.2).
  for (const part of expression.split(',')) if (part.trim() !== '' && !isPattern(part.trim())) validateDatasetName(part.trim());
  let expr = expression;
  if (opts.ignoreUnavailable) {
    expr = expression
      .split(',')
      .filter((raw) => {
        const part = raw.trim();
        if (part === '' || isPattern(part)) return true;
        try {
          ctx.deps.datasets.resolve(ctx.principal, part);
          return true;
        } catch (e) {
          if (e instanceof ApiError && e.status === 404) return false;
          throw e;
        }
      })
      .join(',');
  }
  const names = ctx.deps.datasets.resolve(ctx.principal, expr);
  if (names.length === 0 && opts.allowNoIndices === false) throw indexNotFound(expression);
  return names;
}

/**
 * The query of `_count` and `_delete_by_query`, as Elasticsearch reads it: the body's `query`
 * wins; without one, `q=` (with `df`, `default_operator`); neither means every document.
 */
export function bodyOrUriQuery(ctx: Ctx, body: Record<string, unknown> | undefined): QueryNode | undefined {
  if (body?.query !== undefined) return ctx.deps.parseQuery({ query: body.query });
  if (!ctx.query.has('q')) return undefined;
  const params: Record<string, string> = {};
  for (const name of ['q', 'df', 'default_operator', 'analyzer', 'analyze_wildcard', 'lenient']) {
    const v = ctx.query.get(name);
    if (v !== null) params[name] = v;
  }
  return parseSearchRequest({}, params).query;
}

/** `_shards` for an operation over `n` single-shard datasets. */
export const shards = (n: number) => ({ total: n, successful: n, skipped: 0, failed: 0 });
