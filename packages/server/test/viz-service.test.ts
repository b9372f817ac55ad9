/** SavedObjectService over an in-memory store: execute-time legacy warnings and serialised updates. */
import { describe, expect, it } from 'vitest';
import type { SavedObjectKind, SavedObjectRecord } from '../src/controlplane/repository.js';
import { SavedObjectService, type SavedObjectStore } from '../src/visualize/service.js';

/** Stores records in a Map; every call yields to the event loop, as a real store would. */
class MemoryStore implements SavedObjectStore {
  readonly rows = new Map<string, SavedObjectRecord>();
  private readonly tick = () => new Promise((r) => setTimeout(r, 1));
  async listSavedObjects(kind: SavedObjectKind, page: { limit: number; offset: number }) {
    await this.tick();
    return [...this.rows.values()].filter((r) => r.kind === kind).slice(page.offset, page.offset + page.limit);
  }
  async getSavedObject(kind: SavedObjectKind, id: string) {
    await this.tick();
    return this.rows.get(`${kind}/${id}`);
  }
  async putSavedObject(r: SavedObjectRecord) {
    await this.tick();
    this.rows.set(`${r.kind}/${r.id}`, r);
  }
  async deleteSavedObject(kind: SavedObjectKind, id: string) {
    await this.tick();
    return this.rows.delete(`${kind}/${id}`);
  }
}

const alice = { user: 'alice', roles: ['admin'], accessKey: 'IAK_X' };

describe('SavedObjectService', () => {
  it('hands the executor the migrated object plus the legacy-dimension warnings', async () => {
    const svc = new SavedObjectService(new MemoryStore());
    const created = await svc.createVisualization(alice, {
      title: 't',
      source: { kind: 'sql', index: 't', sql: { dimensions: [{ column: 'lane', custom_expression: 'upper(lane)' }, { column: 'dc', date_interval: 'day' }] } },
      chart: { type: 'bar' },
    });
    const { object, warnings } = await svc.visualizationForExecute(alice, created.id);
    expect(object).toEqual(await svc.getVisualization(alice, created.id));
    expect(object.attributes.mapping.x).toEqual({ column: 'lane', bucket: null });
    expect(warnings.map((w) => w.code)).toEqual(['dimension_custom_expression_ignored', 'dimension_date_interval_ignored']);
  });

  it('applies concurrent patches one after the other, losing none', async () => {
    const svc = new SavedObjectService(new MemoryStore());
    const d = await svc.createDashboard(alice, { title: 'd' });
    await Promise.all(Array.from({ length: 10 }, (_, i) => svc.updateDashboard(alice, d.id, { [`k${i}`]: i })));
    const after = (await svc.getDashboard(alice, d.id)).attributes as unknown as Record<string, unknown>;
    for (let i = 0; i < 10; i++) expect(after[`k${i}`]).toBe(i);
  });

  it('does not bring a deleted object back when a patch races the delete', async () => {
    const store = new MemoryStore();
    const svc = new SavedObjectService(store);
    const v = await svc.createVisualization(alice, { title: 't', source: { kind: 'sql', index: 't' }, chart: { type: 'table' } });
    const results = await Promise.allSettled([svc.deleteVisualization(alice, v.id), svc.updateVisualization(alice, v.id, { title: 'x' })]);
    expect(results[0].status).toBe('fulfilled');
    expect(results[1]).toMatchObject({ status: 'rejected', reason: { status: 404 } });
    expect(store.rows.size).toBe(0);
  });

  it('uses the clock for timestamps and the caller for created_by', async () => {
    let t = Date.UTC(2026, 4, 15, 10, 30);
    const svc = new SavedObjectService(new MemoryStore(), () => new Date(t));
    const v = await svc.createVisualization(alice, { title: 't', source: { kind: 'sql', index: 't' }, chart: { type: 'table' } });
    expect(v).toMatchObject({ created_at: '2026-05-15T10:30:00.000Z', updated_at: '2026-05-15T10:30:00.000Z', attributes: { created_by: 'alice' } });
    t += 60_000;
    const u = await svc.updateVisualization({ ...alice, user: 'bob' }, v.id, { title: 'u' });
    expect(u).toMatchObject({ created_at: '2026-05-15T10:30:00.000Z', updated_at: '2026-05-15T10:31:00.000Z', attributes: { created_by: 'alice', updated_at: '2026-05-15T10:31:00.000Z' } });
  });
});
