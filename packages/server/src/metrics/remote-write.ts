/**
 * Prometheus remote write 1.0: a snappy-compressed (block format) protobuf `WriteRequest`
 * (prometheus/prompb/remote.proto, types.proto). Only what we store is decoded: series labels,
 * float samples, and metric metadata; exemplars and native histograms are skipped (and counted,
 * so the response can say so).
 */
import protobuf from 'protobufjs';

// The subset of prompb we read, as a protobufjs JSON descriptor (field numbers from the .proto files).
const root = protobuf.Root.fromJSON({
  nested: {
    prometheus: {
      nested: {
        WriteRequest: {
          fields: {
            timeseries: { rule: 'repeated', type: 'TimeSeries', id: 1 },
            metadata: { rule: 'repeated', type: 'MetricMetadata', id: 3 },
          },
        },
        TimeSeries: {
          fields: {
            labels: { rule: 'repeated', type: 'Label', id: 1 },
            samples: { rule: 'repeated', type: 'Sample', id: 2 },
            exemplars: { rule: 'repeated', type: 'bytes', id: 3 },
            histograms: { rule: 'repeated', type: 'bytes', id: 4 },
          },
        },
        Label: { fields: { name: { type: 'string', id: 1 }, value: { type: 'string', id: 2 } } },
        Sample: { fields: { value: { type: 'double', id: 1 }, timestamp: { type: 'int64', id: 2 } } },
        MetricMetadata: {
          fields: {
            type: { type: 'int32', id: 1 },
            metricFamilyName: { type: 'string', id: 2 },
            help: { type: 'string', id: 4 },
            unit: { type: 'string', id: 5 },
          },
        },
      },
    },
  },
});

const WriteRequest = root.lookupType('prometheus.WriteRequest');

/** prompb MetricMetadata.MetricType, by number. */
const METRIC_TYPES = ['unknown', 'counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset'];

export interface RemoteSeries {
  labels: Record<string, string>;
  samples: Array<{ t: number; v: number }>;
}

export interface RemoteWrite {
  series: RemoteSeries[];
  metadata: Array<{ metric: string; type: string; help: string; unit: string }>;
  /** Native-histogram samples and exemplars that were not stored. */
  skipped: number;
}

interface DecodedRequest {
  timeseries?: Array<{
    labels?: Array<{ name?: string; value?: string }>;
    samples?: Array<{ value?: number; timestamp?: number | { toNumber(): number } }>;
    exemplars?: unknown[];
    histograms?: unknown[];
  }>;
  metadata?: Array<{ type?: number; metricFamilyName?: string; help?: string; unit?: string }>;
}

/** Decodes an (already decompressed) WriteRequest; throws on malformed protobuf. */
export function decodeWriteRequest(bytes: Uint8Array): RemoteWrite {
  const msg = WriteRequest.toObject(WriteRequest.decode(bytes), { longs: Number, defaults: false }) as DecodedRequest;
  let skipped = 0;
  const series: RemoteSeries[] = [];
  for (const ts of msg.timeseries ?? []) {
    const labels: Record<string, string> = {};
    for (const l of ts.labels ?? []) if (l.name !== undefined) labels[l.name] = l.value ?? '';
    skipped += (ts.exemplars?.length ?? 0) + (ts.histograms?.length ?? 0);
    const samples = (ts.samples ?? []).map((s) => ({ t: Number(s.timestamp ?? 0), v: s.value ?? 0 }));
    if (samples.length > 0) series.push({ labels, samples });
  }
  const metadata = (msg.metadata ?? []).map((m) => ({
    metric: m.metricFamilyName ?? '',
    type: METRIC_TYPES[m.type ?? 0] ?? 'unknown',
    help: m.help ?? '',
    unit: m.unit ?? '',
  }));
  return { series, metadata, skipped };
}

/** Encodes a WriteRequest (tests and benchmarks play Prometheus with it). */
export function encodeWriteRequest(series: RemoteSeries[]): Uint8Array {
  const message = WriteRequest.fromObject({
    timeseries: series.map((s) => ({
      labels: Object.entries(s.labels).map(([name, value]) => ({ name, value })),
      samples: s.samples.map((x) => ({ value: x.v, timestamp: x.t })),
    })),
  });
  return WriteRequest.encode(message).finish();
}
