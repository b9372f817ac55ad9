/**
 * `InfinoClient`: configuration, the raw `request()` escape hatch, and every API method both flat on the
 * client (Python-style `client.createDataset`) and grouped per area (`client.datasets.createDataset`).
 */
import { InfinoError } from './core/errors.js';
import { type FetchLike, type TransportConfig, sendRequest } from './core/request.js';
import type { ResourceClient } from './core/resource.js';
import { type RetryConfig, resolveRetryConfig } from './core/retries.js';
import { ConnectionsResource } from './resources/connections.js';
import { DatasetsResource } from './resources/datasets.js';
import { FinoResource } from './resources/fino.js';
import { QueriesResource } from './resources/queries.js';
import { RbacResource } from './resources/rbac.js';
import { VisualizationsResource } from './resources/visualizations.js';
import { presignUrl, presignWebSocketUrl, uriEncode } from './signer/index.js';
import type { RawRequestOptions } from './types/common.js';

export interface ClientOptions {
  accessKey: string;
  secretKey: string;
  /** e.g. `https://api.infino.ws`; trailing slashes are removed. A base path is kept (and signed). */
  endpoint: string;
  retry?: Partial<RetryConfig>;
  /** Per-attempt timeout in ms (default 180000, as Python). */
  timeoutMs?: number;
  /** Custom fetch (testing, proxies, or a fetch that can send GET bodies). Defaults to `globalThis.fetch`. */
  fetch?: FetchLike;
  /**
   * Method for `queryDatasetInQuerydsl`/`queryDatasetInSql`. Python sends GET with a body; WHATWG fetch
   * refuses that, so the default is POST (accepted by Infino). `'GET'` needs a custom `fetch` that allows it.
   */
  queryMethod?: 'GET' | 'POST';
  /** Clock override used when signing (tests / replay). */
  clock?: () => Date;
}

const DEFAULT_TIMEOUT_MS = 180_000;

/** Every per-area method, exposed flat on the client like the Python SDK. */
const FLAT_METHODS = {
  datasets: [
    'ping', 'createDataset', 'deleteDataset', 'getDatasets', 'getDatasetMetadata', 'getDatasetSchema',
    'uploadJsonToDataset', 'upsertToDataset', 'uploadMetricsToDataset', 'getRecord', 'deleteRecords', 'enrichDataset',
  ],
  queries: [
    'queryDatasetInQuerydsl', 'queryDatasetInSql', 'queryDatasetInPromql', 'queryDatasetInPromqlRange', 'querySource',
  ],
  fino: [
    'listThreads', 'createThread', 'getThread', 'updateThread', 'deleteThread', 'addThreadMessage',
    'clearThreadMessages', 'sendMessage',
  ],
  connections: [
    'getSources', 'getConnections', 'createConnection', 'getConnection', 'updateConnection', 'deleteConnection',
    'getSourceMetadata', 'getConnectorJobStatus', 'createImportJob', 'getImportJobs', 'deleteImportJob',
  ],
  visualizations: [
    'createVisualization', 'getVisualization', 'updateVisualization', 'deleteVisualization', 'listVisualizations',
    'executeVisualization', 'createDashboard', 'getDashboard', 'updateDashboard', 'deleteDashboard', 'listDashboards',
    'executeDashboard', 'renderVisualizationSvg', 'renderDashboardHtml', 'presignVisualizationSvgUrl',
    'presignDashboardHtmlUrl',
  ],
  rbac: [
    'createUser', 'getUser', 'updateUser', 'deleteUser', 'listUsers', 'createRole', 'getRole', 'updateRole',
    'deleteRole', 'listRoles', 'rotateKeys',
  ],
} as const satisfies {
  datasets: ReadonlyArray<keyof DatasetsResource>;
  queries: ReadonlyArray<keyof QueriesResource>;
  fino: ReadonlyArray<keyof FinoResource>;
  connections: ReadonlyArray<keyof ConnectionsResource>;
  visualizations: ReadonlyArray<keyof VisualizationsResource>;
  rbac: ReadonlyArray<keyof RbacResource>;
};

type Pick2<R, K extends readonly (keyof R)[]> = { readonly [P in K[number]]: R[P] };
type FlatApi = Pick2<DatasetsResource, typeof FLAT_METHODS.datasets> &
  Pick2<QueriesResource, typeof FLAT_METHODS.queries> &
  Pick2<FinoResource, typeof FLAT_METHODS.fino> &
  Pick2<ConnectionsResource, typeof FLAT_METHODS.connections> &
  Pick2<VisualizationsResource, typeof FLAT_METHODS.visualizations> &
  Pick2<RbacResource, typeof FLAT_METHODS.rbac>;

function isAbsoluteUrl(s: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(s);
}

class InfinoClientBase implements ResourceClient {
  readonly endpoint: string;
  readonly queryMethod: 'GET' | 'POST';
  readonly datasets: DatasetsResource;
  readonly queries: QueriesResource;
  readonly fino: FinoResource;
  readonly connections: ConnectionsResource;
  readonly visualizations: VisualizationsResource;
  readonly rbac: RbacResource;
  readonly #transport: TransportConfig;
  #closed = false;

  constructor(options: ClientOptions) {
    const fetchImpl = options.fetch ?? (globalThis.fetch?.bind(globalThis) as FetchLike | undefined);
    if (!fetchImpl) throw new InfinoError('invalid_request', 'No fetch implementation available; pass options.fetch');
    this.endpoint = options.endpoint.replace(/\/+$/, '');
    this.queryMethod = options.queryMethod ?? 'POST';
    this.#transport = {
      accessKey: options.accessKey,
      secretKey: options.secretKey,
      retry: resolveRetryConfig(options.retry),
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      fetch: fetchImpl,
      customFetch: options.fetch !== undefined,
      now: options.clock,
    };
    this.datasets = new DatasetsResource(this);
    this.queries = new QueriesResource(this);
    this.fino = new FinoResource(this);
    this.connections = new ConnectionsResource(this);
    this.visualizations = new VisualizationsResource(this);
    this.rbac = new RbacResource(this);
    // Bind the flat Python-style methods to their resource (see FLAT_METHODS).
    for (const [area, names] of Object.entries(FLAT_METHODS)) {
      const resource = this[area as keyof typeof FLAT_METHODS] as unknown as Record<string, (...a: unknown[]) => unknown>;
      for (const name of names) {
        Object.defineProperty(this, name, { value: resource[name].bind(resource), enumerable: false });
      }
    }
  }

  /** Effective retry policy (defaults filled in). */
  get retryConfig(): Readonly<RetryConfig> {
    return this.#transport.retry;
  }

  /** `endpoint + "/" + path` (path params raw, spec §0.1); absolute URLs are returned unchanged. */
  url(path: string): string {
    return isAbsoluteUrl(path) ? path : `${this.endpoint}/${path.replace(/^\//, '')}`;
  }

  /**
   * Signed request with retries — the equivalent of Python's `sdk.request(method, url, headers, body)`.
   * `path` is relative to the endpoint or a full URL. `query` is appended before signing, so it is signed.
   * Resolves to the parsed body (`{}` if empty, `{text}` if not JSON).
   */
  async request<T = unknown>(method: string, path: string, options: RawRequestOptions = {}): Promise<T> {
    if (this.#closed) throw new InfinoError('invalid_request', 'Client is closed');
    const url = this.#withQuery(this.url(path), options.query);
    const { headers, body, signal } = options;
    return (await sendRequest(this.#transport, method.toUpperCase(), url, { headers, body, signal })) as T;
  }

  #withQuery(url: string, query: RawRequestOptions['query']): string {
    const pairs = Object.entries(query ?? {}).filter(([, v]) => v !== undefined && v !== null);
    if (pairs.length === 0) return url;
    const qs = pairs.map(([k, v]) => `${uriEncode(k)}=${uriEncode(String(v))}`).join('&');
    return url + (url.includes('?') ? '&' : '?') + qs;
  }

  /**
   * Presigned `http(s)` URL (query-string SigV4 with `X-Amz-Expires`): whoever holds it can make this one
   * request, unchanged, until it expires — no credentials needed. `path` and `query` as for `request`;
   * `expiresIn` in seconds (1 … 604800). Infino accepts presigned URLs only for the render routes
   * (`presignVisualizationSvgUrl`, `presignDashboardHtmlUrl`).
   */
  presignUrl(
    path: string,
    options: { expiresIn: number; query?: RawRequestOptions['query']; method?: string },
  ): Promise<string> {
    if (this.#closed) return Promise.reject(new InfinoError('invalid_request', 'Client is closed'));
    const t = this.#transport;
    const url = this.#withQuery(this.url(path), options.query);
    return presignUrl({ url, method: options.method, expiresIn: options.expiresIn, accessKey: t.accessKey, secretKey: t.secretKey, now: t.now?.() });
  }

  /** Presigned `ws://`/`wss://` URL for the Fino WebSocket (`/_conversation/ws` or `/fino/nl`). */
  presignWebSocketUrl(path: string, now?: Date): Promise<string> {
    const t = this.#transport;
    return presignWebSocketUrl(this.endpoint, path, t.accessKey, t.secretKey, now ?? t.now?.());
  }

  /** Mark the client closed; later calls reject. In-flight calls finish normally. */
  close(): void {
    this.#closed = true;
  }

  get closed(): boolean {
    return this.#closed;
  }
}

// Declaration merging types the flat methods that the base constructor installs at runtime (and the
// guarded Symbol.asyncDispose below); the rule's concern — members declared but never initialised — is
// handled by that constructor loop, which FLAT_METHODS' `satisfies` check keeps in sync with the resources.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface InfinoClient extends FlatApi {
  [Symbol.asyncDispose](): Promise<void>;
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class InfinoClient extends InfinoClientBase {
  /** Python `InfinoSDK.new(ak, sk, endpoint)`. */
  static new(accessKey: string, secretKey: string, endpoint: string): InfinoClient {
    return new InfinoClient({ accessKey, secretKey, endpoint });
  }

  /** Python `InfinoSDK.new_with_retry(ak, sk, endpoint, retry_config)`. */
  static newWithRetry(
    accessKey: string,
    secretKey: string,
    endpoint: string,
    retry: Partial<RetryConfig>,
  ): InfinoClient {
    return new InfinoClient({ accessKey, secretKey, endpoint, retry });
  }
}

// `await using client = ...` support where the runtime defines Symbol.asyncDispose.
if (typeof Symbol.asyncDispose === 'symbol') {
  Object.defineProperty(InfinoClient.prototype, Symbol.asyncDispose, {
    value: async function (this: InfinoClient) {
      this.close();
    },
    writable: true,
    configurable: true,
  });
}

/** Python-name alias. */
export const InfinoSDK = InfinoClient;
export type InfinoSDK = InfinoClient;
