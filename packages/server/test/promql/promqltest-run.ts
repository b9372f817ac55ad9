/**
 * Runs one promqltest case against our parser and engine and compares the result the way
 * upstream's test.go does (`compareResult`, `almost.Equal`, `checkExpectedFailure`):
 *
 * - label sets must match exactly; values within a relative epsilon of 1e-6, NaN equals NaN and a
 *   stale marker only equals a stale marker; order matters only with `expect ordered`;
 * - a matrix must come sorted by labels;
 * - `expect fail` must fail, with the exact message (`msg:`) or a matching one (`regex:`);
 * - instant queries are also run the ways upstream runs them: again with `@ <eval time>` put on
 *   every selector outside subqueries, evaluated at other times (the result must not change), and
 *   each of those as a range query over [t-1m, t+1m] whose middle step must equal the instant result.
 *
 * We emit no annotations, so `expect warn|info|no_warn|no_info` are not checked (the result is).
 */
import { almostEqual as almostEqualValues } from '../../src/promql/quantile.js';
import type { AtModifier, Expr } from '../../src/promql/ast.js';
import { evaluate } from '../../src/promql/engine.js';
import { parsePromql } from '../../src/promql/parser.js';
import { type Labels, STALE_NAN, type SeriesSource, type Value, isStale, labelsKey } from '../../src/promql/values.js';
import type { ExpectedSeries, MessageMatcher, PromqlTestCase, SeqValue } from './promqltest.js';

/** Upstream's `defaultEpsilon`. */
const EPSILON = 0.000001;
/** Upstream's test engine: `DefaultMaxSamplesPerQuery`, 5m lookback, 1m subquery step for instant queries. */
const MAX_SAMPLES = 10_000;
const LOOKBACK_MS = 5 * 60_000;
/** A runaway evaluation fails the case instead of hanging the suite. */
const CASE_TIMEOUT_MS = 10_000;
/** Functions that make an expression depend on the evaluation time even under `@` (upstream `AtModifierUnsafeFunctions`). */
const AT_UNSAFE = new Set([
  'days_in_month',
  'day_of_month',
  'day_of_week',
  'day_of_year',
  'end',
  'hour',
  'minute',
  'month',
  'year',
  'predict_linear',
  'range',
  'start',
  'step',
  'time',
  'timestamp',
]);
/** Expressions whose value depends on the query range itself are not re-checked in range mode. */
const QUERY_CONTEXT_FUNCS = /(start|end|range|step)\(\)/;

/** Upstream's `almost.Equal`: a stale marker only equals a stale marker. */
export function almostEqual(a: number, b: number, epsilon = EPSILON): boolean {
  if (isStale(a) || isStale(b)) return isStale(a) && isStale(b);
  return almostEqualValues(a, b, epsilon);
}

/** Prometheus's `labels.Compare`. */
function labelsCompare(a: Labels, b: Labels): number {
  const ak = Object.keys(a).sort();
  const bk = Object.keys(b).sort();
  for (let i = 0; i < Math.min(ak.length, bk.length); i++) {
    if (ak[i] !== bk[i]) return ak[i] < bk[i] ? -1 : 1;
    if (a[ak[i]] !== b[bk[i]]) return a[ak[i]] < b[bk[i]] ? -1 : 1;
  }
  return ak.length - bk.length;
}

export function labelsText(l: Labels): string {
  return `{${Object.keys(l)
    .sort()
    .map((k) => `${k}=${JSON.stringify(l[k])}`)
    .join(', ')}}`;
}

const fmt = (v: number) => (isStale(v) ? 'stale' : Number.isNaN(v) ? 'NaN' : String(v));
const fmtSeq = (vals: SeqValue[]) =>
  vals.map((v) => (v.kind === 'float' ? fmt(v.v) : v.kind === 'stale' ? 'stale' : v.kind === 'omitted' ? '_' : v.text)).join(' ');

/** The expected value as a number; a staleness marker becomes the marker NaN. */
const expectedNumber = (v: SeqValue): number | undefined => (v.kind === 'float' ? v.v : v.kind === 'stale' ? STALE_NAN : undefined);

class Mismatch extends Error {}

// ---------------------------------------------------------------------------------------------
// Comparison (upstream `compareResult`)

interface Grid {
  startMs: number;
  endMs: number;
  stepMs: number;
}

function expectedByKey(series: ExpectedSeries[]): Map<string, ExpectedSeries> {
  return new Map(series.map((s) => [labelsKey(s.labels), s]));
}

function compareMatrix(c: PromqlTestCase, val: Extract<Value, { type: 'matrix' }>, grid: Grid): void {
  if (c.expect.ordered) throw new Mismatch('expected ordered result, but query returned a matrix');
  if (c.expect.result.kind === 'scalar') throw new Mismatch(`expected scalar result, but got a matrix of ${val.series.length} series`);
  for (let i = 1; i < val.series.length; i++) {
    if (labelsCompare(val.series[i - 1].metric, val.series[i].metric) > 0) {
      throw new Mismatch(`matrix results should always be sorted by labels: ${labelsText(val.series[i].metric)} after ${labelsText(val.series[i - 1].metric)}`);
    }
  }
  const expected = expectedByKey(c.expect.result.kind === 'series' ? c.expect.result.series : []);
  const seen = new Set<string>();
  for (const s of val.series) {
    const key = labelsKey(s.metric);
    const exp = expected.get(key);
    const got = () => `${s.t.length} points ${Array.from(s.v, (v, i) => `${fmt(v)} @${s.t[i]}`).join(', ')}`;
    if (!exp) throw new Mismatch(`unexpected metric ${labelsText(s.metric)} in result, has ${got()}`);
    seen.add(key);
    const points: Array<{ t: number; v: number }> = [];
    exp.values.forEach((e, i) => {
      const t = grid.startMs + i * grid.stepMs;
      if (t > grid.endMs) throw new Mismatch(`expected ${exp.values.length} points for ${labelsText(exp.labels)}, but the query range cannot return this many`);
      const v = expectedNumber(e);
      if (v !== undefined) points.push({ t, v });
    });
    if (points.length !== s.t.length) {
      throw new Mismatch(`expected ${points.length} float points for ${labelsText(exp.labels)} (${fmtSeq(exp.values)}), but got ${got()}`);
    }
    points.forEach((p, i) => {
      if (p.t !== s.t[i]) throw new Mismatch(`expected point ${i} for ${labelsText(exp.labels)} at t=${p.t}, but it is at t=${s.t[i]} (result has ${got()})`);
      if (!almostEqual(s.v[i], p.v)) throw new Mismatch(`expected ${fmt(p.v)} at t=${p.t} for ${labelsText(exp.labels)}, but got ${fmt(s.v[i])} (result has ${got()})`);
    });
  }
  for (const [key, exp] of expected) if (!seen.has(key)) throw new Mismatch(`expected metric ${labelsText(exp.labels)} not found`);
}

function compareVector(c: PromqlTestCase, samples: Array<{ metric: Labels; v: number }>): void {
  if (c.expect.result.kind === 'scalar') throw new Mismatch(`expected scalar result, but got a vector of ${samples.length} samples`);
  const expected = expectedByKey(c.expect.result.kind === 'series' ? c.expect.result.series : []);
  const seen = new Set<string>();
  samples.forEach((s, pos) => {
    const key = labelsKey(s.metric);
    const exp = expected.get(key);
    if (!exp) throw new Mismatch(`unexpected metric ${labelsText(s.metric)} in result, has value ${fmt(s.v)}`);
    if (c.expect.ordered && exp.pos !== pos + 1) throw new Mismatch(`expected metric ${labelsText(s.metric)} at position ${exp.pos} but was at ${pos + 1}`);
    const e = exp.values[0] === undefined ? undefined : expectedNumber(exp.values[0]);
    if (e === undefined || !almostEqual(e, s.v)) throw new Mismatch(`expected ${fmtSeq(exp.values)} for ${labelsText(s.metric)} but got ${fmt(s.v)}`);
    seen.add(key);
  });
  for (const [key, exp] of expected) if (!seen.has(key)) throw new Mismatch(`expected metric ${labelsText(exp.labels)} with ${fmtSeq(exp.values)} not found`);
}

function compareResult(c: PromqlTestCase, val: Value, grid: Grid): void {
  const r = c.expect.result;
  switch (val.type) {
    case 'matrix':
      return compareMatrix(c, val, grid);
    case 'vector':
      return compareVector(c, val.samples);
    case 'scalar': {
      if (r.kind !== 'scalar') throw new Mismatch(`expected vector or matrix result, but got scalar ${fmt(val.v)}`);
      const e = expectedNumber(r.value);
      if (e === undefined || !almostEqual(e, val.v)) throw new Mismatch(`expected scalar ${fmtSeq([r.value])} but got ${fmt(val.v)}`);
      return;
    }
    case 'string': {
      const want = r.kind === 'string' ? r.value : '';
      if (want !== val.v) throw new Mismatch(`expected string "${want}" but got "${val.v}"`);
      return;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Errors (upstream `checkExpectedFailure`)

function describeMatcher(m: MessageMatcher): string {
  return m.message !== undefined ? `message "${m.message}"` : m.regex ? `pattern /${m.regex.source}/` : 'any error';
}

function matchesFailure(m: MessageMatcher, msg: string): boolean {
  if (m.message !== undefined) return m.message === msg;
  return m.regex ? m.regex.test(msg) : true;
}

// ---------------------------------------------------------------------------------------------
// The `@` variants (upstream `atModifierTestCases`)

/** Puts `@ ms` on every selector and subquery outside subqueries; reports whether an at-unsafe function was seen there. */
function pinToTime(e: Expr, at: AtModifier): { unsafe: boolean } {
  let unsafe = false;
  // Upstream only looks at the numeric timestamp, so `@ start()` / `@ end()` get pinned too (at an
  // instant query's time they are the same thing).
  const pin = (cur: AtModifier | undefined) => (cur?.kind === 'time' ? cur : at);
  const walk = (n: Expr): void => {
    switch (n.type) {
      case 'vector_selector':
        n.at = pin(n.at);
        return;
      case 'matrix_selector':
        n.vector.at = pin(n.vector.at);
        return;
      case 'subquery':
        // Upstream stops at a subquery: it gets the `@` itself, its inside stays relative to it.
        n.at = pin(n.at);
        return;
      case 'paren':
      case 'unary':
        return walk(n.expr);
      case 'binary':
        walk(n.lhs);
        return walk(n.rhs);
      case 'aggregate':
        if (n.param) walk(n.param);
        return walk(n.expr);
      case 'call':
        if (AT_UNSAFE.has(n.func)) unsafe = true;
        return n.args.forEach(walk);
      case 'number':
      case 'string':
        return;
    }
  };
  walk(e);
  return { unsafe };
}

/**
 * The re-runs with `@ <eval time>` pinned on every selector, at other evaluation times; none when
 * the expression uses an at-unsafe function. Each is parsed again for its own query time, as the
 * parser folds start()/end()/range()/step() into the tree.
 */
function atVariants(text: string, evalMs: number): Array<{ expr: QueryTree; evalMs: number; label: string }> {
  const at: AtModifier = { kind: 'time', ms: evalMs };
  // Our parser folds start()/end()/range()/step() into numbers, so the tree no longer shows them as calls.
  if (QUERY_CONTEXT_FUNCS.test(text) || pinToTime(parseFor(text, evalMs, evalMs, 0), at).unsafe) return [];
  const times = evalMs === 0 ? [-1000, 0, 1000] : [-10 * evalMs, 0, Math.trunc(evalMs / 5), evalMs, 10 * evalMs];
  return times.map((t) => ({
    expr: (startMs, endMs, stepMs) => {
      const e = parseFor(text, startMs, endMs, stepMs);
      pinToTime(e, at);
      return e;
    },
    evalMs: t,
    label: `with @ ${evalMs / 1000} on every selector, evaluated at t=${t}ms`,
  }));
}

// ---------------------------------------------------------------------------------------------
// Running

/** Parses for one query: the parser resolves start()/end()/range()/step() from the query's range. */
function parseFor(text: string, startMs: number, endMs: number, stepMs: number): Expr {
  return parsePromql(text, { startMs, endMs, stepMs });
}

/** The tree of a query for a given query range (parsed per query, see parseFor). */
type QueryTree = (startMs: number, endMs: number, stepMs: number) => Expr;

/** Parses and evaluates; a parse error counts like an evaluation error (upstream: query creation fails). */
async function run(expr: QueryTree, startMs: number, endMs: number, stepMs: number, source: SeriesSource): Promise<Value> {
  const tree = expr(startMs, endMs, stepMs);
  return evaluate(tree, {
    startMs,
    endMs,
    stepMs,
    lookbackDeltaMs: LOOKBACK_MS,
    maxSamples: MAX_SAMPLES,
    defaultSubqueryStepMs: stepMs > 0 ? undefined : 60_000,
    deadline: performance.now() + CASE_TIMEOUT_MS,
    source,
  });
}

/**
 * Evaluates `attempt`; returns the value, or undefined when the case expects this failure.
 * Throws a Mismatch on an unexpected error, a wrong message, or a missing failure.
 */
async function expectOutcome(c: PromqlTestCase, attempt: () => Promise<Value>, what: string): Promise<Value | undefined> {
  let val: Value;
  try {
    val = await attempt();
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (!c.expect.fail) throw new Mismatch(`error evaluating ${what}: ${msg}`);
    if (!matchesFailure(c.expect.fail, msg)) throw new Mismatch(`expected error matching ${describeMatcher(c.expect.fail)} evaluating ${what}, but got: ${msg}`);
    return undefined;
  }
  if (c.expect.fail) throw new Mismatch(`expected an error evaluating ${what} but got none`);
  return val;
}

async function runInstant(c: PromqlTestCase, expr: QueryTree, evalMs: number, label: string, source: SeriesSource): Promise<void> {
  const what = `the instant query${label ? ` (${label})` : ''}`;
  const val = await expectOutcome(c, () => run(expr, evalMs, evalMs, 0, source), what);
  if (!val) return;
  const grid = c.expect.rangeVector ?? { startMs: evalMs, endMs: evalMs, stepMs: 0 };
  try {
    compareResult(c, val, grid);
  } catch (e) {
    throw new Mismatch(`${what}: ${(e as Error).message}`);
  }
  // Upstream re-checks the value in range mode, except where that cannot apply.
  if (c.expect.rangeVector || c.expect.result.kind === 'string' || QUERY_CONTEXT_FUNCS.test(c.expr)) return;
  const rangeWhat = `${what} in range mode [t-1m, t+1m] step 1m`;
  let ranged: Value;
  try {
    ranged = await run(expr, evalMs - 60_000, evalMs + 60_000, 60_000, source);
  } catch (e) {
    throw new Mismatch(`error evaluating ${rangeWhat}: ${(e as Error).message}`);
  }
  if (c.expect.ordered) return; // range results are always sorted by labels
  if (ranged.type !== 'matrix') throw new Mismatch(`${rangeWhat}: expected a matrix, got ${ranged.type}`);
  try {
    for (let i = 1; i < ranged.series.length; i++) {
      if (labelsCompare(ranged.series[i - 1].metric, ranged.series[i].metric) > 0) throw new Mismatch('matrix results should always be sorted by labels');
    }
    const mid: Array<{ metric: Labels; v: number }> = [];
    for (const s of ranged.series) {
      const i = s.t.indexOf(evalMs);
      if (i >= 0) mid.push({ metric: s.metric, v: s.v[i] });
    }
    if (val.type === 'scalar') {
      if (mid.length === 0) throw new Mismatch('no point at the middle step');
      compareResult(c, { type: 'scalar', t: evalMs, v: mid[0].v }, grid);
    } else compareResult(c, { type: 'vector', samples: mid.map((m) => ({ ...m, t: evalMs })) }, grid);
  } catch (e) {
    throw new Mismatch(`${rangeWhat}: ${(e as Error).message}`);
  }
}

/** Runs one case; resolves when it passes, throws an Error saying what differed otherwise. */
export async function runCase(c: PromqlTestCase, source: SeriesSource): Promise<void> {
  const plain: QueryTree = (startMs, endMs, stepMs) => parseFor(c.expr, startMs, endMs, stepMs);
  if (c.kind === 'range') {
    const what = 'the range query';
    const val = await expectOutcome(c, () => run(plain, c.startMs, c.endMs, c.stepMs, source), what);
    if (!val) return;
    if (val.type !== 'matrix') throw new Mismatch(`${what}: expected a matrix, got ${val.type}`);
    try {
      compareResult(c, val, c);
    } catch (e) {
      throw new Mismatch(`${what}: ${(e as Error).message}`);
    }
    return;
  }
  await runInstant(c, plain, c.evalMs, '', source);
  let variants: ReturnType<typeof atVariants>;
  try {
    variants = atVariants(c.expr, c.evalMs);
  } catch {
    return; // the expression failed to parse, which the plain run above has judged already
  }
  for (const v of variants) await runInstant(c, v.expr, v.evalMs, v.label, source);
}
