/**
 * PromQL values in the Prometheus HTTP API's JSON: sample values as strings formatted like Go's
 * `strconv.FormatFloat(v, 'f', -1, 64)` (shortest round-trip digits, never an exponent; `NaN`,
 * `+Inf`, `-Inf`), timestamps as float seconds. Grafana and every Prometheus client parse exactly
 * this, so the digits matter.
 */
import type { Labels, Value } from './values.js';

/** Go's FormatFloat(v, 'f', -1, 64). */
export function formatSampleValue(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  const s = String(v);
  if (!/e/i.test(s)) return s;
  // JS switches to exponent notation below 1e-7 and from 1e21; expand the shortest digits.
  const [mantissa, expText] = s.split(/e/i);
  const exp = Number(expText);
  const negative = mantissa.startsWith('-');
  const [intPart, fracPart = ''] = mantissa.replace('-', '').split('.');
  const digits = intPart + fracPart;
  const point = intPart.length + exp;
  let out: string;
  if (point <= 0) out = `0.${'0'.repeat(-point)}${digits}`;
  else if (point >= digits.length) out = digits + '0'.repeat(point - digits.length);
  else out = `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (negative ? '-' : '') + out;
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
