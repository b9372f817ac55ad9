import type { BulkResponse, DatasetInfo, DatasetStats, Engine, FieldMapping, StoredDoc } from '../engine/types.js';
import { indexNotFound } from '../errors.js';
import type { QueryNode } from '../query/ast.js';
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

  async create(p: Principal, name: string): Promise<DatasetInfo> {
    this.policy.authorize(p, 'manage', name);
    return this.engine.createDataset(name);
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

  async deleteByQuery(p: Principal, name: string, query: QueryNode): Promise<{ deleted: number }> {
    this.policy.authorize(p, 'write', name);
    if (!this.engine.hasDataset(name)) throw indexNotFound(name);
    return this.engine.deleteByQuery(name, query);
  }

  private readable(p: Principal, name: string): void {
    this.policy.authorize(p, 'read', name);
    if (!this.engine.hasDataset(name)) throw indexNotFound(name);
  }

  private allowed(p: Principal, name: string): boolean {
    try {
      this.policy.authorize(p, 'read', name);
      return true;
    } catch {
      return false;
    }
  }
}
