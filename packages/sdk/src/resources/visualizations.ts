/** Visualizations & dashboards CRUD, execution and the dashboard fan-out (spec §3). */
import { pythonJsonDumps } from '../core/encoding.js';
import { InfinoError } from '../core/errors.js';
import { APIResource, type ResourceClient } from '../core/resource.js';
import { uriEncode } from '../signer/canonical.js';
import type { Acknowledged, RawRequestOptions, RequestOptions } from '../types/common.js';
import type {
  DashboardPanel,
  DashboardSpec,
  ExecuteDashboardParams,
  ExecuteParams,
  ExecuteVisualizationResponse,
  Filter,
  DashboardAttributes,
  DashboardObject,
  ListParams,
  ListResponse,
  PanelResult,
  VisualizationAttributes,
  VisualizationObject,
  VisualizationSpec,
} from '../types/visualizations.js';

/** uuid4().hex equivalent (WebCrypto `randomUUID`, dashes removed). */
function uuidHex(): string {
  return globalThis.crypto.randomUUID().replace(/-/g, '');
}

/** Python's filter normalisation: fixed key order, defaults filled, id generated when absent/falsy. */
export function normalizeFilter(f: Filter): Required<Filter> {
  return {
    id: f.id || uuidHex(),
    field: f.field,
    operator: f.operator,
    value: f.value ?? null,
    enabled: f.enabled === undefined ? true : f.enabled,
    is_time_filter: f.is_time_filter ?? false,
    query_type: f.query_type ?? null,
    index: f.index ?? null,
  };
}

/** `{}`, `{"filters": [...]}`, `{"time_range": {...}}` or both — exactly what Python sends. */
export function executeBody(params: ExecuteParams = {}): string {
  const body: Record<string, unknown> = {};
  if (params.filters && params.filters.length > 0) body.filters = params.filters.map(normalizeFilter);
  if (params.timeRange) body.time_range = params.timeRange;
  return pythonJsonDumps(body);
}

/** Query of `GET /visualizations/{id}/render.svg`: pixel size, plus filters / time range as JSON. */
export interface RenderVisualizationParams extends ExecuteParams {
  /** Pixels, 50 … 4096 (server default 800). */
  width?: number;
  /** Pixels, 50 … 4096 (server default 400). */
  height?: number;
}

/** Query of `GET /dashboards/{id}/render.html`. */
export interface RenderDashboardParams extends ExecuteParams {
  /** Nominal page width in pixels, 320 … 7680 (server default 1440). */
  width?: number;
}

/** How long a presigned render URL stays valid. */
export interface PresignOptions {
  /** Seconds, 1 … 604800 (7 days); default 3600. */
  expiresIn?: number;
}

export type PresignVisualizationSvgParams = RenderVisualizationParams & PresignOptions;
export type PresignDashboardHtmlParams = RenderDashboardParams & PresignOptions;

const DEFAULT_PRESIGN_EXPIRES_SEC = 3600;

/** What the resource needs beyond `request`: presigned URLs (the client provides it). */
export interface PresigningClient extends ResourceClient {
  presignUrl(path: string, options: { expiresIn: number; query?: RawRequestOptions['query'] }): Promise<string>;
}

/**
 * Render query parameters: filters normalised as `executeVisualization` does, `filters`/`time_range` as
 * compact JSON (they travel in a URL), absent values left out.
 */
function renderQuery(params: RenderVisualizationParams = {}): Record<string, string | number | undefined> {
  return {
    width: params.width,
    height: params.height,
    filters: params.filters && params.filters.length > 0 ? JSON.stringify(params.filters.map(normalizeFilter)) : undefined,
    time_range: params.timeRange ? JSON.stringify(params.timeRange) : undefined,
  };
}

/**
 * The transport answers non-JSON text as `{text}` (and an empty body as `{}`); an SVG or HTML page never
 * parses as JSON, so this is the body exactly as sent.
 */
function responseText(parsed: unknown, what: string): string {
  if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
    const text = (parsed as { text?: unknown }).text;
    if (typeof text === 'string') return text;
    if (Object.keys(parsed).length === 0) return '';
  }
  throw new InfinoError('parse', `Expected ${what} text, got JSON: ${JSON.stringify(parsed).slice(0, 200)}`);
}

const svgPath = (vizId: string) => `visualizations/${uriEncode(vizId)}/render.svg`;
const htmlPath = (dashboardId: string) => `dashboards/${uriEncode(dashboardId)}/render.html`;

function listQuery(params: ListParams = {}): Record<string, number | undefined> {
  // Only the given arguments are sent; unlike Python they are part of the signed URL ([REC] §1.12).
  return { limit: params.limit, offset: params.offset };
}

export class VisualizationsResource extends APIResource {
  declare protected readonly client: PresigningClient;

  constructor(client: PresigningClient) {
    super(client);
  }

  /** `POST /visualizations`. */
  createVisualization(spec: VisualizationSpec, options?: RequestOptions): Promise<VisualizationObject> {
    return this.client.request('POST', 'visualizations', { ...options, body: pythonJsonDumps(spec) });
  }

  /** `GET /visualizations/{vizId}`. */
  getVisualization(vizId: string, options?: RequestOptions): Promise<VisualizationObject> {
    return this.client.request('GET', `visualizations/${vizId}`, options);
  }

  /** `PATCH /visualizations/{vizId}` — RFC 7396 JSON merge patch. */
  updateVisualization(vizId: string, patch: Record<string, unknown>, options?: RequestOptions): Promise<VisualizationObject> {
    return this.client.request('PATCH', `visualizations/${vizId}`, { ...options, body: pythonJsonDumps(patch) });
  }

  /** `DELETE /visualizations/{vizId}`. */
  deleteVisualization(vizId: string, options?: RequestOptions): Promise<Acknowledged> {
    return this.client.request('DELETE', `visualizations/${vizId}`, options);
  }

  /** `GET /visualizations[?limit=&offset=]`. */
  listVisualizations(params?: ListParams, options?: RequestOptions): Promise<ListResponse<VisualizationAttributes>> {
    return this.client.request('GET', 'visualizations', { ...options, query: listQuery(params) });
  }

  /** `POST /visualizations/{vizId}/data` with normalised filters / time range. */
  executeVisualization(
    vizId: string,
    params?: ExecuteParams,
    options?: RequestOptions,
  ): Promise<ExecuteVisualizationResponse> {
    return this.client.request('POST', `visualizations/${vizId}/data`, { ...options, body: executeBody(params) });
  }

  /** `POST /dashboards`. */
  createDashboard(spec: DashboardSpec, options?: RequestOptions): Promise<DashboardObject> {
    return this.client.request('POST', 'dashboards', { ...options, body: pythonJsonDumps(spec) });
  }

  /** `GET /dashboards/{dashboardId}`. */
  getDashboard(dashboardId: string, options?: RequestOptions): Promise<DashboardObject> {
    return this.client.request('GET', `dashboards/${dashboardId}`, options);
  }

  /** `PATCH /dashboards/{dashboardId}` — merge patch. */
  updateDashboard(dashboardId: string, patch: Record<string, unknown>, options?: RequestOptions): Promise<DashboardObject> {
    return this.client.request('PATCH', `dashboards/${dashboardId}`, { ...options, body: pythonJsonDumps(patch) });
  }

  /** `DELETE /dashboards/{dashboardId}`. */
  deleteDashboard(dashboardId: string, options?: RequestOptions): Promise<Acknowledged> {
    return this.client.request('DELETE', `dashboards/${dashboardId}`, options);
  }

  /** `GET /dashboards[?limit=&offset=]`. */
  listDashboards(params?: ListParams, options?: RequestOptions): Promise<ListResponse<DashboardAttributes>> {
    return this.client.request('GET', 'dashboards', { ...options, query: listQuery(params) });
  }

  /** `GET /visualizations/{vizId}/render.svg` (server-side rendering): the SVG document as text. */
  async renderVisualizationSvg(vizId: string, params?: RenderVisualizationParams, options?: RequestOptions): Promise<string> {
    const r = await this.client.request('GET', svgPath(vizId), { ...options, query: renderQuery(params) });
    return responseText(r, 'SVG');
  }

  /** `GET /dashboards/{dashboardId}/render.html`: the self-contained HTML page as text. */
  async renderDashboardHtml(dashboardId: string, params?: RenderDashboardParams, options?: RequestOptions): Promise<string> {
    const { width, filters, timeRange } = params ?? {};
    const r = await this.client.request('GET', htmlPath(dashboardId), { ...options, query: renderQuery({ width, filters, timeRange }) });
    return responseText(r, 'HTML');
  }

  /**
   * Presigned URL of the visualization's SVG, for `<img src>`, e-mails and wikis: anyone holding it gets
   * this one rendering (size, filters and time range are signed) until it expires, with the signer's
   * permissions and no credentials. Computed locally; nothing is sent.
   */
  presignVisualizationSvgUrl(vizId: string, params: PresignVisualizationSvgParams = {}): Promise<string> {
    const { expiresIn = DEFAULT_PRESIGN_EXPIRES_SEC, ...render } = params;
    return this.client.presignUrl(svgPath(vizId), { expiresIn, query: renderQuery(render) });
  }

  /** Presigned URL of the dashboard's HTML page (an iframe, a link in a report); see `presignVisualizationSvgUrl`. */
  presignDashboardHtmlUrl(dashboardId: string, params: PresignDashboardHtmlParams = {}): Promise<string> {
    const { expiresIn = DEFAULT_PRESIGN_EXPIRES_SEC, width, filters, timeRange } = params;
    return this.client.presignUrl(htmlPath(dashboardId), { expiresIn, query: renderQuery({ width, filters, timeRange }) });
  }

  /**
   * Fetch a dashboard and resolve every panel (get + execute per visualization panel) with at most
   * `maxWorkers` panels in flight; results keep panel order. Panel failures are reported in `error`
   * (`message` = the error body text, not Python's tuple repr); other errors reject the whole call.
   */
  async executeDashboard(
    dashboardId: string,
    params: ExecuteDashboardParams = {},
    options?: RequestOptions,
  ): Promise<PanelResult[]> {
    const dash = await this.getDashboard(dashboardId, options);
    const panels: DashboardPanel[] = dash?.attributes?.panels ?? [];
    if (panels.length === 0) return [];
    const results: PanelResult[] = new Array(panels.length);
    const workers = Math.max(1, Math.min(params.maxWorkers ?? 16, panels.length));
    let next = 0;
    const run = async () => {
      while (next < panels.length) {
        const i = next++;
        results[i] = await this.resolvePanel(panels[i], params, options);
      }
    };
    await Promise.all(Array.from({ length: workers }, run));
    return results;
  }

  private async resolvePanel(p: DashboardPanel, params: ExecuteParams, options?: RequestOptions): Promise<PanelResult> {
    const out: PanelResult = {
      id: p.id ?? null,
      kind: p.kind ?? null,
      layout: p.layout ?? null,
      title_override: p.title_override ?? null,
      viz: null,
      data: null,
      error: null,
    };
    if (p.kind === 'visualization') {
      if (!p.viz_id) {
        out.error = { status: 400, message: 'panel missing viz_id' };
        return out;
      }
      try {
        const viz = await this.getVisualization(p.viz_id, options);
        const data = await this.executeVisualization(p.viz_id, params, options);
        out.viz = viz.attributes ?? (viz as unknown as VisualizationAttributes);
        out.data = data;
      } catch (err) {
        if (!(err instanceof InfinoError)) throw err;
        out.error = { status: err.statusCode(), message: err.message };
      }
    } else if (p.kind === 'markdown') out.content = p.content ?? null;
    else if (p.kind === 'divider') out.label = p.label ?? null;
    return out;
  }
}
