/**
 * Elasticsearch index-level APIs: `_mapping`, `_field_caps`, `_stats`, `_refresh`/`_flush`,
 * `_settings`, `_resolve/index`, `_cluster/health` and multi-index `DELETE`. Each dataset is one
 * index with one primary shard and no replica.
 */
import type { DatasetStats, FieldType } from '../../engine/types.js';
import { badRequest } from '../../errors.js';
import type { AppRouter, Ctx } from '../context.js';
import { esMappingOf } from '../routes/format.js';
import { CLUSTER_NAME } from './info.js';
import { flag, resolveIndices, resolveOptions } from './request.js';

/** Names an expression resolves to, or every visible dataset when the path names none. */
const indicesOf = (ctx: Ctx) => resolveIndices(ctx, ctx.params.index ?? '_all', resolveOptions(ctx.query));

function mappingRoute(ctx: Ctx): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of indicesOf(ctx)) {
    const { properties } = esMappingOf(ctx.deps.datasets.mappings(ctx.principal, name));
    // An index without fields shows `"mappings": {}` in Elasticsearch, not empty properties.
    out[name] = { mappings: Object.keys(properties).length > 0 ? { properties } : {} };
  }
  return out;
}

type Caps = Record<string, Record<string, Record<string, unknown>>>;

function addCap(fields: Caps, path: string, type: string, index: string): void {
  const byType = (fields[path] ??= {});
  const cap = (byType[type] ??= { type, metadata_field: false, searchable: true, aggregatable: type !== 'text' && type !== 'object', indices: [] });
  (cap.indices as string[]).push(index);
}

/** Field capabilities; the `fields` parameter (comma list, `*` wildcards) picks which. */
function fieldCapsRoute(ctx: Ctx): Record<string, unknown> {
  const names = indicesOf(ctx);
  const patterns = (ctx.query.get('fields') ?? '*').split(',').map((p) => p.trim()).filter((p) => p !== '');
  const wanted = patterns.map((p) => new RegExp(`^${p.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`));
  const fields: Caps = {};
  for (const name of names) {
    for (const f of ctx.deps.datasets.mappings(ctx.principal, name)) {
      const entries: Array<[string, FieldType | 'keyword']> = [[f.path, f.type]];
      if (f.type === 'text') entries.push([`${f.path}.keyword`, 'keyword']);
      for (const [path, type] of entries) if (wanted.some((w) => w.test(path))) addCap(fields, path, type, name);
    }
  }
  // Elasticsearch lists `indices` only for a type that not every index gives the field.
  for (const byType of Object.values(fields)) {
    for (const cap of Object.values(byType)) if (Array.isArray(cap.indices) && cap.indices.length === names.length) delete cap.indices;
  }
  return { indices: names, fields };
}

function statsOf(s: DatasetStats): Record<string, unknown> {
  const docs = { count: s.docsCount, deleted: s.docsDeleted };
  const store = { size_in_bytes: s.storeSizeBytes, total_data_set_size_in_bytes: s.storeSizeBytes, reserved_in_bytes: 0 };
  return { docs, store, segments: { count: s.segmentsCount } };
}

function sumStats(all: DatasetStats[]): DatasetStats {
  const zero = { name: '_all', uuid: '', createdAt: new Date(0), docsCount: 0, docsDeleted: 0, storeSizeBytes: 0, segmentsCount: 0 };
  return all.reduce(
    (a, s) => ({
      ...a,
      docsCount: a.docsCount + s.docsCount,
      docsDeleted: a.docsDeleted + s.docsDeleted,
      storeSizeBytes: a.storeSizeBytes + s.storeSizeBytes,
      segmentsCount: a.segmentsCount + s.segmentsCount,
    }),
    zero,
  );
}

async function statsRoute(ctx: Ctx): Promise<unknown> {
  const all = await Promise.all(indicesOf(ctx).map((n) => ctx.deps.datasets.stats(ctx.principal, n)));
  const total = statsOf(sumStats(all));
  const indices: Record<string, unknown> = {};
  for (const s of all) {
    const one = statsOf(s);
    indices[s.name] = { uuid: s.uuid, health: 'green', status: 'open', primaries: one, total: one };
  }
  return { _shards: { total: all.length, successful: all.length, failed: 0 }, _all: { primaries: total, total }, indices };
}

/** `_refresh` and `_flush`: writes are durable and visible when they return, so only validate names. */
function refreshRoute(ctx: Ctx): unknown {
  const n = indicesOf(ctx).length;
  return { _shards: { total: n, successful: n, failed: 0 } };
}

function settingsOf(s: DatasetStats): Record<string, unknown> {
  return {
    settings: {
      index: { number_of_shards: '1', number_of_replicas: '0', uuid: s.uuid, provided_name: s.name, creation_date: String(s.createdAt.getTime()) },
    },
  };
}

async function getSettingsRoute(ctx: Ctx): Promise<unknown> {
  const out: Record<string, unknown> = {};
  for (const name of indicesOf(ctx)) out[name] = settingsOf(await ctx.deps.datasets.stats(ctx.principal, name));
  return out;
}

/** Settings updates are acknowledged (shards and replicas are fixed; analysis is not configurable). */
function putSettingsRoute(ctx: Ctx): unknown {
  indicesOf(ctx);
  return { acknowledged: true };
}

function resolveRoute(ctx: Ctx): unknown {
  const names = resolveIndices(ctx, ctx.params.index, resolveOptions(ctx.query));
  return { indices: names.map((name) => ({ name, attributes: ['open'] })), aliases: [], data_streams: [] };
}

function healthRoute(ctx: Ctx): unknown {
  const shards = ctx.deps.datasets.resolve(ctx.principal, '_all').length;
  return {
    cluster_name: CLUSTER_NAME,
    status: 'green',
    timed_out: false,
    number_of_nodes: 1,
    number_of_data_nodes: 1,
    active_primary_shards: shards,
    active_shards: shards,
    relocating_shards: 0,
    initializing_shards: 0,
    unassigned_shards: 0,
    unassigned_primary_shards: 0,
    delayed_unassigned_shards: 0,
    number_of_pending_tasks: 0,
    number_of_in_flight_fetch: 0,
    task_max_waiting_in_queue_millis: 0,
    active_shards_percent_as_number: 100.0,
  };
}

/**
 * `DELETE /a,b`: every named index must exist (unless `ignore_unavailable`) before any is dropped.
 * Wildcards are refused, as Elasticsearch 8 does by default (`action.destructive_requires_name`).
 */
export async function deleteIndices(ctx: Ctx, expression: string): Promise<unknown> {
  const parts = expression.split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length === 0 || parts.some((p) => p === '_all' || p.includes('*') || p.startsWith('-'))) {
    throw badRequest('Wildcard expressions or all indices are not allowed');
  }
  const names = resolveIndices(ctx, parts.join(','), { ignoreUnavailable: flag(ctx.query, 'ignore_unavailable') });
  for (const name of names) await ctx.deps.datasets.drop(ctx.principal, name);
  return { acknowledged: true };
}

export function registerIndexRoutes(router: AppRouter): void {
  for (const prefix of ['', '/:index']) {
    router.add('GET', `${prefix}/_mapping`, mappingRoute);
    router.add('GET', `${prefix}/_mappings`, mappingRoute);
    router.add(['GET', 'POST'], `${prefix}/_field_caps`, fieldCapsRoute);
    router.add('GET', `${prefix}/_stats`, statsRoute);
    router.add(['GET', 'POST'], `${prefix}/_refresh`, refreshRoute);
    router.add(['GET', 'POST'], `${prefix}/_flush`, refreshRoute);
    router.add('GET', `${prefix}/_settings`, getSettingsRoute);
  }
  router.add('PUT', '/:index/_settings', putSettingsRoute);
  router.add('GET', '/_resolve/index/:index', resolveRoute);
  router.add('GET', '/_cluster/health', healthRoute);
}
