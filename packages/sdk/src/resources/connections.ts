/** Source catalogue, connections and import jobs (spec §5). `upload_file` (multipart) is not implemented yet. */
import { pythonJsonDumps } from '../core/encoding.js';
import { APIResource, expectArray } from '../core/resource.js';
import type { Acknowledged, RequestOptions } from '../types/common.js';
import type {
  Connection,
  ConnectionConfig,
  ConnectorJobStatus,
  ImportJob,
  ImportJobConfig,
  Source,
} from '../types/connections.js';

export class ConnectionsResource extends APIResource {
  /** `GET /sources`; must be an array. */
  async getSources(options?: RequestOptions): Promise<Source[]> {
    return expectArray(await this.client.request('GET', 'sources', options), 'Expected list of sources');
  }

  /** `GET /sources/connections`; must be an array. */
  async getConnections(options?: RequestOptions): Promise<Connection[]> {
    return expectArray(await this.client.request('GET', 'sources/connections', options), 'Expected list of connections');
  }

  /** `POST /source/{sourceType}` with `{"config": config}`. */
  createConnection(sourceType: string, config: ConnectionConfig, options?: RequestOptions): Promise<Connection> {
    return this.client.request('POST', `source/${sourceType}`, { ...options, body: pythonJsonDumps({ config }) });
  }

  /** `GET /source/{connectionId}`. */
  getConnection(connectionId: string, options?: RequestOptions): Promise<Connection> {
    return this.client.request('GET', `source/${connectionId}`, options);
  }

  /** `PATCH /source/{connectionId}` with `{"config": config}`. */
  updateConnection(connectionId: string, config: ConnectionConfig, options?: RequestOptions): Promise<Connection> {
    return this.client.request('PATCH', `source/${connectionId}`, { ...options, body: pythonJsonDumps({ config }) });
  }

  /** `DELETE /source/{connectionId}`. */
  deleteConnection(connectionId: string, options?: RequestOptions): Promise<Acknowledged> {
    return this.client.request('DELETE', `source/${connectionId}`, options);
  }

  /** `GET /source/{connectionId}/{dataset}/metadata`, header `x-infino-connection-id`, no Content-Type. */
  getSourceMetadata(connectionId: string, dataset: string, options?: RequestOptions): Promise<Record<string, unknown>> {
    return this.client.request('GET', `source/${connectionId}/${dataset}/metadata`, {
      ...options,
      headers: { 'x-infino-connection-id': connectionId },
    });
  }

  /** `GET /_connectors/jobs/{runId}`. */
  getConnectorJobStatus(runId: string, options?: RequestOptions): Promise<ConnectorJobStatus> {
    return this.client.request('GET', `_connectors/jobs/${runId}`, options);
  }

  /** `PUT /import/{sourceType}`. */
  createImportJob(sourceType: string, config: ImportJobConfig, options?: RequestOptions): Promise<ImportJob> {
    return this.client.request('PUT', `import/${sourceType}`, { ...options, body: pythonJsonDumps(config) });
  }

  /** `GET /import/jobs`; must be an array. */
  async getImportJobs(options?: RequestOptions): Promise<ImportJob[]> {
    return expectArray(await this.client.request('GET', 'import/jobs', options), 'Expected list of jobs');
  }

  /** `DELETE /import/jobs/{jobId}`. */
  deleteImportJob(jobId: string, options?: RequestOptions): Promise<Acknowledged> {
    return this.client.request('DELETE', `import/jobs/${jobId}`, options);
  }
}
