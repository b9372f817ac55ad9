/**
 * Term-level QueryDSL queries: exact values, sets, ranges and patterns on one field
 * (`term`, `terms`, `terms_set`, `ids`, `range`, `exists`, `prefix`, `wildcard`, `regexp`, `fuzzy`).
 */
import { parseTimeZone } from './timezone.js';
import type { NodeOf, QueryNode, Scalar } from './ast.js';
import {
  compact,
  firstField,
  illegalArgument,
  isObject,
  isScalar,
  type JsonObject,
  type OptionHandler,
  parsingError,
  readBoost,
  readBool,
  readFuzziness,
  readInt,
  readText,
  refuseMoreFields,
  tokenOf,
  unsupported,
  walkDeclared,
  walkOptions,
  xContentError,
} from './parse-util.js';

const fieldRequired = () => illegalArgument('field name is null or empty');
const valueRequired = () => illegalArgument('value cannot be null');

/**
 * The short (`{"f": v}`) and long (`{"f": {"value": v, ...}}`) forms shared by term, prefix,
 * wildcard, regexp and fuzzy: returns the field and its raw value; `handlers` read the other options.
 */
function fieldAndValue(name: string, body: JsonObject, valueKeys: string[], handlers: Record<string, OptionHandler>): [string, unknown] {
  const entry = firstField(body);
  if (!entry) throw fieldRequired();
  const [field, spec] = entry;
  let value: unknown = spec;
  if (Array.isArray(spec)) throw parsingError(`[${name}] query does not support array of values`);
  if (isObject(spec)) {
    value = undefined;
    const read: OptionHandler = (v, key) => {
      if (Array.isArray(v) && name === 'term') {
        throw parsingError(
          '[term] query does not support arrays for value - use a bool query with multiple term clauses in the should section or use a Terms query if scoring is not required',
        );
      }
      if (v !== null && !isScalar(v)) throw parsingError(`[${name}] unknown token [${tokenOf(v)}] after [${key}]`);
      value = v;
    };
    walkOptions(name, spec, { ...Object.fromEntries(valueKeys.map((k) => [k, read])), ...handlers }, new Set(valueKeys));
  }
  refuseMoreFields(name, body);
  if (field === '') throw fieldRequired();
  if (value === null || value === undefined) throw valueRequired();
  return [field, value];
}

export function parseTerm(body: JsonObject): QueryNode {
  let boost: number | undefined;
  let caseInsensitive: boolean | undefined;
  const [field, value] = fieldAndValue('term', body, ['value', 'term'], {
    boost: (v) => (boost = readBoost('term', v)),
    case_insensitive: (v) => (caseInsensitive = readBool('term', 'case_insensitive', v)),
  });
  return compact({ kind: 'term', field, value: value as Scalar, caseInsensitive: caseInsensitive || undefined, boost });
}

type PatternKind = 'prefix' | 'wildcard' | 'regexp';

/** prefix, wildcard and regexp: a pattern string, `case_insensitive`, and an ignorable `rewrite`. */
export function parsePattern(kind: PatternKind, body: JsonObject): QueryNode {
  let boost: number | undefined;
  let caseInsensitive: boolean | undefined;
  const handlers: Record<string, OptionHandler> = {
    boost: (v) => (boost = readBoost(kind, v)),
    case_insensitive: (v) => (caseInsensitive = readBool(kind, 'case_insensitive', v)),
    // The rewrite method changes how Lucene scores expansions, not which documents match.
    rewrite: (v) => readText(kind, 'rewrite', v),
  };
  if (kind === 'regexp') {
    handlers.flags = (v) => checkRegexpFlags(readText(kind, 'flags', v));
    handlers.flags_value = (v) => readInt(kind, 'flags_value', v);
    handlers.max_determinized_states = (v) => readInt(kind, 'max_determinized_states', v);
  }
  const valueKeys = kind === 'wildcard' ? ['value', 'wildcard'] : ['value'];
  const [field, value] = fieldAndValue(kind, body, valueKeys, handlers);
  return compact({ kind, field, value: String(value), caseInsensitive: caseInsensitive || undefined, boost });
}

const REGEXP_FLAGS = new Set(['ALL', 'ANYSTRING', 'AUTOMATON', 'COMPLEMENT', 'EMPTY', 'INTERSECTION', 'INTERVAL', 'NONE']);

function checkRegexpFlags(flags: string): void {
  for (const flag of flags.split('|')) {
    const f = flag.trim().toUpperCase();
    if (f !== '' && !REGEXP_FLAGS.has(f)) throw illegalArgument(`Unknown regexp flag [${flag}]`);
  }
}

export function parseFuzzy(body: JsonObject): QueryNode {
  const node: Partial<NodeOf<'fuzzy'>> = {};
  const [field, value] = fieldAndValue('fuzzy', body, ['value'], {
    boost: (v) => (node.boost = readBoost('fuzzy', v)),
    fuzziness: (v) => (node.fuzziness = readFuzziness('fuzzy', v)),
    prefix_length: (v) => (node.prefixLength = readInt('fuzzy', 'prefix_length', v)),
    max_expansions: (v) => (node.maxExpansions = readInt('fuzzy', 'max_expansions', v)),
    transpositions: (v) => (node.transpositions = readBool('fuzzy', 'transpositions', v)),
    rewrite: (v) => readText('fuzzy', 'rewrite', v),
  });
  return compact({ kind: 'fuzzy', field, value: String(value), ...node });
}

export function parseTerms(body: JsonObject): QueryNode {
  let field: string | undefined;
  let values: Scalar[] = [];
  let boost: number | undefined;
  for (const [key, v] of Object.entries(body)) {
    if (Array.isArray(v)) {
      if (field !== undefined) throw parsingError('[terms] query does not support multiple fields');
      field = key;
      values = v.map((item) => {
        if (item === null) throw parsingError('No value specified for terms query');
        if (!isScalar(item)) throw parsingError(`[terms] unknown token [${tokenOf(item)}] in the values of [${key}]`);
        return item;
      });
    } else if (isObject(v)) {
      if (field !== undefined) {
        throw parsingError(`[terms] query does not support more than one field. Already got: [${field}] but also found [${key}]`);
      }
      throw unsupported('[terms] lookup of the terms in another document');
    } else if (isScalar(v)) {
      if (key === 'boost') boost = readBoost('terms', v);
      else if (key !== '_name') throw parsingError(`[terms] query does not support [${key}]`);
    } else {
      throw parsingError(`[terms] unknown token [${tokenOf(v)}] after [${key}]`);
    }
  }
  if (field === undefined) {
    throw parsingError('[terms] query requires a field name, followed by array of terms or a document lookup specification');
  }
  if (field === '') throw fieldRequired();
  return compact({ kind: 'terms', field, values, boost });
}

export function parseTermsSet(body: JsonObject): QueryNode {
  const keys = Object.keys(body);
  if (keys.length === 0) throw parsingError('[terms_set] unknown token [END_OBJECT]');
  const field = keys[0];
  const spec = body[field];
  if (!isObject(spec)) throw parsingError(`[terms_set] unknown token [${tokenOf(spec)}]`);
  const node: NodeOf<'terms_set'> = { kind: 'terms_set', field, values: [] };
  walkOptions(
    'terms_set',
    spec,
    {
      terms: (v) => {
        if (!Array.isArray(v)) throw parsingError('[terms_set] query does not support [terms]');
        node.values = v.map((item) => {
          if (item === null) throw parsingError('No value specified for terms query');
          if (!isScalar(item)) throw parsingError(`[terms_set] unknown token [${tokenOf(item)}] in [terms]`);
          return item;
        });
      },
      minimum_should_match_field: (v) => (node.minimumShouldMatchField = readText('terms_set', 'minimum_should_match_field', v)),
      minimum_should_match: (v) => (node.minimumShouldMatch = fixedCount(v)),
      minimum_should_match_script: () => {
        throw unsupported('[terms_set] minimum_should_match_script (scripts)');
      },
      boost: (v) => (node.boost = readBoost('terms_set', v)),
    },
    new Set(['terms', 'minimum_should_match_script']),
  );
  if (keys.length > 1) throw parsingError('[terms_set] unknown token [FIELD_NAME]');
  if (node.minimumShouldMatchField === undefined && node.minimumShouldMatch === undefined) {
    throw illegalArgument('[terms_set] requires one of [minimum_should_match_field] or [minimum_should_match]');
  }
  return compact(node);
}

/** terms_set's `minimum_should_match`: Infino takes a fixed count (ES also takes a spec such as `75%`). */
function fixedCount(v: unknown): number {
  const text = readText('terms_set', 'minimum_should_match', v).trim();
  if (!/^\d+$/.test(text)) throw unsupported(`[terms_set] minimum_should_match [${text}] (only a fixed count)`);
  return Number(text);
}

export function parseIds(body: JsonObject): QueryNode {
  let values: string[] = [];
  let boost: number | undefined;
  walkDeclared('ids', body, {
    values: (v) => {
      const list = Array.isArray(v) ? v : [v];
      values = list.map((id) => {
        if (!isScalar(id)) throw xContentError('[ids] failed to parse field [values]');
        return String(id);
      });
    },
    boost: (v) => (boost = readBoost('ids', v, 'object')),
  });
  return compact({ kind: 'ids', values, boost });
}

export function parseExists(body: JsonObject): QueryNode {
  let field: string | undefined;
  let boost: number | undefined;
  walkOptions('exists', body, {
    field: (v) => (field = readText('exists', 'field', v)),
    boost: (v) => (boost = readBoost('exists', v)),
  });
  if (field === undefined) throw parsingError('[exists] must be provided with a [field]');
  return compact({ kind: 'exists', field, boost });
}

export function parseRange(body: JsonObject): QueryNode {
  let parsed: NodeOf<'range'> | undefined;
  for (const [key, spec] of Object.entries(body)) {
    if (!isObject(spec)) {
      if (isScalar(spec)) throw parsingError(`[range] query does not support [${key}]`);
      continue;
    }
    if (parsed) throw parsingError(`[range] query doesn't support multiple fields, found [${parsed.field}] and [${key}]`);
    parsed = rangeOn(key, spec);
  }
  if (!parsed || parsed.field === '') throw fieldRequired();
  return parsed;
}

/** One field's bounds, read in order as ES does: a later `gt`/`gte` replaces an earlier lower bound. */
function rangeOn(field: string, spec: JsonObject): NodeOf<'range'> {
  let from: Scalar | undefined;
  let to: Scalar | undefined;
  let includeLower = true;
  let includeUpper = true;
  const node: NodeOf<'range'> = { kind: 'range', field };
  const bound = (v: unknown, key: string): Scalar | undefined => {
    if (v === null) return undefined;
    if (!isScalar(v)) throw parsingError(`[range] unknown token [${tokenOf(v)}] after [${key}]`);
    return v;
  };
  walkOptions(
    'range',
    spec,
    {
      from: (v, k) => (from = bound(v, k)),
      to: (v, k) => (to = bound(v, k)),
      include_lower: (v) => (includeLower = readBool('range', 'include_lower', v)),
      include_upper: (v) => (includeUpper = readBool('range', 'include_upper', v)),
      gt: (v, k) => ((from = bound(v, k)), (includeLower = false)),
      gte: (v, k) => ((from = bound(v, k)), (includeLower = true)),
      lt: (v, k) => ((to = bound(v, k)), (includeUpper = false)),
      lte: (v, k) => ((to = bound(v, k)), (includeUpper = true)),
      boost: (v) => (node.boost = readBoost('range', v)),
      format: (v) => (node.format = readText('range', 'format', v)),
      time_zone: (v) => (node.timeZone = readTimeZone(readText('range', 'time_zone', v))),
      relation: (v) => checkRelation(readText('range', 'relation', v)),
    },
    // Bounds may be null (an open end), which a plain option would refuse.
    new Set(['from', 'to', 'gt', 'gte', 'lt', 'lte']),
  );
  if (from !== undefined) node[includeLower ? 'gte' : 'gt'] = from;
  if (to !== undefined) node[includeUpper ? 'lte' : 'lt'] = to;
  return compact(node);
}

function readTimeZone(tz: string): string {
  if (!parseTimeZone(tz)) throw illegalArgument(`Unknown time-zone ID: ${tz}`);
  return tz;
}

/** `relation` only matters for range fields (date_range, ...); on single values every relation but disjoint agrees. */
function checkRelation(relation: string): void {
  const r = relation.toLowerCase();
  if (r === 'disjoint') throw illegalArgument(`[range] query does not support relation [${relation}]`);
  if (r !== 'intersects' && r !== 'contains' && r !== 'within') throw illegalArgument(`${relation} is not a valid relation`);
}
