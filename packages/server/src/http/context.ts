/** Types shared by the app and the route modules. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { KeyLookup } from '../auth/sigv4.js';
import type { Principal } from '../policy/principal.js';
import type { PromqlService } from '../promql/service.js';
import type { SqlService } from '../sql/service.js';
import type { DatasetService } from '../policy/datasets.js';
import type { VisualizationExecutor } from '../visualize/execute.js';
import type { SavedObjectService } from '../visualize/service.js';
import type { QueryNode } from '../query/ast.js';
import type { Router } from './router.js';

export interface AppDeps {
  datasets: DatasetService;
  sql: SqlService;
  promql: PromqlService;
  /** Saved visualizations and dashboards (protocol §3). */
  visualize: SavedObjectService;
  /** Runs saved visualizations (`POST /visualizations/{id}/data`). */
  vizExecutor: VisualizationExecutor;
  keys: KeyLookup;
  /** Parses `{"query": {...}}` (query/parse.ts); injected so the HTTP layer does not own query parsing. */
  parseQuery: (body: unknown) => QueryNode;
  bodyLimit: number;
  /** Accept HTTP Basic `accessKey:secretKey` as well as SigV4 (`--es-basic-auth`). */
  basicAuth?: boolean;
  /** Clock for signature freshness checks (tests freeze it). */
  now?: () => number;
}

export interface Ctx {
  principal: Principal;
  params: Record<string, string>;
  /** The raw request body (undefined when none was sent). */
  body: Buffer | undefined;
  query: URLSearchParams;
  request: FastifyRequest;
  reply: FastifyReply;
  deps: AppDeps;
}

export type RouteHandler = (ctx: Ctx) => unknown;
export type AppRouter = Router<RouteHandler>;

/** A response whose JSON text is already built (e.g. to embed a stored `_source` byte-for-byte). */
export class JsonText {
  constructor(
    readonly text: string,
    readonly status = 200,
  ) {}
}

/** A non-JSON response (the `_cat` APIs' text tables). */
export class PlainText {
  constructor(
    readonly text: string,
    readonly contentType = 'text/plain; charset=UTF-8',
  ) {}
}

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
