/**
 * `/sql` (protocol §2.3): GET with a body, as the Python SDK's query_dataset_in_sql sends it, or
 * POST, as upsert_to_dataset does; the statement decides read or write (GET only reads).
 */
import type { AppRouter } from '../context.js';
import { parseJson } from '../es/request.js';

export function registerSqlRoutes(router: AppRouter): void {
  router.add(['GET', 'POST'], '/sql', (ctx) => {
    const body = ctx.body === undefined ? undefined : parseJson(ctx.body.toString('utf8'));
    return ctx.deps.sql.execute(ctx.principal, body, ctx.request.method === 'GET' ? 'GET' : 'POST');
  });
}
