/**
 * Date parsing with an explicit Elasticsearch `format` (Java DateTimeFormatter patterns such as
 * `dd/MM/yyyy||yyyy`, or named formats) and `time_zone`, for range queries and aggregations.
 */
import { parseDateString } from '../engine/dates.js';
import { offsetAt, parseTimeZone } from './timezone.js';

const TOKENS: Record<string, string> = {
  yyyy: '(?<y>\\d{4})',
  uuuu: '(?<y>\\d{4})',
  yy: '(?<yy>\\d{2})',
  MM: '(?<M>\\d{2})',
  M: '(?<M>\\d{1,2})',
  dd: '(?<d>\\d{2})',
  d: '(?<d>\\d{1,2})',
  HH: '(?<H>\\d{2})',
  H: '(?<H>\\d{1,2})',
  mm: '(?<m>\\d{2})',
  ss: '(?<s>\\d{2})',
  SSSSSSSSS: '(?<S>\\d{3})\\d{6}',
  SSSSSS: '(?<S>\\d{3})\\d{3}',
  SSS: '(?<S>\\d{3})',
  XXX: '(?<Z>Z|[+-]\\d{2}:\\d{2})',
  Z: '(?<Z>[+-]\\d{4})',
};

/** Epoch ms of `value` under `format` (`a||b` tries each), interpreting zone-less values in `timeZone`. */
export function parseDateWithFormat(value: string | number, format: string | undefined, timeZone?: string): number | undefined {
  const alternatives = format ? format.split('||') : ['strict_date_optional_time', 'epoch_millis'];
  for (const f of alternatives) {
    const t = parseOne(String(value), f.trim(), timeZone);
    if (t !== undefined) return t;
  }
  return undefined;
}

function parseOne(value: string, format: string, timeZone?: string): number | undefined {
  switch (format) {
    case 'epoch_millis':
      return /^-?\d+(\.\d+)?$/.test(value) ? Math.trunc(Number(value)) : undefined;
    case 'epoch_second':
      return /^-?\d+(\.\d+)?$/.test(value) ? Math.trunc(Number(value) * 1000) : undefined;
    case 'strict_date_optional_time':
    case 'date_optional_time':
    case 'strict_date_optional_time_nanos':
    case 'strict_date_time':
    case 'date_time':
    case 'strict_date':
    case 'date': {
      const hasZone = /(Z|[+-]\d{2}(:?\d{2})?)$/.test(value) && value.length > 10;
      const t = parseDateString(value);
      return t === undefined || hasZone ? t : t - offsetMs(timeZone, t);
    }
  }
  let source = '';
  for (let i = 0; i < format.length; ) {
    if (format[i] === "'") {
      const end = format.indexOf("'", i + 1);
      source += escape(format.slice(i + 1, end < 0 ? undefined : end));
      i = end < 0 ? format.length : end + 1;
      continue;
    }
    const token = Object.keys(TOKENS)
      .sort((a, b) => b.length - a.length)
      .find((k) => format.startsWith(k, i));
    if (token) {
      source += TOKENS[token];
      i += token.length;
    } else {
      source += escape(format[i]);
      i++;
    }
  }
  const m = new RegExp(`^${source}$`).exec(value);
  if (!m?.groups) return undefined;
  const g = m.groups;
  const year = g.y !== undefined ? Number(g.y) : g.yy !== undefined ? 2000 + Number(g.yy) : 1970;
  const t = Date.UTC(year, Number(g.M ?? 1) - 1, Number(g.d ?? 1), Number(g.H ?? 0), Number(g.m ?? 0), Number(g.s ?? 0), Number(g.S ?? 0));
  if (g.Z) {
    const z = g.Z === 'Z' ? 0 : (g.Z[0] === '-' ? -1 : 1) * (Number(g.Z.slice(1, 3)) * 60 + Number(g.Z.slice(-2)));
    return t - z * 60_000;
  }
  return t - offsetMs(timeZone, t);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/**
 * The UTC offset of a time zone (`+01:00`, `-0500`, `Europe/Paris`, `UTC`) at an instant, in ms.
 * An unknown zone throws a RangeError (the range query reports it as a 400).
 */
export function offsetMs(timeZone: string | undefined, at: number): number {
  if (!timeZone) return 0;
  const tz = parseTimeZone(timeZone);
  if (!tz) throw new RangeError(`unknown time zone [${timeZone}]`);
  return offsetAt(tz, at);
}
