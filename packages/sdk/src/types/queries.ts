/** Query request/response shapes (spec §2.3). */

import type { SearchRequest } from './querydsl.js';

export type { SearchHit, SearchResponse } from './querydsl.js';

/** QueryDSL as text (sent verbatim) or as a typed request body (sent as JSON). */
export type QueryDsl = string | SearchRequest;

export interface PromqlResponse {
  status: 'success' | 'error';
  data?: {
    resultType: 'vector' | 'matrix' | 'scalar' | 'string';
    result: Array<{
      metric: Record<string, string>;
      value?: [number, string];
      values?: Array<[number, string]>;
    }>;
  };
  errorType?: string;
  error?: string;
}

/** `start`/`end`/`step` are rendered like Python's `str()`; pass a string to control the exact text. */
export type PromqlNumber = number | string;
