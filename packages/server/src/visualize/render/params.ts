/**
 * Query parameters of the render routes: `filters` and `time_range` as JSON (the execute body's
 * fields, so a rendered chart shows what `POST /visualizations/{id}/data` would return) and the
 * pixel size. Bad input is a 400 before anything runs.
 */
import { invalid } from '../fields.js';
import { parseExecuteBody } from '../filters.js';

export interface SizeBounds {
  min: number;
  max: number;
  default: number;
}

export const SVG_WIDTH: SizeBounds = { min: 50, max: 4096, default: 800 };
export const SVG_HEIGHT: SizeBounds = { min: 50, max: 4096, default: 400 };
/** Nominal page width the dashboard's panel SVGs are drawn for (they scale with the page). */
export const PAGE_WIDTH: SizeBounds = { min: 320, max: 7680, default: 1440 };

/** An integer pixel size from `name`, within its bounds; absent ⇒ the default. */
export function sizeParam(query: URLSearchParams, name: string, bounds: SizeBounds): number {
  const raw = query.get(name);
  if (raw === null || raw === '') return bounds.default;
  const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < bounds.min || n > bounds.max) {
    throw invalid(`\`${name}\` must be an integer number of pixels from ${bounds.min} to ${bounds.max}, got '${raw}'`);
  }
  return n;
}

function jsonParam(query: URLSearchParams, name: string): unknown {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch (e) {
    throw invalid(`the \`${name}\` query parameter must be JSON: ${(e as Error).message}`);
  }
}

/** The execute body `{filters?, time_range?}` the query parameters describe, validated like a POST body. */
export function executeBodyFromQuery(query: URLSearchParams): Record<string, unknown> {
  const body: Record<string, unknown> = {};
  const filters = jsonParam(query, 'filters');
  const timeRange = jsonParam(query, 'time_range');
  if (filters !== undefined) body.filters = filters;
  if (timeRange !== undefined) body.time_range = timeRange;
  parseExecuteBody(body);
  return body;
}
