/** Datasets, documents, bulk upload and metrics (spec §2.1–2.2). */
import { pythonJsonDumps } from '../core/encoding.js';
import { InfinoError } from '../core/errors.js';
import { APIResource, expectArray, jsonText } from '../core/resource.js';
import type { Acknowledged, RequestOptions } from '../types/common.js';
import type {
  BulkOperation,
  BulkPayload,
  BulkResponse,
  CreateDatasetResponse,
  DatasetMetadata,
  DatasetSchema,
  DeleteByQueryResponse,
  Document,
  EnrichPolicy,
  GetRecordResponse,
  PingResponse,
} from '../types/datasets.js';
import type { SqlWriteResult } from '../types/sql.js';

/** Serialise a bulk operation as its NDJSON lines (action line, then the source line unless delete). */
function operationLines(op: BulkOperation): string[] {
  if ('delete' in op) return [JSON.stringify({ delete: op.delete })];
  if ('update' in op) {
    const src: Record<string, unknown> = { doc: op.doc };
    if (op.docAsUpsert) src.doc_as_upsert = true;
    return [JSON.stringify({ update: op.update }), JSON.stringify(src)];
  }
  if ('create' in op) return [JSON.stringify({ create: op.create }), JSON.stringify(op.doc)];
  return [JSON.stringify({ index: op.index }), JSON.stringify(op.doc)];
}

/** Turn any {@link BulkPayload} into the exact NDJSON text sent (always newline-terminated). */
export function toNdjson(payload: BulkPayload): string {
  let text: string;
  if (typeof payload === 'string') text = payload;
  else if (Array.isArray(payload)) text = payload.flatMap((doc) => ['{"index":{}}', JSON.stringify(doc)]).join('\n');
  else text = (payload as { operations: readonly BulkOperation[] }).operations.flatMap(operationLines).join('\n');
  return text.endsWith('\n') ? text : text + '\n';
}

export class DatasetsResource extends APIResource {
  /** `GET /` — health/version. */
  ping(options?: RequestOptions): Promise<PingResponse> {
    return this.client.request('GET', '', options);
  }

  /** `PUT /{dataset}`; a 409 (already exists) resolves to `{acknowledged: true, index}` like Python. */
  async createDataset(dataset: string, options?: RequestOptions): Promise<CreateDatasetResponse> {
    try {
      return await this.client.request<CreateDatasetResponse>('PUT', dataset, options);
    } catch (err) {
      if (err instanceof InfinoError && err.status === 409) return { acknowledged: true, index: dataset };
      throw err;
    }
  }

  /** `DELETE /{dataset}`. */
  deleteDataset(dataset: string, options?: RequestOptions): Promise<Acknowledged> {
    return this.client.request('DELETE', dataset, options);
  }

  /** `GET /metadata`; must be an array. */
  async getDatasets(options?: RequestOptions): Promise<DatasetMetadata[]> {
    return expectArray(await this.client.request('GET', 'metadata', options), 'Expected list of datasets');
  }

  /** `GET /{dataset}/metadata`: object as is, array → first element (or `{}`), string → `{text}`. */
  async getDatasetMetadata(dataset: string, options?: RequestOptions): Promise<DatasetMetadata> {
    const res = await this.client.request<unknown>('GET', `${dataset}/metadata`, options);
    if (Array.isArray(res)) return (res[0] as DatasetMetadata | undefined) ?? {};
    if (typeof res === 'string') return { text: res };
    if (typeof res === 'object' && res !== null) return res as DatasetMetadata;
    throw new InfinoError('invalid_request', 'Unexpected response from dataset metadata');
  }

  /** `GET /{dataset}/_schema` — field → `{source, infino_type}`. */
  getDatasetSchema(dataset: string, options?: RequestOptions): Promise<DatasetSchema> {
    return this.client.request('GET', `${dataset}/_schema`, options);
  }

  /** `POST /{dataset}/json` with `application/x-ndjson` (see {@link BulkPayload}). */
  uploadJsonToDataset<T extends Document = Document>(
    dataset: string,
    payload: BulkPayload<T>,
    options?: RequestOptions,
  ): Promise<BulkResponse> {
    return this.client.request('POST', `${dataset}/json`, {
      ...options,
      headers: { 'Content-Type': 'application/x-ndjson' },
      body: toNdjson(payload as BulkPayload),
    });
  }

  /** `POST /sql` with `{"query": sql}`: INSERT [… ON CONFLICT (_id) DO …], UPSERT, UPDATE or DELETE. */
  upsertToDataset(query: string, options?: RequestOptions): Promise<SqlWriteResult> {
    return this.client.request('POST', 'sql', { ...options, body: pythonJsonDumps({ query }) });
  }

  /** `POST /{dataset}/metrics`: Prometheus text, labelled form-urlencoded exactly like Python. */
  uploadMetricsToDataset(dataset: string, payload: string, options?: RequestOptions): Promise<string[]> {
    return this.client.request('POST', `${dataset}/metrics`, {
      ...options,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: payload,
    });
  }

  /** `GET /{dataset}/doc/{recordId}`. */
  getRecord<T = Document>(dataset: string, recordId: string, options?: RequestOptions): Promise<GetRecordResponse<T>> {
    return this.client.request('GET', `${dataset}/doc/${recordId}`, options);
  }

  /** `PATCH /{dataset}` with a QueryDSL body (text verbatim, objects as JSON). */
  deleteRecords(dataset: string, query: string | object, options?: RequestOptions): Promise<DeleteByQueryResponse> {
    return this.client.request('PATCH', dataset, { ...options, body: jsonText(query) });
  }

  /** `POST /{dataset}/enrich_dataset` with the policy (text verbatim, objects as JSON). */
  enrichDataset(dataset: string, policy: string | EnrichPolicy, options?: RequestOptions): Promise<Acknowledged> {
    return this.client.request('POST', `${dataset}/enrich_dataset`, { ...options, body: jsonText(policy) });
  }
}
