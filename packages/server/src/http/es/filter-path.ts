/**
 * Elasticsearch's `filter_path` response filter, on every route: comma-separated dotted paths, `*`
 * inside a segment, `**` for any depth, a leading `-` to exclude. Arrays are transparent (the
 * path applies to each element) and whatever ends up empty is dropped, as Elasticsearch does.
 */
import { isObject } from './request.js';

type Pattern = string[];

const segmentRegex = (segment: string) => new RegExp(`^${segment.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);

class Filter {
  private readonly regexes = new Map<string, RegExp>();

  private matches(segment: string, key: string): boolean {
    if (!segment.includes('*')) return segment === key;
    let re = this.regexes.get(segment);
    if (!re) this.regexes.set(segment, (re = segmentRegex(segment)));
    return re.test(key);
  }

  /** What the patterns say about one key: the whole value is selected, or these patterns go on below it. */
  step(patterns: Pattern[], key: string): { whole: boolean; rest: Pattern[] } {
    let whole = false;
    const rest: Pattern[] = [];
    const visit = (p: Pattern): void => {
      if (p.length === 0) return;
      if (p[0] === '**') {
        if (p.length === 1) whole = true;
        rest.push(p); // `**` takes this key and stays
        visit(p.slice(1)); // or takes no key at all
      } else if (this.matches(p[0], key)) {
        if (p.length === 1) whole = true;
        else rest.push(p.slice(1));
      }
    };
    patterns.forEach(visit);
    return { whole, rest };
  }

  include(value: unknown, patterns: Pattern[]): unknown {
    if (Array.isArray(value)) {
      const kept = value.map((v) => this.include(v, patterns)).filter((v) => v !== undefined);
      return kept.length > 0 ? kept : undefined;
    }
    if (!isObject(value)) return undefined;
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      const { whole, rest } = this.step(patterns, key);
      const kept = whole ? v : rest.length > 0 ? this.include(v, rest) : undefined;
      if (kept !== undefined) out[key] = kept;
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }

  exclude(value: unknown, patterns: Pattern[]): unknown {
    if (Array.isArray(value)) return value.map((v) => this.exclude(v, patterns));
    if (!isObject(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      const { whole, rest } = this.step(patterns, key);
      if (!whole) out[key] = rest.length > 0 ? this.exclude(v, rest) : v;
    }
    return out;
  }
}

/** Apply a `filter_path` value to a response body; nothing selected leaves `{}`. */
export function filterPath(body: unknown, filter: string): unknown {
  const paths = filter.split(',').map((p) => p.trim()).filter((p) => p !== '' && p !== '-');
  const includes = paths.filter((p) => !p.startsWith('-')).map((p) => p.split('.'));
  const excludes = paths.filter((p) => p.startsWith('-')).map((p) => p.slice(1).split('.'));
  const f = new Filter();
  let out = body;
  if (includes.length > 0) out = f.include(out, includes) ?? {};
  if (excludes.length > 0) out = f.exclude(out, excludes);
  return out;
}
