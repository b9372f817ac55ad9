/**
 * End to end (the Python SDK's `examples/dashboards/create_and_render.py`, in TypeScript): create five
 * SQL-backed visualizations (a KPI, a bar, a pie over a JOIN, a heatmap and a horizontal bar), bundle
 * them into a dashboard with explicit layouts, execute every panel in parallel, and render the whole
 * dashboard as one HTML page laid out on the stored 48-column grid.
 *
 *   export INFINO_ACCESS_KEY=… INFINO_SECRET_KEY=… INFINO_ENDPOINT=http://127.0.0.1:8000
 *   npx tsx examples/dashboards/create-and-render.ts [--load-demo-data] [out.html]
 */
import { writeFileSync } from 'node:fs';
import type { InfinoClient, PanelLayout, VisualizationSpec } from '@infino/sdk';
import { clientFromEnv, DEMO_DATASET, DEMO_MAPPING_DATASET, isMain } from './common/config.js';
import { loadDemoData } from './common/demo-data.js';
import { buildDashboardHtml } from './common/render.js';

type SpecWithLayout = VisualizationSpec & { layout: PanelLayout };

/** Five panels modelled on a FlexLM license-management dashboard; the server fills everything else. */
export function flexlmVizSpecs(dataset: string, mappingDataset: string): SpecWithLayout[] {
  const sql = (rawQuery: string) => ({ kind: 'sql', index: dataset, sql: { raw_query: rawQuery } });
  return [
    {
      title: 'Total License Denials',
      source: sql(`SELECT COUNT(*) AS \`Denials\` FROM \`${dataset}\` WHERE \`event_type\` = 'DENIED'`),
      chart: { type: 'metric' },
      layout: { x: 0, y: 0, w: 12, h: 8 },
    },
    {
      title: 'Top Denied Features',
      source: sql(
        `SELECT \`feature_name\` AS \`Feature\`, COUNT(*) AS \`Denials\` FROM \`${dataset}\` ` +
          `WHERE \`event_type\` = 'DENIED' GROUP BY \`feature_name\` ORDER BY \`Denials\` DESC LIMIT 10`,
      ),
      chart: { type: 'bar' },
      layout: { x: 12, y: 0, w: 18, h: 16 },
    },
    {
      // Joins the feature-mapping dataset to roll feature names up into design-flow stages.
      title: 'Denials by Stage',
      source: sql(
        `SELECT m.\`Primary Stage\` AS \`Stage\`, COUNT(*) AS \`Denials\` FROM \`${dataset}\` f ` +
          `JOIN \`${mappingDataset}\` m ON f.\`feature_name\` = m.\`Feature Name\` ` +
          `WHERE f.\`event_type\` = 'DENIED' GROUP BY m.\`Primary Stage\` ORDER BY \`Denials\` DESC`,
      ),
      chart: { type: 'pie' },
      layout: { x: 30, y: 0, w: 18, h: 16 },
    },
    {
      title: 'License Denials — Feature x Hour of Day',
      source: sql(
        'SELECT EXTRACT(HOUR FROM `@timestamp`) AS `Hour of day (UTC)`, `feature_name` AS `Feature`, ' +
          `COUNT(*) AS \`Denials\` FROM \`${dataset}\` WHERE \`event_type\` = 'DENIED' ` +
          'GROUP BY EXTRACT(HOUR FROM `@timestamp`), `feature_name` ORDER BY `Hour of day (UTC)`, `Feature` LIMIT 200',
      ),
      chart: { type: 'heatmap' },
      mapping: { x: { column: 'Hour of day (UTC)' }, y: ['Denials'], series: 'Feature' },
      layout: { x: 0, y: 16, w: 30, h: 18 },
    },
    {
      // Shelfware: the least-used features; a horizontal bar keeps long names readable.
      title: 'Shelfware Cost — Lowest-Utilization Features',
      source: sql(
        `SELECT \`feature_name\` AS \`Feature\`, COUNT(*) AS \`Checkouts\` FROM \`${dataset}\` ` +
          `WHERE \`event_type\` = 'OUT' GROUP BY \`feature_name\` ORDER BY \`Checkouts\` ASC LIMIT 10`,
      ),
      chart: { type: 'horizontalBar' },
      layout: { x: 30, y: 16, w: 18, h: 18 },
    },
  ];
}

export interface CreateAndRenderResult {
  vizIds: string[];
  dashboardId: string;
  html: string;
}

export async function createAndRender(
  sdk: InfinoClient,
  dataset = DEMO_DATASET,
  mappingDataset = DEMO_MAPPING_DATASET,
): Promise<CreateAndRenderResult> {
  // 1. Create five visualizations; the server fills mapping, options, limits and the rest.
  const vizIds: string[] = [];
  const layouts: PanelLayout[] = [];
  for (const { layout, ...spec } of flexlmVizSpecs(dataset, mappingDataset)) {
    const viz = await sdk.createVisualization(spec);
    vizIds.push(viz.id);
    layouts.push(layout);
    console.log(`Created visualization '${String(viz.attributes.title)}' (id=${viz.id})`);
  }

  // 2. Bundle them into a dashboard with explicit per-panel layouts (omit `layout` and the server
  //    flows the panels into a 2-column grid).
  const dashboard = await sdk.createDashboard({
    title: 'FlexLM License Overview',
    panels: vizIds.map((vizId, i) => ({ viz_id: vizId, layout: layouts[i] })),
  });
  console.log(`Created dashboard '${String(dashboard.attributes.title)}' (id=${dashboard.id})`);

  // 3. Execute every panel in parallel and compose the layout-aware page.
  const html = await buildDashboardHtml(sdk, dashboard.id);
  return { vizIds, dashboardId: dashboard.id, html };
}

if (isMain(import.meta.url)) {
  const sdk = clientFromEnv();
  const args = process.argv.slice(2);
  if (args.includes('--load-demo-data')) await loadDemoData(sdk, DEMO_DATASET, DEMO_MAPPING_DATASET);
  const out = args.find((a) => !a.startsWith('--')) ?? 'dashboard.html';
  const { html } = await createAndRender(sdk);
  writeFileSync(out, html);
  console.log(`Rendered layout-aware dashboard → ${out}`);
}
