/**
 * The `aggs` object of a search body → validated AggSpecs, with the errors Elasticsearch's
 * AggregatorFactories parser gives for malformed trees (parsing_exception) and the structural rules
 * it enforces later (metrics take no sub-aggregations, `global` and `composite` only at the top).
 */
import { ApiError } from '../../errors.js';
import type { QueryNode } from '../../query/ast.js';
import { BUCKET_KINDS, isMetricConf, isPipelineConf, METRIC_KINDS, PIPELINE_KINDS, type AggConf } from './config.js';
import { parsingError, suggest, tokenOf } from './errors.js';
import { parseBucketConf } from './parse-buckets.js';
import { parseMetricConf, parsePipelineConf } from './parse-metrics.js';
import { isObject } from './reader.js';
import type { AggSpec } from './types.js';

export type QueryParser = (q: unknown, where: string) => QueryNode;

const BUCKET_TYPES: readonly string[] = BUCKET_KINDS;
const PIPELINE_TYPES: readonly string[] = PIPELINE_KINDS;
const SUPPORTED: readonly string[] = [...BUCKET_KINDS, ...METRIC_KINDS, ...PIPELINE_KINDS];

/** Elasticsearch aggregations this engine does not implement: named as such rather than "unknown". */
const UNSUPPORTED = [
  'nested', 'reverse_nested', 'children', 'parent', 'significant_terms', 'significant_text', 'rare_terms', 'multi_terms',
  'sampler', 'diversified_sampler', 'random_sampler', 'adjacency_matrix', 'auto_date_histogram', 'variable_width_histogram',
  'ip_range', 'ip_prefix', 'geo_distance', 'geohash_grid', 'geotile_grid', 'geohex_grid', 'geo_bounds', 'geo_centroid',
  'geo_line', 'scripted_metric', 'median_absolute_deviation', 'string_stats', 'boxplot', 'rate', 't_test', 'top_metrics',
  'matrix_stats', 'bucket_script', 'bucket_selector', 'moving_fn', 'moving_avg', 'serial_diff', 'percentiles_bucket',
  'extended_stats_bucket', 'bucket_count_ks_test', 'bucket_correlation', 'inference', 'normalize', 'cumulative_cardinality',
  'categorize_text', 'frequent_item_sets', 'time_series', 'histogram_bucket',
];

const VALID_NAME = /^[^[\]>]+$/;

export function parseAggregations(json: unknown, parseQuery: QueryParser, where = 'aggs'): AggSpec[] {
  if (!isObject(json)) throw parsingError(`Unknown key for a ${tokenOf(json)} in [${where}].`);
  return parseLevel(json, where, parseQuery, undefined);
}

function parseLevel(json: Record<string, unknown>, where: string, parseQuery: QueryParser, parent: string | undefined): AggSpec[] {
  return Object.entries(json).map(([name, def]) => parseOne(name, def, where, parseQuery, parent));
}

function parseOne(name: string, def: unknown, where: string, parseQuery: QueryParser, parent: string | undefined): AggSpec {
  if (!VALID_NAME.test(name)) {
    throw parsingError(`Invalid aggregation name [${name}]. Aggregation names can contain any character except '[', ']', and '>'`);
  }
  if (!isObject(def)) throw parsingError(`Aggregation definition for [${name} starts with a [${tokenOf(def)}], expected a [START_OBJECT].`);
  let type: string | undefined;
  let body: Record<string, unknown> = {};
  let subs: Record<string, unknown> | undefined;
  let meta: Record<string, unknown> | undefined;
  for (const [key, value] of Object.entries(def)) {
    if (!isObject(value)) {
      throw parsingError(`Expected [START_OBJECT] under [${key}], but got a [${tokenOf(value)}] in [${name}]`);
    }
    if (key === 'meta') meta = value;
    else if (key === 'aggs' || key === 'aggregations') {
      if (subs) throw parsingError(`Found two sub aggregation definitions under [${name}]`);
      subs = value;
    } else {
      if (type) throw parsingError(`Found two aggregation type definitions in [${name}]: [${type}] and [${key}]`);
      type = key;
      body = value;
    }
  }
  if (!type) throw parsingError(`Missing definition for aggregation [${name}]`);
  if (!SUPPORTED.includes(type)) {
    if (UNSUPPORTED.includes(type)) throw parsingError(`Aggregation type [${type}] is not supported (aggregation [${name}])`);
    throw parsingError(`Unknown aggregation type [${type}]${suggest(type, SUPPORTED)}`);
  }
  const at = `${where}.${name}.${type}`;
  const conf = parseConf(type, body, at, parseQuery);
  checkPlacement(name, type, conf, parent, subs);
  const spec: AggSpec = {
    name,
    type,
    body,
    conf,
    subs: subs ? parseLevel(subs, `${where}.${name}.aggs`, parseQuery, type) : [],
  };
  if (meta) spec.meta = meta;
  return spec;
}

function parseConf(type: string, body: Record<string, unknown>, at: string, parseQuery: QueryParser): AggConf {
  if (BUCKET_TYPES.includes(type)) return parseBucketConf(type, body, at, parseQuery);
  if (PIPELINE_TYPES.includes(type)) return parsePipelineConf(type, body, at);
  return parseMetricConf(type, body, at);
}

const validation = (reason: string) => new ApiError(400, 'action_request_validation_exception', `Validation Failed: 1: ${reason};`);

function checkPlacement(name: string, type: string, conf: AggConf, parent: string | undefined, subs: Record<string, unknown> | undefined): void {
  if ((isMetricConf(conf) || isPipelineConf(conf)) && subs && Object.keys(subs).length > 0) {
    throw new ApiError(400, 'aggregation_initialization_exception', `Aggregator [${name}] of type [${type}] cannot accept sub-aggregations`);
  }
  if (parent === undefined) {
    if (type === 'bucket_sort' || type === 'cumulative_sum' || type === 'derivative') {
      throw validation(`${type} aggregation [${name}] must be declared inside of another aggregation`);
    }
    return;
  }
  if (type === 'global') {
    throw new ApiError(
      400,
      'aggregation_execution_exception',
      `Aggregation [${parent}] cannot have a global sub-aggregation [${name}]. Global aggregations can only be defined as top level aggregations`,
    );
  }
  if (type === 'composite') {
    throw new ApiError(400, 'aggregation_execution_exception', `[composite] aggregation cannot be used with a parent aggregation of type: [${parent}]`);
  }
  if ((type === 'cumulative_sum' || type === 'derivative') && parent !== 'histogram' && parent !== 'date_histogram') {
    throw validation(`${type} aggregation [${name}] must have a histogram, date_histogram or auto_date_histogram as parent`);
  }
  if (type === 'bucket_sort' && ['filter', 'missing', 'global'].includes(parent)) {
    throw validation(`bucket_sort aggregation [${name}] must be declared inside of another aggregation`);
  }
}
