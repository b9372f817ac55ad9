/** Response formatting shared by dataset routes. */
import type { DatasetStats, FieldMapping } from '../../engine/types.js';

/**
 * Human-readable size as Elasticsearch's cat APIs print it: binary units, one decimal truncated
 * (not rounded), a trailing ".0" dropped — 225b, 2.8kb, 1mb.
 */
export function humanSize(bytes: number): string {
  const units: Array<[string, number]> = [
    ['pb', 1024 ** 5],
    ['tb', 1024 ** 4],
    ['gb', 1024 ** 3],
    ['mb', 1024 ** 2],
    ['kb', 1024],
  ];
  for (const [suffix, size] of units) {
    if (bytes >= size) {
      const tenths = Math.floor((bytes / size) * 10);
      return (tenths % 10 === 0 ? String(tenths / 10) : (tenths / 10).toFixed(1)) + suffix;
    }
  }
  return `${Math.max(0, Math.floor(bytes))}b`;
}

/**
 * The cat-indices shape (all strings) plus the openapi/README extras — the union, so every
 * documented reader works (protocol §2.2, superset principle).
 */
export function metadataOf(s: DatasetStats): Record<string, string | number> {
  const size = humanSize(s.storeSizeBytes);
  return {
    health: 'green',
    status: 'open',
    index: s.name,
    uuid: s.uuid,
    pri: '1',
    rep: '0',
    'docs.count': String(s.docsCount),
    'docs.deleted': String(s.docsDeleted),
    'store.size': size,
    'pri.store.size': size,
    'segments.count': String(s.segmentsCount),
    docs_count: s.docsCount,
    store_size: size,
    creation_date: s.createdAt.toISOString(),
    count: s.docsCount,
  };
}

type EsProperty = { type?: string; fields?: Record<string, unknown>; properties?: Record<string, EsProperty>; [option: string]: unknown };

/** The mapping as Elasticsearch shows it: dotted paths nested back into `properties` objects. */
export function esMappingOf(fields: FieldMapping[]): { properties: Record<string, EsProperty> } {
  const root: Record<string, EsProperty> = {};
  for (const f of fields) {
    const parts = f.path.split('.');
    let level = root;
    for (const part of parts.slice(0, -1)) level = (level[part] ??= { properties: {} }).properties ??= {};
    level[parts[parts.length - 1]] = esProperty(f);
  }
  return { properties: root };
}

function esProperty(f: FieldMapping): EsProperty {
  const o = f.options;
  if (f.type === 'text') {
    const p: EsProperty = { type: 'text' };
    const sub = o ? o.keywordSubfield : 'keyword';
    if (sub) p.fields = { [sub]: { type: 'keyword', ignore_above: o?.ignoreAbove ?? 256 } };
    if (o?.norms === false) p.norms = false;
    if (o?.docsOnly) p.index_options = 'docs';
    if (o?.fielddata) p.fielddata = true;
    return p;
  }
  const p: EsProperty = { type: f.type };
  if (f.type === 'keyword' && o?.ignoreAbove !== undefined) p.ignore_above = o.ignoreAbove;
  if (f.type === 'keyword' && o?.normalizer) p.normalizer = o.normalizer;
  return p;
}

/**
 * Elasticsearch's `_delete_by_query` response. The whole delete is one engine statement, so there
 * are never conflicts, retries or throttling to report; `batches` is the caller's (ES counts 0
 * when nothing matched, the Infino route has always said 1).
 */
export function deleteByQueryResponse(started: number, deleted: number, batches: number): Record<string, unknown> {
  return {
    took: Date.now() - started,
    timed_out: false,
    total: deleted,
    deleted,
    batches,
    version_conflicts: 0,
    noops: 0,
    retries: { bulk: 0, search: 0 },
    throttled_millis: 0,
    requests_per_second: -1,
    throttled_until_millis: 0,
    failures: [],
  };
}
