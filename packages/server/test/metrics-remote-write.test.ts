/** Remote write 1.0 decoding: snappy block bodies and the prompb WriteRequest subset we store. */
import snappy from 'snappy';
import { describe, expect, it } from 'vitest';
import { decodeContentEncoding } from '../src/http/body.js';
import { decodeWriteRequest, encodeWriteRequest, type RemoteSeries } from '../src/metrics/remote-write.js';

describe('remote write decoding', () => {
  it('round-trips series, labels and samples through snappy + protobuf', () => {
    const series: RemoteSeries[] = [
      { labels: { __name__: 'up', job: 'api', instance: 'a:9090' }, samples: [{ t: 1_700_000_000_000, v: 1 }, { t: 1_700_000_015_000, v: 0 }] },
      { labels: { __name__: 'temp', room: 'ü' }, samples: [{ t: 1_700_000_000_123, v: -3.25 }] },
    ];
    const body = snappy.compressSync(Buffer.from(encodeWriteRequest(series)));
    const decoded = decodeWriteRequest(decodeContentEncoding(body as Buffer, 'snappy', 1 << 20));
    expect(decoded.series).toEqual(series);
    expect(decoded.skipped).toBe(0);
  });

  it('refuses oversized and corrupt snappy bodies with 4xx', () => {
    const big = snappy.compressSync(Buffer.alloc(2048, 1)) as Buffer;
    expect(() => decodeContentEncoding(big, 'snappy', 1024)).toThrow(expect.objectContaining({ status: 413 }));
    expect(() => decodeContentEncoding(Buffer.from([0x05, 0xff, 0xff]), 'snappy', 1024)).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('refuses malformed protobuf', () => {
    expect(() => decodeWriteRequest(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f]))).toThrow();
  });
});
