/** Buckets defined by queries or presence: `filter`, `filters`, `missing`, and `global` (every document). */
import type { BucketPlan, RenderArgs } from './buckets.js';
import type { FilterConf, FiltersConf, MissingConf } from './config.js';
import { anyValues } from './fields.js';
import { num, type Row } from './plan.js';
import type { AggContext, AggSpec } from './types.js';

const index = (c: string) => `${c}::INTEGER`;

/** A single-bucket aggregation: its doc_count and sub-aggregations. */
function single({ rows, docCount, sub }: RenderArgs): Record<string, unknown> {
  const row = rows[0];
  return { doc_count: docCount(row), ...sub(row, [0]) };
}

export function compileFilter(spec: AggSpec, ctx: AggContext): BucketPlan {
  const conf = spec.conf as FilterConf;
  return { keys: [{ expr: `(CASE WHEN ${ctx.predicate(conf.query)} THEN 0 END)`, out: index }], render: single };
}

export function compileMissing(spec: AggSpec, ctx: AggContext): BucketPlan {
  const conf = spec.conf as MissingConf;
  const v = anyValues(ctx, conf.field);
  const absent = !v.field ? 'true' : v.field.multi ? `coalesce(len(${v.field.sql}), 0) = 0` : `${v.field.sql} IS NULL`;
  return { keys: [{ expr: `(CASE WHEN ${absent} THEN 0 END)`, out: index }], render: single };
}

export function compileGlobal(): BucketPlan {
  return { keys: [{ expr: '0', out: index }], allDocs: true, render: single };
}

/**
 * `filters`: a document may match several filters, so the key is the LIST of the filters it
 * matches (plus the other bucket's index when it matches none).
 */
export function compileFilters(spec: AggSpec, ctx: AggContext): BucketPlan {
  const conf = spec.conf as FiltersConf;
  const preds = conf.filters.map((f) => ctx.predicate(f.query));
  const items = preds.map((p, i) => `CASE WHEN ${p} THEN ${i} END`);
  if (conf.otherBucket) items.push(`CASE WHEN NOT (${preds.map((p) => `coalesce(${p}, false)`).join(' OR ')}) THEN ${preds.length} END`);
  const key =
    items.length === 1 ? { expr: `(${items[0]})`, out: index } : { expr: `list_filter([${items.join(', ')}], __f -> __f IS NOT NULL)`, list: true, out: index };
  return {
    keys: [key],
    render: ({ rows, key: keyOf, docCount, sub, pipelines }) => {
      const byIndex = new Map<number, Row>();
      for (const row of rows) byIndex.set(num(keyOf(row, 0))!, row);
      const names = conf.filters.map((f) => f.key);
      if (conf.otherBucket) names.push(conf.otherBucketKey);
      const buckets = pipelines(
        names.map((name, i) => {
          const row = byIndex.get(i);
          return { ...(conf.named ? { key: name } : {}), doc_count: docCount(row), ...sub(row, [i]) };
        }),
      );
      if (!conf.named || !conf.keyed) return { buckets };
      return { buckets: Object.fromEntries(buckets.map(({ key, ...rest }) => [key as string, rest])) };
    },
  };
}

