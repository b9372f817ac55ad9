/** Record-level routes: bulk ingest, get by id, delete by query (protocol §2.2). */
import { ApiError, badRequest } from '../../errors.js';
import { bodyText, jsonBody } from '../body.js';
import { JsonText, type AppRouter } from '../context.js';
import { validateDatasetName } from '../names.js';
import { deleteByQueryResponse } from './format.js';

export function registerRecordRoutes(router: AppRouter): void {
  router.add('POST', '/:dataset/json', async (ctx) => {
    const name = validateDatasetName(ctx.params.dataset);
    const text = bodyText(ctx.body);
    if (text.trim() === '') throw badRequest('request body is required', 'parse_exception');
    return ctx.deps.datasets.bulk(ctx.principal, name, text);
  });

  // Ids may contain `/` because the SDK interpolates them raw, hence the rest-of-path parameter.
  router.add('GET', '/:dataset/doc/*id', async (ctx) => {
    const name = validateDatasetName(ctx.params.dataset);
    const id = ctx.params.id;
    const doc = await ctx.deps.datasets.get(ctx.principal, name, id);
    if (!doc) return new JsonText(JSON.stringify({ _index: name, _id: id, found: false }), 404);
    // Splice the stored source text in verbatim: parse + stringify would reorder nothing but could
    // change number formatting and escapes, and costs time on large documents.
    return new JsonText(
      `{"_index":${JSON.stringify(name)},"_id":${JSON.stringify(doc._id)},"_version":${doc._version},` +
        `"_seq_no":${doc._seq_no},"_primary_term":1,"found":true,"_source":${doc.sourceText}}`,
    );
  });

  // Delete by query: the SDK's delete_records sends PATCH /{dataset} with the QueryDSL text.
  router.add('PATCH', '/:dataset', async (ctx) => {
    const name = validateDatasetName(ctx.params.dataset);
    const body = jsonBody(ctx.body);
    // As Elasticsearch's _delete_by_query: no query is an error, never an implicit "delete all".
    if (body === null || typeof body !== 'object' || !('query' in body)) {
      throw new ApiError(400, 'action_request_validation_exception', 'Validation Failed: 1: query is missing; send {"query": {...}} (use match_all to delete everything)');
    }
    const query = ctx.deps.parseQuery(body);
    const started = Date.now();
    const { deleted } = await ctx.deps.datasets.deleteByQuery(ctx.principal, name, query);
    return deleteByQueryResponse(started, deleted, 1);
  });
}
