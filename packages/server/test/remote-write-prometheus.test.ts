/**
 * Remote write end to end with a real Prometheus (Debian's 2.42; `.ci/run` installs it): it scrapes
 * itself every second and remote-writes into Infino with basic auth; the series arrive and
 * PromQL reads them. Without Prometheus the test fails loudly (CI must install it).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedRequest } from './http-helpers.js';
import { type TestServer, startTestServer } from './test-server.js';

const creds = { accessKey: 'IAK_REMOTEWRITETEST1', secretKey: 'remoteWriteTestSecretKey00000000000000AB' };

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });

describe('remote write from a real Prometheus', () => {
  let running: TestServer;
  let prometheus: ChildProcess | undefined;
  let dir: string;

  beforeAll(async () => {
    const installed = spawnSync('prometheus', ['--version'], { encoding: 'utf8' });
    if (installed.error) throw new Error('Prometheus is not installed: `apt-get install -y prometheus` (.ci/run does it)');
    // Debian's Prometheus 2.42 sends no signature for its `sigv4` block (401 "Missing
    // Authorization header"), so this uses `basic_auth`, which needs --es-basic-auth.
    running = await startTestServer('remote-write', { ...creds, esBasicAuth: true });
    dir = mkdtempSync(join(tmpdir(), 'infino-prometheus-'));
    const port = await freePort();
    writeFileSync(
      join(dir, 'prometheus.yml'),
      [
        'global: { scrape_interval: 1s }',
        'scrape_configs:',
        `  - job_name: self`,
        `    static_configs: [{ targets: ["127.0.0.1:${port}"] }]`,
        'remote_write:',
        `  - url: ${running.server.url}/api/v1/write?dataset=prom`,
        '    queue_config: { batch_send_deadline: 1s }',
        `    basic_auth: { username: ${creds.accessKey}, password: ${creds.secretKey} }`,
      ].join('\n') + '\n',
    );
    prometheus = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], {
      stdio: ['ignore', 'ignore', process.env.PROM_DEBUG ? 'inherit' : 'ignore'],
    });
  });

  afterAll(async () => {
    prometheus?.kill('SIGKILL');
    await running?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('ships its own scrapes into the dataset, readable with PromQL', async () => {
    const deadline = Date.now() + 60_000;
    let result: Array<{ metric: Record<string, string> }> = [];
    while (Date.now() < deadline) {
      const res = await signedRequest(running.server.port, creds, 'GET', `/api/v1/query?${new URLSearchParams({ query: 'up{job="self"}', index: 'prom' })}`);
      if (res.status === 200) result = res.json().data.result;
      if (result.length > 0) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    expect(result).toEqual([{ metric: { __name__: 'up', instance: expect.stringMatching(/^127\.0\.0\.1:/), job: 'self' }, value: [expect.any(Number), '1'] }]);
    const names = await signedRequest(running.server.port, creds, 'GET', `/api/v1/label/__name__/values?index=prom`);
    expect(names.json().data).toEqual(expect.arrayContaining(['prometheus_build_info', 'up']));
  }, 90_000);
});
