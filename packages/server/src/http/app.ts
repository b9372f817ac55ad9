/**
 * The fastify application: raw-body parsing, SigV4 (or opt-in HTTP Basic) authentication, routing
 * through our own Router, and the protocol's JSON error shape for every failure (§1.14).
 */
import Fastify, { LogController, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { isBasicAuthorization, verifyBasic } from '../auth/basic.js';
import { checkAuthHeaders, unauthorized, verifySignature, type PendingAuth } from '../auth/sigv4.js';
import { ApiError } from '../errors.js';
import type { Principal } from '../policy/principal.js';
import type { LogLevel } from '../config.js';
import { decodeContentEncoding } from './body.js';
import { JSON_CONTENT_TYPE, JsonText, PlainText, type AppDeps, type AppRouter, type Ctx } from './context.js';
import { filterPath } from './es/filter-path.js';
import { registerEsRoutes } from './es/index.js';
import { authenticatePresigned, isPresignedQuery } from './presigned.js';
import { Router } from './router.js';
import { registerDatasetRoutes } from './routes/datasets.js';
import { registerLaterRoutes } from './routes/later.js';
import { registerMetricsRoutes } from './routes/metrics.js';
import { registerPingRoutes } from './routes/ping.js';
import { registerPromqlRoutes } from './routes/promql.js';
import { registerRemoteWriteRoutes } from './routes/remote-write.js';
import { registerRecordRoutes } from './routes/records.js';
import { registerQuerydslRoutes } from './routes/querydsl.js';
import { registerRenderRoutes } from './routes/render.js';
import { registerSqlRoutes } from './routes/sql.js';
import { registerVisualizationRoutes } from './routes/visualizations.js';
import { registerVisualizationDataRoutes } from './routes/visualizations-data.js';

declare module 'fastify' {
  interface FastifyRequest {
    pendingAuth?: PendingAuth;
    principal?: Principal;
  }
}

const METHODS = ['GET', 'PUT', 'POST', 'PATCH', 'DELETE', 'OPTIONS'];

export function buildRouter(): AppRouter {
  const router: AppRouter = new Router();
  registerPingRoutes(router);
  registerDatasetRoutes(router);
  registerRecordRoutes(router);
  registerQuerydslRoutes(router);
  registerPromqlRoutes(router);
  registerRemoteWriteRoutes(router);
  registerSqlRoutes(router);
  registerVisualizationRoutes(router);
  registerVisualizationDataRoutes(router);
  registerRenderRoutes(router);
  registerMetricsRoutes(router);
  registerLaterRoutes(router);
  registerEsRoutes(router);
  return router;
}

function sendError(reply: FastifyReply, err: ApiError): FastifyReply {
  return reply.code(err.status).type(JSON_CONTENT_TYPE).send(err.toBody());
}

/**
 * Elasticsearch's response options on any route: `filter_path` keeps (or, with `-`, drops) parts
 * of the answer; `pretty` (any value but `false`) indents it. Undefined when neither is asked for.
 */
function shapedJson(result: unknown, query: URLSearchParams): string | undefined {
  const filter = query.get('filter_path');
  const pretty = query.has('pretty') && query.get('pretty') !== 'false';
  if (filter === null && !pretty) return undefined;
  let body = result instanceof JsonText ? JSON.parse(result.text) : result;
  if (filter !== null) body = filterPath(body, filter);
  return pretty ? JSON.stringify(body, null, 2) + '\n' : JSON.stringify(body);
}

/** Map fastify's own errors (body limit, bad content length, …) onto the protocol's error shape. */
function toApiError(err: FastifyError, bodyLimit: number): ApiError | undefined {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, 'content_too_long_exception', `Request body is larger than the limit of ${bodyLimit} bytes`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(415, 'media_type_header_exception', 'Invalid Content-Type header');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new ApiError(400, 'illegal_argument_exception', 'Content-Length does not match the request body');
  }
  const status = err.statusCode;
  if (status !== undefined && status >= 400 && status < 500) return new ApiError(status, 'illegal_argument_exception', err.message);
  return undefined;
}

/** How long an oversized upload may keep streaming after its 413 before the socket is dropped. */
const LINGER_MS = 2000;

/**
 * After a 413 the client is usually still sending. Closing at once makes the kernel reset the
 * connection, and the client often loses the 413 it has not read yet; so the rest of the upload is
 * read and discarded (never buffered) for a short while, then the socket is destroyed.
 */
function lingerThenDrop(req: FastifyRequest, reply: FastifyReply): void {
  // Fastify marks body-parser failures `Connection: close`, which makes Node destroy the socket
  // right after the response; the HTTP parser still frames the rest of the body, so keeping the
  // connection is safe.
  reply.removeHeader('connection');
  const socket = req.raw.socket;
  req.raw.resume();
  const timer = setTimeout(() => {
    if (!req.raw.complete) socket.destroy();
  }, LINGER_MS);
  timer.unref();
  socket.once('close', () => clearTimeout(timer));
  req.raw.once('end', () => clearTimeout(timer));
}

export function buildApp(deps: AppDeps, opts: { logLevel?: LogLevel } = {}): FastifyInstance {
  const router = buildRouter();
  const app = Fastify({
    logger: { level: opts.logLevel ?? 'info' },
    bodyLimit: deps.bodyLimit,
    // We log one line per request ourselves (without headers: they carry signatures).
    logController: new LogController({ disableRequestLogging: true }),
    frameworkErrors: (err, _req, reply) => {
      sendError(reply, new ApiError(400, 'illegal_argument_exception', err.message));
    },
  });

  // The SDK sends QueryDSL and SQL as GET *with a body*; fastify skips GET bodies by default.
  app.addHttpMethod('GET', { hasBody: true, overrideExisting: true });

  // Signatures cover raw bytes and clients label JSON inconsistently (or not at all), so every
  // content type is read as a Buffer and decoded by the handler that knows what it expects.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  const now = deps.now ?? Date.now;

  // Phase 1 before the body is read: reject unsigned or stale requests without consuming uploads.
  // HTTP Basic needs no body, so it is settled here completely.
  app.addHook('onRequest', async (req) => {
    const authorization = req.headers.authorization;
    // A presigned URL (query-string SigV4) is settled here too; only the render routes take one.
    const target = req.raw.url ?? req.url;
    if (!authorization && isPresignedQuery(target)) {
      req.principal = authenticatePresigned(router, deps.keys, { method: req.method, url: target, host: req.headers.host ?? '' }, now());
      return;
    }
    if (isBasicAuthorization(authorization)) {
      if (!deps.basicAuth) {
        throw unauthorized('HTTP Basic authentication is disabled: sign requests with AWS SigV4 (region us-east-1, service es), or start the server with --es-basic-auth');
      }
      req.principal = verifyBasic(authorization!, deps.keys);
      return;
    }
    req.pendingAuth = checkAuthHeaders(req.headers, deps.keys, now());
  });
  // Phase 2 once the raw body is available: the signature and the payload hash.
  app.addHook('preHandler', async (req) => {
    if (req.principal) return;
    if (!req.pendingAuth) throw new ApiError(401, 'unauthorized', 'Invalid signature');
    const body = Buffer.isBuffer(req.body) ? req.body : undefined;
    req.principal = verifySignature(req.pendingAuth, { method: req.method, url: req.raw.url ?? req.url, headers: req.headers, body });
  });

  // During shutdown, tell keep-alive clients to hang up after the in-flight response; otherwise an
  // idle pooled connection would hold the server open until the client drops it.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  app.addHook('onSend', async (_req, reply) => {
    if (closing) reply.header('connection', 'close');
    // The Elasticsearch JS client refuses any 2xx answer without it; errors carry it as ES's do.
    reply.header('x-elastic-product', 'Elasticsearch');
    if (reply.statusCode === 401 && deps.basicAuth) reply.header('www-authenticate', 'Basic realm="infino", charset="UTF-8"');
  });

  app.addHook('onResponse', async (req, reply) => {
    // A presigned URL is a credential until it expires: its signature stays out of the log.
    const url = req.url.replace(/([?&]X-Amz-Signature=)[^&#]*/gi, '$1redacted');
    req.log.info({ method: req.method, url, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });

  const dispatch = async (req: FastifyRequest, reply: FastifyReply) => {
    const url = req.raw.url ?? req.url;
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    const m = router.match(req.method, path);
    if (m.kind === 'not_found') throw new ApiError(404, 'NotFound', `No endpoint ${req.method} ${path}`);
    if (m.kind === 'method_not_allowed') {
      reply.header('allow', m.allow.join(', '));
      throw new ApiError(405, 'method_not_allowed', `Method ${req.method} is not allowed for ${path}; allowed: ${m.allow.join(', ')}`);
    }
    const ctx: Ctx = {
      principal: req.principal!,
      params: m.params,
      // Signatures cover the bytes as sent; handlers want them as meant (gzip-compressed bulk loads).
      body: Buffer.isBuffer(req.body) && req.body.length > 0 ? decodeContentEncoding(req.body, req.headers['content-encoding'], deps.bodyLimit) : undefined,
      query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)),
      request: req,
      reply,
      deps,
    };
    const result = await m.route.handler(ctx);
    if (reply.sent) return reply;
    if (result instanceof PlainText) return reply.type(result.contentType).send(result.text);
    if (result instanceof JsonText) reply.code(result.status);
    const shaped = shapedJson(result, ctx.query);
    if (shaped !== undefined) return reply.type(JSON_CONTENT_TYPE).send(shaped);
    if (result instanceof JsonText) return reply.type(JSON_CONTENT_TYPE).send(result.text);
    return reply.type(JSON_CONTENT_TYPE).send(result);
  };

  app.route({ method: METHODS, url: '/', handler: dispatch });
  app.route({ method: METHODS, url: '/*', handler: dispatch });
  // Methods outside METHODS (PROPFIND, QUERY, …) land here and get the router's 404/405.
  app.setNotFoundHandler(dispatch);

  app.setErrorHandler((err: FastifyError | ApiError, req, reply) => {
    if (err instanceof ApiError) return sendError(reply, err);
    const mapped = toApiError(err, deps.bodyLimit);
    if (mapped) {
      if (mapped.status === 413) lingerThenDrop(req, reply);
      return sendError(reply, mapped);
    }
    req.log.error({ err }, 'unhandled error');
    return sendError(reply, new ApiError(500, 'internal_server_error', 'Internal server error'));
  });

  return app;
}
