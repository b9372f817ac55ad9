/** Base class and helpers for the per-area resource modules. */
import type { RawRequestOptions } from '../types/common.js';
import { pythonJsonDumps } from './encoding.js';
import { InfinoError } from './errors.js';

/** What a resource needs from the client (kept as an interface to avoid an import cycle). */
export interface ResourceClient {
  request<T = unknown>(method: string, path: string, options?: RawRequestOptions): Promise<T>;
  /** Method used for the two "GET with body" query calls (see `ClientOptions.queryMethod`). */
  readonly queryMethod: 'GET' | 'POST';
}

export abstract class APIResource {
  protected readonly client: ResourceClient;

  constructor(client: ResourceClient) {
    this.client = client;
  }
}

/** Python's "must be a list" post-check. */
export function expectArray<T>(value: unknown, message: string): T[] {
  if (!Array.isArray(value)) throw new InfinoError('invalid_request', message);
  return value as T[];
}

/**
 * Body for the eight create/update config calls: a string is YAML sent verbatim as `application/yaml`
 * (Python's `yaml.safe_load` pre-check is skipped: the SDK has no YAML parser and the server validates);
 * anything else is `json.dumps`ed.
 */
export function configBody(config: unknown): Pick<RawRequestOptions, 'headers' | 'body'> {
  if (typeof config === 'string') return { headers: { 'Content-Type': 'application/yaml' }, body: config };
  return { headers: { 'Content-Type': 'application/json' }, body: pythonJsonDumps(config) };
}

/** A caller-supplied JSON document: text is sent verbatim, objects compactly (Python takes only text here). */
export function jsonText(value: string | object): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}
