/**
 * Prometheus remote write 1.0 receiver: `POST /api/v1/write`, a snappy-compressed protobuf
 * WriteRequest (decoded by the body layer and metrics/remote-write.ts). A real Prometheus or
 * Grafana Agent ships metrics here with `sigv4` (any service name; region as configured) or
 * `basic_auth` (with --es-basic-auth). The target dataset is the `X-Infino-Dataset` header, else
 * the `dataset` query parameter, else `prometheus`.
 *
 * Answers as Prometheus's receiver does: 204 when everything was stored; 400 (not retried by
 * senders) naming what was refused — series without a metric name or with invalid label names —
 * after storing every valid series of the request.
 */
import { ApiError, badRequest } from '../../errors.js';
import { decodeWriteRequest } from '../../metrics/remote-write.js';
import { BatchBuilder } from '../../metrics/batch.js';
import { normalizeLabels } from '../../promql/values.js';
import type { AppRouter } from '../context.js';
import { validateDatasetName } from '../names.js';

export const DEFAULT_REMOTE_WRITE_DATASET = 'prometheus';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function registerRemoteWriteRoutes(router: AppRouter): void {
  router.add('POST', '/api/v1/write', async (ctx) => {
    const header = ctx.request.headers['x-infino-dataset'];
    const dataset = validateDatasetName((Array.isArray(header) ? header[0] : header) || ctx.query.get('dataset') || DEFAULT_REMOTE_WRITE_DATASET);
    if (!ctx.body || ctx.body.length === 0) throw badRequest('empty remote write request: expected a snappy-compressed protobuf WriteRequest', 'parse_exception');
    let request;
    try {
      request = decodeWriteRequest(ctx.body);
    } catch (e) {
      throw badRequest(`the body is not a protobuf WriteRequest (remote write 1.0, Content-Encoding: snappy): ${(e as Error).message}`, 'parse_exception');
    }
    const batch = new BatchBuilder(request.series.reduce((n, s) => n + s.t.length, 0));
    const refused: string[] = [];
    for (const s of request.series) {
      const problem = invalidLabels(s.labels);
      if (problem) {
        refused.push(problem);
        continue;
      }
      const labels = normalizeLabels(s.labels);
      const ref = batch.series.length;
      batch.series.push({ labels, key: JSON.stringify(labels) });
      for (let i = 0; i < s.t.length; i++) batch.push(ref, s.t[i], s.v[i]);
    }
    const samples = batch.finish();
    const metadata = new Map(request.metadata.map((m) => [m.metric, { type: m.type, help: m.help, unit: m.unit }]));
    if (samples.length > 0) await ctx.deps.datasets.ingestSamples(ctx.principal, dataset, samples, metadata);
    if (refused.length > 0) {
      const err = new ApiError(400, 'parse_exception', `${refused.length} series refused, ${samples.length} samples stored: ${refused.slice(0, 5).join('; ')}`);
      err.extra = { accepted: samples.length, rejected: refused.length };
      throw err;
    }
    ctx.reply.code(204).send();
    return undefined;
  });
}

function invalidLabels(labels: Record<string, string>): string | undefined {
  if (!labels.__name__) return `a series without a metric name (${JSON.stringify(labels)})`;
  for (const name of Object.keys(labels)) if (!LABEL_NAME.test(name)) return `invalid label name "${name}" in ${labels.__name__}`;
  return undefined;
}
