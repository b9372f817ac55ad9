/**
 * QueryDSL (JSON) → QueryNode. Only parsing and shape validation live here; compiling to storage
 * queries is the engine's job. The QueryDSL issue extends this with the full query set.
 */
import { ApiError } from '../errors.js';
import type { QueryNode, Scalar } from './ast.js';

const parsingError = (reason: string) => new ApiError(400, 'parsing_exception', reason);

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const isScalar = (v: unknown): v is Scalar => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** Parses a request body `{"query": {...}}` (a missing `query` means match_all). */
export function parseQueryBody(body: unknown): QueryNode {
  if (!isObject(body)) throw parsingError('the request body must be a JSON object such as {"query": {...}}');
  if (body.query === undefined) return { kind: 'match_all' };
  return parseQuery(body.query, 'query');
}

export function parseQuery(q: unknown, where: string): QueryNode {
  if (!isObject(q)) throw parsingError(`[${where}] must be an object`);
  const keys = Object.keys(q);
  if (keys.length !== 1) throw parsingError(`[${where}] must hold exactly one query, found [${keys.join(', ')}]`);
  const type = keys[0];
  const body = q[type];
  const at = `${where}.${type}`;
  switch (type) {
    case 'match_all':
      return { kind: 'match_all', boost: boostOf(body) };
    case 'match_none':
      return { kind: 'match_none' };
    case 'term': {
      const [field, v] = singleField(body, at);
      const value = isObject(v) ? v.value : v;
      if (!isScalar(value)) throw parsingError(`[${at}.${field}] needs a string, number or boolean value`);
      return { kind: 'term', field, value, boost: isObject(v) ? boostOf(v) : undefined };
    }
    case 'terms': {
      if (!isObject(body)) throw parsingError(`[${at}] must be an object`);
      const fields = Object.keys(body).filter((k) => k !== 'boost');
      if (fields.length !== 1) throw parsingError(`[${at}] needs exactly one field`);
      const values = body[fields[0]];
      if (!Array.isArray(values) || !values.every(isScalar)) throw parsingError(`[${at}.${fields[0]}] must be an array of values`);
      return { kind: 'terms', field: fields[0], values, boost: boostOf(body) };
    }
    case 'ids': {
      if (!isObject(body) || !Array.isArray(body.values)) throw parsingError(`[${at}] needs "values": [ids]`);
      return { kind: 'ids', values: body.values.map(String) };
    }
    case 'range': {
      const [field, v] = singleField(body, at);
      if (!isObject(v)) throw parsingError(`[${at}.${field}] must be an object of bounds`);
      const node: Extract<QueryNode, { kind: 'range' }> = { kind: 'range', field, boost: boostOf(v) };
      for (const [k, bound] of Object.entries(v)) {
        if (k === 'boost' || k === 'time_zone' || k === 'relation') continue;
        if (k === 'format') {
          node.format = String(bound);
          continue;
        }
        if (k !== 'gt' && k !== 'gte' && k !== 'lt' && k !== 'lte') throw parsingError(`[range] query does not support [${k}]`);
        if (bound === null) continue;
        if (!isScalar(bound)) throw parsingError(`[${at}.${field}.${k}] must be a string or number`);
        node[k] = bound;
      }
      return node;
    }
    case 'bool': {
      if (!isObject(body)) throw parsingError(`[${at}] must be an object`);
      const clause = (name: string): QueryNode[] => {
        const v = body[name];
        if (v === undefined) return [];
        return (Array.isArray(v) ? v : [v]).map((c, i) => parseQuery(c, `${at}.${name}[${i}]`));
      };
      for (const k of Object.keys(body)) {
        if (!['must', 'filter', 'should', 'must_not', 'minimum_should_match', 'boost', '_name'].includes(k)) {
          throw parsingError(`[bool] query does not support [${k}]`);
        }
      }
      const msm = body.minimum_should_match;
      if (msm !== undefined && typeof msm !== 'number' && typeof msm !== 'string') throw parsingError(`[${at}.minimum_should_match] must be a number or string`);
      return {
        kind: 'bool',
        must: clause('must'),
        filter: clause('filter'),
        should: clause('should'),
        mustNot: clause('must_not'),
        minimumShouldMatch: msm as number | string | undefined,
        boost: boostOf(body),
      };
    }
    default:
      throw parsingError(`unknown query [${type}] at [${where}]`);
  }
}

function singleField(body: unknown, at: string): [string, unknown] {
  if (!isObject(body)) throw parsingError(`[${at}] must be an object`);
  const fields = Object.keys(body).filter((k) => k !== 'boost' && k !== '_name');
  if (fields.length !== 1) throw parsingError(`[${at}] needs exactly one field, found [${fields.join(', ')}]`);
  return [fields[0], body[fields[0]]];
}

function boostOf(v: unknown): number | undefined {
  return isObject(v) && typeof v.boost === 'number' ? v.boost : undefined;
}
