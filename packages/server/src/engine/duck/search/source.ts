/** The `fields` API values of a hit (always arrays; dates formatted). `_source` filtering: search/source-filter.ts. */
import { datePrinter } from '../../../search/aggs/date-print.js';
import { parseDateValue } from '../../dates.js';
import { globToRegExp } from '../../../query/glob.js';
import { ignoreAbove, keywordSubfield } from './fields.js';
import type { DatasetState } from '../catalog.js';

type Json = unknown;

/** `fields`: the mapped values under the requested patterns, as ES returns them (arrays; `.keyword` too). */
export function fieldValues(
  ds: DatasetState,
  source: Record<string, Json>,
  patterns: string[],
  formats: Record<string, string> = {},
): Record<string, Json[]> | undefined {
  const flat = new Map<string, Json[]>();
  flatten(source, '', flat);
  const res = patterns.map(globToRegExp);
  const out: Record<string, Json[]> = {};
  for (const [path, values] of flat) {
    const field = ds.mapping.get(path);
    if (!field || values.length === 0) continue;
    // Dates come back formatted by the mapping's format (strict_date_optional_time), as ES does.
    if (res.some((re) => re.test(path))) out[path] = field.type === 'date' ? values.map((v) => formatDate(v, formats[path])) : values;
    const sub = field.type === 'text' ? keywordSubfield(field) : undefined;
    const kw = `${path}.${sub}`;
    if (sub && res.some((re) => re.test(kw))) {
      const kept = values.filter((v) => typeof v === 'string' && v.length <= ignoreAbove(field));
      if (kept.length) out[kw] = kept;
    }
  }
  return Object.keys(out).length ? out : undefined;
}

function formatDate(v: Json, format: string | undefined): Json {
  const ms = parseDateValue(v);
  if (ms === undefined) return v;
  return format ? datePrinter(format)(ms) : new Date(ms).toISOString();
}

function flatten(value: Json, path: string, out: Map<string, Json[]>): void {
  if (Array.isArray(value)) {
    for (const v of value) flatten(v, path, out);
    return;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) flatten(v, path ? `${path}.${k}` : k, out);
    return;
  }
  if (value === null || !path) return;
  const list = out.get(path) ?? [];
  list.push(value);
  out.set(path, list);
}
