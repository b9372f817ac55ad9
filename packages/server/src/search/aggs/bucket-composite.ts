/**
 * `composite`: buckets keyed by a tuple of sources (terms, histogram, date_histogram), in the order
 * of the sources, a page of `size` after the `after` key. `missing_bucket` keeps documents without
 * a value under a null key (first ascending, last descending, unless `missing_order` says).
 */
import type { FieldType } from '../../engine/types.js';
import { resolveDateMath } from '../../query/datemath.js';
import type { BucketPlan } from './buckets.js';
import type { CompositeConf, CompositeSource } from './config.js';
import { datePrinter } from './date-print.js';
import { dateKeySql, dateKeySteps } from './date-rounding.js';
import { illegalArgument } from './errors.js';
import { anyValues, isMulti, mapValue, missingLiteral, numericValues, sqlNumber, toNumberSql, valueSql } from './fields.js';
import { num, valueKey, type KeyDef, type Step } from './plan.js';
import type { AggContext, AggSpec } from './types.js';

interface Source {
  conf: CompositeSource;
  key: KeyDef;
  /** The SQL literal of an `after` value, comparable with the key column. */
  literal(v: unknown): string;
  /** The JS value of the key as ES shows it. */
  show(v: unknown): unknown;
  nullsFirst: boolean;
}

function source(s: CompositeSource, ctx: AggContext): Source {
  const nullsFirst = s.missingOrder === 'default' ? s.asc : s.missingOrder === 'first';
  const badAfter = (v: unknown): never => {
    throw illegalArgument(`invalid value [${JSON.stringify(v)}] for [after.${s.name}]: does not match the source's type`);
  };
  if (s.type === 'terms') {
    const v = anyValues(ctx, s.field);
    const value = valueSql(v, undefined, 'VARCHAR');
    const multi = isMulti(v);
    const expr = !multi
      ? value
      : s.missingBucket
        ? `(CASE WHEN coalesce(len(${value}), 0) = 0 THEN [NULL] ELSE list_distinct(${value}) END)`
        : `list_distinct(${value})`;
    const printer = v.type === 'date' ? datePrinter(s.format) : undefined;
    return {
      conf: s,
      nullsFirst,
      key: { expr, list: multi, keepNull: s.missingBucket, out: (c) => (v.type === 'date' ? `epoch_ms(${c})::DOUBLE` : v.type === 'long' ? `${c}::DOUBLE` : c) },
      literal: (a) => (typeof a === 'string' || typeof a === 'number' || typeof a === 'boolean' ? missingLiteral(v, a, 'composite', ctx.now) : badAfter(a)),
      show: (k) => (printer && typeof k === 'number' ? printer(k) : k),
    };
  }
  const allowed: FieldType[] = s.type === 'histogram' ? ['long', 'double', 'date', 'boolean'] : ['date', 'long', 'double'];
  const v = numericValues(ctx, s.field, s.type, allowed);
  const multi = isMulti(v);
  const value = mapValue(valueSql(v, undefined, s.type === 'histogram' ? 'DOUBLE' : 'TIMESTAMP'), multi, (x) =>
    s.type === 'histogram' ? toNumberSql(v.type, x) : v.type === 'date' || v.type === 'none' ? `epoch_ms(${x})` : `${x}::BIGINT`,
  );
  let steps: Step[];
  let element: (x: string) => string;
  let show: (k: unknown) => unknown = (k) => k;
  let literal = (a: unknown): string => (typeof a === 'number' ? sqlNumber(a) : badAfter(a));
  if (s.type === 'histogram') {
    const [i, o] = [sqlNumber(s.interval!), sqlNumber(s.offset!)];
    element = (x) => `(floor((${x} - ${o}) / ${i}) * ${i} + ${o})`;
    steps = [(st) => element(st[0])];
  } else {
    const r = s.rounding!;
    steps = dateKeySteps(r);
    element = (x) => dateKeySql(r, x);
    if (s.format !== undefined) {
      const printer = datePrinter(s.format, r.tz);
      show = (k) => (typeof k === 'number' ? printer(k) : k);
    }
    // after_key holds the formatted key when there is a `format`; epoch ms are accepted too.
    literal = (a) => {
      const timeZone = r.tz.fixedMs === 0 ? undefined : r.tz.id;
      const ms = typeof a === 'number' ? a : typeof a === 'string' ? resolveDateMath(a, false, ctx.now, { format: s.format, timeZone }) : undefined;
      return ms === undefined ? badAfter(a) : sqlNumber(ms);
    };
  }
  const key = valueKey(value, multi, steps, element, (c) => `${c}::DOUBLE`);
  if (multi && s.missingBucket) key.expr = `(CASE WHEN coalesce(len(${value}), 0) = 0 THEN [NULL] ELSE ${key.expr} END)`;
  return { conf: s, nullsFirst, key: { ...key, keepNull: s.missingBucket }, literal, show };
}

/** Rows strictly after the `after` tuple in the sources' order (nulls placed as the sources say). */
function afterSql(sources: Source[], cols: string[], after: Record<string, unknown>): string {
  const ors: string[] = [];
  sources.forEach((s, i) => {
    const a = after[s.conf.name];
    const lit = a === null ? undefined : s.literal(a);
    const equalBefore = sources.slice(0, i).map((p, j) => {
      const b = after[p.conf.name];
      return b === null ? `${cols[j]} IS NULL` : `${cols[j]} = ${p.literal(b)}`;
    });
    let later: string;
    if (lit === undefined) later = s.nullsFirst ? `${cols[i]} IS NOT NULL` : 'false';
    else {
      const beyond = `${cols[i]} ${s.conf.asc ? '>' : '<'} ${lit}`;
      later = s.nullsFirst ? beyond : `(${beyond} OR ${cols[i]} IS NULL)`;
    }
    ors.push([...equalBefore, later].join(' AND '));
  });
  return ors.map((o) => `(${o})`).join(' OR ');
}

export function compileComposite(spec: AggSpec, ctx: AggContext): BucketPlan {
  const conf = spec.conf as CompositeConf;
  const sources = conf.sources.map((s) => source(s, ctx));
  return {
    keys: sources.map((s) => s.key),
    select: (a) => {
      const cols = a.pathKeys.map((k) => k.name);
      const order = sources.map((s, i) => `${cols[i]} ${s.conf.asc ? 'ASC' : 'DESC'} NULLS ${s.nullsFirst ? 'FIRST' : 'LAST'}`).join(', ');
      const where = conf.after ? ` WHERE ${afterSql(sources, cols, conf.after)}` : '';
      a.b.cte(`s${a.id}`, `SELECT *, row_number() OVER (ORDER BY ${order}) AS rn FROM (SELECT * FROM ${a.group}${where} ORDER BY ${order} LIMIT ${conf.size})`, true);
      return { rel: `s${a.id}`, limited: true, outs: [`rn::DOUBLE AS b${a.id}_rn`] };
    },
    render: ({ rows, key: keyOf, docCount, sub, pipelines, col }) => {
      const sorted = [...rows].sort((x, y) => num(col(x, 'rn'))! - num(col(y, 'rn'))!);
      const buckets = pipelines(
        sorted.map((row) => {
          const raw = sources.map((_, j) => keyOf(row, j));
          const key = Object.fromEntries(sources.map((s, j) => [s.conf.name, s.show(raw[j])]));
          return { key, doc_count: docCount(row), ...sub(row, raw) };
        }),
      );
      return buckets.length ? { after_key: buckets[buckets.length - 1].key, buckets } : { buckets };
    },
  };
}
