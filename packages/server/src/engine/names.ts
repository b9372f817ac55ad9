import { badRequest } from '../errors.js';

/** First path segments the router reserves; a dataset may not take one of these names (§0.2). */
export const RESERVED_DATASET_NAMES = new Set([
  'metadata', 'sql', 'promql', 'fino', '_conversation', 'sources', 'source', 'import', '_connectors',
  'visualizations', 'dashboards', 'user', 'users', 'role', 'roles',
  // First segments of the Elasticsearch-compatible API (http/es/).
  '_search', '_count', '_msearch', '_bulk', '_mapping', '_mappings', '_field_caps', '_stats', '_refresh', '_flush',
  '_settings', '_resolve', '_cluster', '_cat', '_all',
]);

const DATASET_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;
const MAX_NAME_BYTES = 255;

/**
 * Dataset names as the protocol accepts them (§0.2 [REC]): the openapi pattern widened to the
 * `_` and dotted suffixes (`orders.rel`) that the examples use.
 */
export function validateDatasetName(name: string): void {
  const fail = (why: string) => badRequest(`Invalid dataset name [${name}], ${why}`, 'invalid_index_name_exception');
  if (name === '' ) throw fail('must not be empty');
  if (name === '.' || name === '..') throw fail('must not be "." or ".."');
  if (new TextEncoder().encode(name).length > MAX_NAME_BYTES) throw fail(`must not be longer than ${MAX_NAME_BYTES} bytes`);
  if (RESERVED_DATASET_NAMES.has(name)) throw fail('it is a reserved API path');
  if (!DATASET_NAME.test(name)) throw fail('must start with a letter, digit or "_" and contain only letters, digits, "_", "-" and "."');
}
