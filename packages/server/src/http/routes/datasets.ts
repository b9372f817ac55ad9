/** Dataset-level routes: create, delete, list, metadata, schema (protocol §2.2); `_count` is in es/. */
import type { FieldType } from '../../engine/types.js';
import { jsonBody } from '../body.js';
import type { AppRouter, Ctx } from '../context.js';
import { deleteIndices } from '../es/indices.js';
import { validateDatasetName } from '../names.js';
import { esMappingOf, metadataOf } from './format.js';

const INFINO_TYPES: Record<FieldType, string> = {
  text: 'String',
  keyword: 'String',
  long: 'Integer',
  double: 'Float',
  date: 'ISO8601Date',
  boolean: 'Boolean',
  object: 'Object',
};

const datasetOf = (ctx: Ctx) => validateDatasetName(ctx.params.dataset);

export function registerDatasetRoutes(router: AppRouter): void {
  router.add('GET', '/metadata', async ({ deps, principal }) => (await deps.datasets.list(principal)).map(metadataOf));

  // An ES-style body may carry `mappings` (honoured) and `settings` (normalizers read; the rest ignored).
  router.add('PUT', '/:dataset', async (ctx) => {
    const name = datasetOf(ctx);
    const body = jsonBody(ctx.body, false) as { mappings?: unknown; settings?: unknown } | undefined;
    const isObj = body !== null && typeof body === 'object' && !Array.isArray(body);
    await ctx.deps.datasets.create(ctx.principal, name, isObj ? body.mappings : undefined, isObj ? body.settings : undefined);
    return { acknowledged: true, shards_acknowledged: true, index: name };
  });

  // Elasticsearch's multi-index form (`DELETE /a,b`, `ignore_unavailable`) lives with the ES routes.
  router.add('DELETE', '/:dataset', async (ctx) => {
    if (/[,*]/.test(ctx.params.dataset) || ctx.query.has('ignore_unavailable')) return deleteIndices(ctx, ctx.params.dataset);
    await ctx.deps.datasets.drop(ctx.principal, datasetOf(ctx));
    return { acknowledged: true };
  });

  // Elasticsearch's GET /{index}; HEAD /{index} (an existence check: 200 or 404) comes with it.
  router.add('GET', '/:dataset', async (ctx) => {
    const name = datasetOf(ctx);
    const stats = await ctx.deps.datasets.stats(ctx.principal, name);
    const settings = {
      index: {
        number_of_shards: '1',
        number_of_replicas: '0',
        uuid: stats.uuid,
        provided_name: name,
        creation_date: String(stats.createdAt.getTime()),
      },
    };
    return { [name]: { aliases: {}, mappings: esMappingOf(ctx.deps.datasets.mappings(ctx.principal, name)), settings } };
  });

  router.add('GET', '/:dataset/metadata', async (ctx) => metadataOf(await ctx.deps.datasets.stats(ctx.principal, datasetOf(ctx))));

  // A pure field → info map (the SDK examples call .get("infino_type") on every value). The
  // implicit `.keyword` sub-field of text fields is not listed: it is not a separate source field.
  router.add('GET', '/:dataset/_schema', (ctx) => {
    const name = datasetOf(ctx);
    const out: Record<string, { source: string; infino_type: string }> = {};
    for (const f of ctx.deps.datasets.mappings(ctx.principal, name)) {
      out[f.path] = { source: name, infino_type: INFINO_TYPES[f.type] ?? 'String' };
    }
    return out;
  });
}
