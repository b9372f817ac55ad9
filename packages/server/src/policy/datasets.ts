import type { SamplesIn } from '../metrics/batch.js';
import type { BulkResponse, DatasetInfo, DatasetStats, Engine, FieldMapping, MetricsIngestResult, StoredDoc } from '../engine/types.js';
import { indexNotFound } from '../errors.js';
import type { QueryNode } from '../query/ast.js';
import { globToRegExp } from '../query/glob.js';
import type { SearchRequest, SearchResponse } from '../search/types.js';
import type { Policy } from './policy.js';
import type { Principal } from './principal.js';

/**
 * The dataset operations as the HTTP layer sees them: the engine API with the caller's principal
 * checked by the Policy before any data is touched. Handlers get data only through this class.
 */
export class DatasetService {
  constructor(
    private readonly engine: Engine,
    private readonly policy: Policy,
  ) {}

  async create(p: Principal, name: string, mappings?: unknown, settings?: unknown): Promise<DatasetInfo> {
    this.policy.authorize(p, 'manage', name);
    return this.engine.createDataset(name, mappings, settings);
  }

  async drop(p: Principal, name: string): Promise<void> {
    this.policy.authorize(p, 'manage', name);
    return this.engine.dropDataset(name);
  }

  /** Lists only the datasets the caller may read. */
  async list(p: Principal): Promise<DatasetStats[]> {
    const visible = this.engine.listDatasets().filter((d) => this.allowed(p, d.name));
    return Promise.all(visible.map((d) => this.engine.stats(d.name)));
  }

  async stats(p: Principal, name: string): Promise<DatasetStats> {
    this.readable(p, name);
    return this.engine.stats(name);
  }

  mappings(p: Principal, name: string): FieldMapping[] {
    this.readable(p, name);
    return this.engine.mappings(name);
  }

  async bulk(p: Principal, dataset: string | undefined, ndjson: string): Promise<BulkResponse> {
    return this.engine.bulk(dataset, ndjson, (target) => this.policy.authorize(p, 'write', target));
  }

  async get(p: Principal, name: string, id: string): Promise<StoredDoc | null> {
    this.readable(p, name);
    return this.engine.get(name, id);
  }

  async count(p: Principal, name: string, query?: QueryNode): Promise<number> {
    this.readable(p, name);
    return this.engine.count(name, query);
  }

  /**
   * Search over an Elasticsearch index expression: `a`, `a,b`, `logs-*`, `*`, `_all`, `-excluded`.
   * A named dataset that does not exist is a 404; a wildcard matching nothing searches nothing (ES's
   * `allow_no_indices`). Datasets the caller may not read are invisible to wildcards and a 403 by name.
   */
  async search(p: Principal, indexExpression: string, request: SearchRequest): Promise<SearchResponse> {
    return this.engine.search(this.resolve(p, indexExpression), request);
  }

  /** The datasets an index expression names, in a stable order, each checked for `read`. */
  resolve(p: Principal, indexExpression: string): string[] {
    const names = new Set<string>();
    const all = this.engine.listDatasets().map((d) => d.name);
    for (const raw of indexExpression.split(',')) {
      const part = raw.trim();
      if (!part) continue;
      if (part.startsWith('-') && names.size > 0) {
        const pattern = globToRegExp(part.slice(1));
        for (const n of [...names]) if (pattern.test(n)) names.delete(n);
      } else if (part === '_all' || part.includes('*')) {
        const pattern = globToRegExp(part === '_all' ? '*' : part);
        for (const n of all) if (pattern.test(n) && !n.startsWith('.') && this.allowed(p, n)) names.add(n);
      } else {
        this.readable(p, part);
        names.add(part);
      }
    }
    return [...names].sort();
  }

  async deleteByQuery(p: Principal, name: string, query: QueryNode): Promise<{ deleted: number }> {
    this.policy.authorize(p, 'write', name);
    if (!this.engine.hasDataset(name)) throw indexNotFound(name);
    return this.engine.deleteByQuery(name, query);
  }

  /** Prometheus text / OpenMetrics ingest; creates the dataset when missing (needs `write`). */
  async ingestMetrics(p: Principal, name: string, text: string, receivedAtMs: number, contentType?: string): Promise<MetricsIngestResult> {
    return this.engine.metrics.ingest(name, text, receivedAtMs, (target) => this.policy.authorize(p, 'write', target), { contentType });
  }

  /** Remote-write samples (already parsed and normalised); creates the dataset when missing (needs `write`). */
  async ingestSamples(
    p: Principal,
    name: string,
    samples: SamplesIn,
    metadata?: Map<string, { type: string; help?: string; unit?: string }>,
  ): Promise<number> {
    return this.engine.metrics.ingestSamples(name, samples, (target) => this.policy.authorize(p, 'write', target), metadata);
  }

  /** The dataset's metrics retention in ms (null: keep everything). */
  metricsRetention(p: Principal, name: string): number | null {
    this.readable(p, name);
    return this.engine.metrics.retention(name);
  }

  /** Changing retention deletes data, so it needs `manage`, as dropping the dataset does. */
  async setMetricsRetention(p: Principal, name: string, ms: number | null): Promise<void> {
    this.policy.authorize(p, 'manage', name);
    if (!this.engine.hasDataset(name)) throw indexNotFound(name);
    return this.engine.metrics.setRetention(name, ms);
  }

  private readable(p: Principal, name: string): void {
    this.policy.authorize(p, 'read', name);
    if (!this.engine.hasDataset(name)) throw indexNotFound(name);
  }

  private allowed(p: Principal, name: string): boolean {
    return this.policy.allows(p, 'read', name);
  }
}
