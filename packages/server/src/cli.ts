/**
 * `infino serve`: start the server from flags/env and shut it down gracefully on SIGINT/SIGTERM.
 */
import { Command } from 'commander';
import { resolveConfig, type ConfigFlags } from './config.js';
import { startServer, type RunningServer } from './server.js';

export async function serve(flags: ConfigFlags): Promise<RunningServer> {
  const config = resolveConfig(flags);
  const server = await startServer(config);
  process.stdout.write(`Infino listening on ${server.url} (data: ${config.dataDir})\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      // A second Ctrl-C means "now": skip the wait for in-flight requests.
      process.stderr.write(`${signal} again: exiting immediately\n`);
      process.exit(1);
    }
    stopping = true;
    process.stdout.write(`${signal} received: finishing in-flight requests, then closing the database\n`);
    server.close().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`error during shutdown: ${(e as Error).stack ?? String(e)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  return server;
}

export function buildCli(): Command {
  const program = new Command('infino').description('Infino server').showHelpAfterError();
  program
    .command('serve')
    .description('run the HTTP API server')
    .option('-p, --port <port>', 'port to listen on; 0 picks a free one (env INFINO_PORT, default 8080)')
    .option('--host <host>', 'interface to bind (env INFINO_HOST, default 127.0.0.1)')
    .option('-d, --data <dir>', 'data directory (env INFINO_DATA, default ./data)')
    .option('--body-limit <size>', 'largest request body, e.g. 104857600 or 100mb (env INFINO_BODY_LIMIT)')
    .option('--log-level <level>', 'fatal|error|warn|info|debug|trace|silent (env INFINO_LOG_LEVEL, default info)')
    .option('--sql-timeout <ms>', 'cancel SQL statements after this many milliseconds (env INFINO_SQL_TIMEOUT_MS, default 30000)')
    .option('--sql-max-rows <n>', 'most rows a SQL query returns; more set "truncated" (env INFINO_SQL_MAX_ROWS, default 10000)')
    .option('--memory-limit <size>', "DuckDB memory limit, e.g. 4GB (env INFINO_MEMORY_LIMIT, default DuckDB's 80% of RAM)")
    .option('--query-timeout <ms>', 'PromQL: cancel queries after this many milliseconds (env INFINO_QUERY_TIMEOUT_MS, default 120000)')
    .option('--query-max-samples <n>', 'PromQL: most samples one query may load (env INFINO_QUERY_MAX_SAMPLES, default 50000000)')
    .option('--es-basic-auth', 'also accept HTTP Basic accessKey:secretKey, for Elasticsearch tools; use only behind TLS (env INFINO_ES_BASIC_AUTH=1)')
    .action(async (flags: ConfigFlags) => {
      await serve(flags);
    });
  return program;
}

buildCli()
  .parseAsync(process.argv)
  .catch((e: unknown) => {
    process.stderr.write(`infino: ${(e as Error).message ?? String(e)}\n`);
    process.exit(1);
  });
