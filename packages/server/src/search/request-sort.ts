/**
 * The search `sort` (every form Elasticsearch 8 takes: `"f"`, `{"f": "desc"}`, `{"f": {...}}`,
 * `_score`, `_doc`, arrays of those) and the `sort=a:asc,b` URL parameter.
 */
import {
  illegalArgument,
  isObject,
  isScalar,
  type JsonObject,
  readText,
  tokenOf,
  unsupported,
  walkDeclared,
  xContentError,
} from '../query/parse-util.js';
import type { SortKey } from './types.js';

/** A bare name: `_score` sorts best first, everything else (`_doc` included) ascending. */
const byName = (field: string): SortKey => ({ field, order: field === '_score' ? 'desc' : 'asc' });

function readOrder(v: unknown, parser: string): 'asc' | 'desc' {
  const text = readText(parser, 'order', v, 'object');
  const lower = text.toLowerCase();
  if (lower !== 'asc' && lower !== 'desc') throw illegalArgument(`Unknown SortOrder [${text}]`);
  return lower;
}

const MODES = ['min', 'max', 'sum', 'avg', 'median'] as const;
const NUMERIC_TYPES = ['long', 'double', 'date', 'date_nanos'];

/** `{"field": {"order", "missing", "mode", "unmapped_type", "format", "numeric_type"}}` (ES's field_sort parser). */
function fieldSort(field: string, spec: unknown): SortKey {
  if (!isObject(spec)) throw xContentError(`[field_sort] Expected START_OBJECT but was: ${tokenOf(spec)}`);
  const key = byName(field);
  walkDeclared('field_sort', spec, {
    order: (v) => (key.order = readOrder(v, 'field_sort')),
    missing: (v) => {
      if (!isScalar(v)) throw xContentError(`[field_sort] missing doesn't support values of type: ${tokenOf(v)}`);
      key.missing = v;
    },
    mode: (v) => {
      const text = readText('field_sort', 'mode', v, 'object');
      const mode = MODES.find((m) => m === text.toLowerCase());
      if (!mode) throw illegalArgument(`Unknown SortMode [${text}]`);
      key.mode = mode;
    },
    unmapped_type: (v) => (key.unmappedType = readText('field_sort', 'unmapped_type', v, 'object')),
    format: (v) => (key.format = readText('field_sort', 'format', v, 'object')),
    // Only decides how longs and dates from differently-mapped indices compare; our columns agree already.
    numeric_type: (v) => {
      const text = readText('field_sort', 'numeric_type', v, 'object');
      if (!NUMERIC_TYPES.includes(text)) throw illegalArgument(`Unsupported numeric type: ${text}`);
    },
    nested: () => {
      throw unsupported('[sort] nested');
    },
  });
  return key;
}

/** One object of a sort: each key is a sort, in order (`{"a": "asc", "b": {...}}`). */
function compound(obj: JsonObject, into: SortKey[]): void {
  for (const [field, v] of Object.entries(obj)) {
    if (typeof v === 'string') {
      into.push({ ...byName(field), order: readOrder(v, 'field_sort') });
    } else if (field === '_score') {
      const key = byName('_score');
      if (!isObject(v)) throw xContentError(`[_score] Expected START_OBJECT but was: ${tokenOf(v)}`);
      walkDeclared('_score', v, { order: (o) => (key.order = readOrder(o, '_score')) });
      into.push(key);
    } else if (field === '_script' || field === '_geo_distance' || field === '_geoDistance') {
      throw unsupported(`[sort] ${field}`);
    } else {
      into.push(fieldSort(field, v));
    }
  }
}

export function parseSort(json: unknown): SortKey[] {
  const keys: SortKey[] = [];
  if (Array.isArray(json)) {
    for (const item of json) {
      if (isObject(item)) compound(item, keys);
      else if (typeof item === 'string') keys.push(byName(item));
      else throw illegalArgument('malformed sort format, within the sort array, an object, or an actual string are allowed');
    }
  } else if (typeof json === 'string') {
    keys.push(byName(json));
  } else if (isObject(json)) {
    compound(json, keys);
  } else {
    throw illegalArgument('malformed sort format, either start with array, object, or an actual string');
  }
  return keys;
}

/**
 * `sort=a:asc,b,_score`: a name, optionally `:asc`/`:desc`. As in Elasticsearch, an entry with any
 * other suffix is skipped, and these keys come after the body's.
 */
export function parseSortParam(param: string): SortKey[] {
  const keys: SortKey[] = [];
  for (const entry of param.split(',')) {
    if (entry === '') continue;
    const colon = entry.lastIndexOf(':');
    if (colon < 0) {
      keys.push(byName(entry));
      continue;
    }
    const order = entry.slice(colon + 1);
    if (order === 'asc' || order === 'desc') keys.push({ field: entry.slice(0, colon), order });
  }
  return keys;
}
