/** Bucket orders (`_count`, `_key`, a metric sub-aggregation path) as SQL ORDER BY items. */
import type { OrderKey } from './config.js';
import { illegalArgument } from './errors.js';
import type { MetricSql } from './metrics.js';

/** `name`, `name.value_key` or `name[value_key]`. */
export function splitPath(path: string): { name: string; sub?: string } {
  const m = /^([^.[\]>]+)(?:\.(.+)|\[([^\]]+)\])?$/.exec(path);
  if (!m) return { name: path };
  return { name: m[1], sub: m[2] ?? m[3] };
}

/**
 * ORDER BY items for `order`, with `_key` ascending appended as the tie-breaker (Elasticsearch's
 * compound order). A metric value that does not exist (NaN in ES) sorts as the greatest value.
 */
export function orderSql(order: OrderKey[], keyCols: string[], metrics: Map<string, MetricSql>, aggName: string): string {
  const items: string[] = [];
  for (const o of order) {
    const dir = o.asc ? 'ASC NULLS LAST' : 'DESC NULLS FIRST';
    if (o.path === '_count') items.push(`dc ${dir}`);
    else if (o.path === '_key') items.push(...keyCols.map((k) => `${k} ${dir}`));
    else items.push(`${metricOrder(o.path, metrics, aggName)} ${dir}`);
  }
  if (!order.some((o) => o.path === '_key')) items.push(...keyCols.map((k) => `${k} ASC`));
  return items.join(', ');
}

function metricOrder(path: string, metrics: Map<string, MetricSql>, aggName: string): string {
  if (path.includes('>')) {
    throw illegalArgument(`Invalid aggregation order path [${path}] in [${aggName}]: ordering by a value inside a sub-bucket aggregation is not supported`);
  }
  const { name, sub } = splitPath(path);
  const metric = metrics.get(name);
  if (!metric) {
    throw illegalArgument(
      `Invalid aggregation order path [${path}]. The provided aggregation [${name}] either does not exist, or is a pipeline aggregation and cannot be used to sort the buckets.`,
    );
  }
  return metric.order(sub);
}
