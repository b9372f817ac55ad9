/**
 * Time-range injection (the Python SDK's `examples/dashboards/time_range_demo.py`, in TypeScript):
 * the same saved visualization with no window, with a 30-day window, and with a window plus a filter.
 *
 *   INFINO_DEMO_VIZ_ID=<id of a SQL visualization over data with @timestamp> npx tsx examples/dashboards/time-range-demo.ts
 */
import type { ExecuteVisualizationResponse, InfinoClient } from '@infino/sdk';
import { clientFromEnv, isMain } from './common/config.js';

export async function timeRangeDemo(
  sdk: InfinoClient,
  vizId: string,
): Promise<Record<'baseline' | 'last30' | 'combined', ExecuteVisualizationResponse>> {
  const baseline = await sdk.executeVisualization(vizId);
  console.log(`baseline rows: ${baseline.rows.length}`);

  const window = { from: '2026-04-22T00:00:00Z', to: '2026-05-22T00:00:00Z' };
  const last30 = await sdk.executeVisualization(vizId, { timeRange: window });
  console.log(`last 30 days: ${last30.rows.length} rows, filters_applied: ${JSON.stringify(last30.metadata.filters_applied)}`);
  console.log(`executed_query: ${last30.metadata.executed_query.slice(0, 200)}`);

  const combined = await sdk.executeVisualization(vizId, {
    filters: [{ field: 'event_type', operator: 'is', value: 'DENIED' }],
    timeRange: window,
  });
  console.log(`combined: ${combined.rows.length} rows, applied=${JSON.stringify(combined.metadata.filters_applied)}`);
  return { baseline, last30, combined };
}

if (isMain(import.meta.url)) {
  const vizId = process.env.INFINO_DEMO_VIZ_ID;
  if (!vizId) {
    console.error('Set INFINO_DEMO_VIZ_ID to the id of a saved SQL visualization with a time column.');
    process.exit(1);
  }
  await timeRangeDemo(clientFromEnv(), vizId);
}
