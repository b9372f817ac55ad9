/**
 * `GET /` — liveness plus version info (protocol §2.1 #4); Elasticsearch clients get ES's info body
 * instead (es/info.ts).
 */
import { SERVER_VERSION } from '../../version.js';
import type { AppRouter } from '../context.js';
import { ES_VERSION, esInfo, esInfoExtras, wantsEsInfo } from '../es/info.js';

/** API version the SDK reads as a string; do not turn it into an object. */
export const API_VERSION = '2025-06-30';

export function registerPingRoutes(router: AppRouter): void {
  router.add('GET', '/', ({ request }) =>
    wantsEsInfo(request.headers)
      ? esInfo()
      : {
          status: 'healthy',
          version: API_VERSION,
          name: 'infino',
          cluster_name: 'infino',
          ...esInfoExtras(),
          server_version: SERVER_VERSION,
          es_version: ES_VERSION,
          tagline: 'Infino: observability and search over an embedded store',
        },
  );
}
