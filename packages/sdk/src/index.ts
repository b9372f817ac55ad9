/**
 * @infino/sdk — isomorphic TypeScript SDK for the Infino API.
 * Zero runtime dependencies: global fetch, WebCrypto, TextEncoder, AbortController.
 */
export { InfinoClient, InfinoSDK, type ClientOptions } from './client.js';
export { InfinoError, type InfinoErrorType, type InfinoErrorOptions } from './core/errors.js';
export { DEFAULT_RETRY_CONFIG, type RetryConfig } from './core/retries.js';
export { parseResponseText, type FetchLike } from './core/request.js';
export { pythonJsonDumps } from './core/encoding.js';
export { toNdjson, DatasetsResource } from './resources/datasets.js';
export { QueriesResource } from './resources/queries.js';
export { sqlRowObjects } from './sql-rows.js';
export { FinoResource } from './resources/fino.js';
export { ConnectionsResource } from './resources/connections.js';
export {
  VisualizationsResource,
  normalizeFilter,
  executeBody,
  type RenderVisualizationParams,
  type RenderDashboardParams,
  type PresignOptions,
  type PresignVisualizationSvgParams,
  type PresignDashboardHtmlParams,
} from './resources/visualizations.js';
export { RbacResource } from './resources/rbac.js';
export { toEchartsOption } from './echarts/option.js';
export type * from './echarts/option.js';
export { pyStr, pyRepr, pyTruthy, parsePyFloat, sortAxis, compareCodePoints } from './echarts/python.js';
export * from './signer/index.js';
export type * from './types/index.js';
