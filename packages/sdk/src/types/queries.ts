/** Query request/response shapes (spec §2.3). */

import type { SearchRequest } from './querydsl.js';

export type { SearchHit, SearchResponse } from './querydsl.js';

/** QueryDSL as text (sent verbatim) or as a typed request body (sent as JSON). */
export type QueryDsl = string | SearchRequest;

/** A sample value as Prometheus sends it: a string (`"1"`, `"NaN"`, `"+Inf"`), its time in float seconds. */
export type PromqlPoint = [seconds: number, value: string];

export type PromqlData =
  | { resultType: 'vector'; result: Array<{ metric: Record<string, string>; value: PromqlPoint }> }
  | { resultType: 'matrix'; result: Array<{ metric: Record<string, string>; values: PromqlPoint[] }> }
  | { resultType: 'scalar'; result: PromqlPoint }
  | { resultType: 'string'; result: PromqlPoint };

/** The Prometheus HTTP API envelope (errors arrive as InfinoError with this body as the message). */
export interface PromqlResponse {
  status: 'success' | 'error';
  data?: PromqlData;
  errorType?: string;
  error?: string;
  warnings?: string[];
  infos?: string[];
}

/** `start`/`end`/`step` are rendered like Python's `str()`; pass a string to control the exact text. */
export type PromqlNumber = number | string;

/**
 * A PromQL time: a `Date` (sent as epoch milliseconds, which the server recognises above 1e11),
 * Unix seconds, epoch milliseconds, or text sent verbatim (RFC 3339 works too).
 */
export type PromqlTime = Date | PromqlNumber;
