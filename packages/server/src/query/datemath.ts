/**
 * Elasticsearch date math (`now-1d/d`, `2024-01-01||+1M/d`) resolved to epoch ms in UTC.
 * `roundUp` follows ES range semantics: `gt`/`lte` round to the end of the unit, `gte`/`lt` to the start.
 */
import { parseDateValue } from '../engine/dates.js';

const UNITS = new Set(['y', 'M', 'w', 'd', 'h', 'H', 'm', 's']);

export function resolveDateMath(expr: string | number, roundUp: boolean, now = Date.now()): number | undefined {
  if (typeof expr === 'number') return parseDateValue(expr);
  let anchor: number | undefined;
  let rest: string;
  if (expr.startsWith('now')) {
    anchor = now;
    rest = expr.slice(3);
  } else {
    const sep = expr.indexOf('||');
    anchor = parseDateValue(sep >= 0 ? expr.slice(0, sep) : expr);
    rest = sep >= 0 ? expr.slice(sep + 2) : '';
  }
  if (anchor === undefined) return undefined;
  const d = new Date(anchor);
  const ops = /([+-]\d*|\/)([yMwdhHms])/g;
  let consumed = 0;
  for (let m = ops.exec(rest); m; m = ops.exec(rest)) {
    if (m.index !== consumed || !UNITS.has(m[2])) return undefined;
    consumed = m.index + m[0].length;
    if (m[1] === '/') round(d, m[2], roundUp);
    else add(d, m[2], m[1].length === 1 ? (m[1] === '-' ? -1 : 1) : Number(m[1]));
  }
  return consumed === rest.length ? d.getTime() : undefined;
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
