/**
 * Elasticsearch `_search`, `_count` and `_msearch`. Parsing is search/request.ts's job and
 * execution the engine's (through DatasetService); these handlers only frame requests and
 * responses the way Elasticsearch does.
 */
import { ApiError, asSearchPhase, badRequest } from '../../errors.js';
import { parseSearchRequest } from '../../search/request.js';
import type { SearchResponse } from '../../search/types.js';
import { bodyText } from '../body.js';
import type { AppRouter, Ctx } from '../context.js';
import { bodyOrUriQuery, flag, isObject, optionalJson, parseJson, resolveIndices, resolveOptions, searchParams, shards, type ResolveOptions } from './request.js';

/** The index expression of a request: the `{index}` path segment, else every dataset. */
const expressionOf = (ctx: Ctx) => ctx.params.index ?? '_all';

async function search(ctx: Ctx, expression: string, body: unknown, params: Record<string, string>, opts: ResolveOptions): Promise<SearchResponse> {
  // As in Elasticsearch, a malformed request is a 400 before any index is looked at; errors
  // raised while running it come back as a search_phase_execution_exception.
  return asSearchPhase(
    expression,
    () => parseSearchRequest(body ?? {}, params),
    (request) => ctx.deps.datasets.search(ctx.principal, resolveIndices(ctx, expression, opts).join(','), request),
  );
}

/** `rest_total_hits_as_int=true`: `hits.total` as a bare number (pre-7.0 clients, some dashboards). */
function totalAsInt(response: SearchResponse): unknown {
  const { hits } = response;
  return { ...response, hits: { ...hits, total: hits.total?.value ?? -1 } };
}

function rejectScroll(query: URLSearchParams): void {
  if (query.has('scroll')) throw badRequest('[scroll] is not supported: page with [search_after] (and a sort) instead');
}

async function searchRoute(ctx: Ctx): Promise<unknown> {
  rejectScroll(ctx.query);
  const response = await search(ctx, expressionOf(ctx), optionalJson(ctx.body), searchParams(ctx.query), resolveOptions(ctx.query));
  return flag(ctx.query, 'rest_total_hits_as_int') ? totalAsInt(response) : response;
}

/** `_count` accepts a body with `query` only. */
function countBody(ctx: Ctx): Record<string, unknown> | undefined {
  const body = optionalJson(ctx.body);
  if (body === undefined) return undefined;
  if (!isObject(body)) throw badRequest('the request body must be a JSON object such as {"query": {...}}', 'parsing_exception');
  const extra = Object.keys(body).find((k) => k !== 'query');
  if (extra !== undefined) throw badRequest(`request does not support [${extra}]`, 'parsing_exception');
  return body;
}

async function countRoute(ctx: Ctx): Promise<unknown> {
  const query = bodyOrUriQuery(ctx, countBody(ctx));
  const names = resolveIndices(ctx, expressionOf(ctx), resolveOptions(ctx.query));
  const counts = await Promise.all(names.map((n) => ctx.deps.datasets.count(ctx.principal, n, query)));
  return { count: counts.reduce((a, b) => a + b, 0), _shards: shards(names.length) };
}

/** Keys Elasticsearch accepts in an `_msearch` header line. */
const HEADER_KEYS = new Set([
  'index', 'indices', 'search_type', 'ccs_minimize_roundtrips', 'request_cache', 'routing', 'preference',
  'allow_partial_search_results', 'ignore_unavailable', 'allow_no_indices', 'expand_wildcards', 'ignore_throttled',
]);

interface MsearchItem {
  expression: string;
  body: unknown;
  opts: ResolveOptions;
}

const headerFlag = (v: unknown, key: string, line: number): boolean | undefined => {
  if (v === undefined) return undefined;
  if (typeof v === 'boolean') return v;
  if (v === 'true' || v === 'false') return v === 'true';
  throw badRequest(`_msearch header on line [${line}]: [${key}] must be true or false`);
};

/**
 * Split the NDJSON body into header/body pairs. Framing errors (a header that is not a JSON
 * object, a header without a body, a body that is not JSON) fail the whole request, as in
 * Elasticsearch: the pairs cannot be matched up reliably after one.
 */
function parseMsearch(text: string, defaultExpression: string): MsearchItem[] {
  const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  if (lines.length > 0 && lines[lines.length - 1].trim() === '') lines.pop();
  const items: MsearchItem[] = [];
  let i = 0;
  // A leading empty line is tolerated, as Elasticsearch does.
  if (lines.length > 0 && lines[0].trim() === '') i++;
  while (i < lines.length) {
    const headerLine = i + 1;
    const headerText = lines[i].trim();
    const header = headerText === '' ? {} : parseJson(headerText, `_msearch header on line [${headerLine}]`);
    if (!isObject(header)) throw badRequest(`_msearch header on line [${headerLine}] must be a JSON object`, 'x_content_parse_exception');
    for (const key of Object.keys(header)) {
      if (!HEADER_KEYS.has(key)) throw badRequest(`key [${key}] is not supported in the metadata section (line [${headerLine}])`);
    }
    if (i + 1 >= lines.length) throw badRequest(`_msearch header on line [${headerLine}] has no search body line after it`);
    const bodyText = lines[i + 1].trim();
    const body = bodyText === '' ? {} : parseJson(bodyText, `_msearch search body on line [${headerLine + 1}]`);
    const index = header.index ?? header.indices;
    let expression = defaultExpression;
    if (typeof index === 'string' && index !== '') expression = index;
    else if (Array.isArray(index) && index.length > 0 && index.every((x) => typeof x === 'string')) expression = index.join(',');
    else if (index !== undefined) throw badRequest(`_msearch header on line [${headerLine}]: [index] must be a string or an array of strings`);
    items.push({
      expression,
      body,
      opts: {
        ignoreUnavailable: headerFlag(header.ignore_unavailable, 'ignore_unavailable', headerLine),
        allowNoIndices: headerFlag(header.allow_no_indices, 'allow_no_indices', headerLine),
      },
    });
    i += 2;
  }
  return items;
}

async function msearchRoute(ctx: Ctx): Promise<unknown> {
  rejectScroll(ctx.query);
  const started = Date.now();
  const items = parseMsearch(bodyText(ctx.body), expressionOf(ctx));
  if (items.length === 0) throw new ApiError(400, 'action_request_validation_exception', 'Validation Failed: 1: no requests added;');
  const asInt = flag(ctx.query, 'rest_total_hits_as_int');
  const defaults = resolveOptions(ctx.query);
  // One failing search is an error entry with its status; the others still answer.
  const responses = await Promise.all(
    items.map(async (item) => {
      try {
        const response = await search(ctx, item.expression, item.body, {}, { ...defaults, ...dropUndefined(item.opts) });
        return { ...(asInt ? (totalAsInt(response) as object) : response), status: 200 };
      } catch (e) {
        if (e instanceof ApiError) return e.toBody();
        throw e;
      }
    }),
  );
  return { took: Date.now() - started, responses };
}

const dropUndefined = (o: ResolveOptions): ResolveOptions =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as ResolveOptions;

export function registerSearchRoutes(router: AppRouter): void {
  for (const prefix of ['', '/:index']) {
    router.add(['GET', 'POST'], `${prefix}/_search`, searchRoute);
    router.add(['GET', 'POST'], `${prefix}/_count`, countRoute);
    router.add(['GET', 'POST'], `${prefix}/_msearch`, msearchRoute);
  }
}
