/** Dataset-level routes: create, delete, list, metadata, schema, count (protocol §2.2). */
import type { FieldType } from '../../engine/types.js';
import { jsonBody } from '../body.js';
import type { AppRouter, Ctx } from '../context.js';
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

  // Any settings/mappings body is accepted and ignored, so ES-style `PUT /name {...}` still works.
  router.add('PUT', '/:dataset', async (ctx) => {
    const name = datasetOf(ctx);
    await ctx.deps.datasets.create(ctx.principal, name);
    ctx.reply.code(201);
    return { acknowledged: true, shards_acknowledged: true, index: name };
  });

  router.add('DELETE', '/:dataset', async (ctx) => {
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

  // Optional body `{"query": {...}}` counts matching documents, as Elasticsearch's _count does.
  router.add(['GET', 'POST'], '/:dataset/_count', async (ctx) => {
    const name = datasetOf(ctx);
    const body = jsonBody(ctx.body, false);
    const query = body === undefined ? undefined : ctx.deps.parseQuery(body);
    return { count: await ctx.deps.datasets.count(ctx.principal, name, query) };
  });
}
