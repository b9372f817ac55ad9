import type { SqlResult } from './types/sql.js';

/**
 * A SQL result's rows as objects keyed by column name (what `sql_analytics.py`-style code reads with
 * `row.get('name')`). When two columns share a name, the later one wins, as in a JS object literal.
 */
export function sqlRowObjects<T extends Record<string, unknown> = Record<string, unknown>>(result: Pick<SqlResult, 'columns' | 'rows'>): T[] {
  const names = result.columns.map((c) => c.name);
  return result.rows.map((row) => Object.fromEntries(names.map((n, i) => [n, row[i]])) as T);
}
