/**
 * `metadata.binding` (protocol §3.6): which response columns a renderer plots. Builder mode knows
 * them from the statement it generated; raw mode takes them from `mapping` when set and otherwise
 * guesses from the response columns' types.
 */
import type { Binding, ColumnType, VisualizationAttributes } from '@infino/sdk';
import { type BuilderAliases, isRawMode, NEEDS_X } from './sql/builder.js';
import { bareIdent } from './sql/dialects/index.js';

export interface BindingInput {
  /** What `buildBuilderQuery` returned (Builder mode). */
  builderAliases?: BuilderAliases;
  /** The response columns, in order, with their normalised types. */
  columns: Array<{ name: string; type: ColumnType }>;
}

const MULTI_SERIES = new Set(['bar', 'horizontalBar', 'line', 'area']);

export function bindingFor(attrs: VisualizationAttributes, { builderAliases, columns }: BindingInput): Binding {
  const chart = attrs.chart?.type;
  const xMissing = NEEDS_X.has(chart) && !attrs.mapping?.x;
  // Builder's `SELECT *` fallback (no x) returns raw rows: bind them like a raw query's.
  if (builderAliases && !isRawMode(attrs) && !xMissing) return { ...builderAliases, y: [...builderAliases.y] };
  return rawBinding(attrs, columns);
}

function rawBinding(attrs: VisualizationAttributes, columns: BindingInput['columns']): Binding {
  const chart = attrs.chart?.type;
  const names = columns.map((c) => c.name);
  const numeric = columns.filter((c) => c.type === 'number').map((c) => c.name);
  const y = (attrs.mapping?.y ?? []).map(bareIdent).filter((c) => names.includes(c));
  if (chart === 'table') return { x: null, y: [], series: null, value: null };
  if (chart === 'metric' || chart === 'gauge') return { x: null, y: [], series: null, value: y[0] ?? numeric[0] ?? null };

  const mx: unknown = attrs.mapping?.x;
  const xColumn = typeof mx === 'string' ? mx : mx && typeof mx === 'object' ? (mx as { column?: unknown }).column : undefined;
  // With no non-numeric column (`SELECT hour, count(*)`), the first column is the axis.
  const inferredX = columns.find((c) => c.type !== 'number')?.name ?? (columns.length > 1 ? names[0] : null);
  const x = typeof xColumn === 'string' && xColumn !== '' ? bareIdent(xColumn) : inferredX;
  const series = chart === 'pie' || chart === 'scatter' || !attrs.mapping?.series ? null : bareIdent(attrs.mapping.series);
  const firstFree = numeric.find((c) => c !== x && c !== series);
  const measures = MULTI_SERIES.has(chart) ? y : y.slice(0, 1);
  return { x, y: measures.length > 0 ? measures : firstFree === undefined ? [] : [firstFree], series, value: null };
}
