/** The Infino QueryDSL route (protocol §2.3): GET (with a body, as the Python SDK sends) or POST. */
import { parseSearchRequest } from '../../search/request.js';
import { ApiError, asSearchPhase } from '../../errors.js';
import { bodyText } from '../body.js';
import type { AppRouter } from '../context.js';

export function registerQuerydslRoutes(router: AppRouter): void {
  router.add(['GET', 'POST'], '/:dataset/querydsl', async (ctx) => {
    const body = searchBody(bodyText(ctx.body));
    // The dataset segment is an index expression: `logs`, `logs,metrics`, `logs-*`.
    return asSearchPhase(
      ctx.params.dataset,
      () => parseSearchRequest(body, Object.fromEntries(ctx.query)),
      (request) => ctx.deps.datasets.search(ctx.principal, ctx.params.dataset, request),
    );
  });
}

/** A search body: empty means match_all; malformed JSON is ES's x_content_parse_exception. */
export function searchBody(text: string): unknown {
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ApiError(400, 'x_content_parse_exception', `Failed to parse the request body as JSON: ${(e as Error).message}`);
  }
}
