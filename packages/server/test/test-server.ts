/** Starts the real server in-process on a random port with a temp data dir, for one test file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type RunningServer, type StartOptions, startServer } from '../src/server.js';

export interface TestServer {
  server: RunningServer;
  dir: string;
  /** Closes the server and removes its data dir. */
  stop(): Promise<void>;
}

export async function startTestServer(name: string, opts: StartOptions): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), `infino-${name}-`));
  const server = await startServer({ port: 0, dataDir: dir, logLevel: 'silent', print: () => {}, ...opts });
  return {
    server,
    dir,
    stop: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
