/**
 * Elasticsearch explicit mappings (`PUT /{index}` with `{"mappings": {"properties": …}}`) → field
 * definitions for the Mapping. Types map onto our storage types (integer/short/byte → long,
 * float/half_float/scaled_float → double, ip/wildcard/constant_keyword → keyword, nested → object);
 * the options that change query behaviour are kept (see FieldOptions); the rest (store,
 * doc_values, …) are accepted and have no effect.
 */
import { ApiError } from '../errors.js';
import type { FieldOptions, FieldType } from './types.js';

export interface FieldDefinition {
  path: string;
  type: FieldType;
  options: FieldOptions;
}

const TYPES: Record<string, FieldType> = {
  text: 'text',
  match_only_text: 'text',
  keyword: 'keyword',
  constant_keyword: 'keyword',
  wildcard: 'keyword',
  ip: 'keyword',
  version: 'keyword',
  long: 'long',
  integer: 'long',
  short: 'long',
  byte: 'long',
  unsigned_long: 'long',
  double: 'double',
  float: 'double',
  half_float: 'double',
  scaled_float: 'double',
  date: 'date',
  date_nanos: 'date',
  boolean: 'boolean',
  object: 'object',
  nested: 'object',
  flattened: 'object',
};

const mappingError = (reason: string) => new ApiError(400, 'mapper_parsing_exception', reason);
const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** `settings` supplies custom normalizers (`analysis.normalizer.<name>.filter`). */
export function parseEsMappings(mappings: unknown, settings?: unknown): FieldDefinition[] {
  if (mappings === undefined || mappings === null) return [];
  const lowercasing = new Set(['lowercase']);
  const normalizers = isObject(settings) ? pick(pick(pick(settings, 'index') ?? settings, 'analysis'), 'normalizer') : undefined;
  for (const [name, def] of Object.entries(normalizers ?? {})) {
    if (isObject(def) && Array.isArray(def.filter) && def.filter.includes('lowercase')) lowercasing.add(name);
  }
  if (!isObject(mappings)) throw mappingError('Failed to parse mapping: [mappings] must be an object');
  const props = mappings.properties;
  if (props === undefined) return [];
  const out: FieldDefinition[] = [];
  walk(props, '', out, lowercasing);
  return out;
}

function walk(props: unknown, prefix: string, out: FieldDefinition[], lowercasing: Set<string>): void {
  if (!isObject(props)) throw mappingError(`Failed to parse mapping: [properties] of [${prefix || '_doc'}] must be an object`);
  for (const [name, spec] of Object.entries(props)) {
    const path = prefix ? `${prefix}.${name}` : name;
    if (!isObject(spec)) throw mappingError(`Expected map for property [${name}] on field [${path}] but got a class java.lang.String`);
    const declared = spec.type === undefined ? (spec.properties ? 'object' : undefined) : String(spec.type);
    if (declared === undefined) throw mappingError(`No type specified for field [${path}]`);
    const type = TYPES[declared];
    if (!type) throw mappingError(`No handler for type [${declared}] declared on field [${name}]`);
    if (type === 'object') {
      out.push({ path, type, options: {} });
      if (spec.properties !== undefined) walk(spec.properties, path, out, lowercasing);
      continue;
    }
    out.push({ path, type, options: optionsOf(type, declared, spec, lowercasing) });
  }
}

function optionsOf(type: FieldType, declared: string, spec: Record<string, unknown>, lowercasing: Set<string>): FieldOptions {
  const options: FieldOptions = {};
  if (type === 'text') {
    if (spec.norms === false) options.norms = false;
    if (spec.index_options === 'docs' || declared === 'match_only_text') options.docsOnly = true;
    if (spec.fielddata === true) options.fielddata = true;
    if (isObject(spec.fields)) {
      for (const [sub, subSpec] of Object.entries(spec.fields)) {
        if (isObject(subSpec) && subSpec.type === 'keyword') {
          options.keywordSubfield = sub;
          if (typeof subSpec.ignore_above === 'number') options.ignoreAbove = subSpec.ignore_above;
        }
      }
    }
  }
  if (type === 'keyword') {
    // Only a lowercasing normalizer changes what we index; other custom normalizers keep the case.
    if (typeof spec.normalizer === 'string') {
      options.normalizer = spec.normalizer;
      if (lowercasing.has(spec.normalizer)) options.lowercase = true;
    }
    if (typeof spec.ignore_above === 'number') options.ignoreAbove = spec.ignore_above;
  }
  return options;
}

const pick = (o: unknown, key: string): Record<string, unknown> | undefined => (isObject(o) && isObject(o[key]) ? o[key] : undefined);
