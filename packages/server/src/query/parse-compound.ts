/**
 * Compound QueryDSL queries, which wrap other queries (`bool`, `constant_score`, `boosting`,
 * `dis_max`, `function_score`). Inner queries go back through the dispatcher (`parse`) with their
 * JSON path, so an error deep inside names where it is.
 */
import type { NodeOf, QueryNode, ScoreFunction } from './ast.js';
import {
  compact,
  illegalArgument,
  isObject,
  isScalar,
  type JsonObject,
  type ParseFn,
  parsingError,
  readBool,
  readBoost,
  readMinimumShouldMatch,
  readNumber,
  readText,
  tokenOf,
  unsupported,
  walkDeclared,
  xContentError,
} from './parse-util.js';

export function parseBool(body: JsonObject, where: string, parse: ParseFn): QueryNode {
  const node: NodeOf<'bool'> = { kind: 'bool', must: [], filter: [], should: [], mustNot: [] };
  // Each clause list takes one query or an array of them (ES's declareObjectArrayOrNull).
  const clauses = (list: QueryNode[]) => (v: unknown, key: string) => {
    if (v === null) return;
    if (isObject(v)) list.push(parse(v, `${where}.${key}`));
    else if (Array.isArray(v)) v.forEach((c, i) => list.push(parse(c, `${where}.${key}[${i}]`)));
    else throw xContentError(`[bool] ${key} doesn't support values of type: ${tokenOf(v)}`);
  };
  walkDeclared('bool', body, {
    must: clauses(node.must),
    filter: clauses(node.filter),
    should: clauses(node.should),
    must_not: clauses(node.mustNot),
    mustNot: clauses(node.mustNot),
    minimum_should_match: (v) => {
      if (v === null) return;
      if (!isScalar(v)) throw xContentError(`[bool] minimum_should_match doesn't support values of type: ${tokenOf(v)}`);
      node.minimumShouldMatch = readMinimumShouldMatch('bool', v, 'object');
    },
    // false makes a bool of only must_not clauses match nothing; nobody relies on that.
    adjust_pure_negative: (v) => {
      if (!readBool('bool', 'adjust_pure_negative', v, 'object')) throw unsupported('[bool] adjust_pure_negative [false]');
    },
    boost: (v) => (node.boost = readBoost('bool', v, 'object')),
  });
  return compact(node);
}

export function parseConstantScore(body: JsonObject, where: string, parse: ParseFn): QueryNode {
  let filter: QueryNode | undefined;
  let boost: number | undefined;
  for (const [key, v] of Object.entries(body)) {
    if (isObject(v)) {
      if (key !== 'filter') throw parsingError(`[constant_score] query does not support [${key}]`);
      filter = parse(v, `${where}.filter`);
    } else if (isScalar(v)) {
      if (key === 'boost') boost = readBoost('constant_score', v);
      else if (key !== '_name') throw parsingError(`[constant_score] query does not support [${key}]`);
    } else {
      throw parsingError(`unexpected token [${tokenOf(v)}]`);
    }
  }
  if (!filter) throw parsingError("[constant_score] requires a 'filter' element");
  return compact({ kind: 'constant_score', filter, boost });
}

export function parseBoosting(body: JsonObject, where: string, parse: ParseFn): QueryNode {
  let positive: QueryNode | undefined;
  let negative: QueryNode | undefined;
  let negativeBoost = -1;
  let boost: number | undefined;
  for (const [key, v] of Object.entries(body)) {
    if (isObject(v)) {
      if (key === 'positive') positive = parse(v, `${where}.positive`);
      else if (key === 'negative') negative = parse(v, `${where}.negative`);
      else throw parsingError(`[boosting] query does not support [${key}]`);
    } else if (isScalar(v)) {
      if (key === 'negative_boost') negativeBoost = readNumber('boosting', key, v);
      else if (key === 'boost') boost = readBoost('boosting', v);
      else if (key !== '_name') throw parsingError(`[boosting] query does not support [${key}]`);
    } else {
      throw parsingError(`[boosting] unknown token [${tokenOf(v)}] after [${key}]`);
    }
  }
  // ES's messages, stray quote included.
  if (!positive) throw parsingError("[boosting] query requires 'positive' query to be set'");
  if (!negative) throw parsingError("[boosting] query requires 'negative' query to be set'");
  if (negativeBoost < 0) throw parsingError("[boosting] query requires 'negative_boost' to be set to be a positive value'");
  return compact({ kind: 'boosting', positive, negative, negativeBoost, boost });
}

export function parseDisMax(body: JsonObject, where: string, parse: ParseFn): QueryNode {
  let queries: QueryNode[] | undefined;
  const node: Partial<NodeOf<'dis_max'>> = {};
  for (const [key, v] of Object.entries(body)) {
    if (isObject(v) || Array.isArray(v)) {
      if (key !== 'queries') throw parsingError(`[dis_max] query does not support [${key}]`);
      queries = Array.isArray(v) ? v.map((q, i) => parse(q, `${where}.queries[${i}]`)) : [parse(v, `${where}.queries`)];
    } else if (isScalar(v)) {
      if (key === 'tie_breaker') node.tieBreaker = readNumber('dis_max', key, v);
      else if (key === 'boost') node.boost = readBoost('dis_max', v);
      else if (key !== '_name') throw parsingError(`[dis_max] query does not support [${key}]`);
    } else {
      throw parsingError(`[dis_max] unknown token [${tokenOf(v)}] after [${key}]`);
    }
  }
  if (!queries) throw parsingError("[dis_max] requires 'queries' field with at least one clause");
  return compact({ kind: 'dis_max', queries, ...node });
}

const FS = 'failed to parse [function_score] query.';
const SCORE_MODES = ['multiply', 'sum', 'avg', 'first', 'max', 'min'] as const;
const BOOST_MODES = ['multiply', 'replace', 'sum', 'avg', 'max', 'min'] as const;
const MODIFIERS = ['none', 'log', 'log1p', 'log2p', 'ln', 'ln1p', 'ln2p', 'square', 'sqrt', 'reciprocal'] as const;
/** ES score functions Infino does not implement: refused by name rather than reported unknown. */
const UNSUPPORTED_FUNCTIONS = new Set(['script_score', 'random_score', 'gauss', 'linear', 'exp']);

function oneOf<T extends string>(values: readonly T[], v: unknown, key: string, what: string): T {
  const text = readText('function_score', key, v).toLowerCase();
  const found = values.find((x) => x === text);
  if (!found) throw illegalArgument(`${what} [${readText('function_score', key, v)}]`);
  return found;
}

export function parseFunctionScore(body: JsonObject, where: string, parse: ParseFn): QueryNode {
  let query: QueryNode | undefined;
  const functions: ScoreFunction[] = [];
  const node: Partial<NodeOf<'function_score'>> = {};
  let single: string | undefined;
  let arrayFound = false;
  const misplaced = (found: string) =>
    parsingError(`${FS} [you can either define [functions] array or a single function, not both. ${found}]`);
  const alreadySingle = (key: string) =>
    parsingError(`${FS} already found function [${single}], now encountering [${key}]. use [functions] array if you want to define several functions.`);

  for (const [key, v] of Object.entries(body)) {
    if (isObject(v)) {
      if (key === 'query') {
        query = parse(v, `${where}.query`);
        continue;
      }
      if (single) throw alreadySingle(key);
      if (arrayFound) throw misplaced(`already found [functions] array, now encountering [${key}].`);
      single = key;
      functions.push(scoreFunction(key, v));
    } else if (Array.isArray(v)) {
      if (key !== 'functions') throw parsingError(`${FS} array [${key}] is not supported`);
      if (single) throw misplaced(`already found [${single}], now encountering [functions].`);
      arrayFound = true;
      v.forEach((f, i) => functions.push(functionEntry(f, `${where}.functions[${i}]`, parse)));
    } else if (isScalar(v)) {
      if (key === 'score_mode') node.scoreMode = oneOf(SCORE_MODES, v, key, 'illegal score_mode');
      else if (key === 'boost_mode') node.boostMode = oneOf(BOOST_MODES, v, key, 'illegal boost_mode');
      else if (key === 'max_boost') node.maxBoost = readNumber('function_score', key, v);
      else if (key === 'min_score') node.minScore = readNumber('function_score', key, v);
      else if (key === 'boost') node.boost = readBoost('function_score', v);
      else if (key === '_name') continue;
      else if (key === 'weight') {
        if (single) throw alreadySingle(key);
        if (arrayFound) throw misplaced(`already found [functions] array, now encountering [${key}].`);
        single = key;
        functions.push({ weight: readNumber('function_score', key, v) });
      } else throw parsingError(`${FS} field [${key}] is not supported`);
    }
    // ES's parser skips a null option without a word.
  }
  return compact({ kind: 'function_score', query: query ?? { kind: 'match_all' }, functions, ...node });
}

/** One entry of `functions`: an optional filter, at most one score function, an optional weight. */
function functionEntry(entry: unknown, where: string, parse: ParseFn): ScoreFunction {
  if (!isObject(entry)) {
    throw parsingError(`${FS} malformed query, expected a [START_OBJECT] while parsing functions but got a [${tokenOf(entry)}] instead`);
  }
  let filter: QueryNode | undefined;
  let fn: ScoreFunction | undefined;
  let fnName: string | undefined;
  let weight: number | undefined;
  for (const [key, v] of Object.entries(entry)) {
    if (isObject(v)) {
      if (key === 'filter') {
        filter = parse(v, `${where}.filter`);
        continue;
      }
      if (fnName) throw parsingError(`failed to parse function_score functions. already found [${fnName}], now encountering [${key}].`);
      fnName = key;
      fn = scoreFunction(key, v);
    } else if (isScalar(v) && key === 'weight') {
      weight = readNumber('function_score', key, v);
    } else {
      throw parsingError(`${FS} field [${key}] is not supported`);
    }
  }
  if (!fn && weight === undefined) throw parsingError(`${FS} an entry in functions list is missing a function.`);
  return compact({ filter, weight, ...fn });
}

function scoreFunction(name: string, body: JsonObject): ScoreFunction {
  if (name === 'field_value_factor') return { fieldValueFactor: fieldValueFactor(body) };
  if (UNSUPPORTED_FUNCTIONS.has(name)) throw unsupported(`[function_score] function [${name}]`);
  throw xContentError(`unknown field [${name}]`);
}

function fieldValueFactor(body: JsonObject): NonNullable<ScoreFunction['fieldValueFactor']> {
  const out: Partial<NonNullable<ScoreFunction['fieldValueFactor']>> = {};
  for (const [key, v] of Object.entries(body)) {
    if (key === 'factor' && !isScalar(v)) throw parsingError("[field_value_factor] field 'factor' does not support lists or objects");
    if (!isScalar(v)) throw parsingError(`field_value_factor query does not support [${key}]`);
    if (key === 'field') out.field = readText('field_value_factor', key, v);
    else if (key === 'factor') out.factor = readNumber('field_value_factor', key, v);
    else if (key === 'missing') out.missing = readNumber('field_value_factor', key, v);
    else if (key === 'modifier') {
      const text = readText('field_value_factor', key, v);
      const modifier = MODIFIERS.find((m) => m === text.toLowerCase());
      if (!modifier) throw illegalArgument(`[field_value_factor] illegal modifier [${text}]`);
      out.modifier = modifier;
    } else throw parsingError(`field_value_factor query does not support [${key}]`);
  }
  if (out.field === undefined) throw parsingError("[field_value_factor] required field 'field' missing");
  return compact({ ...out, field: out.field });
}
