/**
 * Elasticsearch single-document APIs: `_doc`, `_create`, `_update`, `_source`. Writes go through
 * the same bulk engine as `_bulk` and `POST /{dataset}/json` (a one-item bulk), so single and bulk
 * writes can never disagree on ids, versions or mapping. `refresh` is accepted and ignored: writes
 * are visible as soon as they return.
 */
import type { BulkAction, BulkItemResult } from '../../engine/types.js';
import { filterSource } from '../../search/source-filter.js';
import { ApiError, badRequest } from '../../errors.js';
import { bodyText } from '../body.js';
import { JsonText, type AppRouter, type Ctx } from '../context.js';
import { validateDatasetName } from '../names.js';
import { isObject, objectBody, parseJson } from './request.js';

const WRITE_SHARDS = { total: 1, successful: 1, failed: 0 };
const NO_SHARDS = { total: 0, successful: 0, failed: 0 };

/** Action-line metadata from the URL: the id and optimistic-concurrency parameters. */
function actionMeta(ctx: Ctx, id: string | undefined): Record<string, unknown> {
  const meta: Record<string, unknown> = {};
  if (id !== undefined) meta._id = id;
  const versionType = ctx.query.get('version_type');
  if (ctx.query.has('version') || (versionType !== null && versionType !== 'internal')) {
    throw badRequest('[version] and [version_type] are not supported: use [if_seq_no] and [if_primary_term] for optimistic concurrency');
  }
  if (ctx.query.has('pipeline')) throw badRequest('ingest pipelines are not supported ([pipeline] parameter)');
  const seqNo = ctx.query.get('if_seq_no');
  if (seqNo !== null) {
    if (!/^\d+$/.test(seqNo)) throw badRequest(`[if_seq_no] must be a non-negative integer, got [${seqNo}]`);
    meta.if_seq_no = Number(seqNo);
  }
  // Every dataset has a single primary term (1): any other value can never match.
  const term = ctx.query.get('if_primary_term');
  if (term !== null && term !== '1') {
    throw new ApiError(409, 'version_conflict_engine_exception', `[${id ?? ''}]: version conflict, required primary term [${term}], current primary term [1]`);
  }
  return meta;
}

/** Run one bulk item and return its result; an item failure becomes the request's error. */
async function writeOne(ctx: Ctx, index: string, action: BulkAction, meta: Record<string, unknown>, sourceLine?: string): Promise<BulkItemResult> {
  const ndjson = `${JSON.stringify({ [action]: meta })}\n${sourceLine === undefined ? '' : sourceLine + '\n'}`;
  const response = await ctx.deps.datasets.bulk(ctx.principal, index, ndjson);
  const item = Object.values(response.items[0] ?? {})[0];
  if (!item) throw new ApiError(500, 'internal_server_error', 'the bulk engine returned no item for a single-document write');
  if (item.error) throw new ApiError(item.status, item.error.type, item.error.reason);
  return item;
}

/** The single-document write response (201 created, 200 updated/noop, 404 delete of a missing id). */
function writeResponse(ctx: Ctx, item: BulkItemResult): Record<string, unknown> {
  ctx.reply.code(item.status);
  return {
    _index: item._index,
    _id: item._id,
    _version: item._version,
    result: item.result,
    _shards: item.result === 'noop' ? NO_SHARDS : WRITE_SHARDS,
    _seq_no: item._seq_no,
    _primary_term: item._primary_term ?? 1,
  };
}

/**
 * The document body as one NDJSON line. Raw line breaks can only sit between JSON tokens (inside
 * strings they must be escaped), so replacing them keeps every byte of the values as sent.
 */
function documentLine(ctx: Ctx): string {
  const text = bodyText(ctx.body);
  if (text.trim() === '') throw new ApiError(400, 'action_request_validation_exception', 'Validation Failed: 1: source is missing;');
  const doc = parseJson(text);
  if (!isObject(doc)) throw badRequest('the document must be a JSON object', 'document_parsing_exception');
  return text.replace(/[\r\n]+/g, ' ').trim();
}

function opType(ctx: Ctx, fallback: 'index' | 'create'): 'index' | 'create' {
  const v = ctx.query.get('op_type');
  if (v === null) return fallback;
  if (v === 'index' || v === 'create') return v;
  throw badRequest(`opType must be 'create' or 'index', found: [${v}]`);
}

async function indexDoc(ctx: Ctx, action: 'index' | 'create'): Promise<unknown> {
  const index = validateDatasetName(ctx.params.index);
  const item = await writeOne(ctx, index, action, actionMeta(ctx, ctx.params.id), documentLine(ctx));
  return writeResponse(ctx, item);
}

/** Keys of an update request body (ES rejects any other). */
const UPDATE_KEYS = new Set(['doc', 'upsert', 'doc_as_upsert', 'detect_noop', 'script', 'scripted_upsert', '_source']);

async function updateDoc(ctx: Ctx): Promise<unknown> {
  const index = validateDatasetName(ctx.params.index);
  const body = objectBody(ctx, 'script or doc is missing');
  const unknown = Object.keys(body).find((k) => !UPDATE_KEYS.has(k));
  if (unknown !== undefined) throw badRequest(`[UpdateRequest] unknown field [${unknown}]`, 'x_content_parse_exception');
  const item = await writeOne(ctx, index, 'update', actionMeta(ctx, ctx.params.id), JSON.stringify(body));
  return writeResponse(ctx, item);
}

async function deleteDoc(ctx: Ctx): Promise<unknown> {
  const index = validateDatasetName(ctx.params.index);
  // A delete must not create the dataset (bulk writes do): a missing index is a 404 first.
  ctx.deps.datasets.resolve(ctx.principal, index);
  return writeResponse(ctx, await writeOne(ctx, index, 'delete', actionMeta(ctx, ctx.params.id)));
}

/**
 * GET _doc's `_source` parameters: `_source=false` drops it, `_source=a,b*` or
 * `_source_includes`/`_source_excludes` filter it. Unfiltered, the stored text goes out verbatim.
 */
function sourceText(ctx: Ctx, stored: string): string | undefined {
  const q = ctx.query;
  const source = q.get('_source');
  if (source === 'false') return undefined;
  const list = (v: string | null) => (v ? v.split(',').map((x) => x.trim()).filter(Boolean) : []);
  const includes = [...(source && source !== 'true' ? list(source) : []), ...list(q.get('_source_includes'))];
  const excludes = list(q.get('_source_excludes'));
  if (includes.length === 0 && excludes.length === 0) return stored;
  return JSON.stringify(filterSource(JSON.parse(stored) as Record<string, unknown>, { includes, excludes }) ?? {});
}

async function getDoc(ctx: Ctx): Promise<JsonText> {
  const { index, id } = ctx.params;
  const doc = await ctx.deps.datasets.get(ctx.principal, index, id);
  if (!doc) return new JsonText(JSON.stringify({ _index: index, _id: id, found: false }), 404);
  const text = sourceText(ctx, doc.sourceText);
  const source = text === undefined ? '' : `,"_source":${text}`;
  return new JsonText(
    `{"_index":${JSON.stringify(index)},"_id":${JSON.stringify(doc._id)},"_version":${doc._version},` +
      `"_seq_no":${doc._seq_no},"_primary_term":1,"found":true${source}}`,
  );
}

async function getSource(ctx: Ctx): Promise<JsonText> {
  const { index, id } = ctx.params;
  const doc = await ctx.deps.datasets.get(ctx.principal, index, id);
  if (!doc) throw new ApiError(404, 'resource_not_found_exception', `Document not found [${index}]/[${id}]`);
  return new JsonText(sourceText(ctx, doc.sourceText) ?? '{}');
}

export function registerDocRoutes(router: AppRouter): void {
  router.add('GET', '/:index/_doc/:id', getDoc);
  router.add(['PUT', 'POST'], '/:index/_doc/:id', (ctx) => indexDoc(ctx, opType(ctx, 'index')));
  router.add('POST', '/:index/_doc', (ctx) => indexDoc(ctx, opType(ctx, 'index')));
  router.add('DELETE', '/:index/_doc/:id', deleteDoc);
  router.add(['PUT', 'POST'], '/:index/_create/:id', (ctx) => indexDoc(ctx, 'create'));
  router.add('POST', '/:index/_update/:id', updateDoc);
  router.add('GET', '/:index/_source/:id', getSource);
}
