/**
 * Server-side rendering (beyond the reference): `GET /visualizations/{id}/render.svg` and
 * `GET /dashboards/{id}/render.html`, for e-mails, wikis and reports with no front end. `filters`
 * and `time_range` come as JSON query parameters and mean what they mean in the execute body.
 * These two GET routes, and no other, also take presigned URLs (query-string SigV4 with
 * X-Amz-Expires, see http/presigned.ts), so a chart can be embedded as `<img src>` or an iframe.
 */
import { PlainText, type AppRouter } from '../context.js';
import { renderDashboardPage } from '../../visualize/render/dashboard.js';
import { PAGE_WIDTH, SVG_HEIGHT, SVG_WIDTH, executeBodyFromQuery, sizeParam } from '../../visualize/render/params.js';
import { visualizationSvg } from '../../visualize/render/svg.js';

const SVG_ROUTE = '/visualizations/:id/render.svg';
const HTML_ROUTE = '/dashboards/:id/render.html';

/** Route patterns a presigned URL may call (with GET): a leaked link exposes one rendering only. */
export const PRESIGNABLE_ROUTES: ReadonlySet<string> = new Set([SVG_ROUTE, HTML_ROUTE]);

export function registerRenderRoutes(router: AppRouter): void {
  router.add('GET', SVG_ROUTE, async (ctx) => {
    // Parameters are checked before the lookup: a malformed request is a 400 whatever the id.
    const size = { width: sizeParam(ctx.query, 'width', SVG_WIDTH), height: sizeParam(ctx.query, 'height', SVG_HEIGHT) };
    const body = executeBodyFromQuery(ctx.query);
    const { viz, data } = await ctx.deps.vizExecutor.executeSaved(ctx.principal, ctx.params.id, body);
    const { svg } = await visualizationSvg(viz.attributes, data, size);
    return new PlainText(svg, 'image/svg+xml; charset=utf-8');
  });

  router.add('GET', HTML_ROUTE, async (ctx) => {
    const pageWidth = sizeParam(ctx.query, 'width', PAGE_WIDTH);
    const body = executeBodyFromQuery(ctx.query);
    const deps = { ...ctx.deps, log: (err: unknown, panelId: string) => ctx.request.log.error({ err, panelId }, 'dashboard panel failed') };
    const html = await renderDashboardPage(deps, ctx.principal, { id: ctx.params.id, body, pageWidth });
    return new PlainText(html, 'text/html; charset=utf-8');
  });
}
