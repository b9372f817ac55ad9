/**
 * Dashboard HTML renderer (the Python SDK's `examples/dashboards/common/render.py`, in TypeScript).
 *
 * Reads a dashboard, executes every panel in parallel with `executeDashboard`, turns each result into
 * a plot spec with the SDK's `toEchartsOption`, and composes one HTML page that honours each panel's
 * stored `layout: {x, y, w, h}` on a 48-column CSS grid. The SDK returns `{columns, rows, metadata}`
 * and stays out of the plotting choice; ECharts is this example's. (The server can also render the
 * same page itself, with no browser-side script: `GET /dashboards/{id}/render.html`.)
 */
import { type InfinoClient, type PanelLayout, type PanelResult, toEchartsOption } from '@infino/sdk';

const ROW_PX = 22;
const GAP_PX = 8;
/** Pinned to the ECharts the server renders with, so both pages draw the same charts. */
const ECHARTS_SCRIPT = 'https://cdn.jsdelivr.net/npm/echarts@6.1.0/dist/echarts.min.js';

export function escapeHtml(text: unknown): string {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function gridStyle(layout: PanelLayout): string {
  return `grid-column: ${layout.x + 1} / span ${layout.w}; grid-row: ${layout.y + 1} / span ${layout.h};`;
}

/** JSON inside a <script>: `</script>` and `<!--` in data must not end or comment out the block. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

function panelHtml(panel: PanelResult, scripts: string[]): string {
  const layout = panel.layout ?? { x: 0, y: 0, w: 24, h: 15 };
  const style = gridStyle(layout);
  if (panel.error) {
    return (
      `<div class="panel error-panel" style="${style}"><div class="panel-title">Error</div>` +
      `<div class="error-body">${escapeHtml(panel.error.status)}: ${escapeHtml(String(panel.error.message).slice(0, 200))}</div></div>`
    );
  }
  const spec = toEchartsOption(panel.viz ?? {}, panel.data ?? {});
  if (spec.kind === 'echarts') {
    const id = `chart_${String(panel.id).replace(/[^A-Za-z0-9_-]/g, '_')}`;
    scripts.push(`echarts.init(document.getElementById('${id}')).setOption(${scriptJson(spec.option)});`);
    return `<div class="panel" style="${style}"><div id="${id}" class="chart"></div></div>`;
  }
  const title = `<div class="panel-title">${escapeHtml(spec.title)}</div>`;
  if (spec.kind === 'metric') {
    const fmt = spec.formatting ?? {};
    return (
      `<div class="panel metric-panel" style="${style}">${title}<div class="metric-value">` +
      `${escapeHtml(fmt.prefix ?? '')}${escapeHtml(spec.value ?? 'None')}${escapeHtml(fmt.suffix ?? '')}</div></div>`
    );
  }
  const cols = spec.columns.map((c) => c.name);
  const head = cols.map((c) => `<th>${escapeHtml(c)}</th>`).join('');
  const body = spec.rows
    .slice(0, 50)
    .map((r) => `<tr>${cols.map((c) => `<td>${escapeHtml(r[c] ?? '')}</td>`).join('')}</tr>`)
    .join('');
  return (
    `<div class="panel table-panel" style="${style}">${title}<div class="table-scroll"><table>` +
    `<thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div></div>`
  );
}

/** Execute every panel of the dashboard (in parallel) and return one self-describing HTML page. */
export async function buildDashboardHtml(sdk: InfinoClient, dashboardId: string): Promise<string> {
  const title = String((await sdk.getDashboard(dashboardId)).attributes.title);
  const panels = await sdk.executeDashboard(dashboardId);
  const scripts: string[] = [];
  const body = panels
    .filter((p) => p.kind === 'visualization')
    .map((p) => panelHtml(p, scripts))
    .join('\n');
  return `<!DOCTYPE html>
<html><head>
<meta charset="UTF-8">
<title>${escapeHtml(title)}</title>
<script src="${ECHARTS_SCRIPT}"></script>
<style>
  body { margin: 0; font-family: -apple-system, system-ui, sans-serif; background: #f6f7f8; }
  h1 { padding: 16px 24px; margin: 0; background: white; border-bottom: 1px solid #e5e7eb; }
  .dashboard { display: grid; grid-template-columns: repeat(48, 1fr); grid-auto-rows: ${ROW_PX}px; gap: ${GAP_PX}px; padding: ${GAP_PX}px; }
  .panel { background: white; border: 1px solid #e5e7eb; border-radius: 6px; overflow: hidden; }
  .chart { width: 100%; height: 100%; }
  .panel-title { padding: 8px 12px; font-weight: 600; border-bottom: 1px solid #f0f0f0; font-size: 14px; }
  .table-scroll { overflow: auto; height: calc(100% - 36px); }
  table { width: 100%; border-collapse: collapse; font-size: 12px; }
  th, td { padding: 6px 10px; border-bottom: 1px solid #f0f0f0; text-align: left; }
  .metric-panel { display: flex; flex-direction: column; }
  .metric-value { flex: 1; display: flex; align-items: center; justify-content: center; font-size: 36px; font-weight: 600; }
  .error-panel { background: #fef2f2; }
  .error-body { padding: 8px 12px; color: #991b1b; font-size: 12px; word-break: break-word; }
</style>
</head><body>
<h1>${escapeHtml(title)}</h1>
<div class="dashboard">
${body}
</div>
<script>
${scripts.join('\n')}
window.addEventListener('resize', function () {
  document.querySelectorAll('.chart').forEach(function (el) { var c = echarts.getInstanceByDom(el); if (c) c.resize(); });
});
</script>
</body></html>
`;
}
