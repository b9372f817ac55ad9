/**
 * Field names in queries → mapped storage columns. A text field `title` also answers as
 * `title.keyword` (its exact-value view, as ES's dynamic `.keyword` sub-field), and field lists
 * may hold wildcards and boosts (`title^3`, `*_name`, `*`).
 */
import { globToRegExp } from '../../../query/glob.js';
import type { MappedField } from '../../mapping.js';
import type { DatasetState } from '../catalog.js';

/** Elasticsearch's default `ignore_above` for the dynamic `.keyword` sub-field. */
export const KEYWORD_IGNORE_ABOVE = 256;

export interface FieldRef {
  field: MappedField;
  /** The exact-value view: a keyword field, or the `.keyword` sub-field of a text field. */
  keyword: boolean;
}

export function resolveField(ds: DatasetState, path: string): FieldRef | undefined {
  const direct = ds.mapping.get(path);
  if (direct) return { field: direct, keyword: direct.type === 'keyword' };
  const dot = path.lastIndexOf('.');
  if (dot > 0) {
    const parent = ds.mapping.get(path.slice(0, dot));
    if (parent?.type === 'text' && keywordSubfield(parent) === path.slice(dot + 1)) return { field: parent, keyword: true };
  }
  return undefined;
}

/** The keyword sub-field's name: `keyword` for dynamic text, as mapped for explicit text, else none. */
export const keywordSubfield = (f: MappedField) => (f.options ? f.options.keywordSubfield : 'keyword');

/** Longest value the exact view indexes (ignore_above). */
export const ignoreAbove = (f: MappedField) => f.options?.ignoreAbove ?? (f.type === 'text' ? KEYWORD_IGNORE_ABOVE : Infinity);

/** True when `path` is analysed full text (its matching goes through the postings). */
export const isFullText = (ref: FieldRef) => ref.field.type === 'text' && !ref.keyword;

/** Every queryable path of a dataset, sub-fields included (what `*` expands to). */
export function allPaths(ds: DatasetState): string[] {
  const out: string[] = [];
  for (const f of ds.mapping.list()) {
    if (f.type === 'object') continue;
    out.push(f.path);
    const sub = f.type === 'text' ? keywordSubfield(f) : undefined;
    if (sub) out.push(`${f.path}.${sub}`);
  }
  return out;
}

/** Mapped paths under an object path (for `exists` on an object). */
export const pathsUnder = (ds: DatasetState, prefix: string) =>
  ds.mapping
    .list()
    .filter((f) => f.path.startsWith(`${prefix}.`))
    .map((f) => f.path);

export interface BoostedField {
  path: string;
  boost: number;
}

/** Expands `title^3`, `user.*`, `*` into mapped fields with their boosts (first pattern wins). */
export function expandFields(ds: DatasetState, patterns: string[]): BoostedField[] {
  const out = new Map<string, number>();
  for (const spec of patterns) {
    const caret = spec.lastIndexOf('^');
    const pattern = caret > 0 ? spec.slice(0, caret) : spec;
    const boost = caret > 0 ? Number(spec.slice(caret + 1)) : 1;
    if (!pattern.includes('*')) {
      if (!out.has(pattern)) out.set(pattern, boost);
      continue;
    }
    const re = globToRegExp(pattern);
    for (const path of allPaths(ds)) if (re.test(path) && !out.has(path)) out.set(path, boost);
  }
  return [...out].map(([path, boost]) => ({ path, boost: Number.isFinite(boost) ? boost : 1 }));
}
