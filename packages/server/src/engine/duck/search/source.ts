/**
 * What a hit carries besides its id and score: `_source` filtered by includes/excludes (wildcards,
 * dotted paths, objects included whole), and the `fields` API values (always arrays).
 */
import type { SourceFilter } from '../../../search/types.js';
import { datePrinter } from '../../../search/aggs/date-print.js';
import { parseDateValue } from '../../dates.js';
import { globToRegExp, ignoreAbove, keywordSubfield } from './fields.js';
import type { DatasetState } from '../catalog.js';

type Json = unknown;

export function filterSource(source: Record<string, Json>, filter: SourceFilter): Record<string, Json> | undefined {
  if (filter === false) return undefined;
  if (filter === true || (filter.includes.length === 0 && filter.excludes.length === 0)) return source;
  const includes = filter.includes.map(globToRegExp);
  const excludes = filter.excludes.map(globToRegExp);
  const prefixes = filter.includes.map((p) => p.split('.'));
  return filterObject(source, '', includes, prefixes, excludes, false) ?? {};
}

function filterObject(
  obj: Record<string, Json>,
  base: string,
  includes: RegExp[],
  includeParts: string[][],
  excludes: RegExp[],
  included: boolean,
): Record<string, Json> | undefined {
  const out: Record<string, Json> = {};
  let any = false;
  for (const [key, value] of Object.entries(obj)) {
    const path = base ? `${base}.${key}` : key;
    if (excludes.some((re) => re.test(path))) continue;
    const inc = included || includes.length === 0 || includes.some((re) => re.test(path));
    const kept = keep(value, path, includes, includeParts, excludes, inc);
    if (kept !== undefined) {
      out[key] = kept;
      any = true;
    }
  }
  return any || (included && Object.keys(obj).length === 0) ? out : undefined;
}

function keep(value: Json, path: string, includes: RegExp[], parts: string[][], excludes: RegExp[], included: boolean): Json {
  if (Array.isArray(value)) {
    const items = value.map((v) => keep(v, path, includes, parts, excludes, included)).filter((v) => v !== undefined);
    return items.length > 0 || (included && value.length === 0) ? items : undefined;
  }
  if (value !== null && typeof value === 'object') {
    // An object is walked if it is included whole or could lead to an included path.
    if (!included && !couldContain(path, parts)) return undefined;
    return filterObject(value as Record<string, Json>, path, includes, parts, excludes, included);
  }
  return included ? value : undefined;
}

/** Could a pattern like `user.*.name` match something under `path`? */
function couldContain(path: string, patterns: string[][]): boolean {
  const segs = path.split('.');
  return patterns.some((p) => segs.every((s, i) => i >= p.length ? false : p[i] === s || p[i].includes('*')) || p[0] === '*');
}

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
