/**
 * `executeDashboard` against the real server: panel order, a failing panel isolated as
 * `{status, message}`, markdown and divider panels passed through, filters applied to every panel,
 * and the fan-out's concurrency observed on the server (in-flight executions counted inside the
 * executor, never inferred from timing).
 */
import { InfinoClient, type VisualizationSpec } from '@infino/sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { VisualizationExecutor } from '../src/visualize/execute.js';
import { type TestServer, startTestServer } from './test-server.js';

const creds = { accessKey: 'IAK_VIZDASHEXEC00001', secretKey: 'vizDashboardExecuteSecret000000000000000A' };

describe('executeDashboard', () => {
  let running: TestServer;
  let sdk: InfinoClient;
  const vizIds: string[] = [];
  let dashId = '';

  beforeAll(async () => {
    running = await startTestServer('viz-dash-exec', creds);
    sdk = new InfinoClient({ ...creds, endpoint: running.server.url, retry: { maxRetries: 1 } });
    const docs = Array.from({ length: 30 }, (_, i) => ({ host: `h${i % 3}`, status: [200, 404, 500][i % 3], bytes: i }));
    await sdk.uploadJsonToDataset('web', docs);
    const specs: VisualizationSpec[] = Array.from({ length: 6 }, (_, i) => ({
      title: `bytes ${i}`,
      source: { kind: 'sql', index: 'web', sql: { metrics: [{ id: 'm', function: 'sum', column: 'bytes' }] } },
      chart: { type: 'bar' },
      mapping: { x: 'host' },
    }));
    // A panel whose query fails at execution (unknown column): a 400 isolated to that panel.
    specs.push({ title: 'broken', source: { kind: 'sql', index: 'web', sql: { raw_query: 'SELECT nope FROM web' } }, chart: { type: 'table' } });
    for (const spec of specs) vizIds.push((await sdk.createVisualization(spec)).id);
    const dash = await sdk.createDashboard({
      title: 'ops',
      panels: [
        ...vizIds.slice(0, 3).map((viz_id) => ({ viz_id })),
        { kind: 'markdown', content: '## Notes' },
        { viz_id: vizIds[6] },
        { kind: 'divider', label: 'more' },
        ...vizIds.slice(3, 6).map((viz_id) => ({ viz_id })),
        { viz_id: 'does-not-exist' },
      ],
    });
    dashId = dash.id;
  });
  afterAll(() => running?.stop());
  afterEach(() => vi.restoreAllMocks());

  it('returns every panel in order, with errors isolated per panel', async () => {
    const panels = await sdk.executeDashboard(dashId);
    expect(panels.map((p) => p.kind)).toEqual([
      'visualization', 'visualization', 'visualization', 'markdown', 'visualization', 'divider',
      'visualization', 'visualization', 'visualization', 'visualization',
    ]);
    expect(panels.map((p) => p.id)).toEqual(panels.map((_, i) => `panel_${i}`));
    for (const i of [0, 1, 2, 6, 7, 8]) {
      expect(panels[i].error).toBeNull();
      expect(panels[i].viz?.title).toMatch(/^bytes \d$/);
      expect(panels[i].data?.rows).toEqual([
        { host: 'h0', sum_bytes: 135 },
        { host: 'h1', sum_bytes: 145 },
        { host: 'h2', sum_bytes: 155 },
      ]);
    }
    expect(panels[3]).toMatchObject({ content: '## Notes', viz: null, data: null, error: null });
    expect(panels[5]).toMatchObject({ label: 'more', viz: null, data: null, error: null });
    expect(panels[4]).toMatchObject({ viz: null, data: null, error: { status: 400 } });
    expect(panels[4].error?.message).toMatch(/nope/);
    expect(panels[9]).toMatchObject({ viz: null, data: null, error: { status: 404 } });
    expect(panels[9].error?.message).toContain("visualization 'does-not-exist' not found");
  });

  it('applies request filters and the time range to every panel', async () => {
    const panels = await sdk.executeDashboard(dashId, { filters: [{ field: 'host', operator: 'is_not', value: 'h1' }] });
    for (const i of [0, 1, 2, 6, 7, 8]) {
      expect(panels[i].data?.rows.map((r) => r.host)).toEqual(['h0', 'h2']);
      expect(panels[i].data?.metadata.filters_applied).toEqual(['host']);
    }
  });

  /**
   * Counts the executions in flight inside the server's executor. Each one waits (up to 5 s) until
   * `target` are in flight at once, so the peak does not depend on how fast the machine is: a
   * server that serialised panels would never get there and the peak would stay below it.
   */
  function countInFlight(target: number): { peak: () => number } {
    let inFlight = 0;
    let peak = 0;
    let release!: () => void;
    const reached = new Promise<void>((r) => (release = r));
    const original = VisualizationExecutor.prototype.execute;
    vi.spyOn(VisualizationExecutor.prototype, 'execute').mockImplementation(async function (this: VisualizationExecutor, ...args) {
      peak = Math.max(peak, ++inFlight);
      if (peak >= target) release();
      try {
        await Promise.race([reached, new Promise((r) => setTimeout(r, 5_000))]);
        return await original.apply(this, args);
      } finally {
        inFlight--;
      }
    });
    return { peak: () => peak };
  }

  it.each([1, 2, 4])('keeps at most maxWorkers = %i panel executions in flight on the server', async (maxWorkers) => {
    const counter = countInFlight(maxWorkers);
    const panels = await sdk.executeDashboard(dashId, { maxWorkers });
    expect(panels).toHaveLength(10);
    expect(counter.peak()).toBe(maxWorkers);
  });

  it('runs every visualization panel at once with the default 16 workers', async () => {
    // Ten panels: eight visualizations, of which the unknown id already fails at its get.
    const counter = countInFlight(7);
    await sdk.executeDashboard(dashId);
    expect(counter.peak()).toBe(7);
  });
});
