/**
 * `GET /dashboards/{id}/render.html`: every visualization panel is executed and drawn on the server,
 * concurrently (bounded), and the page is assembled by html.ts. A panel that fails — unknown viz,
 * SQL error, rendering error — becomes an error panel; only the dashboard lookup itself fails the page.
 */
import type { DashboardAttributes, ExecuteVisualizationResponse, Panel, VisualizationObject } from '@infino/sdk';
import { ApiError } from '../../errors.js';
import type { Principal } from '../../policy/principal.js';
import type { VisualizationExecutor } from '../execute.js';
import type { SavedObjectService } from '../service.js';
import { type PanelView, dashboardHtml, panelPixelSize } from './html.js';
import { visualizationSvg } from './svg.js';

/** Panels executing at once. DuckDB parallelises each query itself; this bounds memory and queueing. */
export const PANEL_CONCURRENCY = 8;

export interface RenderDeps {
  visualize: Pick<SavedObjectService, 'getDashboard'>;
  vizExecutor: Pick<VisualizationExecutor, 'executeSaved'>;
  /** Where unexpected (non-API) panel errors are reported; their message stays off the page. */
  log?: (err: unknown, panelId: string) => void;
}

export interface RenderDashboardInput {
  id: string;
  /** The execute body `{filters?, time_range?}` every visualization panel runs with. */
  body: Record<string, unknown>;
  pageWidth: number;
}

/** Maps `items` through `fn` with at most `limit` calls in flight; results keep the input order. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}

/** An execution failure as the page shows it: API errors verbatim, anything else without internals. */
function errorOf(e: unknown): { status: number; message: string } {
  if (e instanceof ApiError) return { status: e.status, message: e.reason };
  return { status: 500, message: 'the panel could not be rendered (see the server log)' };
}

/** The panel's chart title: `title_override`, else the visualization's own; hidden when the dashboard says so. */
function panelTitle(dash: DashboardAttributes, panel: Panel, vizTitle: string): string {
  if (dash.options?.hide_panel_titles) return '';
  return panel.title_override ?? vizTitle;
}

async function renderPanel(deps: RenderDeps, p: Principal, dash: DashboardAttributes, panel: Panel, input: RenderDashboardInput): Promise<PanelView> {
  if (panel.kind !== 'visualization') return { panel };
  if (!panel.viz_id) return { panel, error: { status: 400, message: 'panel missing viz_id' } };
  let viz: VisualizationObject;
  let data: ExecuteVisualizationResponse;
  try {
    ({ viz, data } = await deps.vizExecutor.executeSaved(p, panel.viz_id, input.body));
  } catch (e) {
    if (!(e instanceof ApiError)) deps.log?.(e, panel.id);
    return { panel, error: errorOf(e) };
  }
  try {
    const attrs = { ...viz.attributes, title: panelTitle(dash, panel, viz.attributes.title) };
    return { panel, rendered: await visualizationSvg(attrs, data, panelPixelSize(panel.layout, input.pageWidth)) };
  } catch (e) {
    // Drawing errors come from the data's shape (a row without a bound column), not from internals.
    return { panel, error: { status: 500, message: `the chart could not be drawn: ${(e as Error).message}` } };
  }
}

/** The dashboard page; a missing dashboard is the caller's 404. */
export async function renderDashboardPage(deps: RenderDeps, p: Principal, input: RenderDashboardInput): Promise<string> {
  const dash = (await deps.visualize.getDashboard(p, input.id)).attributes;
  const panels = dash.panels ?? [];
  const views = await mapBounded(panels, PANEL_CONCURRENCY, (panel) => renderPanel(deps, p, dash, panel, input));
  return dashboardHtml({ title: dash.title, panels: views, pageWidth: input.pageWidth });
}
