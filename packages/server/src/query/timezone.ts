/**
 * Time zones as Elasticsearch's `time_zone` accepts them (java.time ZoneId: `UTC`, `Z`, `+01:00`,
 * `-0800`, `GMT+2`, IANA names), their offsets at an instant, and wall-clock → UTC conversion with
 * java.time's rules (a wall time in a DST gap moves forward, an ambiguous one takes the earlier instant).
 */

export interface TimeZone {
  /** As given: a region name is looked up by Intl (offset tables) and by DuckDB's ICU (`timezone(...)`). */
  id: string;
  /** Set for UTC and fixed-offset zones: the offset in ms (no DST). */
  fixedMs?: number;
}

export const UTC: TimeZone = { id: 'UTC', fixedMs: 0 };

const HOUR = 3_600_000;
const FIXED = /^(?:UTC|GMT|UT)?([+-])(\d{1,2})(?::?(\d{2}))?(?::?(\d{2}))?$/;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone, or undefined when java.time would not know it. */
export function parseTimeZone(s: string): TimeZone | undefined {
  if (['Z', 'UTC', 'GMT', 'UT', 'Etc/UTC', 'Etc/GMT'].includes(s)) return UTC;
  const m = FIXED.exec(s);
  if (m) {
    const [h, min, sec] = [Number(m[2]), Number(m[3] ?? 0), Number(m[4] ?? 0)];
    if (h > 18 || min > 59 || sec > 59) return undefined;
    const ms = (m[1] === '-' ? -1 : 1) * (h * HOUR + min * 60_000 + sec * 1000);
    return { id: s, fixedMs: ms };
  }
  // java.time zone ids are region names with a slash (plus a few legacy ones Intl also knows).
  if (!/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(s)) return undefined;
  try {
    formatter(s);
  } catch {
    return undefined;
  }
  return { id: s };
}

function formatter(zone: string): Intl.DateTimeFormat {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset', year: 'numeric' });
    formatters.set(zone, f);
  }
  return f;
}

/** Offset of the zone from UTC at the instant `utcMs`, in ms (wall clock = utc + offset). */
export function offsetAt(tz: TimeZone, utcMs: number): number {
  if (tz.fixedMs !== undefined) return tz.fixedMs;
  const m = /GMT([+-])(\d{2}):(\d{2})(?::(\d{2}))?/.exec(formatter(tz.id).format(new Date(utcMs)));
  if (!m) return 0;
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * HOUR + Number(m[3]) * 60_000 + Number(m[4] ?? 0) * 1000);
}

/** Where offsets are tabulated for SQL; outside, the nearest tabulated offset applies. */
const TABLE_FROM = Date.UTC(1960, 0, 1);
const TABLE_TO = Date.UTC(2050, 0, 1);
const WEEK = 7 * 24 * HOUR;
const tables = new Map<string, Array<{ from: number; offset: number }>>();

/**
 * The zone's offset changes from 1960 to 2050 (`from` is the first instant of each offset; the first
 * entry holds from the beginning of time), found by probing weekly and bisecting to the second.
 */
export function offsetTable(tz: TimeZone): Array<{ from: number; offset: number }> {
  let table = tables.get(tz.id);
  if (table) return table;
  let prev = offsetAt(tz, TABLE_FROM);
  table = [{ from: -Infinity, offset: prev }];
  for (let t = TABLE_FROM + WEEK; t <= TABLE_TO; t += WEEK) {
    const o = offsetAt(tz, t);
    if (o === prev) continue;
    let [lo, hi] = [t - WEEK, t];
    while (hi - lo > 1000) {
      const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
      if (offsetAt(tz, mid) === prev) lo = mid;
      else hi = mid;
    }
    table.push({ from: hi, offset: o });
    prev = o;
  }
  tables.set(tz.id, table);
  return table;
}

/** The UTC instant of a wall-clock time in the zone (wall clock given as if it were UTC ms). */
export function utcFromLocal(tz: TimeZone, localMs: number): number {
  if (tz.fixedMs !== undefined) return localMs - tz.fixedMs;
  const before = offsetAt(tz, localMs - 14 * HOUR);
  const after = offsetAt(tz, localMs + 14 * HOUR);
  const valid = [...new Set([before, after])].map((o) => localMs - o).filter((t) => t + offsetAt(tz, t) === localMs);
  if (valid.length) return Math.min(...valid);
  // In a DST gap: java.time moves the wall time forward by the gap's length.
  return localMs - before;
}

/** `+01:00`, or `Z` for a zero offset (how ISO-8601 printers write the zone). */
export function isoOffset(offsetMs: number, zeroAsZ = true): string {
  if (offsetMs === 0 && zeroAsZ) return 'Z';
  const sign = offsetMs < 0 ? '-' : '+';
  const abs = Math.abs(offsetMs) / 60_000;
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(Math.floor(abs % 60)).padStart(2, '0');
  return `${sign}${hh}:${mm}`;
}
