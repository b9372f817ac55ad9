/**
 * One HTTP exchange with signing, per-attempt timeout, retries and response parsing (spec §1.2, §1.13, §1.14).
 */
import { signRequest } from '../signer/index.js';
import { InfinoError, httpError } from './errors.js';
import { type RetryConfig, isConnectionRefused, nextDelay, sleep } from './retries.js';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface TransportConfig {
  accessKey: string;
  secretKey: string;
  retry: RetryConfig;
  timeoutMs: number;
  fetch: FetchLike;
  /** True when the caller supplied `fetch`, which may be able to send GET bodies. */
  customFetch: boolean;
  /** Clock override for tests. */
  now?: () => Date;
}

export interface SendInit {
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  signal?: AbortSignal;
}

/** §1.14: empty → `{}`, JSON → parsed value of any type, other text → `{ text }`. */
export function parseResponseText(text: string): unknown {
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    return { text };
  }
}

interface AttemptResult {
  response?: { status: number; text: string };
  error?: unknown;
  timedOut?: boolean;
}

async function attempt(
  cfg: TransportConfig,
  method: string,
  url: string,
  init: SendInit,
): Promise<AttemptResult> {
  const signed = await signRequest({
    method,
    url,
    headers: init.headers,
    body: init.body,
    accessKey: cfg.accessKey,
    secretKey: cfg.secretKey,
    now: cfg.now?.(),
  });
  // fetch derives Host from the URL (same value we signed); browsers forbid setting it.
  delete signed['Host'];

  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error(`Request timed out after ${cfg.timeoutMs} ms`));
  }, cfg.timeoutMs);
  const onUserAbort = () => controller.abort(init.signal?.reason);
  init.signal?.addEventListener('abort', onUserAbort, { once: true });
  try {
    const hasBody = init.body !== undefined && init.body !== '';
    const res = await cfg.fetch(url, {
      method,
      headers: signed,
      body: hasBody ? (init.body as BodyInit) : undefined,
      signal: controller.signal,
    });
    const text = await res.text(); // still under the timeout: a stalled body counts against the attempt
    return { response: { status: res.status, text } };
  } catch (error) {
    return { error, timedOut };
  } finally {
    clearTimeout(timer);
    init.signal?.removeEventListener('abort', onUserAbort);
  }
}

/**
 * Send with retries: 2xx → parsed body; 4xx and other non-5xx → throw at once; 5xx and transport errors →
 * doubling back-off while attempts (`maxRetries`) and the `maxElapsedMs` budget allow. "Connection refused"
 * is not retried (Python parity). Each attempt is signed afresh. A user abort rejects with the signal's reason.
 */
export async function sendRequest(cfg: TransportConfig, method: string, url: string, init: SendInit): Promise<unknown> {
  const { retry } = cfg;
  if (retry.maxRetries <= 0) throw new InfinoError('request', 'Max retries exceeded', { status: 0, url });
  if (/^(GET|HEAD)$/i.test(method) && init.body && !cfg.customFetch) {
    throw new InfinoError(
      'invalid_request',
      `fetch cannot send a body with ${method.toUpperCase()}; use POST or pass a fetch implementation that can`,
      { url },
    );
  }
  const started = Date.now();
  let delay = retry.initialIntervalMs;
  for (let n = 1; ; n++) {
    init.signal?.throwIfAborted();
    const r = await attempt(cfg, method, url, init);
    if (init.signal?.aborted) throw init.signal.reason;

    let failure: InfinoError;
    let retryable: boolean;
    if (r.response) {
      const { status, text } = r.response;
      if (status >= 200 && status < 300) return parseResponseText(text);
      failure = httpError(status, text, url);
      retryable = status >= 500 && status < 600;
    } else {
      if (r.error instanceof InfinoError) throw r.error;
      const message = r.timedOut
        ? `Request timed out after ${cfg.timeoutMs} ms`
        : r.error instanceof Error
          ? describeTransportError(r.error)
          : String(r.error);
      failure = new InfinoError(r.timedOut ? 'timeout' : 'network', message, { status: 0, url, cause: r.error });
      retryable = !isConnectionRefused(r.error);
    }
    const budgetLeft = Date.now() - started + delay <= retry.maxElapsedMs;
    if (!retryable || n >= retry.maxRetries || !budgetLeft) throw failure;
    await sleep(delay, init.signal);
    delay = nextDelay(delay, retry);
  }
}

// undici reports every socket problem as "fetch failed"; the useful part lives in `cause`.
function describeTransportError(err: Error): string {
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error && cause.message && cause.message !== err.message) return `${err.message}: ${cause.message}`;
  return err.message;
}
