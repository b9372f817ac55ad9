/** QueryDSL, SQL, PromQL and connector-source queries (spec §2.3, §5.3). */
import { pythonJsonDumps, pythonQuote } from '../core/encoding.js';
import { APIResource, jsonText } from '../core/resource.js';
import type { RequestOptions } from '../types/common.js';
import type { Document } from '../types/datasets.js';
import type { PromqlNumber, PromqlResponse, PromqlTime, QueryDsl, SearchResponse } from '../types/queries.js';
import type { SqlOptions, SqlResult } from '../types/sql.js';
import type { SourceQueryResponse } from '../types/connections.js';

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

/** Dates go as epoch milliseconds (the server reads numbers above 1e11 as ms); other values as Python's str() would. */
const promqlTime = (t: PromqlTime) => (t instanceof Date ? String(t.getTime()) : String(t));

export class QueriesResource extends APIResource {
  /**
   * QueryDSL search on `/{dataset}/querydsl`. Python sends GET with a body, which `fetch` cannot do, so the
   * client's `queryMethod` (default POST, which the server also accepts) decides the method.
   */
  queryDatasetInQuerydsl<T = Document>(
    dataset: string,
    query: QueryDsl,
    options?: RequestOptions,
  ): Promise<SearchResponse<T>> {
    return this.client.request(this.client.queryMethod, `${dataset}/querydsl`, { ...options, body: jsonText(query) });
  }

  /**
   * SQL on `/sql` with Python's exact body `{"query": "<sql>"}` (method: see `queryMethod`); `sql`
   * options add `max_rows` / `timeout_ms`. Rows are arrays; `sqlRowObjects(result)` keys them by column.
   */
  queryDatasetInSql<Row extends readonly unknown[] = unknown[]>(
    query: string,
    options?: RequestOptions & { sql?: SqlOptions },
  ): Promise<SqlResult<Row>> {
    const { sql, ...rest } = options ?? {};
    return this.client.request(this.client.queryMethod, 'sql', { ...rest, body: pythonJsonDumps({ query, ...sql }) });
  }

  /**
   * `POST /promql/query`, form body `query=<quote(q)>[&index=<quote(ds)>]` (Python `quote`, `/` kept);
   * `options.time` (beyond Python) evaluates at that instant instead of now.
   */
  queryDatasetInPromql(query: string, dataset?: string, options?: RequestOptions & { time?: PromqlTime }): Promise<PromqlResponse> {
    const { time, ...rest } = options ?? {};
    let body = `query=${pythonQuote(query)}`;
    if (time !== undefined) body += `&time=${promqlTime(time)}`;
    if (dataset) body += `&index=${pythonQuote(dataset)}`;
    return this.client.request('POST', 'promql/query', { ...rest, headers: FORM, body });
  }

  /**
   * `POST /promql/query_range`; numbers rendered like Python `str()` (pass strings for exact text).
   * `start`/`end` may be Dates (sent as epoch ms), Unix seconds or epoch ms; `step` is seconds.
   */
  queryDatasetInPromqlRange(
    query: string,
    start: PromqlTime,
    end: PromqlTime,
    step: PromqlNumber,
    dataset?: string,
    options?: RequestOptions,
  ): Promise<PromqlResponse> {
    let body = `query=${pythonQuote(query)}&start=${promqlTime(start)}&end=${promqlTime(end)}&step=${step}`;
    if (dataset) body += `&index=${pythonQuote(dataset)}`;
    return this.client.request('POST', 'promql/query_range', { ...options, headers: FORM, body });
  }

  /**
   * `POST /source/{connectionId}/{dataset}/dsl` with `{"query": "<text>"}`, header `x-infino-connection-id`
   * and — because a custom header is given — no Content-Type (Python parity). Objects are stringified first:
   * the wire format always carries the query as a string.
   */
  querySource(
    connectionId: string,
    dataset: string,
    query: string | object,
    options?: RequestOptions,
  ): Promise<SourceQueryResponse> {
    return this.client.request('POST', `source/${connectionId}/${dataset}/dsl`, {
      ...options,
      headers: { 'x-infino-connection-id': connectionId },
      body: pythonJsonDumps({ query: jsonText(query) }),
    });
  }
}
