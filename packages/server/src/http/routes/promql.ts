/**
 * PromQL over HTTP: the Infino routes (`POST /promql/query`, `POST /promql/query_range`, protocol
 * §2.3: form bodies, `index` optional, `start`/`end` also in milliseconds) and the Prometheus HTTP
 * API that Grafana's Prometheus data source speaks (`/api/v1/query`, `query_range`, `series`,
 * `labels`, `label/{name}/values`, `metadata`, `status/buildinfo`). Answers and errors use
 * Prometheus's envelope: {"status":"success","data":…} / {"status":"error","errorType","error"}.
 */
import { ApiError } from '../../errors.js';
import { PromqlError } from '../../promql/errors.js';
import { formatValue } from '../../promql/format.js';
import { parseDuration, parseTime } from '../../promql/params.js';
import { JsonText, type AppRouter, type Ctx } from '../context.js';

/** Form fields from the query string and, for POST, the url-encoded body (Prometheus reads both). */
function form(ctx: Ctx): URLSearchParams {
  const params = new URLSearchParams(ctx.query);
  if (ctx.body && ctx.body.length > 0) for (const [k, v] of new URLSearchParams(ctx.body.toString('utf8'))) params.append(k, v);
  return params;
}

const STATUS: Record<string, number> = { bad_data: 400, not_found: 404, execution: 422, timeout: 503, canceled: 503, internal: 500 };

/** Runs a handler and renders its result or error in Prometheus's envelope. */
function prom(run: (ctx: Ctx, f: URLSearchParams) => Promise<unknown>) {
  return async (ctx: Ctx) => {
    try {
      const data = await run(ctx, form(ctx));
      return new JsonText(JSON.stringify({ status: 'success', data }));
    } catch (e) {
      if (e instanceof PromqlError) return promError(STATUS[e.errorType] ?? 400, e.errorType, e.message);
      if (e instanceof ApiError) return promError(e.status, e.type, e.reason);
      throw e;
    }
  };
}

const promError = (status: number, errorType: string, error: string) => new JsonText(JSON.stringify({ status: 'error', errorType, error }), status);

function required(f: URLSearchParams, name: string): string {
  const v = f.get(name);
  if (v === null || v === '') throw new PromqlError('bad_data', `invalid parameter "${name}": parameter is required`);
  return v;
}

export function registerPromqlRoutes(router: AppRouter): void {
  for (const [prefix, infino] of [['/promql', true], ['/api/v1', false]] as const) {
    const methods = infino ? ['POST'] : ['GET', 'POST'];
    const timeOpts = { allowMillis: infino };
    router.add(
      methods,
      `${prefix}/query`,
      prom(async (ctx, f) => {
        const time = parseTime('time', f.get('time') ?? undefined, timeOpts) ?? Date.now();
        const value = await ctx.deps.promql.instant(ctx.principal, required(f, 'query'), time, options(f));
        return formatValue(value);
      }),
    );
    router.add(
      methods,
      `${prefix}/query_range`,
      prom(async (ctx, f) => {
        const start = parseTime('start', required(f, 'start'), timeOpts)!;
        const end = parseTime('end', required(f, 'end'), timeOpts)!;
        const step = parseDuration('step', required(f, 'step'))!;
        const value = await ctx.deps.promql.range(ctx.principal, required(f, 'query'), start, end, step, options(f));
        return formatValue(value);
      }),
    );
  }
  const range = (f: URLSearchParams) => [parseTime('start', f.get('start') ?? undefined), parseTime('end', f.get('end') ?? undefined)] as const;
  router.add(
    ['GET', 'POST'],
    '/api/v1/series',
    prom(async (ctx, f) => ctx.deps.promql.series(ctx.principal, f.getAll('match[]'), ...range(f), f.get('index') ?? undefined)),
  );
  router.add(
    ['GET', 'POST'],
    '/api/v1/labels',
    prom(async (ctx, f) => ctx.deps.promql.labelNames(ctx.principal, f.getAll('match[]'), ...range(f), f.get('index') ?? undefined)),
  );
  router.add(
    'GET',
    '/api/v1/label/:name/values',
    prom(async (ctx, f) => ctx.deps.promql.labelValues(ctx.principal, ctx.params.name, f.getAll('match[]'), ...range(f), f.get('index') ?? undefined)),
  );
  router.add(
    'GET',
    '/api/v1/metadata',
    prom(async (ctx, f) => ctx.deps.promql.metadata(ctx.principal, f.get('metric') ?? undefined, f.get('index') ?? undefined)),
  );
  // Grafana reads the version to pick features; we follow Prometheus 3.x semantics.
  router.add(
    'GET',
    '/api/v1/status/buildinfo',
    prom(async () => ({ version: '3.0.0', revision: 'infino', branch: 'infino', buildUser: 'infino', buildDate: '', goVersion: 'none' })),
  );
}

function options(f: URLSearchParams) {
  return {
    index: f.get('index') ?? undefined,
    timeoutMs: parseDuration('timeout', f.get('timeout') ?? undefined),
    lookbackDeltaMs: parseDuration('lookback_delta', f.get('lookback_delta') ?? undefined),
  };
}
