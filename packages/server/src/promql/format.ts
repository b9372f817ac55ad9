/**
 * PromQL values in the Prometheus HTTP API's JSON: sample values as strings formatted exactly as
 * Prometheus's `jsonutil.MarshalFloat` does (Go's shortest round-trip digits, plain notation, but
 * exponent notation below 1e-6 and from 1e21 (`1.5e-07`, `1e+21`), `-0` kept, `NaN`, `+Inf`,
 * `-Inf`), timestamps as float seconds. Grafana and every Prometheus client parse exactly this.
 */
import type { Labels, Value } from './values.js';

export function formatSampleValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  if (Object.is(v, -0)) return '-0';
  const abs = Math.abs(v);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    // Go's 'e' format: shortest digits, a signed exponent of at least two digits.
    const [mantissa, exp] = v.toExponential().split('e');
    const n = Number(exp);
    return `${mantissa}e${n < 0 ? '-' : '+'}${String(Math.abs(n)).padStart(2, '0')}`;
  }
  // Between 1e-6 and 1e21 JS prints the same shortest digits without an exponent.
  return String(v);
}

/** Milliseconds as the API's float seconds (1609459200.5). */
export const seconds = (ms: number) => ms / 1000;

type Point = [number, string];

export interface PromData {
  resultType: 'scalar' | 'string' | 'vector' | 'matrix';
  result: unknown;
}

export function formatValue(value: Value): PromData {
  switch (value.type) {
    case 'scalar':
      return { resultType: 'scalar', result: [seconds(value.t), formatSampleValue(value.v)] satisfies Point };
    case 'string':
      return { resultType: 'string', result: [seconds(value.t), value.v] };
    case 'vector':
      return {
        resultType: 'vector',
        result: value.samples.map((s) => ({ metric: plainLabels(s.metric), value: [seconds(s.t), formatSampleValue(s.v)] satisfies Point })),
      };
    case 'matrix':
      return {
        resultType: 'matrix',
        result: value.series.map((s) => {
          const values: Point[] = new Array(s.t.length);
          for (let i = 0; i < s.t.length; i++) values[i] = [seconds(s.t[i]), formatSampleValue(s.v[i])];
          return { metric: plainLabels(s.metric), values };
        }),
      };
  }
}

/** Labels as a plain JSON object, keys sorted (Prometheus's output order). */
function plainLabels(l: Labels): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(l).sort()) out[k] = l[k];
  return out;
}
