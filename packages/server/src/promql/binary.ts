/**
 * Binary operators (Prometheus's VectorBinop, VectorscalarBinop, scalarBinop and the set
 * operators): arithmetic, comparisons with and without `bool`, `and`/`or`/`unless`, and vector
 * matching with `on`/`ignoring`/`group_left`/`group_right` and the `fill`/`fill_left`/`fill_right`
 * modifiers.
 */
import type { BinaryExpr, BinaryOp, VectorMatching } from './ast.js';
import type { Evaluator } from './engine.js';
import {
  type EvalValue,
  type Sample,
  type StepSeries,
  evalError,
  keyOf,
  labelsString,
  makeLabels,
  matchLabels,
  matchSignature,
  stepwise,
  withoutMetadata,
} from './engine-types.js';
import { PromqlError } from './errors.js';
import type { Labels } from './values.js';

const ARITHMETIC = new Set<BinaryOp>(['+', '-', '*', '/', '%', '^', 'atan2']);
const COMPARISON = new Set<BinaryOp>(['==', '!=', '>', '<', '>=', '<=']);
const SET_OPS = new Set<BinaryOp>(['and', 'or', 'unless']);

/** Go's math.Pow where it differs from JS: 1^y and (-1)^±Inf are 1. */
function pow(x: number, y: number): number {
  if (y === 0 || x === 1) return 1;
  if (x === -1 && !Number.isFinite(y) && !Number.isNaN(y)) return 1;
  return Math.pow(x, y);
}

function arith(op: BinaryOp, l: number, r: number): number {
  switch (op) {
    case '+':
      return l + r;
    case '-':
      return l - r;
    case '*':
      return l * r;
    case '/':
      return l / r;
    case '%':
      return l % r;
    case '^':
      return pow(l, r);
    case 'atan2':
      return Math.atan2(l, r);
    default:
      throw evalError(`operator "${op}" not allowed for arithmetic`);
  }
}

function compare(op: BinaryOp, l: number, r: number): boolean {
  switch (op) {
    case '==':
      return l === r;
    case '!=':
      return l !== r;
    case '>':
      return l > r;
    case '<':
      return l < r;
    case '>=':
      return l >= r;
    case '<=':
      return l <= r;
    default:
      throw evalError(`operator "${op}" is not a comparison`);
  }
}

/** [value, keep] for one pair of floats, as Prometheus's vectorElemBinop. */
function elemOp(op: BinaryOp, l: number, r: number): [number, boolean] {
  if (COMPARISON.has(op)) return [l, compare(op, l, r)];
  return [arith(op, l, r), true];
}

export async function evalBinary(ev: Evaluator, e: BinaryExpr): Promise<EvalValue> {
  const lhs = await ev.eval(e.lhs);
  const rhs = await ev.eval(e.rhs);
  const op = e.op;
  if (lhs.kind === 'string' || rhs.kind === 'string' || lhs.kind === 'matrix' || rhs.kind === 'matrix') {
    throw new PromqlError('bad_data', `binary expression must contain only scalar and instant vector types`);
  }
  if (lhs.kind === 'scalar' && rhs.kind === 'scalar') {
    if (SET_OPS.has(op)) throw new PromqlError('bad_data', `set operator "${op}" not allowed in binary scalar expression`);
    const v = new Float64Array(lhs.v.length);
    for (let i = 0; i < v.length; i++) {
      v[i] = COMPARISON.has(op) ? (compare(op, lhs.v[i], rhs.v[i]) ? 1 : 0) : arith(op, lhs.v[i], rhs.v[i]);
    }
    return { kind: 'scalar', v };
  }
  if (lhs.kind === 'vector' && rhs.kind === 'vector') {
    const matching: VectorMatching = e.matching ?? {
      card: SET_OPS.has(op) ? 'many-to-many' : 'one-to-one',
      on: false,
      labels: [],
      include: [],
    };
    if (SET_OPS.has(op)) return { kind: 'vector', series: setOp(ev, op, lhs.series, rhs.series, matching) };
    return { kind: 'vector', series: vectorBinop(ev, op, lhs.series, rhs.series, matching, e.returnBool) };
  }
  if (SET_OPS.has(op)) throw new PromqlError('bad_data', `set operator "${op}" not allowed in binary scalar expression`);
  // Vector and scalar, in either order.
  const swap = lhs.kind === 'scalar';
  const vec = (swap ? rhs : lhs) as { kind: 'vector'; series: StepSeries[] };
  const sc = (swap ? lhs : rhs) as { kind: 'scalar'; v: Float64Array };
  // The name goes later (delayed name removal), so that the series still match by it until then.
  const drop = ARITHMETIC.has(op) || e.returnBool;
  const out: StepSeries[] = [];
  for (const s of vec.series) {
    const idx: number[] = [];
    const v: number[] = [];
    for (let j = 0; j < s.idx.length; j++) {
      const x = s.v[j];
      const y = sc.v[s.idx[j]];
      const [val, keep] = swap ? elemOp(op, y, x) : elemOp(op, x, y);
      // A filtering comparison returns the vector's own value whichever side it is on.
      const res = COMPARISON.has(op) ? x : val;
      if (e.returnBool) {
        idx.push(s.idx[j]);
        v.push(keep ? 1 : 0);
      } else if (keep) {
        idx.push(s.idx[j]);
        v.push(res);
      }
    }
    if (idx.length === 0) continue;
    out.push(drop || s.dropName ? { metric: s.metric, idx, v, dropName: true } : { metric: s.metric, idx, v });
  }
  return { kind: 'vector', series: out };
}

/** Match signatures as small integers, cached per label set (strings as map keys cost GC per step). */
function sigCache(m: VectorMatching): (l: Labels) => number {
  const cache = new WeakMap<Labels, number>();
  const ids = new Map<string, number>();
  return (l) => {
    let id = cache.get(l);
    if (id === undefined) {
      const sig = matchSignature(l, m.on, m.labels);
      id = ids.get(sig);
      if (id === undefined) ids.set(sig, (id = ids.size));
      cache.set(l, id);
    }
    return id;
  };
}

function setOp(ev: Evaluator, op: BinaryOp, lhs: StepSeries[], rhs: StepSeries[], m: VectorMatching): StepSeries[] {
  const sig = sigCache(m);
  return stepwise(ev.ctx, [lhs, rhs], (vals) => {
    const l = vals[0] as Sample[];
    const r = vals[1] as Sample[];
    if (op === 'and') {
      if (r.length === 0) return [];
      const right = new Set(r.map((s) => sig(s.metric)));
      return l.filter((s) => right.has(sig(s.metric)));
    }
    if (op === 'or') {
      if (l.length === 0) return r;
      const left = new Set(l.map((s) => sig(s.metric)));
      return [...l, ...r.filter((s) => !left.has(sig(s.metric)))];
    }
    if (r.length === 0) return l;
    const right = new Set(r.map((s) => sig(s.metric)));
    return l.filter((s) => !right.has(sig(s.metric)));
  });
}

function vectorBinop(
  ev: Evaluator,
  op: BinaryOp,
  lhsAll: StepSeries[],
  rhsAll: StepSeries[],
  m: VectorMatching,
  returnBool: boolean,
): StepSeries[] {
  if (m.card === 'many-to-many') throw evalError('many-to-many only allowed for set operators');
  const sig = sigCache(m);
  const labelIds = new WeakMap<Labels, number>();
  let nextId = 0;
  const idOf = (l: Labels) => {
    let id = labelIds.get(l);
    if (id === undefined) labelIds.set(l, (id = nextId++));
    return id;
  };
  // Keyed by the pair of input label-set ids: 2^26 label sets per side fit a float's integer range.
  const resultCache = new Map<number, Labels>();
  // Arithmetic drops the metadata labels at once (as Prometheus does even with delayed name
  // removal); `bool` marks the result for delayed removal.
  const arithmetic = ARITHMETIC.has(op);
  const resultMetric = (l: Labels, r: Labels): Labels => {
    const ck = idOf(l) * 67108864 + idOf(r);
    let out = resultCache.get(ck);
    if (out) return out;
    const b: Record<string, string> = { ...(arithmetic ? withoutMetadata(l) : l) };
    if (m.card === 'one-to-one') {
      for (const k of Object.keys(b)) {
        if (m.on ? !m.labels.includes(k) : m.labels.includes(k)) delete b[k];
      }
    }
    // group_x(labels): copied from the "one" side, removed when it has none.
    for (const name of m.include) {
      const v = r[name];
      if (v !== undefined && v !== '') b[name] = v;
      else delete b[name];
    }
    out = makeLabels(b);
    resultCache.set(ck, out);
    return out;
  };

  // fill_left/fill_right: the stand-in for a missing operand carries only the other side's
  // matching labels (so the result's labels are those, plus group_x labels when the "one" side is
  // real). Cached per label set, so result label sets stay cached across steps.
  const fillCache = new WeakMap<Labels, Labels>();
  const filler = (l: Labels, v: number): Sample => {
    let metric = fillCache.get(l);
    if (!metric) fillCache.set(l, (metric = matchLabels(l, m.on, m.labels)));
    return { metric, v };
  };
  const { fillLeft, fillRight } = m;
  const filling = fillLeft !== undefined || fillRight !== undefined;

  return stepwise(ev.ctx, [lhsAll, rhsAll], (vals) => {
    let lhs = vals[0] as Sample[];
    let rhs = vals[1] as Sample[];
    if ((lhs.length === 0 && rhs.length === 0) || ((lhs.length === 0 || rhs.length === 0) && !filling)) return [];
    // From here on `lhs` is the "many" side and `rhs` the "one" side. Like Prometheus, the fill
    // values are not swapped with them: under group_right fill_right fills the left operand.
    const oneToMany = m.card === 'one-to-many';
    if (oneToMany) [lhs, rhs] = [rhs, lhs];
    // The "one" side must be unique per match group.
    const right = new Map<number, Sample>();
    for (const rs of rhs) {
      const s = sig(rs.metric);
      const dup = right.get(s);
      if (dup) {
        let [d1, d2] = [labelsString(rs.metric), labelsString(dup.metric)];
        if (d1 > d2) [d1, d2] = [d2, d1];
        throw evalError(
          `found duplicate series for the match group ${labelsString(matchLabels(rs.metric, m.on, m.labels))} on the ${oneToMany ? 'left' : 'right'} hand-side of the operation: [${d1}, ${d2}];many-to-many matching not allowed: matching labels must be unique on one side`,
        );
      }
      right.set(s, rs);
    }
    const matchedOne = new Set<number>();
    const matchedMany = new Map<number, Set<string>>();
    const out: Sample[] = [];
    const apply = (ls: Sample, rs: Sample, s: number) => {
      let [fl, fr] = [ls.v, rs.v];
      if (oneToMany) [fl, fr] = [fr, fl];
      const [val, keep] = elemOp(op, fl, fr);
      const metric = resultMetric(ls.metric, rs.metric);
      if (m.card === 'one-to-one') {
        if (matchedOne.has(s)) throw evalError('multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)');
        matchedOne.add(s);
      } else {
        let set = matchedMany.get(s);
        if (!set) matchedMany.set(s, (set = new Set()));
        // Result label sets are cached per input pair; equal results of different pairs compare by content.
        const mk = keyOf(metric);
        if (set.has(mk)) throw evalError('multiple matches for labels: grouping labels must ensure unique matches');
        set.add(mk);
      }
      // A filtering comparison keeps the mark of the series whose labels it returns.
      if (returnBool) out.push({ metric, v: keep ? 1 : 0, dropName: true });
      else if (keep) out.push(ls.dropName && !arithmetic ? { metric, v: val, dropName: true } : { metric, v: val });
    };
    for (const ls of lhs) {
      const s = sig(ls.metric);
      const rs = right.get(s) ?? (fillRight === undefined ? undefined : filler(ls.metric, fillRight));
      if (rs) apply(ls, rs, s);
    }
    // "One"-side samples no "many"-side sample matched (filtered-out comparisons count as matched).
    if (fillLeft !== undefined) {
      for (const rs of rhs) {
        const s = sig(rs.metric);
        if (!matchedOne.has(s) && !matchedMany.has(s)) apply(filler(rs.metric, fillLeft), rs, s);
      }
    }
    return out;
  });
}
