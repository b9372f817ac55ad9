/**
 * Builder ORDER BY cases (protocol §3.7) as data: every order_by spelling × Top-N/bucket mode ×
 * dialect, for `SUM(amount)` by x; the expected statements are spelled from the §3.7 shapes.
 */
import { BUCKET_EXPRESSIONS, type BuilderCase } from './builder-cases.js';

const ORDER_DIALECTS = [
  { name: 'native', connector: null, q: '"', text: 'VARCHAR' },
  { name: 'snowflake', connector: 'snowflake', q: '"', text: 'VARCHAR' },
  { name: 'mysql', connector: 'mysql', q: '`', text: 'CHAR' },
  { name: 'bigquery', connector: 'bigquery', q: '`', text: 'STRING' },
];

/** `X` is the x reference an entry resolves to (column, bucket expression or Top-N alias). */
const ORDER_FORMS: Array<{ name: string; order_by: Array<Record<string, unknown>>; order: string | null; warnings: string[] }> = [
  { name: 'no order_by', order_by: [], order: null, warnings: [] },
  { name: 'metric_id desc', order_by: [{ metric_id: 'm', direction: 'desc' }], order: '<sum_amount> DESC', warnings: [] },
  { name: 'column + function', order_by: [{ column: 'qty', function: 'avg' }], order: 'AVG(<qty>) ASC', warnings: [] },
  { name: 'x column desc', order_by: [{ column: '@x', direction: 'DESC' }], order: 'X DESC', warnings: [] },
  { name: 'alias column', order_by: [{ column: 'sum_amount', direction: 'desc' }], order: '<sum_amount> DESC', warnings: [] },
  { name: 'unknown column', order_by: [{ column: 'zone' }], order: '<zone> ASC', warnings: ['order_by_column_unrecognized'] },
  { name: 'unknown function', order_by: [{ column: 'qty', function: 'p50', direction: 'desc' }], order: '<qty> DESC', warnings: ['order_by_function_unknown', 'order_by_column_unrecognized'] },
  { name: 'unresolved metric_id', order_by: [{ metric_id: 'zz', direction: 'desc' }], order: null, warnings: ['order_by_metric_id_unresolved'] },
  { name: 'two entries, direction clamped', order_by: [{ metric_id: 'm', direction: 'ASC' }, { column: '@x', direction: 'up' }], order: '<sum_amount> ASC, X ASC', warnings: [] },
];

const ORDER_MODES = [
  { name: 'plain', x: 'region', top: null, other: null, warnings: [] as string[] },
  { name: 'top without other', x: 'region', top: 3, other: null, warnings: ['top_n_without_other_bucket_use_limit'] },
  { name: 'top-N + Other', x: 'region', top: 3, other: true, warnings: [] },
  { name: 'day bucket', x: 'ts', bucket: 'day', top: null, other: null, warnings: [] },
  { name: 'day bucket + top-N', x: 'ts', bucket: 'day', top: 3, other: true, warnings: ['top_n_other_bucket_incompatible_with_bucket'] },
];

export function orderCases(): BuilderCase[] {
  const out: BuilderCase[] = [];
  for (const d of ORDER_DIALECTS) {
    for (const mode of ORDER_MODES) {
      for (const form of ORDER_FORMS) {
        const bucket = mode.bucket ? BUCKET_EXPRESSIONS[d.name][mode.bucket] : null;
        const topN = mode.top !== null && mode.other === true && !bucket;
        const x = bucket ?? `<${mode.x}>`;
        const selectX = bucket ? `${bucket} AS <${mode.x}>` : topN
          ? `CASE WHEN <region> IN (SELECT <region> FROM <sales> GROUP BY <region> ORDER BY SUM(<amount>) DESC LIMIT 3) THEN CAST(<region> AS ${d.text}) ELSE 'Other' END AS <region>`
          : x;
        const order = form.order?.replace('X', topN ? '<region>' : x) ?? (topN ? '<sum_amount> DESC' : x);
        const sql = `SELECT ${selectX}, SUM(<amount>) AS <sum_amount> FROM <sales> GROUP BY ${topN ? '1' : x} ORDER BY ${order} LIMIT 50`;
        out.push({
          name: `${d.name} / ${mode.name} / ${form.name}`,
          viz: {
            chart: 'bar',
            connector: d.connector,
            x: mode.bucket ? { column: mode.x, bucket: mode.bucket } : mode.x,
            top: mode.top,
            other_bucket: mode.other,
            metrics: [{ id: 'm', function: 'sum', column: 'amount' }],
            order_by: form.order_by.map((e) => (e.column === '@x' ? { ...e, column: mode.x } : e)),
          },
          sql: sql.replace(/<([^>]+)>/g, (_, n: string) => d.q + n + d.q),
          warnings: [...mode.warnings, ...form.warnings],
        });
      }
    }
  }
  return out;
}
