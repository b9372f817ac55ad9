/**
 * The Elasticsearch-compatible REST surface (beyond the Infino API), so that the Elasticsearch and
 * OpenSearch clients, curl scripts and Grafana work unchanged. Thin routes only: parsing lives in
 * search/, data access in DatasetService.
 */
import type { AppRouter } from '../context.js';
import { registerBulkRoutes } from './bulk.js';
import { registerCatRoutes } from './cat.js';
import { registerDocRoutes } from './docs.js';
import { registerIndexRoutes } from './indices.js';
import { registerSearchRoutes } from './search.js';

export function registerEsRoutes(router: AppRouter): void {
  registerSearchRoutes(router);
  registerBulkRoutes(router);
  registerDocRoutes(router);
  registerIndexRoutes(router);
  registerCatRoutes(router);
}
