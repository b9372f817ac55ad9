/**
 * Elasticsearch date math (`now-1d/d`, `2024-01-01||+1M/d`) resolved to epoch ms in UTC.
 * `roundUp` follows ES range semantics: `gt`/`lte` round to the end of the unit, `gte`/`lt` to the start.
 */
import { parseDateValue } from '../engine/dates.js';
import { offsetMs, parseDateWithFormat } from './dateformat.js';

const UNITS = new Set(['y', 'M', 'w', 'd', 'h', 'H', 'm', 's']);

export function resolveDateMath(
  expr: string | number,
  roundUp: boolean,
  now = Date.now(),
  opts: { format?: string; timeZone?: string } = {},
): number | undefined {
  if (typeof expr === 'number') return opts.format ? parseDateWithFormat(expr, opts.format, opts.timeZone) : parseDateValue(expr);
  let anchor: number | undefined;
  let rest: string;
  if (expr.startsWith('now')) {
    anchor = now;
    rest = expr.slice(3);
  } else {
    const sep = expr.indexOf('||');
    const text = sep >= 0 ? expr.slice(0, sep) : expr;
    anchor = opts.format || opts.timeZone ? parseDateWithFormat(text, opts.format, opts.timeZone) : parseDateValue(text);
    rest = sep >= 0 ? expr.slice(sep + 2) : '';
  }
  if (anchor === undefined) return undefined;
  // ES parses the upper bound of a range (gt/lte) with missing date parts filled to their maximum:
  // `lte: 2024-02-28` includes the whole day, `lte: 2024-02` the whole month.
  const precision = typeof expr === 'string' && !expr.startsWith('now') && !opts.format ? impliedUnit(expr.split('||')[0]) : undefined;
  // Rounding (`/d`) happens on the local calendar of the time zone: shift, round, shift back.
  const shift = offsetMs(opts.timeZone, anchor);
  const d = new Date(anchor + shift);
  const ops = /([+-]\d*|\/)([yMwdhHms])/g;
  let consumed = 0;
  for (let m = ops.exec(rest); m; m = ops.exec(rest)) {
    if (m.index !== consumed || !UNITS.has(m[2])) return undefined;
    consumed = m.index + m[0].length;
    if (m[1] === '/') round(d, m[2], roundUp);
    else add(d, m[2], m[1].length === 1 ? (m[1] === '-' ? -1 : 1) : Number(m[1]));
  }
  if (consumed !== rest.length) return undefined;
  if (roundUp && precision && rest === '') round(d, precision, true);
  return d.getTime() - shift;
}

/** The finest unit a date string spells out (`2024` → year … `2024-01-02T03:04` → minute). */
function impliedUnit(text: string): string | undefined {
  if (/^\d{4}$/.test(text)) return 'y';
  if (/^\d{4}-\d{2}$/.test(text)) return 'M';
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) return 'd';
  if (/^\d{4}-\d{2}-\d{2}T\d{2}(Z|[+-][\d:]+)?$/.test(text)) return 'h';
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(Z|[+-][\d:]+)?$/.test(text)) return 'm';
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-][\d:]+)?$/.test(text)) return 's';
  return undefined;
}

function add(d: Date, unit: string, n: number): void {
  switch (unit) {
    case 'y': d.setUTCFullYear(d.getUTCFullYear() + n); break;
    case 'M': d.setUTCMonth(d.getUTCMonth() + n); break;
    case 'w': d.setUTCDate(d.getUTCDate() + 7 * n); break;
    case 'd': d.setUTCDate(d.getUTCDate() + n); break;
    case 'h': case 'H': d.setUTCHours(d.getUTCHours() + n); break;
    case 'm': d.setUTCMinutes(d.getUTCMinutes() + n); break;
    case 's': d.setUTCSeconds(d.getUTCSeconds() + n); break;
  }
}

function round(d: Date, unit: string, up: boolean): void {
  switch (unit) {
    case 'y': d.setUTCMonth(0, 1); d.setUTCHours(0, 0, 0, 0); break;
    case 'M': d.setUTCDate(1); d.setUTCHours(0, 0, 0, 0); break;
    case 'w': d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7)); d.setUTCHours(0, 0, 0, 0); break;
    case 'd': d.setUTCHours(0, 0, 0, 0); break;
    case 'h': case 'H': d.setUTCMinutes(0, 0, 0); break;
    case 'm': d.setUTCSeconds(0, 0); break;
    case 's': d.setUTCMilliseconds(0); break;
  }
  if (up) {
    add(d, unit, 1);
    d.setTime(d.getTime() - 1);
  }
}
