/**
 * info(v [, {label selector}]): Prometheus 3.x's experimental function that enriches each series
 * of `v` with the "data" labels of info metrics (default `target_info`) that share its identifying
 * labels (`instance`, `job`), as promql/info.go does.
 *
 * - The selector's `__name__` matchers choose the info metrics (only negative ones: any `*_info`
 *   metric but those); its other matchers both filter the info series and name the data labels to
 *   copy (without any, all labels are copied). A label the base series already has is kept.
 * - Series of `v` that are themselves such info metrics pass through unchanged.
 * - The info series are read like an instant selector with the `@` and `offset` of the first
 *   selector in `v` (and its enclosing subqueries), so enrichment follows the time `v` looks at.
 * - When several series of one info metric match at a step, the newest sample wins; equal ages
 *   are an error, as are two info metrics disagreeing on a label.
 * - A base series without a match is kept unchanged unless a data-label matcher rejects the empty
 *   value; then it is dropped at that step.
 */
import type { AtModifier, Call, Expr, LabelMatcher } from './ast.js';
import { type Evaluator, windowBounds } from './engine.js';
import {
  type EvalContext,
  type EvalValue,
  type Sample,
  type StepSeries,
  countPoints,
  evalError,
  labelsCompare,
  labelsString,
  makeLabels,
  stepTime,
  stepwise,
} from './engine-types.js';
import { PromqlError } from './errors.js';
import { compileAnchored } from './functions-labels.js';
import { type Labels, isStale } from './values.js';

const TARGET_INFO = 'target_info';
/** Hard-coded upstream too: no knowledge of individual info metrics is needed. */
const IDENTIFYING_LABELS = ['instance', 'job'];

type Test = (value: string) => boolean;

function matcherTest(m: LabelMatcher): Test {
  switch (m.type) {
    case '=':
      return (v) => v === m.value;
    case '!=':
      return (v) => v !== m.value;
    default: {
      const re = compileAnchored(m.value);
      if (!re) throw new PromqlError('bad_data', `invalid regular expression in info(): ${m.value}`);
      return m.type === '=~' ? (v) => re.test(v) : (v) => !re.test(v);
    }
  }
}

/** Which `__name__` matchers select info series: with no positive one, any `*_info` but the excluded. */
function effectiveNameMatchers(matchers: LabelMatcher[]): LabelMatcher[] {
  if (matchers.some((m) => m.type === '=' || m.type === '=~')) return matchers;
  if (matchers.length > 0) return [{ name: '__name__', type: '=~', value: '.+_info' }, ...matchers];
  return [{ name: '__name__', type: '=', value: TARGET_INFO }];
}

/** Go's regexp.QuoteMeta: the value as a literal RE2 pattern. */
function quoteMeta(s: string): string {
  return s.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&');
}

/**
 * The `@` and offset that govern the info series: those of the first vector selector in `expr`,
 * plus the offsets of its enclosing subqueries up to the innermost one with an `@`.
 */
function referenceTime(expr: Expr): { at?: AtModifier; offsetMs: number } {
  const visit = (e: Expr, subqueries: Expr[]): { at?: AtModifier; offsetMs: number } | undefined => {
    switch (e.type) {
      case 'vector_selector': {
        let at = e.at;
        let offsetMs = e.offsetMs;
        for (let i = subqueries.length - 1; !at && i >= 0; i--) {
          const sq = subqueries[i];
          if (sq.type !== 'subquery') continue;
          offsetMs += sq.offsetMs;
          at = sq.at;
        }
        return { at, offsetMs };
      }
      case 'matrix_selector':
        return visit(e.vector, subqueries);
      case 'subquery':
        return visit(e.expr, [...subqueries, e]);
      case 'paren':
      case 'unary':
        return visit(e.expr, subqueries);
      case 'binary':
        return visit(e.lhs, subqueries) ?? visit(e.rhs, subqueries);
      case 'aggregate':
        return (e.param && visit(e.param, subqueries)) ?? visit(e.expr, subqueries);
      case 'call':
        for (const a of e.args) {
          const r = visit(a, subqueries);
          if (r) return r;
        }
        return undefined;
      default:
        return undefined;
    }
  };
  return visit(expr, []) ?? { offsetMs: 0 };
}

function pinnedTime(ctx: EvalContext, at: AtModifier | undefined): number | undefined {
  if (!at) return undefined;
  if (at.kind === 'start') return ctx.queryStart;
  if (at.kind === 'end') return ctx.queryEnd;
  return at.ms;
}

/** An info series over the grid; each point's value is the original sample's timestamp (its age decides conflicts). */
async function selectInfoSeries(ev: Evaluator, matchers: LabelMatcher[], at: AtModifier | undefined, offsetMs: number): Promise<StepSeries[]> {
  const ctx = ev.ctx;
  if (ctx.numSteps === 0) return [];
  const pinned = pinnedTime(ctx, at);
  const refAt = (i: number) => (pinned ?? stepTime(ctx, i)) - offsetMs;
  const first = refAt(0);
  const last = refAt(ctx.numSteps - 1);
  const raw = await ctx.source.select(matchers, Math.min(first, last) - ctx.lookback + 1, Math.max(first, last));
  ctx.limits.check();
  const out: StepSeries[] = [];
  for (const s of [...raw].sort((a, b) => labelsCompare(a.metric, b.metric))) {
    const idx: number[] = [];
    const v: number[] = [];
    for (let i = 0; i < ctx.numSteps; i++) {
      const ref = refAt(i);
      const [lo, hi] = windowBounds(s.t, ref - ctx.lookback, ref);
      if (hi <= lo || isStale(s.v[hi - 1])) continue;
      idx.push(i);
      v.push(s.t[hi - 1]);
    }
    if (idx.length > 0) out.push({ metric: s.metric, idx, v });
  }
  ctx.limits.add(countPoints(out));
  return out;
}

/** `name` plus the identifying labels the series has: what a base series and an info series join on. */
function signature(name: string, l: Labels): string {
  let k = name;
  for (const id of IDENTIFYING_LABELS) if (l[id] !== undefined) k += `\u0000${id}\u0001${l[id]}`;
  return k;
}

export async function evalInfo(ev: Evaluator, e: Call): Promise<EvalValue> {
  const base = await ev.eval(e.args[0]);
  if (base.kind !== 'vector') throw new PromqlError('bad_data', `expected type instant vector in call to function "info", got ${base.kind}`);
  const selector = e.args[1];
  if (selector && selector.type !== 'vector_selector') throw new PromqlError('bad_data', 'expected label selectors only');

  const nameMatchers = selector ? selector.matchers.filter((m) => m.name === '__name__') : [];
  const effective = effectiveNameMatchers(nameMatchers);
  const nameTests = effective.map(matcherTest);
  // Data labels: the selector's other matchers, by label name.
  const dataMatchers = new Map<string, Test[]>();
  for (const m of selector?.matchers ?? []) {
    if (m.name === '__name__') continue;
    const list = dataMatchers.get(m.name) ?? [];
    list.push(matcherTest(m));
    dataMatchers.set(m.name, list);
  }
  const emptyAccepted = [...dataMatchers.values()].every((tests) => tests.every((t) => t('')));

  const isInfoSeries = (l: Labels) => nameTests.every((t) => t(l.__name__ ?? ''));
  const idValues = new Map<string, Set<string>>();
  for (const s of base.series) {
    if (isInfoSeries(s.metric)) continue;
    for (const id of IDENTIFYING_LABELS) {
      const v = s.metric[id];
      if (v === undefined) continue;
      const set = idValues.get(id) ?? new Set<string>();
      set.add(v);
      idValues.set(id, set);
    }
  }

  let info: StepSeries[] = [];
  if (idValues.size > 0) {
    const matchers: LabelMatcher[] = [...idValues].map(([id, vals]) => ({ name: id, type: '=~', value: [...vals].map(quoteMeta).join('|') }));
    for (const m of selector?.matchers ?? []) if (m.name !== '__name__') matchers.push(m);
    matchers.push(...effective);
    const { at, offsetMs } = referenceTime(e.args[0]);
    info = await selectInfoSeries(ev, matchers, at, offsetMs);
  }
  const infoNames = [...new Set(info.map((s) => s.metric.__name__ ?? ''))];
  const infoSig = new WeakMap<Labels, string>();
  for (const s of info) infoSig.set(s.metric, signature(s.metric.__name__ ?? '', s.metric));

  const series = stepwise(ev.ctx, [base.series, info], (vals) => {
    const baseVec = vals[0] as Sample[];
    if (baseVec.length === 0) return [];
    // The newest info sample per signature (the value holds its timestamp).
    const bySig = new Map<string, Sample>();
    for (const s of vals[1] as Sample[]) {
      const sig = infoSig.get(s.metric)!;
      const cur = bySig.get(sig);
      if (cur && cur.v === s.v) {
        throw evalError(`found duplicate series for info metric: existing ${labelsString(cur.metric)} @ ${cur.v}, new ${labelsString(s.metric)} @ ${s.v}`);
      }
      if (!cur || cur.v < s.v) bySig.set(sig, s);
    }
    const out: Sample[] = [];
    for (const bs of baseVec) {
      if (isInfoSeries(bs.metric)) {
        out.push(bs);
        continue;
      }
      const added: Record<string, string> = {};
      let matched = false;
      for (const name of infoNames) {
        const is = bySig.get(signature(name, bs.metric));
        if (!is) continue;
        matched = true;
        for (const [k, v] of Object.entries(is.metric)) {
          if (k === '__name__' || (dataMatchers.size > 0 && !dataMatchers.has(k))) continue;
          if (added[k] !== undefined && added[k] !== v) throw evalError(`conflicting label: ${k}`);
          if (bs.metric[k] === undefined) added[k] = v;
        }
      }
      if (!matched && !emptyAccepted) continue;
      const metric = Object.keys(added).length > 0 ? makeLabels({ ...bs.metric, ...added }) : bs.metric;
      out.push(bs.dropName ? { metric, v: bs.v, dropName: true } : { metric, v: bs.v });
    }
    return out;
  });
  return { kind: 'vector', series };
}
