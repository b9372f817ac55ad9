/**
 * CRUD of saved visualizations and dashboards (protocol §3.1–§3.3, §3.9): the envelope, server
 * defaults, merge-patch updates and paging, persisted in the control plane.
 */
import { randomBytes } from 'node:crypto';
import type { DashboardObject, SavedObject, VisualizationObject, VizWarning } from '@infino/sdk';
import type { ControlPlaneRepository, SavedObjectKind, SavedObjectRecord } from '../controlplane/repository.js';
import { ApiError } from '../errors.js';
import type { Principal } from '../policy/principal.js';
import { normalizeDashboard } from './dashboard-schema.js';
import { checkDepth, invalid, requireObject } from './fields.js';
import { mergePatch, type JsonObject } from './merge-patch.js';
import { migrateVisualization, normalizeVisualization, type NormalizeContext } from './schema.js';

/** The part of the control plane this service needs. */
export type SavedObjectStore = Pick<ControlPlaneRepository, 'listSavedObjects' | 'getSavedObject' | 'putSavedObject' | 'deleteSavedObject'>;

export const DEFAULT_LIST_LIMIT = 500;
export const MAX_LIST_LIMIT = 1000;

export interface ListPage {
  /** A number, or the query-string text as received. */
  limit?: unknown;
  offset?: unknown;
}

interface KindSpec {
  kind: SavedObjectKind;
  normalize(input: unknown, ctx: NormalizeContext): object;
  /** Stored attributes → what the API answers (read-time migration). */
  read(stored: JsonObject): JsonObject;
}

const VISUALIZATION: KindSpec = {
  kind: 'visualization',
  normalize: normalizeVisualization,
  read: (stored) => migrateVisualization(stored).attributes,
};

const DASHBOARD: KindSpec = { kind: 'dashboard', normalize: normalizeDashboard, read: (stored) => stored };

function pageParam(v: unknown, name: string, dflt: number): number {
  if (v === undefined || v === null || v === '') return dflt;
  const n = typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v;
  if (!Number.isSafeInteger(n) || (n as number) < 0) throw invalid(`\`${name}\` must be a non-negative integer (got ${JSON.stringify(v)})`);
  return n as number;
}

/** `limit` defaults to 500 and larger values clamp to 1000; negatives and non-integers are a 400 (§3.1). */
export function parsePage(page: ListPage): { limit: number; offset: number } {
  return {
    limit: Math.min(pageParam(page.limit, 'limit', DEFAULT_LIST_LIMIT), MAX_LIST_LIMIT),
    offset: pageParam(page.offset, 'offset', 0),
  };
}

const newId = () => randomBytes(16).toString('hex');

/**
 * Every call takes the caller: `created_by` comes from it. The server has one account, so every
 * caller sees every saved object ([REC] scope by account); the principal is the hook for that.
 */
export class SavedObjectService {
  // Updates and deletes of one object run one at a time: an update is read-merge-write, and two
  // interleaved ones would lose a patch (or bring a deleted object back).
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: SavedObjectStore,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  createVisualization(p: Principal, body: unknown): Promise<VisualizationObject> {
    return this.create<VisualizationObject>(VISUALIZATION, p, body);
  }

  getVisualization(_p: Principal, id: string): Promise<VisualizationObject> {
    return this.get<VisualizationObject>(VISUALIZATION, id);
  }

  /**
   * The visualization as `getVisualization` answers it, plus the warnings its legacy
   * `source.sql.dimensions` entries raise at execute time (§3.8), which the migrated form can no
   * longer show.
   */
  async visualizationForExecute(_p: Principal, id: string): Promise<{ object: VisualizationObject; warnings: VizWarning[] }> {
    const rec = await this.load(VISUALIZATION, id);
    const { attributes, warnings } = migrateVisualization(JSON.parse(rec.attributes) as JsonObject);
    return { object: envelope<VisualizationObject>(rec, attributes), warnings };
  }

  listVisualizations(_p: Principal, page: ListPage = {}): Promise<{ items: VisualizationObject[] }> {
    return this.list<VisualizationObject>(VISUALIZATION, page);
  }

  updateVisualization(p: Principal, id: string, patch: unknown): Promise<VisualizationObject> {
    return this.update<VisualizationObject>(VISUALIZATION, p, id, patch);
  }

  deleteVisualization(_p: Principal, id: string): Promise<{ acknowledged: true; deleted: true }> {
    return this.delete(VISUALIZATION, id);
  }

  createDashboard(p: Principal, body: unknown): Promise<DashboardObject> {
    return this.create<DashboardObject>(DASHBOARD, p, body);
  }

  getDashboard(_p: Principal, id: string): Promise<DashboardObject> {
    return this.get<DashboardObject>(DASHBOARD, id);
  }

  listDashboards(_p: Principal, page: ListPage = {}): Promise<{ items: DashboardObject[] }> {
    return this.list<DashboardObject>(DASHBOARD, page);
  }

  updateDashboard(p: Principal, id: string, patch: unknown): Promise<DashboardObject> {
    return this.update<DashboardObject>(DASHBOARD, p, id, patch);
  }

  deleteDashboard(_p: Principal, id: string): Promise<{ acknowledged: true; deleted: true }> {
    return this.delete(DASHBOARD, id);
  }

  // -------------------------------------------------------------------------------------------

  private now(): string {
    return this.clock().toISOString();
  }

  private async create<O>(spec: KindSpec, p: Principal, body: unknown): Promise<O> {
    checkDepth(body);
    const attributes = spec.normalize(body, { id: newId(), now: this.now(), user: p.user }) as JsonObject;
    const rec = toRecord(spec.kind, attributes);
    await this.store.putSavedObject(rec);
    return envelope<O>(rec, spec.read(attributes));
  }

  private async load(spec: KindSpec, id: string): Promise<SavedObjectRecord> {
    const rec = await this.store.getSavedObject(spec.kind, id);
    if (!rec) throw new ApiError(404, 'NotFound', `${spec.kind} '${id}' not found`);
    return rec;
  }

  private async get<O>(spec: KindSpec, id: string): Promise<O> {
    const rec = await this.load(spec, id);
    return envelope<O>(rec, spec.read(JSON.parse(rec.attributes) as JsonObject));
  }

  private async list<O>(spec: KindSpec, page: ListPage): Promise<{ items: O[] }> {
    const records = await this.store.listSavedObjects(spec.kind, parsePage(page));
    return { items: records.map((rec) => envelope<O>(rec, spec.read(JSON.parse(rec.attributes) as JsonObject))) };
  }

  private update<O>(spec: KindSpec, p: Principal, id: string, patch: unknown): Promise<O> {
    const body = requireObject(patch);
    checkDepth(body);
    return this.exclusive(`${spec.kind}/${id}`, async () => {
      const rec = await this.load(spec, id);
      const current = spec.read(JSON.parse(rec.attributes) as JsonObject);
      // The merge runs on the read form, so a patch sees (and may change) what GET showed.
      const attributes = spec.normalize(mergePatch(current, body), {
        id,
        now: this.now(),
        user: p.user,
        existing: { id: rec.id, schema_version: current.schema_version as string | number, created_at: rec.createdAt, created_by: rec.createdBy },
      }) as JsonObject;
      const next = toRecord(spec.kind, attributes);
      await this.store.putSavedObject(next);
      return envelope<O>(next, spec.read(attributes));
    });
  }

  private delete(spec: KindSpec, id: string): Promise<{ acknowledged: true; deleted: true }> {
    return this.exclusive(`${spec.kind}/${id}`, async () => {
      if (!(await this.store.deleteSavedObject(spec.kind, id))) throw new ApiError(404, 'NotFound', `${spec.kind} '${id}' not found`);
      return { acknowledged: true, deleted: true };
    });
  }

  private exclusive<T>(key: string, fn: () => Promise<T>): Promise<T> {
    // Each tail settles without rejecting, so the next caller always runs.
    const run = (this.locks.get(key) ?? Promise.resolve()).then(fn);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.locks.set(key, tail);
    void tail.then(() => {
      if (this.locks.get(key) === tail) this.locks.delete(key);
    });
    return run;
  }
}

function toRecord(kind: SavedObjectKind, attributes: JsonObject): SavedObjectRecord {
  return {
    kind,
    id: attributes.id as string,
    createdBy: (attributes.created_by as string | null) ?? null,
    createdAt: attributes.created_at as string,
    updatedAt: attributes.updated_at as string,
    attributes: JSON.stringify(attributes),
  };
}

/** The §3.1 envelope; `O` is the typed envelope the public method promises (the schema built the attributes). */
function envelope<O>(rec: SavedObjectRecord, attributes: JsonObject): O {
  const out: SavedObject = { id: rec.id, kind: rec.kind, created_at: rec.createdAt, updated_at: rec.updatedAt, attributes };
  return out as unknown as O;
}
