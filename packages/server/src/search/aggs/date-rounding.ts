/**
 * Date histogram rounding as Elasticsearch does it: calendar intervals (month, week starting Monday,
 * ...) and fixed intervals (`90m`), on the wall clock of a time zone, shifted by `offset`. The same
 * rules are written twice: as SQL (bucket keys of the documents) and in JS (extended bounds, and the
 * empty buckets between keys).
 */
import { contentError, illegalArgument } from './errors.js';
import type { Step } from './plan.js';
import { offsetAt, offsetTable, utcFromLocal, type TimeZone } from '../../query/timezone.js';

export type CalendarUnit = 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';
export type DateInterval = { calendar: CalendarUnit } | { fixedMs: number };

export interface DateRounding {
  interval: DateInterval;
  tz: TimeZone;
  offsetMs: number;
}

const CALENDAR: Record<string, CalendarUnit> = {
  second: 'second', '1s': 'second',
  minute: 'minute', '1m': 'minute',
  hour: 'hour', '1h': 'hour',
  day: 'day', '1d': 'day',
  week: 'week', '1w': 'week',
  month: 'month', '1M': 'month',
  quarter: 'quarter', '1q': 'quarter',
  year: 'year', '1y': 'year',
};

const UNIT_MS: Record<string, number> = { nanos: 1e-6, micros: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const DAY = 86_400_000;
/** 1969-12-29, a Monday: weeks start on Mondays (ISO-8601), as in Elasticsearch. */
const WEEK_ORIGIN = -3 * DAY;

export function calendarUnit(s: string): CalendarUnit | undefined {
  return Object.hasOwn(CALENDAR, s) ? CALENDAR[s] : undefined;
}

/** A time value such as `30s`, `5m`, `100ms`, `2d` in ms (ES TimeValue), or undefined. */
export function timeValueMs(s: string): number | undefined {
  const m = /^(\d+)(nanos|micros|ms|s|m|h|d)$/.exec(s.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2]] : undefined;
}

export function parseCalendarInterval(s: string, where: string): DateInterval {
  const unit = calendarUnit(s);
  if (!unit) throw illegalArgument(`[${where}] The supplied interval [${s}] could not be parsed as a calendar interval.`);
  return { calendar: unit };
}

export function parseFixedInterval(s: string, where: string): DateInterval {
  const ms = timeValueMs(s);
  if (ms === undefined || ms <= 0) {
    throw illegalArgument(`[${where}] failed to parse setting [date_histogram.fixedInterval] with value [${s}] as a time value: unit is missing or unrecognized`);
  }
  return { fixedMs: ms };
}

/** The deprecated `interval`: a calendar unit name when it is one, else a fixed time value (or ms). */
export function parseLegacyInterval(v: string | number, where: string): DateInterval {
  if (typeof v === 'number') {
    if (!(v > 0)) throw illegalArgument(`[${where}] [interval] must be 1 or greater for aggregation [date_histogram]`);
    return { fixedMs: v };
  }
  const unit = calendarUnit(v);
  return unit ? { calendar: unit } : parseFixedInterval(v, where);
}

/** `offset`: `+6h`, `-30m`, `1d` or a number of ms. */
export function parseOffset(v: string | number, where: string): number {
  if (typeof v === 'number') return Math.trunc(v);
  const m = /^([+-]?)(.+)$/.exec(v.trim());
  const ms = m ? timeValueMs(m[2]) : undefined;
  if (ms === undefined) throw contentError(`[${where}] failed to parse field [offset]: [${v}] is not a time value`);
  return m![1] === '-' ? -ms : ms;
}

// ---- JS: the key of an instant, and the key after a key ------------------------------------------

function truncWall(unit: CalendarUnit, wall: number): number {
  const floorTo = (n: number) => Math.floor(wall / n) * n;
  const d = new Date(wall);
  switch (unit) {
    case 'second':
      return floorTo(1000);
    case 'minute':
      return floorTo(60_000);
    case 'hour':
      return floorTo(3_600_000);
    case 'day':
      return floorTo(DAY);
    case 'week':
      return Math.floor((wall - WEEK_ORIGIN) / (7 * DAY)) * 7 * DAY + WEEK_ORIGIN;
    case 'month':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
    case 'quarter':
      return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - (d.getUTCMonth() % 3), 1);
    case 'year':
      return Date.UTC(d.getUTCFullYear(), 0, 1);
  }
}

function addWall(unit: CalendarUnit, wall: number): number {
  const d = new Date(wall);
  switch (unit) {
    case 'month':
      return d.setUTCMonth(d.getUTCMonth() + 1);
    case 'quarter':
      return d.setUTCMonth(d.getUTCMonth() + 3);
    case 'year':
      return d.setUTCFullYear(d.getUTCFullYear() + 1);
    case 'week':
      return wall + 7 * DAY;
    case 'day':
      return wall + DAY;
    case 'hour':
      return wall + 3_600_000;
    case 'minute':
      return wall + 60_000;
    case 'second':
      return wall + 1000;
  }
}

/** Rounds the instant `ms` down to its bucket key. */
export function roundDate(r: DateRounding, ms: number): number {
  const base = ms - r.offsetMs;
  const wall = base + offsetAt(r.tz, base);
  const truncated = 'calendar' in r.interval ? truncWall(r.interval.calendar, wall) : Math.floor(wall / r.interval.fixedMs) * r.interval.fixedMs;
  return utcFromLocal(r.tz, truncated) + r.offsetMs;
}

/** The key of the bucket after the one keyed `key`. */
export function nextDate(r: DateRounding, key: number): number {
  if ('fixedMs' in r.interval) return roundDate(r, key + r.interval.fixedMs);
  const base = key - r.offsetMs;
  const wall = base + offsetAt(r.tz, base);
  return utcFromLocal(r.tz, addWall(r.interval.calendar, wall)) + r.offsetMs;
}

// ---- SQL: the key of each document's value -------------------------------------------------------

const CAL_MS: Partial<Record<CalendarUnit, number>> = { second: 1000, minute: 60_000, hour: 3_600_000, day: DAY };

type Table = Array<{ from: number; offset: number }>;

/** Far beyond any date: "no further change in this segment". */
const NEVER = 9e15;
const YEAR = 31_556_952_000;

/**
 * An offset table cut into equal segments of the timeline holding at most two changes each: per
 * segment, constant lists give the change instants and the offsets around them. Looking a row up
 * costs an integer division, a few list reads and two comparisons (a CASE tree over a zone's
 * hundreds of changes, or ICU's conversions, cost several times more per row).
 */
function segmented(table: Table) {
  const changes = table.slice(1);
  const first = changes[0].from;
  let size = YEAR;
  let segments: Table[];
  for (;;) {
    const count = Math.floor((changes[changes.length - 1].from - first) / size) + 1;
    segments = Array.from({ length: count }, () => []);
    for (const c of changes) segments[Math.floor((c.from - first) / size)].push(c);
    if (segments.every((seg) => seg.length <= 2) || size < DAY) break;
    size = Math.floor(size / 2);
  }
  let current = table[0].offset;
  const lists: Record<'a' | 'b' | 'p' | 'q' | 'r', number[]> = { a: [], b: [], p: [], q: [], r: [] };
  for (const seg of segments) {
    lists.p.push(current);
    lists.a.push(seg[0]?.from ?? NEVER);
    lists.q.push(seg[0]?.offset ?? current);
    lists.b.push(seg[1]?.from ?? NEVER);
    current = seg[seg.length - 1]?.offset ?? current;
    lists.r.push(current);
  }
  const at = (k: keyof typeof lists, i: string) => `[${lists[k].join(',')}][${i}]`;
  return {
    /** SQL of the segment (1-based) of `x`, a BIGINT epoch ms. */
    index: (x: string) => `(least(greatest((${x} - ${first}) // ${size}, 0), ${segments.length - 1})::INTEGER + 1)`,
    /** SQL of the offset at `x` given its segment `i` (both columns). */
    offset: (x: string, i: string) => `(CASE WHEN ${x} < ${at('a', i)} THEN ${at('p', i)} WHEN ${x} < ${at('b', i)} THEN ${at('q', i)} ELSE ${at('r', i)} END)`,
  };
}

/**
 * The offsets by wall-clock time: a wall time in a DST gap takes the offset before the change
 * (java.time moves it forward), one that occurs twice takes the earlier instant's offset.
 */
function wallTable(tz: TimeZone): Table {
  const utc = offsetTable(tz);
  return utc.map((t, i) => (i === 0 ? t : { from: t.from + Math.max(utc[i - 1].offset, t.offset), offset: t.offset }));
}

/** Wall-clock ms (`local`, BIGINT) truncated to the interval, as BIGINT SQL. */
function truncSql(interval: DateInterval, local: string): string {
  const step = 'fixedMs' in interval ? interval.fixedMs : CAL_MS[interval.calendar];
  if (step !== undefined) return `(floor(${local} / ${step})::BIGINT * ${step})`;
  const unit = (interval as { calendar: CalendarUnit }).calendar;
  if (unit === 'week') return `(floor((${local} - ${WEEK_ORIGIN}) / ${7 * DAY})::BIGINT * ${7 * DAY} + ${WEEK_ORIGIN})`;
  return `epoch_ms(date_trunc('${unit}', epoch_ms(${local})))`;
}

/**
 * SQL steps from a value in epoch ms (BIGINT) to its bucket key (epoch ms, BIGINT): shift to the
 * wall clock by the zone's offset at that instant, truncate, and shift back by the offset in force
 * at the bucket's start (which differs across a DST change). Each offset lookup reads plain
 * columns, so that no large expression is copied into another.
 */
export function dateKeySteps(r: DateRounding): Step[] {
  const { interval, tz, offsetMs: off } = r;
  const base = (x: string) => (off === 0 ? x : `(${x} - ${off})`);
  const back = off === 0 ? '' : ` + ${off}`;
  const table = tz.fixedMs === undefined ? offsetTable(tz) : [];
  if (tz.fixedMs !== undefined || table.length === 1) {
    const shift = tz.fixedMs ?? table[0].offset;
    const local = (x: string) => (shift === 0 ? base(x) : `(${base(x)} + ${shift})`);
    return [(s) => `(${truncSql(interval, local(s[0]))}${shift === 0 ? '' : ` - ${shift}`}${back})`];
  }
  const utc = segmented(table);
  const wall = segmented(wallTable(tz));
  return [
    (s) => utc.index(base(s[0])),
    (s) => truncSql(interval, `(${base(s[0])} + ${utc.offset(base(s[0]), s[1])})`),
    (s) => wall.index(s[2]),
    (s) => `(${s[2]} - ${wall.offset(s[2], s[3])}${back})`,
  ];
}

/** The same key as one expression of `x` (through ICU for region zones): for the elements of arrays. */
export function dateKeySql(r: DateRounding, x: string): string {
  const { interval, tz, offsetMs: off } = r;
  if (tz.fixedMs !== undefined) return dateKeySteps(r)[0]([x]);
  const zone = `'${tz.id.replace(/'/g, "''")}'`;
  const wall = `epoch_ms(timezone(${zone}, timezone('UTC', epoch_ms(${off === 0 ? x : `(${x} - ${off})`}))))`;
  return `(epoch_ms(timezone(${zone}, epoch_ms(${truncSql(interval, wall)})))${off === 0 ? '' : ` + ${off}`})`;
}
