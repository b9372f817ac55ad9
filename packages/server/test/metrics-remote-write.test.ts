/** Remote write 1.0 decoding: snappy block bodies and the prompb WriteRequest subset we store. */
import snappy from 'snappy';
import { describe, expect, it } from 'vitest';
import { decodeContentEncoding } from '../src/http/body.js';
import { decodeWriteRequest, encodeWriteRequest, type RemoteSeries } from '../src/metrics/remote-write.js';
import { isStale, STALE_NAN } from '../src/promql/values.js';

describe('remote write decoding', () => {
  it('round-trips series, labels and samples through snappy + protobuf', () => {
    const series: RemoteSeries[] = [
      { labels: { __name__: 'up', job: 'api', instance: 'a:9090' }, samples: [{ t: 1_700_000_000_000, v: 1 }, { t: 1_700_000_015_000, v: 0 }] },
      { labels: { __name__: 'temp', room: 'ü' }, samples: [{ t: 1_700_000_000_123, v: -3.25 }] },
    ];
    const body = snappy.compressSync(Buffer.from(encodeWriteRequest(series)));
    const decoded = decodeWriteRequest(decodeContentEncoding(body as Buffer, 'snappy', 1 << 20));
    expect(decoded.series.map((s) => ({ labels: s.labels, samples: Array.from(s.t, (t, i) => ({ t, v: s.v[i] })) }))).toEqual(series);
    expect(decoded.skipped).toBe(0);
  });

  it('decodes negative and large timestamps, keeps a staleness marker bit for bit, skips unknown fields', () => {
    const bytes = encodeWriteRequest([
      { labels: { __name__: 'm' }, samples: [{ t: -1_500, v: 2.5 }, { t: 2 ** 52 + 1, v: STALE_NAN }, { t: 0, v: -0 }] },
      { labels: { __name__: 'empty' }, samples: [] },
    ]);
    // An unknown varint field (15) and an unknown fixed32 field (16) at the end of the request.
    const decoded = decodeWriteRequest(new Uint8Array([...bytes, 0x78, 0x96, 0x01, 0x85, 0x01, 1, 2, 3, 4]));
    expect(decoded.series).toHaveLength(1);
    const [s] = decoded.series;
    expect(Array.from(s.t)).toEqual([-1_500, 2 ** 52 + 1, 0]);
    expect(s.v[0]).toBe(2.5);
    expect(isStale(s.v[1])).toBe(true);
    expect(Object.is(s.v[2], -0)).toBe(true);
  });

  it('counts exemplars and native histograms as skipped and decodes metadata', () => {
    // TimeSeries{labels{name:"a" value:"1"}, samples{value:1 timestamp:5}, exemplars{}, histograms{}}
    const ts = [0x0a, 0x06, 0x0a, 0x01, 0x61, 0x12, 0x01, 0x31, 0x12, 0x0b, 0x09, 0, 0, 0, 0, 0, 0, 0xf0, 0x3f, 0x10, 0x05, 0x1a, 0x00, 0x22, 0x00];
    // MetricMetadata{type: COUNTER, metric_family_name: "a", help: "h", unit: "u"}
    const md = [0x08, 0x01, 0x12, 0x01, 0x61, 0x22, 0x01, 0x68, 0x2a, 0x01, 0x75];
    const decoded = decodeWriteRequest(new Uint8Array([0x0a, ts.length, ...ts, 0x1a, md.length, ...md]));
    expect(decoded.series.map((s) => [s.labels, Array.from(s.t), Array.from(s.v)])).toEqual([[{ a: '1' }, [5], [1]]]);
    expect(decoded.skipped).toBe(2);
    expect(decoded.metadata).toEqual([{ metric: 'a', type: 'counter', help: 'h', unit: 'u' }]);
  });

  it('refuses oversized and corrupt snappy bodies with 4xx', () => {
    const big = snappy.compressSync(Buffer.alloc(2048, 1)) as Buffer;
    expect(() => decodeContentEncoding(big, 'snappy', 1024)).toThrow(expect.objectContaining({ status: 413 }));
    expect(() => decodeContentEncoding(Buffer.from([0x05, 0xff, 0xff]), 'snappy', 1024)).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('refuses malformed protobuf', () => {
    expect(() => decodeWriteRequest(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f]))).toThrow();
    expect(() => decodeWriteRequest(new Uint8Array([0x0a, 0x05, 0x12, 0x03, 0x09, 0x00]))).toThrow(); // a sample cut short
    expect(() => decodeWriteRequest(new Uint8Array([0x0b]))).toThrow(/wire type/); // a group (wire type 3)
    expect(() => decodeWriteRequest(new Uint8Array([0x08, 0x80]))).toThrow(); // a varint cut short
  });
});
