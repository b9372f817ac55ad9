/**
 * A tiny in-memory Engine for routing/auth tests: enough behaviour to exercise every handler
 * without depending on the storage engine under construction.
 */
import { ApiError, indexNotFound } from '../src/errors.js';
import type { BulkResponse, DatasetInfo, DatasetStats, Engine, FieldMapping, MetricsEngine, StoredDoc } from '../src/engine/types.js';
import type { QueryNode } from '../src/query/ast.js';
import type { SearchRequest, SearchResponse } from '../src/search/types.js';
import type { Database } from '../src/storage/database.js';

interface FakeDataset {
  info: DatasetInfo;
  docs: Map<string, StoredDoc>;
}

export class FakeEngine implements Engine {
  readonly datasets = new Map<string, FakeDataset>();
  readonly calls: Array<{ op: string; name?: string; query?: QueryNode; body?: string }> = [];
  closed = false;

  constructor(private readonly db?: Database) {}

  async createDataset(name: string): Promise<DatasetInfo> {
    if (this.datasets.has(name)) throw new ApiError(409, 'resource_already_exists_exception', `index [${name}] already exists`);
    const info = { name, uuid: `${name}-uuid`, createdAt: new Date('2025-01-15T10:30:00Z') };
    this.datasets.set(name, { info, docs: new Map() });
    return info;
  }
  async dropDataset(name: string): Promise<void> {
    if (!this.datasets.delete(name)) throw indexNotFound(name);
  }
  listDatasets(): DatasetInfo[] {
    return [...this.datasets.values()].map((d) => d.info);
  }
  hasDataset(name: string): boolean {
    return this.datasets.has(name);
  }
  async stats(name: string): Promise<DatasetStats> {
    const d = this.req(name);
    const size = [...d.docs.values()].reduce((n, x) => n + x.sourceText.length, 0);
    return { ...d.info, docsCount: d.docs.size, docsDeleted: 0, storeSizeBytes: size, segmentsCount: 1 };
  }
  mappings(name: string): FieldMapping[] {
    this.req(name);
    return [
      { path: '@timestamp', type: 'date', multi: false },
      { path: 'name', type: 'text', multi: false },
      { path: 'price', type: 'double', multi: false },
      { path: 'qty', type: 'long', multi: false },
      { path: 'ok', type: 'boolean', multi: false },
      { path: 'tag', type: 'keyword', multi: true },
    ];
  }
  async bulk(defaultDataset: string | undefined, ndjson: string, canWrite: (d: string) => void): Promise<BulkResponse> {
    this.calls.push({ op: 'bulk', name: defaultDataset, body: ndjson });
    const name = defaultDataset!;
    canWrite(name);
    if (!this.datasets.has(name)) await this.createDataset(name);
    const lines = ndjson.split('\n').filter((l) => l.trim() !== '');
    const items: BulkResponse['items'] = [];
    for (let i = 0; i + 1 < lines.length; i += 2) {
      const id = (JSON.parse(lines[i]).index?._id as string) ?? String(i);
      this.req(name).docs.set(id, { _id: id, _version: 1, _seq_no: i / 2, sourceText: lines[i + 1] });
      items.push({ index: { _index: name, _id: id, _version: 1, result: 'created', status: 201 } });
    }
    return { took: 1, errors: false, items };
  }
  async get(name: string, id: string): Promise<StoredDoc | null> {
    return this.req(name).docs.get(id) ?? null;
  }
  async count(name: string, query?: QueryNode): Promise<number> {
    this.calls.push({ op: 'count', name, query });
    return this.req(name).docs.size;
  }
  async search(names: string[], request: SearchRequest): Promise<SearchResponse> {
    this.calls.push({ op: 'search', name: names.join(','), query: request.query });
    const hits = names.flatMap((n) => [...this.req(n).docs.entries()].map(([id, d]) => ({ _index: n, _id: id, _score: 1, _source: JSON.parse(d.sourceText) as Record<string, unknown> })));
    return {
      took: 0,
      timed_out: false,
      _shards: { total: 1, successful: 1, skipped: 0, failed: 0 },
      hits: { total: { value: hits.length, relation: 'eq' }, max_score: 1, hits: hits.slice(request.from, request.from + request.size) },
    };
  }
  async deleteByQuery(name: string, query: QueryNode): Promise<{ deleted: number }> {
    this.calls.push({ op: 'deleteByQuery', name, query });
    const d = this.req(name);
    const n = d.docs.size;
    d.docs.clear();
    return { deleted: n };
  }
  /** Metrics need DuckDB: every method answers 501 (the HTTP tests with this fake do not store metrics). */
  readonly metrics: MetricsEngine = {
    ingest: noMetrics,
    ingestSamples: noMetrics,
    metricDatasets: () => [],
    metricsSource: () => ({ select: noMetrics }),
    labelNames: noMetrics,
    labelValues: noMetrics,
    series: noMetrics,
    metadata: noMetrics,
    setRetention: noMetrics,
    retention: () => null,
  };
  async maintain(): Promise<void> {}
  // SQL needs DuckDB: the HTTP tests that use this fake do not exercise it.
  async serializeSql(): Promise<string> {
    throw new ApiError(501, 'not_implemented', 'the fake engine has no SQL');
  }
  async deserializeSql(): Promise<string> {
    throw new ApiError(501, 'not_implemented', 'the fake engine has no SQL');
  }
  sqlRelation(name: string): string {
    return name;
  }
  async querySql(): Promise<never> {
    throw new ApiError(501, 'not_implemented', 'the fake engine has no SQL');
  }
  async writeSql(): Promise<never> {
    throw new ApiError(501, 'not_implemented', 'the fake engine has no SQL');
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.db?.close();
  }
  private req(name: string): FakeDataset {
    const d = this.datasets.get(name);
    if (!d) throw indexNotFound(name);
    return d;
  }
}

async function noMetrics(): Promise<never> {
  throw new ApiError(501, 'not_implemented', 'the fake engine has no metrics');
}

/** Accepts `{"query": {"match_all": {}}}` and `{"query": {"term": {...}}}`; anything else → 400. */
export function fakeParseQuery(body: unknown): QueryNode {
  const q = (body as { query?: Record<string, unknown> } | null)?.query;
  if (!q || typeof q !== 'object') throw new ApiError(400, 'parsing_exception', 'request body must contain [query]');
  if ('match_all' in q) return { kind: 'match_all' };
  if ('term' in q) {
    const [field, value] = Object.entries(q.term as Record<string, string>)[0];
    return { kind: 'term', field, value };
  }
  throw new ApiError(400, 'parsing_exception', `unknown query [${Object.keys(q)[0]}]`);
}
