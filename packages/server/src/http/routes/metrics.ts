/**
 * Metrics ingest (protocol §2.2): `POST /{dataset}/metrics` with Prometheus text exposition 0.0.4
 * or OpenMetrics text (metrics/exposition.ts has the format rule). The SDK labels the body
 * `application/x-www-form-urlencoded` but sends raw text, so the body is read as text whatever the
 * content type says.
 *
 * Semantics: every valid line is stored even when other lines are bad. All lines good → 200 with
 * the documented `["Successfully added exposition metrics."]`. Any bad line → 400 with the error
 * shape of every other route, `error.type` `parse_exception`, a reason naming each bad line
 * (`2 lines rejected, 8 samples stored: line 3: …; line 7: …`, at most 10 listed) and, in the
 * error object, `accepted` (samples stored), `rejected` (bad lines) and `lines` (the first 100
 * `{line, message}`).
 *
 * Retention: `GET /{dataset}/metrics/retention` → `{"retention": "30d" | null, "retention_ms"}`;
 * `PUT` with `{"retention": "30d"}` (Prometheus duration units ms s m h d w y) or `null` (keep
 * everything, the default). Samples older than now − retention go at the next idle maintenance.
 */
import { ApiError } from '../../errors.js';
import { bodyText, jsonBody } from '../body.js';
import type { AppRouter } from '../context.js';
import { validateDatasetName } from '../names.js';

const SUCCESS = ['Successfully added exposition metrics.'];
const LISTED_IN_REASON = 10;
const LISTED_IN_BODY = 100;

export function registerMetricsRoutes(router: AppRouter): void {
  router.add('POST', '/:dataset/metrics', async (ctx) => {
    const name = validateDatasetName(ctx.params.dataset);
    const text = bodyText(ctx.body);
    const contentType = ctx.request.headers['content-type'];
    const result = await ctx.deps.datasets.ingestMetrics(ctx.principal, name, text, Date.now(), contentType);
    if (result.errors.length === 0) return SUCCESS;
    const listed = result.errors.slice(0, LISTED_IN_REASON).map((e) => `line ${e.line}: ${e.message}`);
    const more = result.errors.length > LISTED_IN_REASON ? `; and ${result.errors.length - LISTED_IN_REASON} more` : '';
    const n = result.errors.length;
    const err = new ApiError(400, 'parse_exception', `${n} line${n === 1 ? '' : 's'} rejected, ${result.samples} sample${result.samples === 1 ? '' : 's'} stored: ${listed.join('; ')}${more}`);
    err.extra = { accepted: result.samples, rejected: n, lines: result.errors.slice(0, LISTED_IN_BODY) };
    throw err;
  });

  router.add('GET', '/:dataset/metrics/retention', async (ctx) => {
    const name = validateDatasetName(ctx.params.dataset);
    const ms = ctx.deps.datasets.metricsRetention(ctx.principal, name);
    return { retention: ms === null ? null : formatDuration(ms), retention_ms: ms };
  });

  router.add('PUT', '/:dataset/metrics/retention', async (ctx) => {
    const name = validateDatasetName(ctx.params.dataset);
    const body = jsonBody(ctx.body);
    if (body === null || typeof body !== 'object' || !('retention' in body)) {
      throw new ApiError(400, 'illegal_argument_exception', 'expected {"retention": "<duration, e.g. 30d>"} or {"retention": null}');
    }
    const raw = (body as { retention: unknown }).retention;
    const ms = raw === null ? null : parseRetention(raw);
    await ctx.deps.datasets.setMetricsRetention(ctx.principal, name, ms);
    return { acknowledged: true, retention: ms === null ? null : formatDuration(ms), retention_ms: ms };
  });
}

const UNITS: Record<string, number> = { y: 365 * 86_400_000, w: 7 * 86_400_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 };

/** A Prometheus duration (`30d`, `1h30m`, `2w`) or a positive number of milliseconds. */
export function parseRetention(raw: unknown): number {
  if (typeof raw === 'number' && Number.isSafeInteger(raw) && raw > 0) return raw;
  if (typeof raw === 'string' && /^(\d+(y|w|d|h|ms|m|s))+$/.test(raw)) {
    let ms = 0;
    for (const [, n, unit] of raw.matchAll(/(\d+)(y|w|d|h|ms|m|s)/g)) ms += Number(n) * UNITS[unit];
    if (ms > 0 && Number.isSafeInteger(ms)) return ms;
  }
  throw new ApiError(400, 'illegal_argument_exception', `invalid metrics retention ${JSON.stringify(raw)}: use a duration such as "30d", "12h" or "1w", or null`);
}

/** Prometheus's `model.Duration` format: `30d` prints as `4w2d`. */
function formatDuration(ms: number): string {
  let left = ms;
  let out = '';
  for (const [unit, size] of Object.entries(UNITS)) {
    const n = Math.floor(left / size);
    if (n > 0) {
      out += `${n}${unit}`;
      left -= n * size;
    }
  }
  return out || '0s';
}
