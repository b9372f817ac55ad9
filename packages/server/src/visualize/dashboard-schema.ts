/**
 * The dashboard schema (protocol §3.9): defaults, panels with their kinds, the 48-column grid
 * layout and the 2-column auto-layout for panels that come without one.
 */
import type { DashboardAttributes, Panel, PanelLayout } from '@infino/sdk';
import { setOwn, type JsonObject } from './merge-patch.js';
import {
  invalid,
  normalizeFilters,
  normalizeTimeRange,
  objectArray,
  oneOf,
  optBool,
  optObject,
  optString,
  reqString,
  requireObject,
  stringArray,
  withExtras,
} from './fields.js';
import type { NormalizeContext } from './schema.js';

export const PANEL_KINDS = ['visualization', 'markdown', 'divider'] as const;
export const GRID_COLUMNS = 48;
/** The auto-layout's cell: half the grid wide, 15 rows high (matches the reference tests). */
const AUTO_W = 24;
const AUTO_H = 15;
export const DASHBOARD_SCHEMA_VERSION = 1;

const isInt = (v: unknown): v is number => Number.isSafeInteger(v);

function checkLayout(v: unknown, at: string): PanelLayout {
  const l = optObject(v, `${at}.layout`);
  const field = (key: 'x' | 'y' | 'w' | 'h', ok: (n: number) => boolean, rule: string) => {
    const n = l[key];
    if (n === undefined || n === null) throw invalid(`${at} \`layout.${key}\` is required`);
    if (!isInt(n) || !ok(n)) throw invalid(`${at} \`layout.${key}\` must be ${rule} (got ${JSON.stringify(n)})`);
    return n;
  };
  const x = field('x', (n) => n >= 0 && n < GRID_COLUMNS, `an integer from 0 to ${GRID_COLUMNS - 1}`);
  const y = field('y', (n) => n >= 0, 'an integer >= 0');
  const w = field('w', (n) => n >= 1 && n <= GRID_COLUMNS, `an integer from 1 to ${GRID_COLUMNS}`);
  const h = field('h', (n) => n >= 1, 'an integer >= 1');
  if (x + w > GRID_COLUMNS) throw invalid(`${at} \`layout.x + layout.w\` must be <= ${GRID_COLUMNS} (got ${x} + ${w})`);
  return withExtras({ x, y, w, h }, l) as unknown as PanelLayout;
}

/** One panel without its layout (filled afterwards, once every explicit layout is known). */
function normalizePanel(p: JsonObject, index: number): { panel: JsonObject; layout: PanelLayout | null } {
  const at = `panel[${index}]`;
  const kind = p.kind === undefined || p.kind === null ? 'visualization' : oneOf(p.kind, PANEL_KINDS, `${at}.kind`);
  const id = p.id === undefined || p.id === null || p.id === '' ? `panel_${index}` : reqString(p.id, `${at}.id`);
  const layout = p.layout === undefined || p.layout === null ? null : checkLayout(p.layout, at);
  const base: JsonObject = { kind, id, layout, title_override: optString(p.title_override, `${at}.title_override`) };
  if (kind === 'visualization') {
    if (typeof p.viz_id !== 'string' || p.viz_id === '') {
      if (p.viz_id === undefined || p.viz_id === null || p.viz_id === '') throw invalid(`${at} of kind \`visualization\` requires \`viz_id\``);
      throw invalid(`${at} \`viz_id\` must be a string`);
    }
    base.viz_id = p.viz_id;
  } else if (kind === 'markdown') {
    if (p.content === undefined || p.content === null) throw invalid(`${at} of kind \`markdown\` requires \`content\``);
    if (typeof p.content !== 'string') throw invalid(`${at} \`content\` must be a string`);
    base.content = p.content;
  } else base.label = optString(p.label, `${at}.label`);
  return { panel: withExtras(base, p), layout };
}

/**
 * Panels without a layout flow in two columns (§3.9): the k-th gets x = (k % 2) * 24,
 * y = y0 + floor(k / 2) * 15, 24 × 15, where y0 is the bottom of the explicitly placed panels, so
 * mixing both never overlaps them; k counts the implicit panels only.
 */
export function normalizePanels(v: unknown): Panel[] {
  const items = objectArray(v, 'panels').map(normalizePanel);
  const y0 = items.reduce((m, { layout }) => (layout ? Math.max(m, layout.y + layout.h) : m), 0);
  let k = 0;
  return items.map(({ panel, layout }) => {
    if (!layout) {
      panel.layout = { x: (k % 2) * AUTO_W, y: y0 + Math.floor(k / 2) * AUTO_H, w: AUTO_W, h: AUTO_H };
      k++;
    } else panel.layout = layout;
    return panel as unknown as Panel;
  });
}

function normalizeDashboardOptions(v: unknown): JsonObject {
  const o = optObject(v, 'options');
  const refresh = o.refresh_interval;
  if (refresh !== undefined && refresh !== null && typeof refresh !== 'string' && !(typeof refresh === 'number' && Number.isFinite(refresh) && refresh >= 0)) {
    throw invalid('`options.refresh_interval` must be a string, a non-negative number or null');
  }
  return withExtras(
    {
      use_margins: optBool(o.use_margins, 'options.use_margins') ?? true,
      hide_panel_titles: optBool(o.hide_panel_titles, 'options.hide_panel_titles') ?? false,
      refresh_interval: refresh ?? null,
    },
    o,
  );
}

/** Validates `input` and returns the fully defaulted dashboard (key order of §3.9). */
export function normalizeDashboard(input: unknown, ctx: NormalizeContext): DashboardAttributes {
  const d = requireObject(input);
  const canonical: JsonObject = {
    schema_version: ctx.existing?.schema_version ?? DASHBOARD_SCHEMA_VERSION,
    id: ctx.existing?.id ?? ctx.id,
    title: reqString(d.title, 'title'),
  };
  // Not in the reference's defaults, so present only when given.
  if (Object.hasOwn(d, 'description')) canonical.description = optString(d.description, 'description');
  Object.assign(canonical, {
    panels: normalizePanels(d.panels),
    options: normalizeDashboardOptions(d.options),
    filters: normalizeFilters(d.filters, 'filters'),
    time_range: normalizeTimeRange(d.time_range, 'time_range'),
    chat_thread_id: optString(d.chat_thread_id, 'chat_thread_id'),
    tags: stringArray(d.tags, 'tags'),
  });
  setOwn(canonical, 'created_at', ctx.existing?.created_at ?? ctx.now);
  setOwn(canonical, 'updated_at', ctx.now);
  setOwn(canonical, 'created_by', ctx.existing ? ctx.existing.created_by : ctx.user);
  return withExtras(canonical, d) as unknown as DashboardAttributes;
}
