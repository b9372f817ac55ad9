/**
 * The dashboard examples (`examples/dashboards/*.ts`, the Python SDK's dashboard flows in TypeScript)
 * run against a real server: five visualizations → a dashboard → every panel executed in parallel →
 * one rendered page; Builder mode with filters and time windows; the time-range demo.
 */
import { InfinoClient } from '@infino/sdk';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { builderMode } from '../../../examples/dashboards/builder-mode.js';
import { demoEvents, loadDemoData } from '../../../examples/dashboards/common/demo-data.js';
import { createAndRender } from '../../../examples/dashboards/create-and-render.js';
import { timeRangeDemo } from '../../../examples/dashboards/time-range-demo.js';
import { type TestServer, startTestServer } from './test-server.js';

const creds = { accessKey: 'IAK_EXAMPLESDASH0001', secretKey: 'examplesDashboardSecret00000000000000000A' };
const DATASET = 'flexlm_cdslmd.rel';
const MAPPING = 'cdn_product_feature_mapping.rel';

describe('dashboard examples', () => {
  let running: TestServer;
  let sdk: InfinoClient;
  const events = demoEvents();
  const denied = events.filter((e) => e.event_type === 'DENIED');

  beforeAll(async () => {
    running = await startTestServer('examples-dash', creds);
    sdk = new InfinoClient({ ...creds, endpoint: running.server.url, retry: { maxRetries: 1 } });
    await loadDemoData(sdk, DATASET, MAPPING);
    vi.spyOn(console, 'log').mockImplementation(() => {});
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await running?.stop();
  });

  it('create-and-render: five visualizations, one dashboard, every panel rendered', async () => {
    const { vizIds, dashboardId, html } = await createAndRender(sdk, DATASET, MAPPING);
    expect(vizIds).toHaveLength(5);
    const dash = await sdk.getDashboard(dashboardId);
    expect(dash.attributes.panels.map((p) => p.layout)).toEqual([
      { x: 0, y: 0, w: 12, h: 8 },
      { x: 12, y: 0, w: 18, h: 16 },
      { x: 30, y: 0, w: 18, h: 16 },
      { x: 0, y: 16, w: 30, h: 18 },
      { x: 30, y: 16, w: 18, h: 18 },
    ]);

    const panels = await sdk.executeDashboard(dashboardId);
    expect(panels.map((p) => p.error)).toEqual([null, null, null, null, null]);
    const [kpi, top, byStage, heat, shelf] = panels.map((p) => p.data!);
    expect(kpi.rows).toEqual([{ Denials: denied.length }]);
    expect(kpi.metadata.binding.value).toBe('Denials');

    const perFeature = new Map<string, number>();
    for (const e of denied) perFeature.set(e.feature_name, (perFeature.get(e.feature_name) ?? 0) + 1);
    expect(top.rows[0]).toEqual({ Feature: [...perFeature].sort((a, b) => b[1] - a[1])[0][0], Denials: Math.max(...perFeature.values()) });
    expect(top.metadata.binding).toEqual({ x: 'Feature', y: ['Denials'], series: null, value: null });
    expect(byStage.rows.reduce((s, r) => s + Number(r.Denials), 0)).toBe(denied.length);
    expect(heat.metadata.binding).toEqual({ x: 'Hour of day (UTC)', y: ['Denials'], series: 'Feature', value: null });
    expect(shelf.rows.length).toBeGreaterThan(0);

    // The page: a 48-column grid, one placed block per panel, one ECharts init per chart panel.
    expect(html).toContain('grid-template-columns: repeat(48, 1fr)');
    expect(html).toContain('grid-column: 1 / span 12; grid-row: 1 / span 8;');
    expect(html).toContain('grid-column: 31 / span 18; grid-row: 17 / span 18;');
    expect(html.match(/echarts\.init\(/g)).toHaveLength(4);
    expect(html).toContain(`>${denied.length}</div>`);
  });

  it('builder-mode: generated SQL, saved + runtime filters, time window, dashboard-wide filter', async () => {
    const r = await builderMode(sdk, DATASET);
    // executed_query is the statement that ran (saved filter injected): it runs as is through /sql.
    const again = await sdk.queryDatasetInSql(r.builder.metadata.executed_query);
    expect(again.rows.length).toBe(r.builder.rows.length);
    expect(r.builder.metadata.filters_applied).toEqual(['event_type']);
    // The raw and the Builder visualization answer the same question.
    const counts = (rows: Array<Record<string, unknown>>, key: string) =>
      new Map(rows.map((row) => [String(row.feature_name), Number(row[key])]));
    const raw = counts(r.raw.rows, 'denials');
    for (const [feature, n] of counts(r.builder.rows, 'count')) expect(raw.get(feature)).toBe(n);

    expect(r.filtered.metadata.filters_applied).toEqual(['event_type', 'feature_name']);
    expect(r.filtered.rows.map((row) => row.feature_name).sort()).toEqual(['AMS_Designer', 'Genus_Synthesis', 'Spectre_Simulator']);
    const april = denied.filter((e) => e['@timestamp'] >= '2026-04-01T00:00:00Z' && e['@timestamp'] <= '2026-05-01T00:00:00Z');
    expect(r.windowed.metadata.filters_applied).toEqual(['event_type', '@timestamp']);
    expect(r.windowed.rows.reduce((s, row) => s + Number(row.count), 0)).toBe(april.length);

    expect(r.panels.map((p) => p.error)).toEqual([null, null]);
    for (const p of r.panels) {
      expect(p.data!.metadata.filters_applied).toContain('feature_name');
      expect(p.data!.rows.map((row) => row.feature_name)).not.toContain('AMS_Designer');
    }
  });

  it('time-range-demo: no window, a window, a window plus a filter', async () => {
    const viz = await sdk.createVisualization({
      title: 'Events by type',
      source: { kind: 'sql', index: DATASET },
      chart: { type: 'bar' },
      mapping: { x: 'event_type' },
      aggregation_type: 'count',
    });
    const { baseline, last30, combined } = await timeRangeDemo(sdk, viz.id);
    const total = (rows: Array<Record<string, unknown>>) => rows.reduce((s, row) => s + Number(row.count), 0);
    expect(total(baseline.rows)).toBe(events.length);
    const inWindow = events.filter((e) => e['@timestamp'] >= '2026-04-22T00:00:00Z' && e['@timestamp'] <= '2026-05-22T00:00:00Z');
    expect(total(last30.rows)).toBe(inWindow.length);
    expect(last30.metadata.filters_applied).toEqual(['@timestamp']);
    expect(combined.rows).toEqual([{ event_type: 'DENIED', count: inWindow.filter((e) => e.event_type === 'DENIED').length }]);
  });
});
