/**
 * Query parameters of the PromQL HTTP routes, read as Prometheus reads them (`time`, `start`,
 * `end`: RFC 3339 or Unix seconds with a fraction; `step`, `timeout`, `lookback_delta`: a float
 * number of seconds or a duration like `1m30s`), with the Infino routes' one addition: the SDK's
 * examples send `start`/`end` in milliseconds, so a number above 1e11 there is taken as ms
 * (protocol §2.3; 1e11 s is the year 5138).
 */
import { PromqlError } from './errors.js';

const MS_THRESHOLD = 1e11;

export interface TimeOptions {
  /** Accept millisecond numbers (the Infino `/promql/*` routes). */
  allowMillis?: boolean;
}

/** A timestamp parameter in ms; `undefined` when absent. */
export function parseTime(name: string, raw: string | undefined, opts: TimeOptions = {}): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (raw.trim() !== '' && Number.isFinite(n)) {
    if (opts.allowMillis && Math.abs(n) > MS_THRESHOLD) return Math.round(n);
    return Math.round(n * 1000);
  }
  // Prometheus's own special values for "minimum/maximum time".
  if (raw === '-292273086-05-16T16:47:06Z' || raw === '292277025-08-18T07:12:54.999999999Z') return raw.startsWith('-') ? -8.64e15 : 8.64e15;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(raw)) {
    const ms = Date.parse(raw);
    if (Number.isFinite(ms)) return ms;
  }
  throw new PromqlError('bad_data', `invalid parameter "${name}": cannot parse "${raw}" to a valid timestamp`);
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

/** A duration parameter (`15`, `0.5`, `1m30s`) in ms; `undefined` when absent. */
export function parseDuration(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  const n = Number(raw);
  if (raw.trim() !== '' && Number.isFinite(n)) return Math.round(n * 1000);
  const parts = /^((\d+)y)?((\d+)w)?((\d+)d)?((\d+)h)?((\d+)m)?((\d+)s)?((\d+)ms)?$/.exec(raw);
  if (parts && raw !== '') {
    let ms = 0;
    for (const [i, unit] of [[2, 'y'], [4, 'w'], [6, 'd'], [8, 'h'], [10, 'm'], [12, 's'], [14, 'ms']] as const) {
      if (parts[i] !== undefined) ms += Number(parts[i]) * UNITS[unit];
    }
    return ms;
  }
  throw new PromqlError('bad_data', `invalid parameter "${name}": cannot parse "${raw}" to a valid duration`);
}
