/** Shapes shared across API areas. */

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Per-call options accepted as the last argument of every method. */
export interface RequestOptions {
  /** Aborts the call (including back-off sleeps); the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** Options of the raw `request()` escape hatch. */
export interface RawRequestOptions extends RequestOptions {
  /** Caller headers; when absent or empty `Content-Type: application/json` is added (Python rule). */
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  /** Appended to the URL *before* signing, each key/value `uriEncode`d so wire text == signed text. */
  query?: Record<string, string | number | boolean | undefined | null>;
}

export interface Acknowledged {
  acknowledged: boolean;
  [key: string]: unknown;
}

/** Server error body (spec §1.14). */
export interface ErrorBody {
  error: { type: string; reason: string };
  status: number;
}
