/**
 * `POST /visualizations/{id}/data` (protocol §3.4): run a saved visualization with optional
 * `filters` / `time_range` and answer `{columns, rows, metadata}`. An empty body means `{}`.
 */
import { jsonBody } from '../body.js';
import type { AppRouter } from '../context.js';

export function registerVisualizationDataRoutes(router: AppRouter): void {
  router.add('POST', '/visualizations/:id/data', (ctx) => ctx.deps.vizExecutor.execute(ctx.principal, ctx.params.id, jsonBody(ctx.body, false)));
}
