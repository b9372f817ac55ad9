/**
 * Wires the server together: database → engine → control plane → key store → HTTP app, and tears
 * it down in the reverse order.
 */
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { ADMIN_CREDENTIALS_FILE, bootstrapAdmin, credentialsBanner, type Credentials } from './auth/credentials.js';
import { KeyStore, loadMasterKey } from './auth/keystore.js';
import { resolveConfig, type ServerConfig } from './config.js';
import { DuckDbControlPlane } from './controlplane/duckdb.js';
import type { Engine } from './engine/types.js';
import { buildApp } from './http/app.js';
import { DatasetService } from './policy/datasets.js';
import { Policy } from './policy/policy.js';
import { PromqlService } from './promql/service.js';
import { SqlService } from './sql/service.js';
import { VisualizationExecutor } from './visualize/execute.js';
import { SavedObjectService } from './visualize/service.js';
import type { QueryNode } from './query/ast.js';
import { Database } from './storage/database.js';

/** Prometheus's limit on points per series in a range query. */
const PROMQL_MAX_POINTS = 11_000;

export interface StartOptions extends Partial<ServerConfig> {
  /** Replace the DuckDB engine (tests). The engine owns the Database and closes it. */
  openEngine?: (db: Database) => Promise<Engine>;
  parseQuery?: (body: unknown) => QueryNode;
  /** Where the once-only credentials banner goes; stdout by default. */
  print?: (text: string) => void;
  /** Clock used by the signature verifier (tests). */
  now?: () => number;
}

export interface RunningServer {
  url: string;
  port: number;
  /** Stop accepting, finish in-flight requests, then close the engine (which checkpoints). */
  close(): Promise<void>;
  /** Admin credentials when known in this process (generated now or from the environment). */
  credentials: Credentials | undefined;
  app: FastifyInstance;
  config: ServerConfig;
}

export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  const { openEngine, parseQuery: parseQueryOpt, print: printOpt, now, ...overrides } = opts;
  // Explicit options win; anything left unset comes from the environment / defaults.
  const config: ServerConfig = { ...resolveConfig(), ...stripUndefined(overrides) };
  const print = printOpt ?? ((t: string) => process.stdout.write(t + '\n'));

  const db = await Database.open(config.dataDir, { memoryLimit: config.memoryLimit });
  const warnings: string[] = [];
  let engine: Engine | undefined;
  let repo: DuckDbControlPlane | undefined;
  try {
    // Master key first: a wrong key must stop the start before anything is written.
    const master = loadMasterKey(config.dataDir, config.masterKey, (m) => warnings.push(m));
    repo = await DuckDbControlPlane.open(db);
    const keys = new KeyStore(repo, master);
    await keys.load();
    const boot = await bootstrapAdmin(repo, keys, config.dataDir, { accessKey: config.accessKey, secretKey: config.secretKey });
    if (boot.generated && boot.credentials) print(credentialsBanner(boot.credentials, join(config.dataDir, ADMIN_CREDENTIALS_FILE)));

    engine = await (openEngine ?? (await import('./engine/duck/engine.js')).openDuckEngine)(db);
    const parseQuery = parseQueryOpt ?? (await import('./query/parse.js')).parseQueryBody;

    const policy = new Policy();
    const sql = new SqlService(engine, policy, { maxRows: config.sqlMaxRows, timeoutMs: config.sqlTimeoutMs });
    const visualize = new SavedObjectService(repo);
    const app = buildApp(
      {
        datasets: new DatasetService(engine, policy),
        sql,
        visualize,
        vizExecutor: new VisualizationExecutor(visualize, sql, engine),
        promql: new PromqlService(engine.metrics, policy, {
          timeoutMs: config.promqlTimeoutMs,
          maxSamples: config.promqlMaxSamples,
          maxPoints: PROMQL_MAX_POINTS,
        }),
        keys: keys.lookup,
        parseQuery,
        bodyLimit: config.bodyLimit,
        basicAuth: config.esBasicAuth,
        now,
      },
      { logLevel: config.logLevel },
    );
    if (config.esBasicAuth) warnings.push('HTTP Basic authentication is enabled: serve only over TLS, the secret key travels with every request');
    for (const w of warnings) app.log.warn(w);
    await app.listen({ port: config.port, host: config.host });
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.port;
    const hostForUrl = config.host.includes(':') ? `[${config.host}]` : config.host;

    const eng = engine;
    const cp = repo;
    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        await app.close();
        await cp.close();
        await eng.close();
      })());
    return { url: `http://${hostForUrl}:${port}`, port, close, credentials: boot.credentials, app, config };
  } catch (e) {
    // Release the file lock so the caller (or a retry) can open the data dir again.
    await repo?.close().catch(() => undefined);
    if (engine) await engine.close().catch(() => undefined);
    else await db.close().catch(() => undefined);
    throw e;
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
