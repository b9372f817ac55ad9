/** What every benchmark shares: the bench credentials, progress output, percentiles, an in-process server. */
import { join } from 'node:path';
import type { Database } from '../packages/server/src/storage/database.js';
import { openDuckEngine, type DuckEngineOptions } from '../packages/server/src/engine/duck/engine.js';
import type { Engine } from '../packages/server/src/engine/types.js';
import { type RunningServer, startServer } from '../packages/server/src/server.js';

export const AK = 'IAK_BENCHMARK0000001';
export const SK = 'benchmarkSecretKey0000000000000000000000';

/** Progress goes to stderr; the result tables to stdout. */
export const log = (msg: string) => process.stderr.write(msg + '\n');

export const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

/** The real server in this process (its engine and database at hand, for replays and maintenance). */
export async function startBenchServer(
  root: string,
  engineOptions: DuckEngineOptions = {},
): Promise<{ server: RunningServer; engine: () => Engine; db: () => Database }> {
  let engine: Engine | undefined;
  let db: Database | undefined;
  const server = await startServer({
    port: 0,
    dataDir: join(root, 'data'),
    accessKey: AK,
    secretKey: SK,
    logLevel: 'warn',
    print: () => {},
    openEngine: async (d) => {
      db = d;
      engine = await openDuckEngine(d, engineOptions);
      return engine;
    },
  });
  return { server, engine: () => engine!, db: () => db! };
}
