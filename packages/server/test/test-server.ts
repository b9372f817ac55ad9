/** Starts the real server in-process on a random port with a temp data dir, for one test file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InfinoError } from '@infino/sdk';
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

/** The InfinoError a call is expected to fail with (anything else, or success, fails the test). */
export async function sdkFailure(p: Promise<unknown>): Promise<InfinoError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof InfinoError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}
