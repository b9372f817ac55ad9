/**
 * PromQL values and the series source the engine reads from. Timestamps are milliseconds since
 * the epoch; values float64. A series' samples are parallel typed arrays sorted by time.
 */

/** A label set. Keys sorted (labelsKey relies on it); `__name__` is the metric name. */
export type Labels = Readonly<Record<string, string>>;

export interface Sample {
  metric: Labels;
  t: number;
  v: number;
}

/** One series' samples in a time range: `t` and `v` have the same length, `t` ascending. */
export interface Series {
  metric: Labels;
  t: Float64Array;
  v: Float64Array;
}

export type Value =
  | { type: 'scalar'; t: number; v: number }
  | { type: 'string'; t: number; v: string }
  | { type: 'vector'; samples: Sample[] }
  | { type: 'matrix'; series: Series[] };

/** A canonical string for a label set (map keys, equality). */
export function labelsKey(l: Labels): string {
  let out = '';
  for (const k of Object.keys(l).sort()) out += `${k}\u0000${l[k]}\u0001`;
  return out;
}

/** Same labels, keys sorted, empty values dropped (Prometheus treats `x=""` as absent). */
export function normalizeLabels(l: Record<string, string>): Labels {
  const out: Record<string, string> = {};
  for (const k of Object.keys(l).sort()) if (l[k] !== '') out[k] = l[k];
  return out;
}

/** Where series come from: the DuckDB metrics store in the server, an in-memory one in tests. */
export interface SeriesSource {
  /**
   * Every series matching all matchers, with its samples in [startMs, endMs] (both inclusive; the
   * engine applies PromQL's left-open windows itself). Staleness markers come through as
   * `STALE_NAN` (see below). Series with no samples in the range may be left out.
   */
  select(matchers: import('./ast.js').LabelMatcher[], startMs: number, endMs: number): Promise<Series[]>;
}

/**
 * Staleness markers: Prometheus stores a special NaN (0x7ff0000000000002). The payload survives in
 * typed arrays (Float64Array, DataView) but V8 canonicalises NaN held in plain arrays or array
 * literals, where the marker silently becomes an ordinary NaN: keep markers in Float64Arrays (or a
 * separate flag) end to end. `isStale` tells the marker from an ordinary NaN sample.
 */
export const STALE_NAN = (() => {
  const b = new DataView(new ArrayBuffer(8));
  b.setUint32(0, 0x7ff00000);
  b.setUint32(4, 0x00000002);
  return b.getFloat64(0);
})();

export function isStale(v: number): boolean {
  if (!Number.isNaN(v)) return false;
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, v);
  return b.getUint32(0) === 0x7ff00000 && b.getUint32(4) === 0x00000002;
}
