/**
 * `_source` filtering as Elasticsearch does it: includes/excludes with `*` wildcards over dotted
 * paths; an included object comes whole; excludes win. Used by search hits, top_hits and GET _doc.
 */
import { globToRegExp } from '../query/glob.js';
import type { SourceFilter } from './types.js';

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
