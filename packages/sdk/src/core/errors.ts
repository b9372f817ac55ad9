/** Error type shared by every SDK call (mirrors Python's `InfinoError`, spec §1.14). */

export type InfinoErrorType = 'request' | 'network' | 'parse' | 'rate_limit' | 'timeout' | 'invalid_request';

export interface InfinoErrorOptions {
  status?: number;
  url?: string;
  body?: unknown;
  cause?: unknown;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class InfinoError extends Error {
  /** Python-style enum values (`InfinoError.Type.REQUEST === 'request'`). */
  static readonly Type = {
    REQUEST: 'request',
    NETWORK: 'network',
    PARSE: 'parse',
    RATE_LIMIT: 'rate_limit',
    TIMEOUT: 'timeout',
    INVALID_REQUEST: 'invalid_request',
  } as const;

  readonly errorType: InfinoErrorType;
  /** HTTP status; `0` for transport failures and "Max retries exceeded"; `undefined` for client-side validation. */
  readonly status: number | undefined;
  /** Request URL; `undefined` for client-side validation errors. */
  readonly url: string | undefined;
  /** Parsed JSON error body when the server sent JSON (e.g. `{"error":{"type","reason"},"status"}`). */
  readonly body: unknown;

  constructor(errorType: InfinoErrorType, message: string, options: InfinoErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'InfinoError';
    this.errorType = errorType;
    this.status = options.status;
    this.url = options.url;
    this.body = options.body;
  }

  /** Python parity: `status_code()` is a method there. */
  statusCode(): number | undefined {
    return this.status;
  }

  /** `error.type` of an Infino/ES error body, or `errorType` of a Prometheus error body. */
  get type(): string | undefined {
    const b = this.body;
    if (!isRecord(b)) return undefined;
    if (isRecord(b.error) && typeof b.error.type === 'string') return b.error.type;
    return typeof b.errorType === 'string' ? b.errorType : undefined;
  }

  /** `error.reason` of an Infino/ES error body, or the `error` string of a Prometheus error body. */
  get reason(): string | undefined {
    const b = this.body;
    if (!isRecord(b)) return undefined;
    if (isRecord(b.error) && typeof b.error.reason === 'string') return b.error.reason;
    return typeof b.error === 'string' ? b.error : undefined;
  }
}

/** Build the error for a non-2xx response: message = raw body text, `body` = parsed JSON if any. */
export function httpError(status: number, text: string, url: string): InfinoError {
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = undefined;
  }
  // Python raises REQUEST for everything; 429 gets the more useful RATE_LIMIT (status is unchanged).
  const type: InfinoErrorType = status === 429 ? 'rate_limit' : 'request';
  return new InfinoError(type, text === '' ? `HTTP ${status}` : text, { status, url, body });
}
