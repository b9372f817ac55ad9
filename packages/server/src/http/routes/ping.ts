/** `GET /` — liveness plus version info (protocol §2.1 #4). */
import { SERVER_VERSION } from '../../version.js';
import type { AppRouter } from '../context.js';

/** API version the SDK reads as a string; do not turn it into an object. */
export const API_VERSION = '2025-06-30';

export function registerPingRoutes(router: AppRouter): void {
  router.add('GET', '/', () => ({
    status: 'healthy',
    version: API_VERSION,
    name: 'infino',
    cluster_name: 'infino',
    server_version: SERVER_VERSION,
    tagline: 'Infino: observability and search over an embedded store',
  }));
}
