/**
 * The search `highlight` section, read as Elasticsearch 8's HighlightBuilder reads it: global
 * settings, then `fields` (an object, or an array of one-key objects to keep their order), each
 * field able to override the global settings.
 */
import {
  illegalArgument,
  isObject,
  type JsonObject,
  type OptionHandler,
  type ParseFn,
  readBool,
  readInt,
  readText,
  tokenOf,
  unsupported,
  walkDeclared,
  xContentError,
} from '../query/parse-util.js';
import type { HighlightField, HighlightSpec } from './types.js';

const TAG_SCHEMAS: Record<string, [string[], string[]]> = {
  default: [['<em>'], ['</em>']],
  styled: [['<em class="hlt">'], ['</em>']],
};

function readTags(parser: string, key: string, v: unknown): string[] {
  const list = Array.isArray(v) ? v : [v];
  return list.map((t) => readText(parser, key, t, 'object'));
}

/** The settings a field and the whole section share, read into `out` (the highlighter type into `type`). */
function settings(parser: string, where: string, parse: ParseFn, out: HighlightField, type: { value?: string }): Record<string, OptionHandler> {
  const ignoreText: OptionHandler = (v, key) => readText(parser, key, v, 'object');
  const ignoreInt: OptionHandler = (v, key) => readInt(parser, key, v, 'object');
  const ignoreBool: OptionHandler = (v, key) => readBool(parser, key, v, 'object');
  return {
    pre_tags: (v) => (out.preTags = readTags(parser, 'pre_tags', v)),
    post_tags: (v) => (out.postTags = readTags(parser, 'post_tags', v)),
    fragment_size: (v) => (out.fragmentSize = readInt(parser, 'fragment_size', v, 'object')),
    number_of_fragments: (v) => (out.numberOfFragments = readInt(parser, 'number_of_fragments', v, 'object')),
    require_field_match: (v) => (out.requireFieldMatch = readBool(parser, 'require_field_match', v, 'object')),
    highlight_query: (v) => {
      if (!isObject(v)) throw xContentError(`[${parser}] highlight_query doesn't support values of type: ${tokenOf(v)}`);
      out.highlightQuery = parse(v, `${where}.highlight_query`);
    },
    type: (v) => (type.value = readText(parser, 'type', v, 'object')),
    // Fragment ordering and boundary tuning change which snippet is shown, not whether one is.
    order: ignoreText,
    fragmenter: ignoreText,
    boundary_scanner: ignoreText,
    boundary_chars: ignoreText,
    boundary_scanner_locale: ignoreText,
    boundary_max_scan: ignoreInt,
    no_match_size: ignoreInt,
    phrase_limit: ignoreInt,
    max_analyzed_offset: ignoreInt,
    highlight_filter: ignoreBool,
    force_source: ignoreBool,
    options: (v) => {
      if (!isObject(v)) throw xContentError(`[${parser}] options doesn't support values of type: ${tokenOf(v)}`);
    },
  };
}

function checkType(type: string | undefined, field: string): void {
  if (type === undefined || type === 'plain' || type === 'unified') return;
  if (type === 'fvh') throw unsupported('[highlight] type [fvh]; use [plain] or [unified]');
  throw illegalArgument(`unknown highlighter type [${type}] for the field [${field}]`);
}

/** `fields` as an object, or as an array of single-field objects (ES keeps their order). */
function fieldEntries(v: unknown): Array<[string, unknown]> {
  if (isObject(v)) return Object.entries(v);
  if (Array.isArray(v)) {
    return v.map((item) => {
      if (!isObject(item) || Object.keys(item).length !== 1) {
        throw xContentError(
          '[highlight] [fields] can be a single object with any number of fields or an array where each entry is an object with a single field',
        );
      }
      return Object.entries(item)[0];
    });
  }
  throw xContentError(`[highlight] fields doesn't support values of type: ${tokenOf(v)}`);
}

export function parseHighlight(json: unknown, parse: ParseFn): HighlightSpec {
  if (!isObject(json)) throw xContentError(`[highlight] Expected START_OBJECT but was: ${tokenOf(json)}`);
  const spec: HighlightSpec = { fields: [] };
  const globalType: { value?: string } = {};
  let rawFields: unknown;
  walkDeclared('highlight', json, {
    ...settings('highlight', 'highlight', parse, spec, globalType),
    fields: (v) => (rawFields = v),
    tags_schema: (v) => {
      const schema = readText('highlight', 'tags_schema', v, 'object');
      const tags = Object.hasOwn(TAG_SCHEMAS, schema) ? TAG_SCHEMAS[schema] : undefined;
      if (!tags) throw illegalArgument(`Unknown tag schema [${schema}]`);
      [spec.preTags, spec.postTags] = tags;
    },
    // `html` escapes the text around the tags; fragments come back unescaped (reported gap).
    encoder: (v) => readText('highlight', 'encoder', v, 'object'),
  });
  if (rawFields !== undefined) {
    for (const [pattern, body] of fieldEntries(rawFields)) {
      if (!isObject(body)) throw xContentError(`[highlight_field] Expected START_OBJECT but was: ${tokenOf(body)}`);
      const field: { pattern: string } & HighlightField = { pattern };
      const fieldType: { value?: string } = { value: globalType.value };
      walkDeclared('highlight_field', body as JsonObject, {
        ...settings('highlight_field', `highlight.fields.${pattern}`, parse, field, fieldType),
        fragment_offset: (v, key) => readInt('highlight_field', key, v, 'object'),
        matched_fields: (v) => readTags('highlight_field', 'matched_fields', v),
      });
      checkType(fieldType.value, pattern);
      spec.fields.push(field);
    }
  }
  return spec;
}
