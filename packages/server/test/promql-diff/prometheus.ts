/**
 * A real Prometheus for the differential test: builds TSDB blocks from an OpenMetrics file with
 * `promtool tsdb create-blocks-from openmetrics`, starts `prometheus` on 127.0.0.1 with no scrape
 * jobs, and queries its HTTP API. Missing binaries or a server that never becomes ready throw —
 * the differential test must fail loudly in CI, never skip.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export const PROMETHEUS_BIN = process.env.PROMETHEUS_BIN ?? 'prometheus';
export const PROMTOOL_BIN = process.env.PROMTOOL_BIN ?? 'promtool';

export interface PromResponse {
  /** HTTP status. */
  http: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export interface RunningPrometheus {
  url: string;
  version: string;
  instant(query: string, timeSec: number): Promise<PromResponse>;
  range(query: string, startSec: number, endSec: number, stepSec: number): Promise<PromResponse>;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1: bind :0, read the port, release it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function version(bin: string): Promise<string> {
  try {
    const { stdout, stderr } = await run(bin, ['--version']);
    return (stdout || stderr).split('\n')[0]!.trim();
  } catch (e) {
    throw new Error(`${bin} is not runnable (${(e as Error).message}); install it with \`apt-get install -y prometheus\``, { cause: e });
  }
}

/** Builds blocks from `openMetrics` and starts Prometheus on them. */
export async function startPrometheus(openMetrics: string): Promise<RunningPrometheus> {
  const ver = await version(PROMETHEUS_BIN);
  await version(PROMTOOL_BIN);
  const dir = mkdtempSync(join(tmpdir(), 'infino-promdiff-'));
  const dataDir = join(dir, 'data');
  const omFile = join(dir, 'data.om.txt');
  writeFileSync(omFile, openMetrics);
  try {
    // Large max-block-duration: one block for the whole data set, so nothing waits for compaction.
    await run(PROMTOOL_BIN, ['tsdb', 'create-blocks-from', 'openmetrics', '--max-block-duration=24h', omFile, dataDir], { maxBuffer: 64 << 20 });
  } catch (e) {
    const err = e as Error & { stderr?: string };
    throw new Error(`promtool create-blocks-from failed: ${err.stderr ?? err.message}`, { cause: e });
  }
  let prom: LaunchedPrometheus;
  try {
    prom = await launchPrometheus(dir, dataDir, ['--query.max-samples=50000000', '--query.timeout=2m'], 60_000);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  const url = prom.url;
  const stop = async () => {
    await prom.stop();
    rmSync(dir, { recursive: true, force: true });
  };

  const post = async (path: string, form: Record<string, string>): Promise<PromResponse> => {
    const r = await fetch(`${url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(form).toString(),
    });
    return { http: r.status, body: await r.json() };
  };
  return {
    url,
    version: ver,
    instant: (query, timeSec) => post('/api/v1/query', { query, time: String(timeSec) }),
    range: (query, startSec, endSec, stepSec) => post('/api/v1/query_range', { query, start: String(startSec), end: String(endSec), step: String(stepSec) }),
    stop,
  };
}

export interface LaunchedPrometheus {
  url: string;
  /** SIGTERM to the process group (SIGKILL after 10 s); resolves once it has exited. */
  stop(): Promise<void>;
}

/**
 * Starts Prometheus with no scrape jobs on an existing TSDB directory (127.0.0.1, a free port, its
 * own process group) and waits until `/-/ready`. Large blocks take a while to open: `readyMs`.
 */
export async function launchPrometheus(dir: string, dataDir: string, extraArgs: string[] = [], readyMs = 60_000): Promise<LaunchedPrometheus> {
  const config = join(dir, 'prometheus.yml');
  writeFileSync(config, 'global:\n  scrape_interval: 1h\nscrape_configs: []\n');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let log = '';
  const child: ChildProcess = spawn(
    PROMETHEUS_BIN,
    [`--config.file=${config}`, `--storage.tsdb.path=${dataDir}`, '--storage.tsdb.retention.time=100y', `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn', ...extraArgs],
    // Own process group, so stop() can signal Prometheus and anything it spawned.
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const keep = (d: Buffer) => (log = (log + d.toString()).slice(-20_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let exited = false;
  child.on('exit', () => (exited = true));

  const stop = async () => {
    if (exited || !child.pid) return;
    const done = new Promise((r) => child.once('exit', r));
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
    const t = setTimeout(() => {
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, 10_000);
    await done;
    clearTimeout(t);
  };

  const deadline = Date.now() + readyMs;
  for (;;) {
    if (exited) throw new Error(`prometheus exited during startup:\n${log}`);
    const ok = await fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
    if (ok) return { url, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus not ready after ${readyMs / 1000} s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
