/**
 * Endpoints of later releases. They are registered now so the router knows the paths (405 for a
 * wrong method, fixed segments beat `/{dataset}`) and answer 501 instead of a misleading 404.
 */
import { ApiError } from '../../errors.js';
import type { AppRouter } from '../context.js';

const LATER: Array<[string | string[], string, string]> = [
  ['POST', '/:dataset/enrich_dataset', 'Dataset enrichment'],
  [['GET', 'POST'], '/fino/threads', 'Fino AI'],
  [['GET', 'PUT', 'DELETE'], '/fino/threads/:id', 'Fino AI'],
  [['POST', 'DELETE'], '/fino/threads/:id/messages', 'Fino AI'],
  ['POST', '/fino/message', 'Fino AI'],
  ['GET', '/fino/nl', 'Fino AI (WebSocket)'],
  ['POST', '/_conversation/threads', 'Fino AI'],
  ['GET', '/_conversation/ws', 'Fino AI (WebSocket)'],
  ['GET', '/sources', 'Connections'],
  ['GET', '/sources/connections', 'Connections'],
  [['POST', 'GET', 'PATCH', 'DELETE'], '/source/:id', 'Connections'],
  ['POST', '/source/:id/:dataset/dsl', 'Connections'],
  ['GET', '/source/:id/:dataset/metadata', 'Connections'],
  ['POST', '/import/file', 'File import'],
  ['PUT', '/import/:type', 'Import jobs'],
  ['GET', '/import/jobs', 'Import jobs'],
  ['DELETE', '/import/jobs/:id', 'Import jobs'],
  ['GET', '/_connectors/jobs/:id', 'Import jobs'],
  [['PUT', 'GET', 'PATCH', 'DELETE'], '/user/:name', 'User management'],
  ['PATCH', '/user/:name/keys', 'User management'],
  ['GET', '/users', 'User management'],
  [['PUT', 'GET', 'PATCH', 'DELETE'], '/role/:name', 'Role management'],
  ['GET', '/roles', 'Role management'],
];

export function registerLaterRoutes(router: AppRouter): void {
  for (const [methods, pattern, feature] of LATER) {
    router.add(methods, pattern, () => {
      throw new ApiError(501, 'not_implemented', `${feature} (${pattern}) arrives in a later release`);
    });
  }
}
