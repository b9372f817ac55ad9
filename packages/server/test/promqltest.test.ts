/**
 * Peer suite (issue #5): Prometheus's own PromQL acceptance tests (`promqltest` files, read in place
 * from `../shared/reference/promqltest` or `$INFINO_SHARED_DIR`; never copied here; the suite is
 * skipped when the folder is absent). Every `eval` is one test named `<file>:<line> <expr>`, run
 * against our parser and engine over an in-memory series source holding that eval's load state.
 *
 * Outcomes: a case passes; or it is skipped because it cannot apply to us (native histograms,
 * start timestamps — the reason is in the skip note); or it is listed in promql/promqltest-known.json
 * with the reason it fails, and shows as skipped "known failure". A case that fails and is not
 * listed fails the suite, and so does a listed case that now passes ("remove from known failures"),
 * so the list only shrinks. `PROMQLTEST_WRITE_KNOWN=1` rewrites the list from the current results
 * (see promql/README.md).
 */
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { Expr, LabelMatcher } from '../src/promql/ast.js';
import { compileGoRegex } from '../src/promql/parse-regex.js';
import { parsePromql } from '../src/promql/parser.js';
import { type Labels, type SeriesSource, normalizeLabels } from '../src/promql/values.js';
import { MemorySource } from './promql/memory-source.js';
import { type LoadState, type PromqlTestCase, parseTestFile } from './promql/promqltest.js';
import { runCase } from './promql/promqltest-run.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = resolve(HERE, '../../..');
// The shared folder sits next to the repo; a clone elsewhere (CI) names it with INFINO_SHARED_DIR.
const SUITE = resolve(process.env.INFINO_SHARED_DIR ?? resolve(REPO_ROOT, '../shared'), 'reference/promqltest');
const KNOWN_FILE = resolve(HERE, 'promql/promqltest-known.json');
const WRITE_KNOWN = process.env.PROMQLTEST_WRITE_KNOWN === '1';
const present = existsSync(SUITE);
if (!present) console.warn(`promqltest: ${SUITE} is missing; the PromQL acceptance suite is skipped`);

const known: Record<string, string> = existsSync(KNOWN_FILE) ? (JSON.parse(readFileSync(KNOWN_FILE, 'utf8')) as Record<string, string>) : {};

type Outcome = { status: 'passed' } | { status: 'skipped'; reason: string } | { status: 'failed'; reason: string };
const outcomes = new Map<string, { file: string; outcome: Outcome }>();

// ---------------------------------------------------------------------------------------------
// The load state as a SeriesSource

function matches(l: Labels, ms: LabelMatcher[]): boolean {
  return ms.every((m) => {
    const v = l[m.name] ?? '';
    switch (m.type) {
      case '=':
        return v === m.value;
      case '!=':
        return v !== m.value;
      case '=~':
        return compileGoRegex(m.value).test(v);
      case '!~':
        return !compileGoRegex(m.value).test(v);
    }
  });
}

/** Our store keeps floats only: native-histogram samples are left out (cases reading them are skipped). */
function memorySource(state: LoadState): SeriesSource {
  const src = new MemorySource();
  for (const s of state.series) if (s.t.length > 0) src.add(s.labels, s.t.map((t, i) => [t, s.v[i]]));
  return src;
}

const sources = new WeakMap<LoadState, SeriesSource>();
function sourceFor(state: LoadState): SeriesSource {
  let s = sources.get(state);
  if (!s) sources.set(state, (s = memorySource(state)));
  return s;
}

// ---------------------------------------------------------------------------------------------
// What cannot apply to us

function selectors(e: Expr, out: LabelMatcher[][] = []): LabelMatcher[][] {
  switch (e.type) {
    case 'vector_selector':
      out.push(e.matchers);
      break;
    case 'matrix_selector':
      out.push(e.vector.matchers);
      break;
    case 'subquery':
    case 'paren':
    case 'unary':
      selectors(e.expr, out);
      break;
    case 'binary':
      selectors(e.lhs, out);
      selectors(e.rhs, out);
      break;
    case 'aggregate':
      selectors(e.expr, out);
      if (e.param) selectors(e.param, out);
      break;
    case 'call':
      e.args.forEach((a) => selectors(a, out));
      // info() reads the info series (target_info unless its matcher names another).
      if (e.func === 'info') out.push([{ name: '__name__', type: '=~', value: '.+_info' }]);
      break;
  }
  return out;
}

/** Why a case cannot be run against a float-only store without start timestamps, if it cannot. */
function skipReason(c: PromqlTestCase): string | undefined {
  if (c.ignored) return 'between ignore and resume in the file';
  if (c.expectsNativeHistogram) return 'native histograms (expected result)';
  const histo = [...c.state.series.filter((s) => s.histogramTs.length > 0).map((s) => s.labels), ...c.state.nhcbSeries];
  const withSt = c.state.series.filter((s) => s.hasStartTimestamps).map((s) => s.labels);
  if (histo.length === 0 && withSt.length === 0) return undefined;
  let sels: LabelMatcher[][];
  try {
    sels = selectors(parsePromql(c.expr, { startMs: c.startMs, endMs: c.endMs, stepMs: c.stepMs }));
  } catch {
    // Unparseable by us: fall back to the names the expression mentions.
    const names = new Set(c.expr.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? []);
    const mentions = (ls: Labels[]) => ls.some((l) => l.__name__ !== undefined && names.has(l.__name__));
    if (mentions(histo)) return 'native histograms (the query names a native-histogram series)';
    if (mentions(withSt)) return 'start timestamps (@st), which our store does not keep';
    return undefined;
  }
  const reads = (ls: Labels[]) => ls.find((l) => sels.some((ms) => matches(l, ms)));
  const h = reads(histo);
  if (h) return `native histograms (the query reads ${h.__name__ ?? JSON.stringify(normalizeLabels(h))})`;
  const st = reads(withSt);
  if (st) return `start timestamps (@st) on ${st.__name__ ?? 'a selected series'}, which our store does not keep`;
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// The suite

const files = present ? readdirSync(SUITE).filter((f) => f.endsWith('.test')).sort() : [];
/** A file we cannot parse is one failing test, not a crash of the whole suite. */
const parseErrors = new Map<string, Error>();
const casesByFile = new Map(
  files.map((f) => {
    try {
      return [f, parseTestFile(f, readFileSync(resolve(SUITE, f), 'utf8'))];
    } catch (e) {
      parseErrors.set(f, e as Error);
      return [f, []];
    }
  }),
);

const allIds = new Set([...casesByFile.values()].flat().map((c) => c.id));

const firstLine = (s: string) => {
  const line = s.split('\n')[0];
  return line.length > 300 ? `${line.slice(0, 297)}...` : line;
};

/** The runner must catch what upstream's catches; a lenient comparison would pass everything. */
describe('promqltest runner self-check', () => {
  const script = `load 1m
  m{a="1"} 1+1x5 _ stale
  m{a="2"} NaN 0x5

eval instant at 2m m
  m{a="1"} 3
  m{a="2"} 0

eval instant at 2m m
  m{a="1"} 3.0001
  m{a="2"} 0

eval instant at 2m m
  m{a="1"} 3

eval instant at 2m m{a="1"}
  m{a="1"} 3
  m{a="3"} 1

eval range from 0 to 2m step 1m m
  m{a="1"} 1 2 3
  m{a="2"} NaN 0 0

eval range from 0 to 2m step 1m m{a="1"}
  m{a="1"} 1 _ 3

eval instant at 2m sort_desc(m)
  expect ordered
  m{a="2"} 0
  m{a="1"} 3

eval instant at 2m m{a="1"} + 0.0000001
  {a="1"} 3

eval instant at 0 1 + 1
  2

eval instant at 0 label_replace(m, "a", "x", "", "")
  expect fail

eval instant at 0 label_replace(m, "a", "x", "", "")
  expect fail msg: something else

eval instant at 7m m{a="1"}
`;
  const cases = parseTestFile('self.test', script);
  const want = [true, false, false, false, true, false, false, true, true, true, false, true];
  it.each(cases.map((c, i) => [c.id, c, want[i]] as const))('%s', async (_id, c, passes) => {
    const outcome = await runCase(c, sourceFor(c.state)).then(
      () => 'passed',
      (e: Error) => e.message,
    );
    if (passes) expect(outcome).toBe('passed');
    else expect(outcome).not.toBe('passed');
  });
});

describe.skipIf(!present)('promqltest (Prometheus PromQL acceptance tests)', () => {
  for (const [file, cases] of casesByFile) {
    describe(file, () => {
      const parseError = parseErrors.get(file);
      if (parseError) it(`${file} parses`, () => expect.fail(parseError.message));
      for (const c of cases) {
        it(`${c.id} ${c.expr}`, async (ctx) => {
          const skip = skipReason(c);
          if (skip) {
            outcomes.set(c.id, { file, outcome: { status: 'skipped', reason: skip } });
            ctx.skip(skip);
            return;
          }
          let failure: string | undefined;
          try {
            await runCase(c, sourceFor(c.state));
          } catch (e) {
            failure = firstLine(e instanceof Error ? e.message : String(e));
          }
          outcomes.set(c.id, { file, outcome: failure === undefined ? { status: 'passed' } : { status: 'failed', reason: failure } });
          if (WRITE_KNOWN) return;
          const listed = known[c.id];
          if (failure !== undefined && listed === undefined) throw new Error(failure);
          if (failure === undefined && listed !== undefined) throw new Error(`${c.id} passes now — remove it from known failures (${KNOWN_FILE})`);
          if (failure !== undefined) ctx.skip(`known failure: ${failure}`);
        });
      }
    });
  }

  it('the known-failures list names only cases that run', () => {
    if (WRITE_KNOWN) return;
    // A listed case that passes is reported by its own test; here: listed cases that are gone or skipped.
    const stale = Object.keys(known).filter((id) => (outcomes.get(id)?.outcome.status ?? 'skipped') === 'skipped');
    // Cases filtered out of this run (vitest -t) have no outcome; only judge a full run.
    if (outcomes.size < allIds.size) return;
    expect(stale, 'remove these from known failures (no such case, or skipped)').toEqual([]);
  });

  afterAll(() => {
    const rows = files.map((file) => {
      const list = [...outcomes.values()].filter((o) => o.file === file).map((o) => o.outcome);
      const skipped = list.filter((o) => o.status === 'skipped');
      return {
        file,
        cases: casesByFile.get(file)!.length,
        passed: list.filter((o) => o.status === 'passed').length,
        nativeHistograms: skipped.filter((o) => o.reason.startsWith('native histograms')).length,
        otherSkips: skipped.filter((o) => !o.reason.startsWith('native histograms')).length,
        knownFailures: list.filter((o) => o.status === 'failed').length,
      };
    });
    const table = [
      '| file | cases | passed | skipped: native histograms | skipped: other | known failures |',
      '|---|---:|---:|---:|---:|---:|',
      ...rows.map((r) => `| ${r.file} | ${r.cases} | ${r.passed} | ${r.nativeHistograms} | ${r.otherSkips} | ${r.knownFailures} |`),
    ];
    const sum = (k: 'cases' | 'passed' | 'nativeHistograms' | 'otherSkips' | 'knownFailures') => rows.reduce((n, r) => n + r[k], 0);
    table.push(`| **total** | ${sum('cases')} | ${sum('passed')} | ${sum('nativeHistograms')} | ${sum('otherSkips')} | ${sum('knownFailures')} |`);
    if (outcomes.size > 0) console.log(`promqltest results:\n${table.join('\n')}`);
    // Every case's outcome, for looking into the skips and failures (see promql/README.md).
    if (process.env.PROMQLTEST_OUTCOMES) writeFileSync(process.env.PROMQLTEST_OUTCOMES, `${JSON.stringify(Object.fromEntries(outcomes), null, 1)}\n`);
    if (WRITE_KNOWN && outcomes.size > 0) {
      // Cases this run did not reach (vitest -t) keep their entries.
      const next: Record<string, string> = {};
      const ids = [...new Set([...outcomes.keys(), ...Object.keys(known)])].sort((a, b) => {
        const [fa, la] = a.split(':');
        const [fb, lb] = b.split(':');
        return fa === fb ? Number(la) - Number(lb) : fa < fb ? -1 : 1;
      });
      for (const id of ids) {
        const o = outcomes.get(id)?.outcome;
        if (o === undefined) {
          if (allIds.has(id)) next[id] = known[id];
        } else if (o.status === 'failed') next[id] = o.reason;
      }
      writeFileSync(KNOWN_FILE, `${JSON.stringify(next, null, 2)}\n`);
      console.log(`promqltest: wrote ${Object.keys(next).length} known failures to ${KNOWN_FILE}`);
    }
  });
});
