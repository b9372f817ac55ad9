/**
 * A batch of samples to store, column by column: the distinct series once, then per sample the
 * series' index, time and value in typed arrays. Ingest runs at ~1 M samples/s, where an object
 * per sample costs more (allocation and GC) than parsing the sample does.
 */
import type { Labels } from '../promql/values.js';

/** A series of a batch: its labels and `JSON.stringify(labels)`, the canonical series key. */
export interface BatchSeries {
  readonly labels: Labels;
  readonly key: string;
}

export interface SampleBatch {
  /** Distinct series texts in order of first appearance (two may still normalise to one key). */
  series: BatchSeries[];
  /** Per sample: its index in `series`. */
  ref: Int32Array;
  /** Per sample: milliseconds since the epoch. */
  t: Float64Array;
  /** Per sample: the value (staleness markers keep their NaN payload in a Float64Array). */
  v: Float64Array;
  length: number;
}

/** Grows the sample columns by doubling; `finish()` hands out views of the filled part. */
export class BatchBuilder {
  readonly series: BatchSeries[] = [];
  private ref: Int32Array;
  private t: Float64Array;
  private v: Float64Array;
  private n = 0;

  constructor(capacity = 1024) {
    const c = Math.max(16, capacity);
    this.ref = new Int32Array(c);
    this.t = new Float64Array(c);
    this.v = new Float64Array(c);
  }

  push(ref: number, t: number, v: number): void {
    if (this.n === this.ref.length) this.grow();
    this.ref[this.n] = ref;
    this.t[this.n] = t;
    this.v[this.n++] = v;
  }

  finish(): SampleBatch {
    const n = this.n;
    return { series: this.series, ref: this.ref.subarray(0, n), t: this.t.subarray(0, n), v: this.v.subarray(0, n), length: n };
  }

  private grow(): void {
    const c = this.ref.length * 2;
    const ref = new Int32Array(c);
    const t = new Float64Array(c);
    const v = new Float64Array(c);
    ref.set(this.ref);
    t.set(this.t);
    v.set(this.v);
    [this.ref, this.t, this.v] = [ref, t, v];
  }
}

/** A batch from samples as objects (remote write, tests); samples sharing a labels object share a series. */
export function batchOf(samples: ReadonlyArray<{ labels: Labels; key?: string; t: number; v: number }>): SampleBatch {
  const b = new BatchBuilder(samples.length);
  const byObject = new Map<Labels, number>();
  const byKey = new Map<string, number>();
  for (const s of samples) {
    let ref = byObject.get(s.labels);
    if (ref === undefined) {
      const key = s.key ?? JSON.stringify(s.labels);
      ref = byKey.get(key);
      if (ref === undefined) {
        ref = b.series.length;
        b.series.push({ labels: s.labels, key });
        byKey.set(key, ref);
      }
      byObject.set(s.labels, ref);
    }
    b.push(ref, s.t, s.v);
  }
  return b.finish();
}

/** Samples as callers hand them to the store: a batch, or objects (tests, small writes). */
export type SamplesIn = SampleBatch | ReadonlyArray<{ labels: Labels; t: number; v: number }>;

export const toBatch = (samples: SamplesIn): SampleBatch => (isBatch(samples) ? samples : batchOf(samples));

const isBatch = (samples: SamplesIn): samples is SampleBatch => !Array.isArray(samples);
