/**
 * Aggregation tree → one SQL statement (see plan.ts) plus the renderer that turns its rows into
 * Elasticsearch's `aggregations` JSON. Metric sub-aggregations ride in their bucket's GROUP BY;
 * pipelines are computed in JS from the rendered buckets, as Elasticsearch computes them at reduce.
 */
import { BUCKETS, type BucketPlan, type Selection } from './buckets.js';
import { isBucketConf, isPipelineConf, type PipelineConf } from './config.js';
import { compileMetric, type MetricSql } from './metrics.js';
import { applyParentPipelines, siblingPipeline, type NamedPipeline } from './pipelines.js';
import { num, parentPath, rowsSql, SqlBuilder, type KeyCol, type Level, type Row } from './plan.js';
import { compileTopHits } from './top-hits.js';
import type { AggContext, AggSpec } from './types.js';

/** The statement's rows filed by bucket node and parent path (the root's metrics under node 0). */
export interface Results {
  root?: Row;
  nodes: Map<number, PathIndex>;
}

/** Rows by the values of their parent path keys, as nested maps (no string keys to build per row). */
class PathIndex {
  private readonly top = new Map<unknown, unknown>();
  private readonly rootRows: Row[] = [];

  add(path: unknown[], row: Row): void {
    let rows = this.rootRows;
    if (path.length) {
      let map = this.top;
      for (let i = 0; i < path.length - 1; i++) {
        let next = map.get(path[i]) as Map<unknown, unknown> | undefined;
        if (!next) map.set(path[i], (next = new Map()));
        map = next;
      }
      const last = path[path.length - 1];
      rows = map.get(last) as Row[] | undefined ?? [];
      if (!map.has(last)) map.set(last, rows);
    }
    rows.push(row);
  }

  get(path: unknown[]): Row[] {
    if (!path.length) return this.rootRows;
    let at: unknown = this.top;
    for (const value of path) {
      at = (at as Map<unknown, unknown>).get(value);
      if (at === undefined) return [];
    }
    return at as Row[];
  }
}

/** Renders one aggregation inside the bucket whose row (for metrics) and key path (for sub-buckets) are given. */
type Render = (parentRow: Row | undefined, path: unknown[], results: Results) => unknown;

interface Entry {
  spec: AggSpec;
  kind: 'metric' | 'bucket' | 'parent_pipeline' | 'sibling_pipeline';
  render: Render;
}

/** A level's compiled entries, and the metric columns its enclosing GROUP BY must compute. */
interface LevelPlan {
  entries: Entry[];
  metrics: Map<string, MetricSql>;
}

export interface CompiledAggs {
  statement: string | undefined;
  /** Bucket node id → the number of parent path keys its rows carry (to file them). */
  depths: Map<number, number>;
  render(results: Results): AggResults;
}

const PARENT_PIPELINES = new Set(['cumulative_sum', 'derivative', 'bucket_sort']);

export function compileAggs(specs: AggSpec[], ctx: AggContext): CompiledAggs {
  const b = new SqlBuilder();
  const depths = new Map<number, number>();
  const root = compileLevel(specs, { rows: 'src', keys: [] }, b, ctx, depths);
  const metrics = [...root.metrics.values()];
  if (metrics.length) {
    const aggs = metrics.flatMap((m) => m.aggs).join(', ');
    const preps = metrics.flatMap((m) => m.preps);
    const outs = metrics.flatMap((m) => m.outs).join(', ');
    b.output(`SELECT 0 AS _n, ${outs} FROM (SELECT *${preps.map((p) => `, ${p}`).join('')} FROM (SELECT ${aggs} FROM src))`);
  }
  return {
    statement: b.statement(ctx),
    depths,
    render: (results) => renderLevel(root.entries, results.root, [], results),
  };
}

/**
 * A bucket aggregation without metrics of its own and without a limit on its buckets lets its
 * first sub-bucket aggregation with scalar keys count its documents: that child groups every
 * parent row (keyless ones under a NULL key) and the parent's counts are sums of its groups,
 * which saves a GROUP BY over the rows (date_histogram → terms is the dashboard classic).
 */
interface ParentCounts {
  /** The CTE name the parent's grouped buckets (`g<id>`) must have. */
  group: string;
  keys: KeyCol[];
  done: boolean;
}

/**
 * Compiles sibling aggregations. Metrics come first: their columns decide how the enclosing bucket
 * orders and limits its buckets (`beforeBuckets`), which sub-buckets' rows must know.
 */
function compileLevel(
  specs: AggSpec[],
  level: Level,
  b: SqlBuilder,
  ctx: AggContext,
  depths: Map<number, number>,
  beforeBuckets?: (metrics: Map<string, MetricSql>) => ParentCounts | undefined,
): LevelPlan {
  const metrics = new Map<string, MetricSql>();
  const entries: Entry[] = [];
  const buckets: number[] = [];
  specs.forEach((spec, i) => {
    if (isPipelineConf(spec.conf)) {
      const conf = spec.conf;
      const kind = PARENT_PIPELINES.has(conf.kind) ? 'parent_pipeline' : 'sibling_pipeline';
      entries.push({ spec, kind, render: () => conf });
    } else if (isBucketConf(spec.conf)) {
      buckets.push(i);
      entries.push({ spec, kind: 'bucket', render: () => undefined });
    } else {
      const m = spec.conf.kind === 'top_hits' ? compileTopHits(spec.conf, b.id(), ctx) : compileMetric(spec, b.id(), ctx);
      metrics.set(spec.name, m);
      entries.push({ spec, kind: 'metric', render: (row) => m.render(row) });
    }
  });
  const share = beforeBuckets?.(metrics);
  for (const i of buckets) entries[i].render = compileBucket(specs[i], level, b, ctx, depths, share);
  return { entries, metrics };
}

function compileBucket(spec: AggSpec, level: Level, b: SqlBuilder, ctx: AggContext, depths: Map<number, number>, parent?: ParentCounts): Render {
  const id = b.id();
  const plan: BucketPlan = BUCKETS[spec.conf.kind as keyof typeof BUCKETS](spec, ctx, level);
  // Key columns join the source's field columns in the rows relation: an unlikely prefix keeps them apart.
  const names = plan.keys.map((_, j) => `__k${id}_${j}`);
  const own: KeyCol[] = plan.keys.map((d, j) => ({ name: names[j], out: d.out(names[j]) }));
  const pathKeys = [...level.keys, ...own];
  const keyList = pathKeys.map((k) => k.name).join(', ');
  const source = plan.allDocs ? 'alldocs' : level.rows;
  if (plan.allDocs) b.usesAllDocs = true;
  b.cte(`r${id}`, rowsSql(level, plan.keys, names, source), false);
  const countsParent = parent && !parent.done && !plan.allDocs && plan.keys.every((k) => !k.list && !k.keepNull) ? parent : undefined;
  if (countsParent) b.cte(`x${id}`, rowsSql(level, plan.keys, names, source, true), false);

  const childLevel: Level = { rows: `r${id}`, keys: pathKeys };
  let selection: Selection | undefined;
  let mine: ParentCounts | undefined;
  const children = compileLevel(spec.subs, childLevel, b, ctx, depths, (metrics) => {
    const aggCols = [...metrics.values()].flatMap((m) => m.aggs).map((a) => `, ${a}`).join('');
    if (countsParent) {
      const parentList = countsParent.keys.map((k) => k.name).join(', ');
      b.cte(`a${id}`, `SELECT ${keyList}, count(*) AS dc${aggCols} FROM x${id} GROUP BY ${keyList}`, true);
      b.cte(countsParent.group, `SELECT ${parentList}, sum(dc) AS dc FROM a${id} GROUP BY ${parentList}`, true);
      b.cte(`g${id}`, `SELECT * FROM a${id} WHERE ${own.map((k) => `${k.name} IS NOT NULL`).join(' AND ')}`, true);
      countsParent.done = true;
    } else if (metrics.size > 0 || plan.select) {
      b.cte(`g${id}`, `SELECT ${keyList}, count(*) AS dc${aggCols} FROM r${id} GROUP BY ${keyList}`, true);
    } else {
      // Maybe a sub-bucket aggregation counts this one's documents; else `g<id>` comes after them.
      mine = { group: `g${id}`, keys: pathKeys, done: false };
      return mine;
    }
    selection = plan.select?.({ group: `g${id}`, id, pathKeys, parentKeys: level.keys, metrics, b });
    if (selection?.limited) childLevel.selected = selection.rel;
    return undefined;
  });
  if (mine && !mine.done) b.cte(`g${id}`, `SELECT ${keyList}, count(*) AS dc FROM r${id} GROUP BY ${keyList}`, true);
  const metrics = [...children.metrics.values()];
  const preps = metrics.flatMap((m) => m.preps).map((p) => `, ${p}`).join('');
  const outs = [
    `${id} AS _n`,
    ...pathKeys.map((k, j) => `${k.out} AS b${id}_k${j}`),
    `dc::DOUBLE AS b${id}_dc`,
    ...(selection?.outs ?? []),
    ...metrics.flatMap((m) => m.outs),
  ];
  b.output(`SELECT ${outs.join(', ')} FROM (SELECT *${preps} FROM ${selection?.rel ?? `g${id}`})`);
  depths.set(id, level.keys.length);

  const pipelines: NamedPipeline[] = children.entries
    .filter((e) => e.kind === 'parent_pipeline')
    .map((e) => ({ name: e.spec.name, conf: e.spec.conf as PipelineConf }));
  const depth = level.keys.length;
  return (_parentRow, path, results) => {
    const rows = results.nodes.get(id)?.get(path) ?? [];
    return plan.render({
      rows,
      key: (row, j) => row[`b${id}_k${depth + j}`],
      docCount: (row) => num(row?.[`b${id}_dc`]) ?? 0,
      sub: (row, keys) => renderLevel(children.entries, row, [...path, ...keys], results),
      pipelines: (buckets) => applyParentPipelines(buckets, pipelines),
      col: (row, name) => row[`b${id}_${name}`],
    });
  };
}

/** One level's aggregation results by name (each an Elasticsearch aggregate object). */
export type AggResults = Record<string, Record<string, unknown>>;

function renderLevel(entries: Entry[], parentRow: Row | undefined, path: unknown[], results: Results): AggResults {
  const out: AggResults = {};
  for (const e of entries) {
    if (e.kind === 'metric' || e.kind === 'bucket') out[e.spec.name] = withMeta(e.spec, e.render(parentRow, path, results) as Record<string, unknown>);
  }
  for (const e of entries) {
    if (e.kind === 'sibling_pipeline') out[e.spec.name] = withMeta(e.spec, siblingPipeline(e.spec.name, e.spec.conf as PipelineConf, out));
  }
  return out;
}

/** Elasticsearch writes `meta` first in an aggregation's result. */
function withMeta(spec: AggSpec, body: Record<string, unknown>): Record<string, unknown> {
  return spec.meta ? { meta: spec.meta, ...body } : body;
}

/** Files the statement's rows by node and parent path. */
export function fileRows(rows: Row[], depths: Map<number, number>): Results {
  const results: Results = { nodes: new Map() };
  for (const row of rows) {
    const id = num(row._n)!;
    if (id === 0) {
      results.root = row;
      continue;
    }
    let index = results.nodes.get(id);
    if (!index) results.nodes.set(id, (index = new PathIndex()));
    index.add(parentPath(row, id, depths.get(id)!), row);
  }
  return results;
}
