/**
 * Table and metric results as SVG. ECharts has no table or single-value chart, and the reference
 * renderer draws them as HTML; an SVG keeps `render.svg` one format for every chart type. Text is
 * laid out with an approximate glyph width (no font metrics on the server), so long values are
 * truncated with an ellipsis rather than measured.
 */
import type { MetricSpec, TableSpec } from '@infino/sdk';
import { pyStr } from '@infino/sdk';
import { escapeXml } from './escape.js';

export interface SvgSize {
  width: number;
  height: number;
}

/** The reference renderer's cap: tables show their first 50 rows. */
export const TABLE_MAX_ROWS = 50;

const FONT = 'system-ui, -apple-system, Segoe UI, Roboto, Helvetica, Arial, sans-serif';
const PAD = 8;
const TITLE_H = 28;
const HEAD_H = 24;
const ROW_H = 22;
const CELL_FONT = 12;

// East Asian wide/fullwidth ranges render about twice as wide as Latin glyphs.
const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{1f300}-\u{1faff}\u{20000}-\u{3fffd}]/u;

/** Approximate rendered width of `text` at `fontSize` px. */
export function textWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const ch of text) em += WIDE.test(ch) ? 1 : 0.6;
  return em * fontSize;
}

/** `text` cut with an ellipsis so that it fits `maxWidth` px. */
export function fitText(text: string, maxWidth: number, fontSize: number): string {
  if (textWidth(text, fontSize) <= maxWidth) return text;
  let out = '';
  for (const ch of text) {
    if (textWidth(`${out}${ch}…`, fontSize) > maxWidth) break;
    out += ch;
  }
  return `${out}…`;
}

function svgOpen(width: number, height: number, label: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
    `role="img" aria-label="${escapeXml(label)}" font-family="${FONT}">` +
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`
  );
}

function text(x: number, y: number, content: string, attrs: string): string {
  return `<text x="${x}" y="${y}" ${attrs}>${escapeXml(content)}</text>`;
}

function titleText(title: string, width: number): string {
  return title === '' ? '' : text(width / 2, 19, fitText(title, width - 2 * PAD, 14), 'text-anchor="middle" font-size="14" font-weight="600" fill="#1f2937"');
}

/** A cell as the reference prints it: `str(v)`, with `None` shown empty. */
function cellText(v: unknown): string {
  return v === null || v === undefined ? '' : pyStr(v);
}

/**
 * A table of the first 50 rows. The SVG grows taller than `size.height` when the rows need it, so
 * every shown row is readable (a dashboard panel scrolls it).
 */
export function tableSvg(spec: TableSpec, size: SvgSize): string {
  const names = spec.columns.length > 0 ? spec.columns.map((c) => String(c.name)) : Object.keys(spec.rows[0] ?? {});
  const numeric = new Set(spec.columns.filter((c) => c.type === 'number').map((c) => String(c.name)));
  const shown = spec.rows.slice(0, TABLE_MAX_ROWS);
  const top = spec.title === '' ? PAD : TITLE_H;
  const footer = spec.rows.length > shown.length || shown.length === 0 ? ROW_H : 0;
  const height = Math.max(size.height, top + HEAD_H + shown.length * ROW_H + footer + PAD);
  const { width } = size;
  const colW = (width - 2 * PAD) / Math.max(1, names.length);
  const cellX = (i: number, name: string) => (numeric.has(name) ? PAD + (i + 1) * colW - 6 : PAD + i * colW + 6);
  const anchor = (name: string) => (numeric.has(name) ? 'end' : 'start');

  const parts = [svgOpen(width, height, spec.title || 'table'), titleText(spec.title, width)];
  parts.push(`<rect x="${PAD}" y="${top}" width="${width - 2 * PAD}" height="${HEAD_H}" fill="#f3f4f6"/>`);
  names.forEach((name, i) => {
    parts.push(text(cellX(i, name), top + 16, fitText(name, colW - 12, CELL_FONT), `text-anchor="${anchor(name)}" font-size="${CELL_FONT}" font-weight="600" fill="#374151"`));
  });
  shown.forEach((row, r) => {
    const y = top + HEAD_H + r * ROW_H;
    if (r % 2 === 1) parts.push(`<rect x="${PAD}" y="${y}" width="${width - 2 * PAD}" height="${ROW_H}" fill="#f9fafb"/>`);
    names.forEach((name, i) => {
      const v = Object.hasOwn(row, name) ? row[name] : null;
      parts.push(text(cellX(i, name), y + 15, fitText(cellText(v), colW - 12, CELL_FONT), `text-anchor="${anchor(name)}" font-size="${CELL_FONT}" fill="#111827"`));
    });
  });
  if (footer > 0) {
    const note = shown.length === 0 ? 'No data' : `Showing the first ${shown.length} of ${spec.rows.length} rows`;
    parts.push(text(width / 2, top + HEAD_H + shown.length * ROW_H + 15, note, `text-anchor="middle" font-size="${CELL_FONT}" fill="#6b7280"`));
  }
  parts.push('</svg>');
  return parts.join('');
}

/** `prefix + str(value) + suffix`, as the reference renderer prints a metric (other knobs ignored). */
export function metricText(spec: MetricSpec): string {
  const fmt = spec.formatting ?? {};
  const affix = (v: unknown) => (typeof v === 'string' ? v : v ? pyStr(v) : '');
  return `${affix(fmt.prefix)}${pyStr(spec.value)}${affix(fmt.suffix)}`;
}

/** The metric's value, as large as the box allows, under its title. */
export function metricSvg(spec: MetricSpec, size: SvgSize): string {
  const { width, height } = size;
  const value = metricText(spec);
  const top = spec.title === '' ? 0 : TITLE_H;
  const room = height - top;
  const fontSize = Math.max(10, Math.floor(Math.min(room * 0.6, (width - 2 * PAD) / Math.max(1, textWidth(value, 1)))));
  return [
    svgOpen(width, height, spec.title ? `${spec.title}: ${value}` : value),
    titleText(spec.title, width),
    text(width / 2, top + room / 2, fitText(value, width - 2 * PAD, fontSize), `text-anchor="middle" dominant-baseline="central" font-size="${fontSize}" font-weight="600" fill="#1f2937"`),
    '</svg>',
  ].join('');
}
