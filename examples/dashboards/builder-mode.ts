/**
 * Builder mode (the Python SDK's `examples/dashboards/builder_mode.py`, in TypeScript): the same chart
 * once as raw SQL and once with no SQL at all — `mapping.x` + `aggregation_type` and the server writes
 * dialect-correct SQL — then runtime filter chips and a time window on one visualization and on a whole
 * dashboard.
 *
 *   npx tsx examples/dashboards/builder-mode.ts [--load-demo-data]
 */
import type { ExecuteVisualizationResponse, InfinoClient, PanelResult } from '@infino/sdk';
import { clientFromEnv, DEMO_DATASET, DEMO_MAPPING_DATASET, isMain } from './common/config.js';
import { loadDemoData } from './common/demo-data.js';

export interface BuilderModeResult {
  raw: ExecuteVisualizationResponse;
  builder: ExecuteVisualizationResponse;
  filtered: ExecuteVisualizationResponse;
  windowed: ExecuteVisualizationResponse;
  panels: PanelResult[];
  ids: { raw: string; builder: string; dashboard: string };
}

export async function builderMode(sdk: InfinoClient, index = DEMO_DATASET): Promise<BuilderModeResult> {
  // 1. Raw-SQL visualization, for comparison. `mapping` drives `metadata.binding`.
  const rawViz = await sdk.createVisualization({
    title: 'Denials per feature (raw SQL)',
    source: {
      kind: 'sql',
      index,
      sql: {
        raw_query:
          `SELECT feature_name, COUNT(*) AS denials FROM \`${index}\` ` +
          "WHERE event_type = 'DENIED' GROUP BY feature_name ORDER BY denials DESC LIMIT 10",
      },
    },
    chart: { type: 'bar' },
    mapping: { x: { column: 'feature_name' }, y: ['denials'], series: null },
  });

  // 2. Builder mode — no raw_query: the server picks aggregation, GROUP BY, ORDER BY, LIMIT and quoting.
  //    Saved filters travel with the visualization and apply on every execute.
  const builderViz = await sdk.createVisualization({
    title: 'Denials per feature (Builder mode)',
    source: { kind: 'sql', index, sql: { limit: 10 } },
    chart: { type: 'bar' },
    mapping: { x: { column: 'feature_name' }, y: [], series: null },
    aggregation_type: 'count',
    filters: [{ field: 'event_type', operator: 'is', value: 'DENIED' }],
  });

  // 3. Execute both and compare.
  const raw = await sdk.executeVisualization(rawViz.id);
  const builder = await sdk.executeVisualization(builderViz.id);
  console.log(`raw rows     = ${raw.rows.length}`);
  console.log(`builder rows = ${builder.rows.length}`);
  console.log(`builder executed_query:\n  ${builder.metadata.executed_query}`);

  // 4. A runtime filter chip …
  const filtered = await sdk.executeVisualization(builderViz.id, {
    filters: [
      { field: 'feature_name', operator: 'is_one_of', value: ['AMS_Designer', 'Spectre_Simulator', 'Genus_Synthesis'] },
    ],
  });
  console.log(`runtime-filtered rows = ${filtered.rows.length}, applied = ${JSON.stringify(filtered.metadata.filters_applied)}`);

  // … and a runtime time window (an is_between on source.sql.time_column, default @timestamp).
  const windowed = await sdk.executeVisualization(builderViz.id, {
    timeRange: { from: '2026-04-01T00:00:00Z', to: '2026-05-01T00:00:00Z' },
  });
  console.log(`time-windowed rows = ${windowed.rows.length}, applied = ${JSON.stringify(windowed.metadata.filters_applied)}`);

  // 5. Bundle into a dashboard; `filters` on executeDashboard apply to every panel.
  const dash = await sdk.createDashboard({
    title: 'Builder-mode demo',
    panels: [{ viz_id: rawViz.id }, { viz_id: builderViz.id }],
  });
  const panels = await sdk.executeDashboard(dash.id, {
    filters: [{ field: 'feature_name', operator: 'is_not', value: 'AMS_Designer' }],
  });
  for (const p of panels) {
    if (p.error) console.log(`  ✗ panel ${p.id}: ${p.error.status} ${p.error.message}`);
    else console.log(`  ✓ ${JSON.stringify(p.viz?.title)} rows=${p.data?.rows.length} applied=${JSON.stringify(p.data?.metadata.filters_applied)}`);
  }
  return { raw, builder, filtered, windowed, panels, ids: { raw: rawViz.id, builder: builderViz.id, dashboard: dash.id } };
}

if (isMain(import.meta.url)) {
  const sdk = clientFromEnv();
  if (process.argv.includes('--load-demo-data')) await loadDemoData(sdk, DEMO_DATASET, DEMO_MAPPING_DATASET);
  const { ids } = await builderMode(sdk);
  console.log(`to clean up: deleteDashboard('${ids.dashboard}'), deleteVisualization('${ids.raw}'), deleteVisualization('${ids.builder}')`);
}
