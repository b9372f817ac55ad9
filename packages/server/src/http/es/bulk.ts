/**
 * Elasticsearch `_bulk` (the engine behind `POST /{dataset}/json`) and `_delete_by_query`.
 * `refresh` is accepted and ignored on both: writes are visible as soon as they return.
 */
import { ApiError, badRequest } from '../../errors.js';
import { bodyText } from '../body.js';
import type { AppRouter, Ctx } from '../context.js';
import { deleteByQueryResponse } from '../routes/format.js';
import { validateDatasetName } from '../names.js';
import { bodyOrUriQuery, isObject, optionalJson, resolveIndices, resolveOptions } from './request.js';

const ACTIONS = new Set(['index', 'create', 'update', 'delete']);
/** Action-line metadata keys Elasticsearch knows; any other is rejected as it does. */
const META_KEYS = new Set([
  '_index', '_id', 'routing', 'if_seq_no', 'if_primary_term', 'version', 'version_type', 'pipeline',
  'require_alias', 'require_data_stream', 'retry_on_conflict', '_source', 'dynamic_templates', 'list_executed_pipelines',
]);

const malformed = (line: number, why: string) => badRequest(`Malformed action/metadata line [${line}], ${why}`);

/**
 * Elasticsearch rejects a whole bulk request whose framing is wrong (an unreadable action line,
 * an item with no index) before writing anything; the engine alone would fail just that item,
 * which is what the Infino `/json` route wants. Only action lines are parsed here.
 */
export function checkBulkFraming(text: string, defaultIndex: string | undefined): void {
  const lines = text.split('\n');
  const missingIndex: number[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (line === '') continue;
    const lineNo = i + 1;
    let action: unknown;
    try {
      action = JSON.parse(line);
    } catch (e) {
      throw malformed(lineNo, `it is not valid JSON: ${(e as Error).message}`);
    }
    if (!isObject(action)) throw malformed(lineNo, 'expected a JSON object such as {"index":{"_index":"name"}}');
    const keys = Object.keys(action);
    if (keys.length !== 1 || !ACTIONS.has(keys[0])) {
      throw malformed(lineNo, `expected field [create], [delete], [index] or [update] but found [${keys.join(', ')}]`);
    }
    const meta = action[keys[0]];
    if (!isObject(meta)) throw malformed(lineNo, `expected an object after [${keys[0]}]`);
    const unknown = Object.keys(meta).find((k) => !META_KEYS.has(k));
    if (unknown !== undefined) throw badRequest(`Action/metadata line [${lineNo}] contains an unknown parameter [${unknown}]`);
    if (meta._index === undefined && defaultIndex === undefined) missingIndex.push(lineNo);
    if (keys[0] !== 'delete') {
      // The next non-empty line is this item's source, whatever it holds.
      for (i++; i < lines.length && lines[i].trim() === ''; i++);
    }
  }
  if (missingIndex.length > 0) {
    const reasons = missingIndex.map((_, n) => `${n + 1}: index is missing;`).join('');
    throw new ApiError(400, 'action_request_validation_exception', `Validation Failed: ${reasons}`);
  }
}

async function bulkRoute(ctx: Ctx): Promise<unknown> {
  const index = ctx.params.index === undefined ? undefined : validateDatasetName(ctx.params.index);
  const text = bodyText(ctx.body);
  if (text.trim() === '') throw badRequest('request body is required', 'parse_exception');
  checkBulkFraming(text, index);
  return ctx.deps.datasets.bulk(ctx.principal, index, text);
}

/** Body keys of `_delete_by_query` we honour; `max_docs` and `slice` would change what is deleted. */
const DBQ_KEYS = new Set(['query', 'conflicts']);

async function deleteByQueryRoute(ctx: Ctx): Promise<unknown> {
  const started = Date.now();
  if (ctx.query.has('max_docs') || ctx.query.has('slices')) throw badRequest('[max_docs] and [slices] are not supported by _delete_by_query');
  const body = optionalJson(ctx.body);
  if (body !== undefined && !isObject(body)) throw badRequest('the request body must be a JSON object such as {"query": {...}}', 'parsing_exception');
  const unsupported = Object.keys(body ?? {}).find((k) => !DBQ_KEYS.has(k));
  if (unsupported !== undefined) throw badRequest(`[${unsupported}] is not supported by _delete_by_query`, 'parsing_exception');
  // As in Elasticsearch: no query is an error, never an implicit "delete everything".
  if ((!isObject(body) || body.query === undefined) && !ctx.query.has('q')) {
    throw new ApiError(400, 'action_request_validation_exception', 'Validation Failed: 1: query is missing;');
  }
  const query = bodyOrUriQuery(ctx, isObject(body) ? body : undefined);
  let deleted = 0;
  for (const name of resolveIndices(ctx, ctx.params.index, resolveOptions(ctx.query))) {
    deleted += (await ctx.deps.datasets.deleteByQuery(ctx.principal, name, query ?? { kind: 'match_all' })).deleted;
  }
  return deleteByQueryResponse(started, deleted, deleted > 0 ? 1 : 0);
}

export function registerBulkRoutes(router: AppRouter): void {
  router.add(['POST', 'PUT'], '/_bulk', bulkRoute);
  router.add(['POST', 'PUT'], '/:index/_bulk', bulkRoute);
  router.add('POST', '/:index/_delete_by_query', deleteByQueryRoute);
}
