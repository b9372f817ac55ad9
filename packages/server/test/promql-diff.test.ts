/**
 * Differential test (issue 5): the same deterministic samples go into a real Prometheus (2.42,
 * Debian package; TSDB blocks built by promtool) and into the real Infino server; every corpus
 * query then runs through `/api/v1/query` and `/api/v1/query_range` on both and the answers must
 * agree (rules in promql-diff/compare.ts and promql-diff/README.md). Where Infino follows
 * Prometheus 3.x on purpose, corpus/known-differences.json says how the 3.x answer is obtained
 * from 2.42, and a separate test proves each listed difference is real.
 *
 * A missing or broken Prometheus fails the suite — it never skips.
 */
import { InfinoClient } from '@infino/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedRequest } from './http-helpers.js';
import {
  type Answer,
  absTimes,
  compareAnswers,
  type CorpusEntry,
  type KnownDifference,
  loadCorpus,
  loadKnownDifferences,
  loadOpenBugs,
} from './promql-diff/compare.js';
import { generate, sampleCount, START_MS, toExpositionChunks, toOpenMetrics } from './promql-diff/generator.js';
import { type RunningPrometheus, startPrometheus } from './promql-diff/prometheus.js';
import { type TestServer, startTestServer } from './test-server.js';

const AK = 'IAK_PROMDIFFKEY000001';
const SK = 'promDiffSecretKey0000000000000000000000AB';
const DATASET = 'promdiff';
const START = START_MS / 1000;

const families = generate();
const corpus = loadCorpus();
const known = loadKnownDifferences();
const openBugs = loadOpenBugs();

let prom: RunningPrometheus;
let infino: TestServer;

async function infinoPost(path: string, form: Record<string, string>): Promise<Answer> {
  const body = new URLSearchParams(form).toString();
  const r = await signedRequest(infino.server.port, { accessKey: AK, secretKey: SK }, 'POST', path, {
    body,
    contentType: 'application/x-www-form-urlencoded',
  });
  let parsed: unknown;
  try {
    parsed = r.json();
  } catch {
    parsed = r.text;
  }
  return { http: r.status, body: parsed };
}

/** Runs one query on one side: instant (`/api/v1/query`) or range (`/api/v1/query_range`). */
function ask(side: 'prometheus' | 'infino', query: string, e: CorpusEntry, mode: 'instant' | 'range'): Promise<Answer> {
  const t = absTimes(e, START);
  if (side === 'prometheus') return mode === 'instant' ? prom.instant(query, t.time) : prom.range(query, t.start, t.end, t.step);
  return mode === 'instant'
    ? infinoPost('/api/v1/query', { query, time: String(t.time) })
    : infinoPost('/api/v1/query_range', { query, start: String(t.start), end: String(t.end), step: String(t.step) });
}

const fail = (e: CorpusEntry, mode: string, query: string, diffs: string[]) =>
  `${e.name} [${mode}] ${query}\n  ${diffs.join('\n  ')}`;

// Prometheus for the whole file: if it is missing, every test fails here, loudly.
beforeAll(async () => {
  prom = await startPrometheus(toOpenMetrics(families));
}, 120_000);

afterAll(async () => {
  await prom?.stop();
});

describe('comparison rules', () => {
  const vec = (...r: Array<[Record<string, string>, string]>): Answer => ({
    http: 200,
    body: { status: 'success', data: { resultType: 'vector', result: r.map(([metric, v]) => ({ metric, value: [1, v] })) } },
  });
  const err = (http: number, errorType: string): Answer => ({ http, body: { status: 'error', errorType, error: 'x' } });

  it('accepts equal answers and reports every kind of difference', () => {
    expect(compareAnswers(vec([{ a: '1' }, '1'], [{ a: '2' }, 'NaN']), vec([{ a: '2' }, 'NaN'], [{ a: '1' }, '1.0000000000001']))).toEqual([]);
    expect(compareAnswers(vec([{ a: '1' }, '1']), vec([{ a: '1' }, '1.00001']))).toHaveLength(1);
    expect(compareAnswers(vec([{ a: '1' }, '+Inf']), vec([{ a: '1' }, '1e309']))).toHaveLength(1);
    expect(compareAnswers(vec([{ a: '1' }, '1e+21']), vec([{ a: '1' }, '1000000000000000000000']))).toHaveLength(1);
    expect(compareAnswers(vec([{ a: '1' }, '1']), vec([{ a: '2' }, '1']))).toHaveLength(2);
    expect(compareAnswers(vec([{ a: '1' }, '1']), vec())).toHaveLength(1);
    expect(compareAnswers(err(400, 'bad_data'), err(422, 'execution'))).toHaveLength(2);
    expect(compareAnswers(err(400, 'bad_data'), vec())).toHaveLength(1);
    expect(compareAnswers(vec([{ a: '1' }, '1'], [{ a: '2' }, '2']), vec([{ a: '2' }, '2'], [{ a: '1' }, '1']), true)).toHaveLength(1);
  });
});

describe('harness: real Prometheus', () => {
  it('is the expected Prometheus and holds exactly the generated samples', async () => {
    expect(prom.version).toMatch(/^prometheus, version \d+\.\d+/);
    const r = await prom.instant('{__name__=~".+"}[10812s]', START + 10810);
    expect(r.body.status).toBe('success');
    const got = new Map<string, Array<[number, string]>>();
    for (const s of r.body.data.result as Array<{ metric: Record<string, string>; values: Array<[number, string]> }>) {
      const { __name__: name, ...labels } = s.metric;
      got.set(`${name}${JSON.stringify(Object.entries(labels).sort())}`, s.values);
    }
    let n = 0;
    for (const f of families) {
      for (const s of f.series) {
        const values = got.get(`${s.name}${JSON.stringify(Object.entries(s.labels).sort())}`);
        expect(values, `${s.name} ${JSON.stringify(s.labels)}`).toBeDefined();
        expect(values!.map(([t]) => Math.round(t * 1000))).toEqual(s.t);
        expect(values!.map(([, v]) => Number(v))).toEqual(s.v);
        n += s.t.length;
      }
    }
    expect(n).toBe(sampleCount(families));
    expect(got.size).toBe(families.reduce((k, f) => k + f.series.length, 0));
  });

  it('answers every corpus query as the corpus expects (errors only where tagged "error")', async () => {
    const wrong: string[] = [];
    for (const e of corpus) {
      const r = await ask('prometheus', e.query, e, e.kind);
      if ((r.body.status === 'error') !== e.tags.includes('error')) wrong.push(`${e.name}: ${e.query} → ${JSON.stringify(r.body).slice(0, 200)}`);
    }
    expect(wrong).toEqual([]);
    expect(corpus.length).toBeGreaterThanOrEqual(300);
    expect(new Set(corpus.map((e) => e.name)).size).toBe(corpus.length);
  });

  it('shows each documented 2.42-vs-3.x difference is real', async () => {
    const notReal: string[] = [];
    for (const k of known) {
      const asIs = await ask('prometheus', k.query, k, k.kind);
      if (k.tags.includes('3.x-only')) {
        // 3.x-only names do not exist in 2.42.
        if (asIs.body.status !== 'error' || asIs.body.errorType !== 'bad_data') notReal.push(`${k.name}: 2.42 accepts ${k.query}`);
      } else if (compareAnswers(await expected3x(k), asIs).length === 0) {
        // 2.42's own answer must differ from the 3.x answer we expect from Infino.
        notReal.push(`${k.name}: 2.42 already gives the 3.x answer`);
      }
    }
    expect(notReal).toEqual([]);
  });
});

describe('Infino vs Prometheus', () => {
  beforeAll(async () => {
    infino = await startTestServer('promql-diff', { accessKey: AK, secretKey: SK });
    const sdk = new InfinoClient({ accessKey: AK, secretKey: SK, endpoint: infino.server.url, retry: { maxRetries: 1 } });
    // ≤ 1 MB per request, well under the 5 MB budget, so ingest across several requests is exercised.
    for (const chunk of toExpositionChunks(families, 1 << 20)) await sdk.datasets.uploadMetricsToDataset(DATASET, chunk);
  }, 180_000);

  afterAll(async () => {
    await infino?.stop();
  });

  describe('raw samples', () => {
    it('Infino holds the same samples as Prometheus', async () => {
      const e: CorpusEntry = { name: 'raw', query: '{__name__=~".+"}[10812s]', kind: 'instant', time: 10810, tags: [] };
      const diffs = compareAnswers(await ask('prometheus', e.query, e, 'instant'), await ask('infino', e.query, e, 'instant'));
      expect(diffs).toEqual([]);
    });
  });

  describe('corpus', () => {
    for (const e of corpus) {
      // Entries failing on a reported Infino bug are skipped by name, with the bug in the title.
      const bug = openBugs.get(e.name);
      (bug ? it.skip : it)(`${e.name} ${e.kind}: ${e.query}${bug ? ` [open Infino bug: ${bug}]` : ''}`, async () => {
        // Instant entries also run as a range query over the 30 minutes before their time.
        const modes = e.kind === 'instant' ? (['instant', 'range'] as const) : (['range'] as const);
        const problems: string[] = [];
        for (const mode of modes) {
          const diffs = compareAnswers(await ask('prometheus', e.query, e, mode), await ask('infino', e.query, e, mode), mode === 'instant' && e.ordered);
          if (diffs.length) problems.push(fail(e, mode, e.query, diffs));
        }
        expect(problems).toEqual([]);
      });
    }
  });

  describe('Infino follows Prometheus 3.x where 2.42 differs (known-differences.json)', () => {
    for (const k of known) {
      it(`${k.name}: ${k.query}`, async () => {
        const got = await ask('infino', k.query, k, k.kind);
        const expected = await expected3x(k);
        expect(compareAnswers(expected, got), fail(k, k.kind, k.query, [])).toEqual([]);
        if (k.sortedBy) {
          const keys = (got.body.data.result as Array<{ metric: Record<string, string> }>).map((s) => k.sortedBy!.labels.map((l) => s.metric[l] ?? ''));
          const sorted = [...keys].sort((a, b) => cmpTuple(a, b) * (k.sortedBy!.desc ? -1 : 1));
          expect(keys).toEqual(sorted);
        }
      });
    }
  });
});

function cmpTuple(a: string[], b: string[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]! ? -1 : 1;
  return 0;
}

/** Prometheus's quantile over a sorted sample: linear interpolation between closest ranks. */
function quantile(q: number, sorted: number[]): number {
  const rank = q * (sorted.length - 1);
  const lo = Math.max(0, Math.floor(rank));
  const hi = Math.min(sorted.length - 1, lo + 1);
  const w = rank - Math.floor(rank);
  return sorted[lo]! * (1 - w) + sorted[hi]! * w;
}

/** The Prometheus 3.x answer to a known-difference entry, obtained from 2.42 as the entry says. */
async function expected3x(k: KnownDifference): Promise<Answer> {
  if (k.compute) return computed(k);
  const r = await ask('prometheus', k.prometheusQuery!, k, k.kind);
  if (k.addLabels && r.body.status === 'success') {
    for (const s of r.body.data.result as Array<{ metric: Record<string, string> }>) Object.assign(s.metric, k.addLabels);
  }
  return r;
}

/** The 3.x answer computed from the raw samples 2.42 returns for prometheusQuery (instant only). */
async function computed(k: KnownDifference): Promise<Answer> {
  const raw = await ask('prometheus', k.prometheusQuery!, k, 'instant');
  const t = absTimes(k, START).time;
  const result = (raw.body.data.result as Array<{ metric: Record<string, string>; values: Array<[number, string]> }>).flatMap((s) => {
    const { __name__: _drop, ...metric } = s.metric;
    // Integer milliseconds, as both engines hold them: float seconds would cost ~1e-8 relative.
    const pts = s.values.map(([ts, v]) => [Math.round(ts * 1000), Number(v)] as const);
    let v: number | undefined;
    if (k.compute === 'mad_over_time') {
      const vs = pts.map(([, x]) => x).sort((a, b) => a - b);
      const median = quantile(0.5, vs);
      v = quantile(
        0.5,
        vs.map((x) => Math.abs(x - median)).sort((a, b) => a - b),
      );
    } else {
      v = rate3x(pts, t * 1000, k.window! * 1000, k.compute === 'rate');
    }
    return v === undefined ? [] : [{ metric, value: [t, String(v)] }];
  });
  return { http: 200, body: { status: 'success', data: { resultType: 'vector', result } } };
}

/**
 * Prometheus 3.x extrapolatedRate for a float counter: the start gap is first capped at half the
 * average interval when it exceeds 1.1x that average, *then* clamped to the extrapolated zero
 * point (2.42 did the two in the opposite order).
 */
function rate3x(pts: ReadonlyArray<readonly [number, number]>, tMs: number, windowMs: number, isRate: boolean): number | undefined {
  if (pts.length < 2) return undefined;
  const [firstT, firstV] = pts[0]!;
  const [lastT, lastV] = pts[pts.length - 1]!;
  let delta = lastV - firstV;
  for (let i = 1; i < pts.length; i++) if (pts[i]![1] < pts[i - 1]![1]) delta += pts[i - 1]![1];
  let toStart = firstT - (tMs - windowMs);
  let toEnd = tMs - lastT;
  const sampled = lastT - firstT;
  const avg = sampled / (pts.length - 1);
  if (toStart >= avg * 1.1) toStart = avg / 2;
  if (delta > 0 && firstV >= 0) toStart = Math.min(toStart, sampled * (firstV / delta));
  if (toEnd >= avg * 1.1) toEnd = avg / 2;
  const v = (delta * (sampled + toStart + toEnd)) / sampled;
  return isRate ? v / (windowMs / 1000) : v;
}
