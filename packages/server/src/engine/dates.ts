/**
 * Elasticsearch's dynamic date detection (`dynamic_date_formats`: strict_date_optional_time and
 * `yyyy/MM/dd HH:mm:ss Z||yyyy/MM/dd Z`) and its date parsing, to epoch milliseconds in UTC.
 */
const STRICT_DATE_OPTIONAL_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;
const SLASH_DATE = /^(\d{4})\/(\d{2})\/(\d{2})(?: (\d{2}):(\d{2}):(\d{2}))?(?: ?(Z|[+-]\d{2}(?::?\d{2})?))?$/;

/** Parses a date string in one of ES's default formats; returns epoch ms or undefined. */
export function parseDateString(s: string): number | undefined {
  if (s.length < 8 || s.length > 40) return undefined;
  const m = STRICT_DATE_OPTIONAL_TIME.exec(s) ?? SLASH_DATE.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, sec, frac, zone] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = h === undefined ? 0 : Number(h);
  const minute = mi === undefined ? 0 : Number(mi);
  const second = sec === undefined ? 0 : Number(sec);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) return undefined;
  const ms = frac === undefined ? 0 : Number(frac.slice(0, 3).padEnd(3, '0'));
  let t = Date.UTC(Number(y), month - 1, day, hour, minute, second, ms);
  // Date.UTC rolls 2023-02-31 over to March; Elasticsearch rejects it.
  if (new Date(t).getUTCDate() !== day) return undefined;
  if (zone && zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0');
    t -= sign * offsetMin * 60_000;
  }
  return t;
}

/** ES's `epoch_millis` fallback: numbers (and numeric strings) are milliseconds since the epoch. */
export function parseDateValue(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? Math.trunc(v) : undefined;
  if (typeof v !== 'string') return undefined;
  const parsed = parseDateString(v);
  if (parsed !== undefined) return parsed;
  return /^-?\d{1,15}$/.test(v) ? Number(v) : undefined;
}
