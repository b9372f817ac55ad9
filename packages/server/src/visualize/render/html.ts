/**
 * The dashboard page: self-contained HTML (no scripts, no external assets, a CSP that forbids
 * both) laid out like the reference renderer — a 48-column CSS grid, 22 px rows, 8 px gaps, each
 * panel at `grid-column: x+1 / span w; grid-row: y+1 / span h`. Visualization panels carry their
 * SVG inline; failed ones show `<status>: <message[:200]>`; markdown is rendered with raw HTML
 * escaped; dividers are a labelled rule.
 */
import type { Panel, PanelLayout } from '@infino/sdk';
import { codePointSlice, escapeXml } from './escape.js';
import { markdownHtml } from './markdown.js';
import type { RenderedSvg, SvgSize } from './svg.js';

export const GRID_COLUMNS = 48;
export const ROW_PX = 22;
export const GAP_PX = 8;
/** The reference renderer cuts error messages to 200 characters. */
export const ERROR_MESSAGE_CHARS = 200;

/** A panel ready to draw: visualization panels carry their SVG or their error. */
export interface PanelView {
  panel: Panel;
  rendered?: RenderedSvg;
  error?: { status: number; message: string };
}

export interface DashboardPage {
  title: string;
  panels: PanelView[];
  /** The page width the panel SVGs were sized for (they scale with the actual width). */
  pageWidth: number;
}

const int = (v: unknown, fallback: number): number => (Number.isInteger(v) ? (v as number) : fallback);

/** The pixel box a layout gets on a page `pageWidth` wide (panel border excluded). */
export function panelPixelSize(layout: PanelLayout | undefined, pageWidth: number): SvgSize {
  const w = int(layout?.w, 24);
  const h = int(layout?.h, 15);
  const column = (pageWidth - 2 * GAP_PX - (GRID_COLUMNS - 1) * GAP_PX) / GRID_COLUMNS;
  return {
    width: Math.max(50, Math.floor(w * column + (w - 1) * GAP_PX) - 2),
    height: Math.max(50, h * ROW_PX + (h - 1) * GAP_PX - 2),
  };
}

function gridStyle(layout: PanelLayout | undefined): string {
  if (!layout) return '';
  return ` style="grid-column: ${int(layout.x, 0) + 1} / span ${int(layout.w, 24)}; grid-row: ${int(layout.y, 0) + 1} / span ${int(layout.h, 15)};"`;
}

const panelId = (panel: Panel): string => escapeXml(String(panel.id ?? ''));

function panelHtml(view: PanelView): string {
  const { panel } = view;
  const attrs = `id="${panelId(panel)}"${gridStyle(panel.layout)}`;
  switch (panel.kind) {
    case 'visualization': {
      if (view.error || !view.rendered) {
        const { status, message } = view.error ?? { status: 500, message: 'the panel was not rendered' };
        return (
          `<section class="panel error-panel" ${attrs}><div class="panel-title">Error</div>` +
          `<div class="error-body">${escapeXml(`${status}: ${codePointSlice(String(message), ERROR_MESSAGE_CHARS)}`)}</div></section>`
        );
      }
      return `<section class="panel viz-panel ${view.rendered.kind}-panel" ${attrs}>${view.rendered.svg}</section>`;
    }
    case 'markdown':
      return `<section class="panel markdown-panel" ${attrs}>${markdownHtml(String(panel.content ?? ''))}</section>`;
    case 'divider': {
      const label = panel.label ? `<span>${escapeXml(String(panel.label))}</span>` : '';
      return `<div class="divider" role="separator" ${attrs}>${label}</div>`;
    }
    default:
      return '';
  }
}

const STYLE = `
  body { margin: 0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; background: #f6f7f8; color: #1f2937; }
  .page-title { padding: 16px 24px; margin: 0; background: #fff; border-bottom: 1px solid #e5e7eb; font-size: 22px; }
  .dashboard { display: grid; grid-template-columns: repeat(${GRID_COLUMNS}, minmax(0, 1fr)); grid-auto-rows: ${ROW_PX}px; gap: ${GAP_PX}px; padding: ${GAP_PX}px; }
  .panel { background: #fff; border: 1px solid #e5e7eb; border-radius: 6px; overflow: hidden; box-shadow: 0 1px 2px rgba(0, 0, 0, 0.04); min-width: 0; }
  .viz-panel > svg { display: block; width: 100%; height: 100%; }
  .table-panel { overflow: auto; }
  .table-panel > svg { height: auto; }
  .panel-title { padding: 8px 12px; font-weight: 600; border-bottom: 1px solid #f0f0f0; font-size: 14px; }
  .error-panel { background: #fef2f2; }
  .error-body { padding: 8px 12px; color: #991b1b; font-size: 12px; word-break: break-word; }
  .markdown-panel { padding: 4px 16px; overflow: auto; font-size: 14px; line-height: 1.5; }
  .markdown-panel pre { background: #f3f4f6; padding: 8px; overflow: auto; }
  .divider { display: flex; align-items: center; gap: 12px; color: #6b7280; font-size: 13px; font-weight: 600; text-transform: uppercase; letter-spacing: 0.04em; }
  .divider::before, .divider::after { content: ""; flex: 1; border-top: 1px solid #d1d5db; }
  .divider:empty::after { display: none; }
`;

/** The whole page. Only inline styles are allowed by its CSP: nothing in it can run script. */
export function dashboardHtml(page: DashboardPage): string {
  const title = escapeXml(String(page.title ?? ''));
  return `<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data: https:">
<title>${title}</title>
<style>${STYLE}</style>
</head><body>
<h1 class="page-title">${title}</h1>
<main class="dashboard" style="max-width: ${page.pageWidth}px; margin: 0 auto;">
${page.panels.map(panelHtml).join('\n')}
</main>
</body></html>
`;
}
