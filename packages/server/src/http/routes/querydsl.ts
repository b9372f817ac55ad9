/** The Infino QueryDSL route (protocol §2.3): GET (with a body, as the Python SDK sends) or POST. */
import { parseSearchRequest } from '../../search/request.js';
import { asSearchPhase } from '../../errors.js';
import type { AppRouter } from '../context.js';
import { optionalJson } from '../es/request.js';

export function registerQuerydslRoutes(router: AppRouter): void {
  router.add(['GET', 'POST'], '/:dataset/querydsl', async (ctx) => {
    // No body is match_all; malformed JSON is ES's x_content_parse_exception (with its position).
    const body = optionalJson(ctx.body) ?? {};
    // The dataset segment is an index expression: `logs`, `logs,metrics`, `logs-*`.
    return asSearchPhase(
      ctx.params.dataset,
      () => parseSearchRequest(body, Object.fromEntries(ctx.query)),
      (request) => ctx.deps.datasets.search(ctx.principal, ctx.params.dataset, request),
    );
  });
}

