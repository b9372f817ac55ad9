/** The DuckDB metrics store behind the Engine: select semantics, duplicates, order, compaction, retention, restarts. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDuckEngine } from '../src/engine/duck/engine.js';
import { metricsCompaction } from '../src/engine/duck/metrics/store.js';
import type { Engine } from '../src/engine/types.js';
import type { LabelMatcher, MatchType } from '../src/promql/ast.js';
import { isStale, STALE_NAN, type Series } from '../src/promql/values.js';
import { Database } from '../src/storage/database.js';

const allow = () => {};
const m = (name: string, type: MatchType, value: string): LabelMatcher => ({ name, type, value });
const ALL = [-1e15, 1e15] as const;

/** Series as plain data, sorted by labels, for comparisons. */
const plain = (list: Series[]) =>
  list
    .map((s) => ({ metric: s.metric, points: [...s.t].map((t, i) => [t, s.v[i]]) }))
    .sort((a, b) => (JSON.stringify(a.metric) < JSON.stringify(b.metric) ? -1 : 1));

describe('metrics store', () => {
  let dir: string;
  let db: Database;
  let engine: Engine;
  const select = (matchers: LabelMatcher[], start: number = ALL[0], end: number = ALL[1], datasets = ['m1']) =>
    engine.metrics.metricsSource(datasets).select(matchers, start, end);
  const names = async (matchers: LabelMatcher[], datasets = ['m1']) =>
    (await engine.metrics.metricsSource(datasets).select(matchers, ...ALL)).map((s) => JSON.stringify(s.metric)).sort();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'infino-metrics-'));
    db = await Database.open(dir);
    engine = await openDuckEngine(db);
    const r = await engine.metrics.ingest(
      'm1',
      [
        '# TYPE up gauge',
        '# HELP up Whether the target is up.',
        'up{job="api",instance="a"} 1 1000',
        'up{job="api",instance="b"} 0 1000',
        'up{job="db",instance="c"} 1 1000',
        'up{job="api",instance="a"} 1 2000',
        'http_requests_total{job="api",path="/x"} 5 1000',
        'http_requests_total{job="api"} 7 1000',
        'multi{v="a\\nb"} 1 1000',
        'weird{v="NaN"} NaN 1000',
        'weird{v="inf"} +Inf 1000',
        'weird{v="-inf"} -Inf 1000',
      ].join('\n'),
      0,
      allow,
    );
    expect(r).toEqual({ samples: 10, errors: [] });
  });
  afterAll(async () => {
    await engine.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the dataset on the first metrics write and lists it as a metrics dataset', () => {
    expect(engine.hasDataset('m1')).toBe(true);
    expect(engine.metrics.metricDatasets()).toEqual(['m1']);
  });

  it('selects by metric name with samples sorted by time', async () => {
    expect(plain(await select([m('__name__', '=', 'up'), m('instance', '=', 'a')]))).toEqual([
      {
        metric: { __name__: 'up', instance: 'a', job: 'api' },
        points: [
          [1000, 1],
          [2000, 1],
        ],
      },
    ]);
  });

  it('applies the time range inclusively', async () => {
    const [s] = await select([m('__name__', '=', 'up'), m('instance', '=', 'a')], 2000, 2000);
    expect([...s.t]).toEqual([2000]);
    expect(await select([m('__name__', '=', 'up')], 3000, 4000)).toEqual([]);
  });

  it('keeps NaN and infinities', async () => {
    const values = Object.fromEntries((await select([m('__name__', '=', 'weird')])).map((s) => [s.metric.v, s.v[0]]));
    expect(values).toEqual({ NaN: NaN, inf: Infinity, '-inf': -Infinity });
  });

  it('implements =, !=, =~, !~ with Prometheus semantics', async () => {
    const up = m('__name__', '=', 'up');
    expect(await names([up, m('job', '!=', 'api')])).toEqual(['{"__name__":"up","instance":"c","job":"db"}']);
    expect((await names([up, m('instance', '=~', 'a|b')])).length).toBe(2);
    // Fully anchored: "a" does not match "api".
    expect(await names([up, m('job', '=~', 'a')])).toEqual([]);
    expect((await names([up, m('job', '=~', 'a.*')])).length).toBe(2);
    expect(await names([up, m('job', '!~', 'a.*')])).toEqual(['{"__name__":"up","instance":"c","job":"db"}']);
    // `name=""` selects series without the label; `name!=""` those with it.
    const hrt = m('__name__', '=', 'http_requests_total');
    expect(await names([hrt, m('path', '=', '')])).toEqual(['{"__name__":"http_requests_total","job":"api"}']);
    expect(await names([hrt, m('path', '!=', '')])).toEqual(['{"__name__":"http_requests_total","job":"api","path":"/x"}']);
    // A regex that matches "" also matches series without the label.
    expect((await names([hrt, m('path', '=~', '|/x')])).length).toBe(2);
    expect(await names([hrt, m('path', '=~', '/.*')])).toEqual(['{"__name__":"http_requests_total","job":"api","path":"/x"}']);
    expect(await names([hrt, m('path', '!~', '')])).toEqual(['{"__name__":"http_requests_total","job":"api","path":"/x"}']);
    // `.` matches a newline (Prometheus 3).
    expect((await names([m('v', '=~', 'a.b')])).length).toBe(1);
    // Regex on the metric name; case-insensitive flag of RE2.
    expect((await names([m('__name__', '=~', '(?i)UP')])).length).toBe(3);
    // A label nobody has, compared with "": everything.
    expect((await names([up, m('nope', '=', '')])).length).toBe(3);
  });

  it('refuses a bad regex as a 400, not a 500', async () => {
    await expect(select([m('job', '=~', '(')])).rejects.toMatchObject({ status: 400 });
  });

  it('last write wins for duplicates (in one request and across requests); out-of-order is accepted', async () => {
    await engine.metrics.ingest('dup', 'd{k="1"} 1 100\nd{k="1"} 2 100\nd{k="1"} 5 300', 0, allow);
    await engine.metrics.ingest('dup', 'd{k="1"} 3 300\nd{k="1"} 4 200\nd{k="1"} 0 50', 0, allow);
    const [s] = await select([m('__name__', '=', 'd')], ...ALL, ['dup']);
    expect([...s.t]).toEqual([50, 100, 200, 300]);
    expect([...s.v]).toEqual([0, 2, 4, 3]);
  });

  /** The merged table's (series_id, t) pairs in physical order, and the fresh table's row count. */
  const physical = async (dataset: string) => {
    const c = await db.connect();
    try {
      const id = Number((await c.runAndReadAll(`SELECT id FROM meta.datasets WHERE name = '${dataset}'`)).getRows()[0][0]);
      const rows = (await c.runAndReadAll(`SELECT series_id, t FROM ds_${id}_msamples`)).getRows().map(([s, t]) => [Number(s), Number(t)]);
      const fresh = Number((await c.runAndReadAll(`SELECT count(*) FROM ds_${id}_mfresh`)).getRows()[0][0]);
      return { rows, fresh, sorted: rows.every((r, i) => i === 0 || rows[i - 1][0] < r[0] || (rows[i - 1][0] === r[0] && rows[i - 1][1] < r[1])) };
    } finally {
      c.closeSync();
    }
  };
  const batches = async (dataset: string, from: number, count: number) => {
    for (let batch = from; batch < from + count; batch++) {
      const body = [];
      for (let k = 0; k < 5; k++) body.push(`c{k="${k}"} ${batch * 10 + k} ${(100 - batch) * 1000 + k}`);
      await engine.metrics.ingest(dataset, body.join('\n'), 0, allow);
    }
  };

  it('compaction merges fresh samples sorted by (series, time) and keeps every result', async () => {
    await batches('comp', 0, 4);
    const before = plain(await select([m('__name__', '=', 'c')], ...ALL, ['comp']));
    expect(before).toHaveLength(5);
    expect(before[0].points.map((p) => p[0])).toEqual([97000, 98000, 99000, 100000]);
    expect((await physical('comp')).fresh).toBe(20);
    await engine.maintain();
    expect(plain(await select([m('__name__', '=', 'c')], ...ALL, ['comp']))).toEqual(before);
    // Sorted now: a series' range read is one contiguous run.
    expect(await physical('comp')).toMatchObject({ fresh: 0, sorted: true });
    expect((await physical('comp')).rows).toHaveLength(20);
  });

  it('compaction appends sorted runs, then rewrites everything sorted once the runs grow', async () => {
    metricsCompaction.fullRewriteMinRows = 12;
    try {
      await batches('runs', 0, 2);
      await engine.maintain(); // 10 rows ≤ 12: appended as a run (the table was empty: sorted)
      await batches('runs', 2, 2);
      await engine.maintain(); // 20 rows in runs > 12: full rewrite
      expect(await physical('runs')).toMatchObject({ fresh: 0, sorted: true });
      await batches('runs', 4, 1);
      await engine.maintain(); // 5 ≤ max(12, 20/8): appended as a second run, not globally sorted
      const p = await physical('runs');
      expect(p).toMatchObject({ fresh: 0, sorted: false });
      expect(p.rows).toHaveLength(25);
      const all = plain(await select([m('__name__', '=', 'c')], ...ALL, ['runs']));
      expect(all[0].points.map((x) => x[0])).toEqual([96000, 97000, 98000, 99000, 100000]);
      // Duplicates spanning the merged and fresh tables still resolve to the last write.
      await engine.metrics.ingest('runs', 'c{k="0"} -1 100000\nc{k="0"} -2 96000', 0, allow);
      const [s0] = await select([m('__name__', '=', 'c'), m('k', '=', '0')], ...ALL, ['runs']);
      expect([...s0.v]).toEqual([-2, 30, 20, 10, -1]);
      await engine.maintain();
      const [again] = await select([m('__name__', '=', 'c'), m('k', '=', '0')], ...ALL, ['runs']);
      expect([...again.v]).toEqual([-2, 30, 20, 10, -1]);
    } finally {
      metricsCompaction.fullRewriteMinRows = 1_000_000;
    }
  });

  it('applies retention at maintenance (default: keep everything)', async () => {
    const now = Date.now();
    const hour = 3_600_000;
    await engine.metrics.ingest('ret', `r 1 ${now - 3 * hour}\nr 2 ${now - 2 * hour}\nr 3 ${now - 60_000}`, 0, allow);
    expect(engine.metrics.retention('ret')).toBeNull();
    await engine.maintain();
    expect((await select([m('__name__', '=', 'r')], ...ALL, ['ret']))[0].t).toHaveLength(3);
    await engine.metrics.setRetention('ret', hour);
    expect(engine.metrics.retention('ret')).toBe(hour);
    await engine.maintain();
    expect([...(await select([m('__name__', '=', 'r')], ...ALL, ['ret']))[0].v]).toEqual([3]);
    // Already sorted: the sorted-data path deletes the expired prefix only.
    await engine.metrics.ingest('ret', `r 4 ${now - 5 * hour}`, 0, allow);
    await engine.maintain();
    await engine.metrics.ingest('ret', `r 5 ${now - 30_000}`, 0, allow);
    await engine.maintain();
    await engine.metrics.setRetention('ret', null);
    expect([...(await select([m('__name__', '=', 'r')], ...ALL, ['ret']))[0].v]).toEqual([3, 5]);
    await expect(engine.metrics.setRetention('ret', -1)).rejects.toMatchObject({ status: 400 });
    await expect(engine.metrics.setRetention('nope', 1000)).rejects.toMatchObject({ status: 404 });
  });

  it('merges identical series across datasets', async () => {
    await engine.metrics.ingest('x1', 'shared{a="1"} 1 10\nshared{a="1"} 2 20\nonly1 1 10', 0, allow);
    await engine.metrics.ingest('x2', 'shared{a="1"} 9 20\nshared{a="1"} 3 30', 0, allow);
    const out = plain(await select([m('__name__', '=~', 'shared|only1')], ...ALL, ['x1', 'x2']));
    expect(out).toEqual([
      { metric: { __name__: 'only1' }, points: [[10, 1]] },
      {
        metric: { __name__: 'shared', a: '1' },
        points: [
          [10, 1],
          [20, 9],
          [30, 3],
        ],
      },
    ]);
    // A dataset without metrics, or unknown to the store, reads as empty.
    await engine.createDataset('docs_only');
    expect(await select([m('__name__', '=', 'up')], ...ALL, ['docs_only', 'missing'])).toEqual([]);
  });

  it('answers label names, label values, series and metadata lookups', async () => {
    expect(await engine.metrics.labelNames(['m1'], [])).toEqual(['__name__', 'instance', 'job', 'path', 'v']);
    expect(await engine.metrics.labelNames(['m1'], [[m('__name__', '=', 'http_requests_total')]])).toEqual(['__name__', 'job', 'path']);
    expect(await engine.metrics.labelValues(['m1'], 'job', [])).toEqual(['api', 'db']);
    expect(await engine.metrics.labelValues(['m1'], 'instance', [[m('job', '=', 'api')]])).toEqual(['a', 'b']);
    // Time filter: only series with a sample in the range.
    expect(await engine.metrics.labelValues(['m1'], 'instance', [], 1500, 2500)).toEqual(['a']);
    expect(await engine.metrics.labelValues(['m1'], 'nope', [])).toEqual([]);
    expect(await engine.metrics.series(['m1'], [[m('__name__', '=', 'up'), m('job', '=', 'db')], [m('path', '!=', '')]])).toEqual([
      { __name__: 'http_requests_total', job: 'api', path: '/x' },
      { __name__: 'up', instance: 'c', job: 'db' },
    ]);
    expect(await engine.metrics.metadata(['m1'])).toEqual({ up: [{ type: 'gauge', help: 'Whether the target is up.', unit: '' }] });
    expect(await engine.metrics.metadata(['m1'], 'nope')).toEqual({});
  });

  it('stores the valid lines of a request with bad ones and reports the bad ones', async () => {
    const r = await engine.metrics.ingest('partial', 'ok 1 1\nbad{ 1\nok2 2 2', 0, allow);
    expect(r.samples).toBe(2);
    expect(r.errors.map((e) => e.line)).toEqual([2]);
    expect(await names([m('__name__', '=~', 'ok.*')], ['partial'])).toHaveLength(2);
    // Only bad lines: nothing stored, and no dataset is created for it.
    expect((await engine.metrics.ingest('allbad', 'x{ 1', 0, allow)).samples).toBe(0);
    expect(engine.hasDataset('allbad')).toBe(false);
  });

  it('refuses writes the policy hook rejects and invalid dataset names', async () => {
    const deny = () => {
      throw Object.assign(new Error('forbidden'), { status: 403 });
    };
    await expect(engine.metrics.ingest('denied', 'a 1', 0, deny)).rejects.toMatchObject({ status: 403 });
    await expect(engine.metrics.ingest('bad name', 'a 1', 0, allow)).rejects.toMatchObject({ status: 400 });
    expect(engine.hasDataset('denied')).toBe(false);
  });

  it('stores pre-parsed samples (remote write) and keeps staleness markers exact', async () => {
    const labels = { __name__: 'rw', job: 'x' };
    const n = await engine.metrics.ingestSamples(
      'rw',
      [
        { labels, t: 1000, v: 1 },
        { labels, t: 2000, v: STALE_NAN },
        { labels, t: 3000, v: NaN },
      ],
      allow,
      new Map([['rw', { type: 'gauge', help: 'h' }]]),
    );
    expect(n).toBe(3);
    // A marker replacing a stored sample at the same time.
    await engine.metrics.ingestSamples('rw', [{ labels, t: 1000, v: STALE_NAN }], allow);
    const [s] = await select([m('__name__', '=', 'rw')], ...ALL, ['rw']);
    expect([...s.t]).toEqual([1000, 2000, 3000]);
    expect([...s.v].map(isStale)).toEqual([true, true, false]);
    expect(Number.isNaN(s.v[2])).toBe(true);
    await engine.maintain();
    const [after] = await select([m('__name__', '=', 'rw')], ...ALL, ['rw']);
    expect([...after.v].map(isStale)).toEqual([true, true, false]);
    expect(await engine.metrics.metadata(['rw'])).toEqual({ rw: [{ type: 'gauge', help: 'h', unit: '' }] });
  });

  it('drops metrics with the dataset', async () => {
    await engine.metrics.ingest('gone', 'g 1 1', 0, allow);
    await engine.dropDataset('gone');
    expect(engine.metrics.metricDatasets()).not.toContain('gone');
    await engine.metrics.ingest('gone', 'h 1 1', 0, allow);
    expect(await names([m('__name__', '=~', '.+')], ['gone'])).toEqual(['{"__name__":"h"}']);
  });

  it('survives a restart: data, series ids, duplicate handling, retention', async () => {
    await engine.metrics.setRetention('dup', 1000 * 86_400_000);
    await engine.close();
    db = await Database.open(dir);
    engine = await openDuckEngine(db);
    expect(engine.metrics.metricDatasets()).toContain('m1');
    expect(engine.metrics.retention('dup')).toBe(1000 * 86_400_000);
    expect((await select([m('__name__', '=', 'up')])).length).toBe(3);
    // New series get fresh ids; an old series keeps its id; a duplicate timestamp still replaces.
    await engine.metrics.ingest('m1', 'fresh 1 1000\nup{job="db",instance="c"} 42 1000', 0, allow);
    expect(plain(await select([m('__name__', '=~', 'fresh|up'), m('instance', '!~', 'a|b')]))).toEqual([
      { metric: { __name__: 'fresh' }, points: [[1000, 1]] },
      { metric: { __name__: 'up', instance: 'c', job: 'db' }, points: [[1000, 42]] },
    ]);
  });
});
