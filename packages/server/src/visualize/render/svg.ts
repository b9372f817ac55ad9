/**
 * A visualization's execute result as one SVG document: charts through ECharts server-side
 * rendering (SVG renderer, no canvas, no DOM) fed by the SDK's `toEchartsOption` — the same option
 * a browser would get — and tables/metrics as hand-built SVG (static-svg.ts).
 */
import { type EchartsInputViz, type EchartsOption, type EchartsResult, type ExecuteVisualizationResponse, toEchartsOption } from '@infino/sdk';
import { escapeXml, xmlSafe } from './escape.js';
import { type SvgSize, metricSvg, tableSvg } from './static-svg.js';

export type { SvgSize } from './static-svg.js';

type Echarts = typeof import('echarts');
let echartsModule: Promise<Echarts> | undefined;

/** ECharts is large; it loads on the first render, not at server start. */
function loadEcharts(): Promise<Echarts> {
  echartsModule ??= import('echarts');
  return echartsModule;
}

// A static image has no tooltip to hover: bar/line values are printed on the chart while few enough
// to stay legible.
const MAX_LABELLED_POINTS = 24;

/** Deep copy with every string made XML-safe: one control character in a row must not break the SVG. */
function xmlSafeValue(v: unknown): unknown {
  if (typeof v === 'string') return xmlSafe(v);
  if (Array.isArray(v)) return v.map(xmlSafeValue);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, xmlSafeValue(x)]));
  return v;
}

/** The option as ECharts should draw it once, statically: no animation, values labelled. */
export function staticOption(option: EchartsOption): Record<string, unknown> {
  const copy = xmlSafeValue(option) as Record<string, unknown>;
  const series = (copy.series as Array<Record<string, unknown>>).map((s) => {
    const few = Array.isArray(s.data) && s.data.length <= MAX_LABELLED_POINTS;
    return (s.type === 'bar' || s.type === 'line') && few && s.label === undefined ? { ...s, label: { show: true, position: 'top' } } : s;
  });
  return { ...copy, series, animation: false };
}

/**
 * Renders an ECharts option to an SVG string. The instance is always disposed: an undisposed one
 * keeps its animation timer alive. ECharts' ARIA support needs a DOM, so the root gets its label here.
 */
export async function echartsSvg(option: EchartsOption, size: SvgSize, label: string): Promise<string> {
  const echarts = await loadEcharts();
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption(staticOption(option));
    return chart.renderToSVGString().replace(/^<svg /, `<svg role="img" aria-label="${escapeXml(label || 'chart')}" `);
  } finally {
    chart.dispose();
  }
}

/** SVG for a result of `toEchartsOption`. */
export async function specSvg(spec: EchartsResult, size: SvgSize): Promise<string> {
  switch (spec.kind) {
    case 'table':
      return tableSvg(spec, size);
    case 'metric':
      return metricSvg(spec, size);
    case 'echarts':
      return echartsSvg(spec.option, size, String(spec.title));
  }
}

export interface RenderedSvg {
  /** What was drawn: a chart, a table (may be taller than asked) or a metric. */
  kind: EchartsResult['kind'];
  svg: string;
}

/** SVG for a visualization (envelope or attributes) and its execute response. */
export async function visualizationSvg(viz: EchartsInputViz, data: ExecuteVisualizationResponse, size: SvgSize): Promise<RenderedSvg> {
  const spec = toEchartsOption(viz, data);
  return { kind: spec.kind, svg: await specSvg(spec, size) };
}
