/**
 * Prometheus remote write 1.0: a snappy-compressed (block format) protobuf `WriteRequest`
 * (prometheus/prompb/remote.proto, types.proto). Only what we store is decoded: series labels,
 * float samples, and metric metadata; exemplars and native histograms are skipped (and counted,
 * so the response can say so).
 */
import protobuf from 'protobufjs';
import { decodePrompbWriteRequest, type DecodedMetadata, type DecodedSeries } from './prompb.js';

// The prompb subset as a protobufjs JSON descriptor (field numbers from the .proto files), for
// encoding only; decoding is prompb.ts's, into typed arrays.
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

export interface RemoteSeries {
  labels: Record<string, string>;
  samples: Array<{ t: number; v: number }>;
}

export interface RemoteWrite {
  series: DecodedSeries[];
  metadata: DecodedMetadata[];
  /** Native-histogram samples and exemplars that were not stored. */
  skipped: number;
}

/** Decodes an (already decompressed) WriteRequest; throws on malformed protobuf. */
export function decodeWriteRequest(bytes: Uint8Array): RemoteWrite {
  return decodePrompbWriteRequest(bytes);
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
