/** Retry policy (spec §1.13) plus the two deliberate improvements: `maxElapsedMs` is honoured and every
 * attempt is re-signed by the caller (fresh X-Amz-Date), so long retry chains never hit the skew window. */

export interface RetryConfig {
  /** First back-off delay (ms). Default 1000. */
  initialIntervalMs: number;
  /** Cap for the doubling back-off (ms). Default 15000. */
  maxIntervalMs: number;
  /** Total number of attempts, as in Python (not "retries after the first"). Default 3. `<= 0` ⇒ nothing is sent. */
  maxRetries: number;
  /** No new attempt is started if waiting for it would exceed this budget (ms since the first attempt). Default 90000. */
  maxElapsedMs: number;
}

export const DEFAULT_RETRY_CONFIG: Readonly<RetryConfig> = Object.freeze({
  initialIntervalMs: 1000,
  maxIntervalMs: 15000,
  maxRetries: 3,
  maxElapsedMs: 90000,
});

export function resolveRetryConfig(partial?: Partial<RetryConfig>): RetryConfig {
  const out = { ...DEFAULT_RETRY_CONFIG };
  for (const [k, v] of Object.entries(partial ?? {}) as Array<[keyof RetryConfig, number | undefined]>) {
    if (v !== undefined) out[k] = v;
  }
  return out;
}

/** Delay after `delay`: doubled and capped, exactly like Python's `min(delay * 2, max_interval)`. */
export function nextDelay(delay: number, cfg: RetryConfig): number {
  return Math.min(delay * 2, cfg.maxIntervalMs);
}

/** Sleep that wakes up early (rejecting with the abort reason) when `signal` fires. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Python does not retry plain requests when the socket reports "Connection refused". */
export function isConnectionRefused(err: unknown, depth = 0): boolean {
  if (depth > 5 || typeof err !== 'object' || err === null) return false;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (e.code === 'ECONNREFUSED') return true;
  if (typeof e.message === 'string' && /ECONNREFUSED|Connection refused/i.test(e.message)) return true;
  // undici wraps the socket error in `cause`; happy-eyeballs failures are AggregateErrors.
  if (Array.isArray(e.errors) && e.errors.some((x) => isConnectionRefused(x, depth + 1))) return true;
  return isConnectionRefused(e.cause, depth + 1);
}
