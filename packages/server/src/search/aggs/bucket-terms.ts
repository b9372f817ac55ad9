/**
 * `terms`: one bucket per distinct value (a multi-valued field counts a document once per distinct
 * value), the top `size` by `order` per parent bucket via a window (or ORDER BY … LIMIT at the top
 * level), `sum_other_doc_count` from the window total. Single shard: `doc_count_error_upper_bound` is 0.
 */
import type { BucketPlan, SelectArgs, Selection } from './buckets.js';
import type { IncludeExclude, TermsConf } from './config.js';
import { datePrinter } from './date-print.js';
import { illegalArgument } from './errors.js';
import { anyValues, isMulti, missingLiteral, valueSql, type Values } from './fields.js';
import { orderSql } from './order.js';
import { joinOn, num, rowsSql, type KeyDef, type Level } from './plan.js';
import { luceneRegexToRe2 } from './regex.js';
import type { AggContext, AggSpec } from './types.js';

/** SQL giving a terms key's JS value: numbers as DOUBLE, booleans 0/1, dates epoch ms. */
export function keyOut(type: Values['type'], col: string): string {
  switch (type) {
    case 'long':
      return `${col}::DOUBLE`;
    case 'boolean':
      return `${col}::INTEGER`;
    case 'date':
      return `epoch_ms(${col})::DOUBLE`;
    default:
      return col;
  }
}

function filterSql(f: IncludeExclude, v: Values, x: string, name: string, now: number): string {
  if ('regex' in f) {
    if (v.type !== 'keyword' && v.type !== 'text' && v.type !== 'none') {
      throw illegalArgument(
        `Aggregation [${name}] cannot support regular expression style include/exclude settings as they can only be applied to string fields. Use an array of numeric values for include/exclude clauses used to filter numeric fields`,
      );
    }
    return `regexp_full_match(${x}, ${`'${luceneRegexToRe2(f.regex).replace(/'/g, "''")}'`})`;
  }
  if ('values' in f) {
    if (f.values.length === 0) return 'false';
    return `${x} IN (${f.values.map((value) => missingLiteral(v, value, 'terms', now)).join(', ')})`;
  }
  return `(hash(${x}) % ${f.numPartitions}) = ${f.partition}`;
}

/** The terms key: the value (a LIST of distinct values if multi-valued), `missing` and include/exclude applied. */
export function termsKey(conf: TermsConf, v: Values, name: string, now: number): KeyDef {
  const missingSql = conf.missing === undefined ? undefined : missingLiteral(v, conf.missing, 'terms', now);
  const value = valueSql(v, missingSql, 'VARCHAR');
  const conds: Array<(x: string) => string> = [];
  if (conf.include) conds.push((x) => filterSql(conf.include!, v, x, name, now));
  if (conf.exclude) conds.push((x) => `NOT ${filterSql(conf.exclude!, v, x, name, now)}`);
  const keep = (x: string) => conds.map((c) => c(x)).join(' AND ');
  const out = (col: string) => keyOut(v.type, col);
  if (isMulti(v)) {
    const list = `list_distinct(${value})`;
    return { expr: conds.length ? `list_filter(${list}, __t -> ${keep('__t')})` : list, list: true, out };
  }
  return { expr: conds.length ? `(CASE WHEN ${keep(value)} THEN ${value} END)` : value, out };
}

export function compileTerms(spec: AggSpec, ctx: AggContext, level: Level): BucketPlan {
  const conf = spec.conf as TermsConf;
  const v = anyValues(ctx, conf.field);
  const key = termsKey(conf, v, spec.name, ctx.now);
  const printer = v.type === 'date' ? datePrinter(conf.format) : undefined;
  return {
    keys: [key],
    select: (a) => selectTop(a, conf, spec.name, level, conf.minDocCount === 0 ? key : undefined),
    render: ({ rows, key: keyOf, docCount, sub, pipelines, col }) => {
      const sorted = [...rows].sort((x, y) => num(col(x, 'rn'))! - num(col(y, 'rn'))!);
      const buckets = sorted.map((row) => {
        const k = keyOf(row, 0);
        const bucket: Record<string, unknown> = { key: k };
        if (v.type === 'boolean') bucket.key_as_string = k === 1 ? 'true' : 'false';
        else if (printer) bucket.key_as_string = printer(k as number);
        bucket.doc_count = docCount(row);
        if (conf.showTermDocCountError) bucket.doc_count_error_upper_bound = 0;
        return Object.assign(bucket, sub(row, [k]));
      });
      return {
        doc_count_error_upper_bound: 0,
        sum_other_doc_count: sorted.length ? (num(col(sorted[0], 'other')) ?? 0) : 0,
        buckets: pipelines(buckets),
      };
    },
  };
}

/**
 * The returned buckets: those with at least `min_doc_count` documents, ranked per parent bucket,
 * the first `size`. With `min_doc_count: 0` every value of the field in the searched datasets is a
 * bucket (zero-count ones included), as Elasticsearch fills from the index's terms.
 */
function selectTop(a: SelectArgs, conf: TermsConf, name: string, level: Level, fillKey: KeyDef | undefined): Selection {
  const own = a.pathKeys[a.pathKeys.length - 1].name;
  const parents = a.parentKeys.map((k) => k.name);
  let grouped = a.group;
  if (fillKey) {
    a.b.usesAllDocs = true;
    a.b.cte(`u${a.id}`, `SELECT DISTINCT ${own} FROM (${rowsSql({ rows: 'alldocs', keys: [] }, [fillKey], [own])})`, true);
    const parentRows = level.selected
      ? `SELECT DISTINCT ${parents.map((p) => `p.${p}`).join(', ')} FROM ${level.rows} p SEMI JOIN ${level.selected} q ON ${joinOn(level.keys, 'p', 'q')}`
      : `SELECT DISTINCT ${parents.join(', ')} FROM ${level.rows}`;
    const combos = parents.length ? `(${parentRows}) CROSS JOIN u${a.id}` : `u${a.id}`;
    a.b.cte(`f${a.id}`, `SELECT * REPLACE (coalesce(dc, 0) AS dc) FROM ${combos} LEFT JOIN ${a.group} USING (${[...parents, own].join(', ')})`, true);
    grouped = `f${a.id}`;
  }
  const order = orderSql(conf.order, [own], a.metrics, name);
  const partition = parents.length ? `PARTITION BY ${parents.join(', ')} ` : '';
  const enough = `dc >= ${conf.minDocCount}`;
  const top = parents.length
    ? `SELECT * FROM (SELECT *, row_number() OVER (${partition}ORDER BY ${order}) AS rn, sum(dc) OVER (${partition}) AS tot FROM ${grouped} WHERE ${enough}) WHERE rn <= ${conf.size}`
    : `SELECT *, row_number() OVER (ORDER BY ${order}) AS rn FROM (SELECT *, (SELECT sum(dc) FROM ${grouped} WHERE ${enough}) AS tot FROM ${grouped} WHERE ${enough} ORDER BY ${order} LIMIT ${conf.size})`;
  a.b.cte(`s${a.id}`, top, true);
  return {
    rel: `s${a.id}`,
    limited: true,
    outs: [`rn::DOUBLE AS b${a.id}_rn`, `(tot - sum(dc) OVER (${partition}))::DOUBLE AS b${a.id}_other`],
  };
}
