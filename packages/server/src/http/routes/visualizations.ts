/**
 * Saved visualizations and dashboards (protocol §3.1, §3.9): create (201), list, get, merge-patch
 * update and delete. PUT is not offered: the SDK never sends it (§3.3 [REC] optional).
 */
import { jsonBody } from '../body.js';
import type { AppRouter, Ctx } from '../context.js';

const page = (ctx: Ctx) => ({ limit: ctx.query.get('limit') ?? undefined, offset: ctx.query.get('offset') ?? undefined });

export function registerVisualizationRoutes(router: AppRouter): void {
  router.add('POST', '/visualizations', async (ctx) => {
    const created = await ctx.deps.visualize.createVisualization(ctx.principal, jsonBody(ctx.body));
    ctx.reply.code(201);
    return created;
  });
  router.add('GET', '/visualizations', (ctx) => ctx.deps.visualize.listVisualizations(ctx.principal, page(ctx)));
  router.add('GET', '/visualizations/:id', (ctx) => ctx.deps.visualize.getVisualization(ctx.principal, ctx.params.id));
  router.add('PATCH', '/visualizations/:id', (ctx) => ctx.deps.visualize.updateVisualization(ctx.principal, ctx.params.id, jsonBody(ctx.body)));
  router.add('DELETE', '/visualizations/:id', (ctx) => ctx.deps.visualize.deleteVisualization(ctx.principal, ctx.params.id));

  router.add('POST', '/dashboards', async (ctx) => {
    const created = await ctx.deps.visualize.createDashboard(ctx.principal, jsonBody(ctx.body));
    ctx.reply.code(201);
    return created;
  });
  router.add('GET', '/dashboards', (ctx) => ctx.deps.visualize.listDashboards(ctx.principal, page(ctx)));
  router.add('GET', '/dashboards/:id', (ctx) => ctx.deps.visualize.getDashboard(ctx.principal, ctx.params.id));
  router.add('PATCH', '/dashboards/:id', (ctx) => ctx.deps.visualize.updateDashboard(ctx.principal, ctx.params.id, jsonBody(ctx.body)));
  router.add('DELETE', '/dashboards/:id', (ctx) => ctx.deps.visualize.deleteDashboard(ctx.principal, ctx.params.id));
}
