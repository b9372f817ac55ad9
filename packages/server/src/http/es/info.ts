/**
 * `GET /` as Elasticsearch answers it. The Infino SDK's `ping()` reads `version` as a string while
 * Elasticsearch tools read `version.number`, so the two bodies cannot be merged: the ES body goes to
 * requests that identify as Elasticsearch tooling, the Infino one to everyone else.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { SERVER_VERSION } from '../../version.js';

export const CLUSTER_NAME = 'infino';
/** The Elasticsearch release whose API and semantics we follow. */
export const ES_VERSION = '8.15.0';
/** Per process: nothing reads it beyond "is a string"; ES's own is persistent per cluster. */
const CLUSTER_UUID = randomBytes(16).toString('base64url').slice(0, 22);

const ES_USER_AGENT = /elasticsearch|elastic-transport|opensearch|grafana|kibana|logstash|beats|fluent/i;

/**
 * Elasticsearch clients announce themselves: the official ones send `x-elastic-client-meta` and
 * a `vnd.elasticsearch` media type; the rest (OpenSearch clients, Grafana, Beats) by user agent.
 */
export function wantsEsInfo(headers: IncomingHttpHeaders): boolean {
  if (headers['x-elastic-client-meta'] !== undefined) return true;
  const accept = String(headers.accept ?? '');
  if (accept.includes('vnd.elasticsearch')) return true;
  return ES_USER_AGENT.test(String(headers['user-agent'] ?? ''));
}

export function esInfo(): Record<string, unknown> {
  return {
    name: CLUSTER_NAME,
    cluster_name: CLUSTER_NAME,
    cluster_uuid: CLUSTER_UUID,
    version: {
      number: ES_VERSION,
      build_flavor: 'default',
      build_type: 'tar',
      build_hash: `infino-${SERVER_VERSION}`,
      build_date: '2024-08-05T10:05:34.233336849Z',
      build_snapshot: false,
      lucene_version: '9.11.1',
      minimum_wire_compatibility_version: '7.17.0',
      minimum_index_compatibility_version: '7.0.0',
    },
    tagline: 'You Know, for Search',
  };
}

/** The fields of the ES body that fit beside the Infino ping body (curl users see both names). */
export const esInfoExtras = () => ({ cluster_uuid: CLUSTER_UUID });
