/**
 * Elasticsearch aggregations over DuckDB. `parseAggregations` validates a search body's `aggs`;
 * `executeAggregations` compiles the whole tree into one SQL statement over the executor's source
 * relation, runs it, and renders Elasticsearch 8's `aggregations` object.
 */
import { type AggResults, compileAggs, fileRows } from './compile.js';
import type { AggContext, AggSpec } from './types.js';

export { parseAggregations, type QueryParser } from './parse.js';

export async function executeAggregations(specs: AggSpec[], ctx: AggContext): Promise<AggResults> {
  const compiled = compileAggs(specs, ctx);
  const rows = compiled.statement === undefined ? [] : await ctx.run(compiled.statement);
  return compiled.render(fileRows(rows, compiled.depths));
}
