/**
 * A direct decoder of the prompb `WriteRequest` subset we store (field numbers from
 * prometheus/prompb/remote.proto and types.proto): series labels, float samples straight into
 * typed arrays, and metric metadata; exemplars and native histograms are counted and skipped.
 * A generic decoder builds two objects per sample, which bounded remote write at ~130 K samples/s.
 *
 * Conversions are protobufjs's (the decoder this replaces): int64 timestamps as JS numbers, absent
 * fields as their defaults, a label without a name left out, values' bytes copied as they are (a
 * staleness marker keeps its NaN payload). Malformed input throws.
 */

export interface DecodedSeries {
  labels: Record<string, string>;
  /** Sample times (ms) and values, in the order sent. */
  t: Float64Array;
  v: Float64Array;
}

export interface DecodedMetadata {
  metric: string;
  type: string;
  help: string;
  unit: string;
}

/** prompb MetricMetadata.MetricType, by number. */
const METRIC_TYPES = ['unknown', 'counter', 'gauge', 'histogram', 'gaugehistogram', 'summary', 'info', 'stateset'];

const utf8 = new TextDecoder();

class Reader {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.pos = start;
  }

  /** A varint of up to 32 significant bits (keys, lengths, enums). */
  uint32(): number {
    let x = 0;
    for (let shift = 0; shift < 35; shift += 7) {
      if (this.pos >= this.end) throw new RangeError('index out of range');
      const b = this.buf[this.pos++];
      x |= (b & 0x7f) << shift;
      if (b < 0x80) return x >>> 0;
    }
    // Longer encodings (negative int32 enums) carry 5 more bytes that do not change the low word.
    for (let i = 0; i < 5; i++) {
      if (this.pos >= this.end) throw new RangeError('index out of range');
      if (this.buf[this.pos++] < 0x80) return x >>> 0;
    }
    throw new Error('invalid varint encoding');
  }

  /** A signed int64 varint as a number, converted as protobufjs's LongBits.toNumber does. */
  int64(): number {
    let lo = 0;
    let hi = 0;
    let i = 0;
    for (; i < 10; i++) {
      if (this.pos >= this.end) throw new RangeError('index out of range');
      const b = this.buf[this.pos++];
      if (i < 4) lo |= (b & 0x7f) << (7 * i);
      else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi |= (b & 0x7f) >> 4;
      } else hi |= (b & 0x7f) << (7 * i - 32);
      if (b < 0x80) break;
    }
    if (i === 10) throw new Error('invalid varint encoding');
    if (hi >>> 31) {
      const l = (~lo + 1) >>> 0;
      let h = ~hi >>> 0;
      if (!l) h = (h + 1) >>> 0;
      return -(l + h * 4294967296);
    }
    return (lo >>> 0) + (hi >>> 0) * 4294967296;
  }

  /** The end of a length-delimited field starting here. */
  span(): number {
    const len = this.uint32();
    const end = this.pos + len;
    if (end > this.end) throw new RangeError('index out of range');
    return end;
  }

  string(): string {
    const end = this.span();
    const s = utf8.decode(this.buf.subarray(this.pos, end));
    this.pos = end;
    return s;
  }

  skip(wire: number): void {
    switch (wire) {
      case 0:
        this.int64();
        return;
      case 1:
        this.pos += 8;
        break;
      case 2:
        this.pos = this.span();
        return;
      case 5:
        this.pos += 4;
        break;
      default:
        throw new Error(`invalid wire type ${wire}`);
    }
    if (this.pos > this.end) throw new RangeError('index out of range');
  }
}

export function decodePrompbWriteRequest(bytes: Uint8Array): { series: DecodedSeries[]; metadata: DecodedMetadata[]; skipped: number } {
  const r = new Reader(bytes, 0, bytes.length);
  const series: DecodedSeries[] = [];
  const metadata: DecodedMetadata[] = [];
  let skipped = 0;
  while (r.pos < r.end) {
    const key = r.uint32();
    if (key === ((1 << 3) | 2)) {
      const end = r.span();
      const s = timeSeries(new Reader(bytes, r.pos, end));
      skipped += s.skipped;
      if (s.series.t.length > 0) series.push(s.series);
      r.pos = end;
    } else if (key === ((3 << 3) | 2)) {
      const end = r.span();
      metadata.push(metricMetadata(new Reader(bytes, r.pos, end)));
      r.pos = end;
    } else r.skip(key & 7);
  }
  return { series, metadata, skipped };
}

function timeSeries(r: Reader): { series: DecodedSeries; skipped: number } {
  const labels: Record<string, string> = {};
  const sampleSpans: number[] = [];
  let skipped = 0;
  while (r.pos < r.end) {
    const key = r.uint32();
    if (key === ((1 << 3) | 2)) {
      const end = r.span();
      const lr = new Reader(r.buf, r.pos, end);
      let name: string | undefined;
      let value = '';
      while (lr.pos < lr.end) {
        const k = lr.uint32();
        if (k === ((1 << 3) | 2)) name = lr.string();
        else if (k === ((2 << 3) | 2)) value = lr.string();
        else lr.skip(k & 7);
      }
      if (name !== undefined) labels[name] = value;
      r.pos = end;
    } else if (key === ((2 << 3) | 2)) {
      const end = r.span();
      sampleSpans.push(r.pos, end);
      r.pos = end;
    } else if (key === ((3 << 3) | 2) || key === ((4 << 3) | 2)) {
      skipped++;
      r.pos = r.span();
    } else r.skip(key & 7);
  }
  const n = sampleSpans.length / 2;
  const t = new Float64Array(n);
  const v = new Float64Array(n);
  const vBytes = new Uint8Array(v.buffer);
  for (let i = 0; i < n; i++) {
    const sr = new Reader(r.buf, sampleSpans[2 * i], sampleSpans[2 * i + 1]);
    while (sr.pos < sr.end) {
      const k = sr.uint32();
      if (k === ((1 << 3) | 1)) {
        if (sr.pos + 8 > sr.end) throw new RangeError('index out of range');
        vBytes.set(sr.buf.subarray(sr.pos, sr.pos + 8), 8 * i);
        sr.pos += 8;
      } else if (k === ((2 << 3) | 0)) t[i] = sr.int64();
      else sr.skip(k & 7);
    }
  }
  return { series: { labels, t, v }, skipped };
}

function metricMetadata(r: Reader): DecodedMetadata {
  const m: DecodedMetadata = { metric: '', type: 'unknown', help: '', unit: '' };
  while (r.pos < r.end) {
    const key = r.uint32();
    if (key === ((1 << 3) | 0)) m.type = METRIC_TYPES[r.uint32() | 0] ?? 'unknown';
    else if (key === ((2 << 3) | 2)) m.metric = r.string();
    else if (key === ((4 << 3) | 2)) m.help = r.string();
    else if (key === ((5 << 3) | 2)) m.unit = r.string();
    else r.skip(key & 7);
  }
  return m;
}
