/**
 * PromQL for the HTTP layer: picks the metric datasets a query reads (the `index` parameter, or
 * every metric dataset the caller may read), checks each through the policy, and runs the query
 * with the server's limits. Both the Infino routes (`/promql/query*`) and the Prometheus API
 * (`/api/v1/*`) come through here.
 */
import type { MetricsEngine } from '../engine/types.js';
import type { Policy } from '../policy/policy.js';
import type { Principal } from '../policy/principal.js';
import type { Expr, LabelMatcher } from './ast.js';
import { evaluate } from './engine.js';
import { PromqlError } from './errors.js';
import { parsePromql } from './parser.js';
import type { Labels, Value } from './values.js';

/** What PromQL reads from the metrics store. */
export type MetricsStore = Pick<MetricsEngine, 'metricDatasets' | 'metricsSource' | 'labelNames' | 'labelValues' | 'series' | 'metadata'>;

/** Per-request options: the datasets (`index`), a shorter timeout, another lookback delta. */
export interface QueryOptions {
  index?: string;
  timeoutMs?: number;
  lookbackDeltaMs?: number;
}

export interface PromqlLimits {
  /** Default and maximum query time. */
  timeoutMs: number;
  /** Most samples a query may hold in memory at once. */
  maxSamples: number;
  /** Most points per series a range query may return (Prometheus: 11,000). */
  maxPoints: number;
}

export class PromqlService {
  constructor(
    private readonly store: MetricsStore,
    private readonly policy: Policy,
    private readonly limits: PromqlLimits,
  ) {}

  /** The datasets a request reads: `index` (comma-separated) or all the caller may read. */
  datasets(p: Principal, index: string | undefined): string[] {
    const all = this.store.metricDatasets();
    if (index === undefined || index === '') return all.filter((d) => this.policy.allows(p, 'read', d));
    const names = index.split(',').map((s) => s.trim()).filter(Boolean);
    for (const n of names) {
      this.policy.authorize(p, 'read', n);
      if (!all.includes(n)) throw new PromqlError('not_found', `dataset [${n}] has no metrics (no such index)`);
    }
    return names;
  }

  async instant(p: Principal, query: string, timeMs: number, opts: QueryOptions): Promise<Value> {
    return this.run(p, query, timeMs, timeMs, 0, opts);
  }

  async range(
    p: Principal,
    query: string,
    startMs: number,
    endMs: number,
    stepMs: number,
    opts: QueryOptions,
  ): Promise<Value> {
    if (endMs < startMs) throw new PromqlError('bad_data', 'invalid parameter "end": end timestamp must not be before start time');
    if (stepMs <= 0) throw new PromqlError('bad_data', 'invalid parameter "step": zero or negative query resolution step widths are not accepted. Try a positive integer');
    if ((endMs - startMs) / stepMs > this.limits.maxPoints) {
      throw new PromqlError('bad_data', `exceeded maximum resolution of ${this.limits.maxPoints} points per timeseries. Try decreasing the query resolution (?step=XX)`);
    }
    return this.run(p, query, startMs, endMs, stepMs, opts);
  }

  private async run(
    p: Principal,
    query: string,
    startMs: number,
    endMs: number,
    stepMs: number,
    opts: QueryOptions,
  ): Promise<Value> {
    const expr: Expr = parsePromql(query, { startMs, endMs, stepMs });
    const datasets = this.datasets(p, opts.index);
    const timeoutMs = Math.min(opts.timeoutMs ?? this.limits.timeoutMs, this.limits.timeoutMs);
    return evaluate(expr, {
      startMs,
      endMs,
      stepMs,
      lookbackDeltaMs: opts.lookbackDeltaMs,
      maxSamples: this.limits.maxSamples,
      deadline: performance.now() + timeoutMs,
      source: this.store.metricsSource(datasets),
    });
  }

  async series(p: Principal, matchers: string[], startMs?: number, endMs?: number, index?: string): Promise<Labels[]> {
    if (matchers.length === 0) throw new PromqlError('bad_data', 'no match[] parameter provided');
    return this.store.series(this.datasets(p, index), matchers.map(selectorMatchers), startMs, endMs);
  }

  async labelNames(p: Principal, matchers: string[], startMs?: number, endMs?: number, index?: string): Promise<string[]> {
    return this.store.labelNames(this.datasets(p, index), matchers.map(selectorMatchers), startMs, endMs);
  }

  async labelValues(p: Principal, name: string, matchers: string[], startMs?: number, endMs?: number, index?: string): Promise<string[]> {
    return this.store.labelValues(this.datasets(p, index), name, matchers.map(selectorMatchers), startMs, endMs);
  }

  async metadata(p: Principal, metric?: string, index?: string) {
    return this.store.metadata(this.datasets(p, index), metric);
  }
}

/** A `match[]` parameter: a series selector such as `up{job="api"}`. */
function selectorMatchers(text: string): LabelMatcher[] {
  const expr = parsePromql(text);
  if (expr.type !== 'vector_selector') throw new PromqlError('bad_data', `invalid parameter "match[]": 1:1: parse error: expected a series selector, got ${text}`);
  return expr.matchers;
}
