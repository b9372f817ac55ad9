/**
 * Printing epoch milliseconds the way an Elasticsearch date `format` does (`key_as_string`,
 * `value_as_string`): the built-in named formats and java.time patterns such as `yyyy-MM-dd` or
 * `dd/MMM/yyyy:HH:mm:ss Z`, in a time zone. `a||b` prints with its first format, as in ES.
 */
import { illegalArgument } from './errors.js';
import { isoOffset, offsetAt, UTC, type TimeZone } from '../../query/timezone.js';

const NAMED: Record<string, string> = {
  date_optional_time: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
  strict_date_optional_time_nanos: "yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX",
  date_time: "yyyy-MM-dd'T'HH:mm:ss.SSSXXX",
  date_time_no_millis: "yyyy-MM-dd'T'HH:mm:ssXXX",
  basic_date: 'yyyyMMdd',
  basic_date_time: "yyyyMMdd'T'HHmmss.SSSXX",
  basic_date_time_no_millis: "yyyyMMdd'T'HHmmssXX",
  basic_ordinal_date: 'yyyyDDD',
  basic_time: 'HHmmss.SSSXX',
  basic_time_no_millis: 'HHmmssXX',
  date: 'yyyy-MM-dd',
  date_hour: "yyyy-MM-dd'T'HH",
  date_hour_minute: "yyyy-MM-dd'T'HH:mm",
  date_hour_minute_second: "yyyy-MM-dd'T'HH:mm:ss",
  date_hour_minute_second_millis: "yyyy-MM-dd'T'HH:mm:ss.SSS",
  date_hour_minute_second_fraction: "yyyy-MM-dd'T'HH:mm:ss.SSS",
  hour: 'HH',
  hour_minute: 'HH:mm',
  hour_minute_second: 'HH:mm:ss',
  hour_minute_second_millis: 'HH:mm:ss.SSS',
  hour_minute_second_fraction: 'HH:mm:ss.SSS',
  ordinal_date: 'yyyy-DDD',
  time: 'HH:mm:ss.SSSXXX',
  time_no_millis: 'HH:mm:ssXXX',
  t_time: "'T'HH:mm:ss.SSSXXX",
  t_time_no_millis: "'T'HH:mm:ssXXX",
  year: 'yyyy',
  year_month: 'yyyy-MM',
  year_month_day: 'yyyy-MM-dd',
};

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const LETTERS = new Set('yuMLdDHhkKmsSaEZXxz'.split(''));

type Part = { literal: string } | { letter: string; count: number };

/** A compiled format: call it with epoch ms. */
export type DatePrinter = (ms: number) => string;

/** Compiles `format` (undefined = the date field default) for `tz`; throws 400 on an unknown pattern letter. */
export function datePrinter(format: string | undefined, tz: TimeZone = UTC): DatePrinter {
  const first = (format ?? 'strict_date_optional_time').split('||')[0].trim();
  const name = first.startsWith('strict_') ? first.slice('strict_'.length) : first;
  if (name === 'epoch_millis') return (ms) => String(ms);
  if (name === 'epoch_second') return (ms) => String(Math.floor(ms / 1000));
  const pattern = NAMED[first] ?? NAMED[name] ?? first;
  const parts = compile(pattern, format ?? first);
  return (ms) => print(parts, ms, tz);
}

function compile(pattern: string, original: string): Part[] {
  const parts: Part[] = [];
  for (let i = 0; i < pattern.length; ) {
    const c = pattern[i];
    if (c === "'") {
      const end = pattern.indexOf("'", i + 1);
      const text = pattern.slice(i + 1, end < 0 ? undefined : end);
      parts.push({ literal: text === '' ? "'" : text });
      i = end < 0 ? pattern.length : end + 1;
    } else if (/[A-Za-z]/.test(c)) {
      if (!LETTERS.has(c)) throw illegalArgument(`Invalid format: [${original}]: Unknown pattern letter: ${c}`);
      let n = 1;
      while (pattern[i + n] === c) n++;
      parts.push({ letter: c, count: n });
      i += n;
    } else {
      parts.push({ literal: c });
      i++;
    }
  }
  return parts;
}

const pad = (n: number, width: number) => (n < 0 ? '-' + String(-n).padStart(width, '0') : String(n).padStart(width, '0'));

function print(parts: Part[], ms: number, tz: TimeZone): string {
  const offset = offsetAt(tz, ms);
  const d = new Date(ms + offset);
  let out = '';
  for (const p of parts) {
    if ('literal' in p) {
      out += p.literal;
      continue;
    }
    const { letter, count } = p;
    switch (letter) {
      case 'y':
      case 'u': {
        const y = d.getUTCFullYear();
        out += count === 2 ? pad(((y % 100) + 100) % 100, 2) : pad(y, count);
        break;
      }
      case 'M':
      case 'L':
        out += count >= 4 ? MONTHS[d.getUTCMonth()] : count === 3 ? MONTHS[d.getUTCMonth()].slice(0, 3) : pad(d.getUTCMonth() + 1, count);
        break;
      case 'd':
        out += pad(d.getUTCDate(), count);
        break;
      case 'D': {
        const dayOfYear = Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86_400_000) + 1;
        out += pad(dayOfYear, count);
        break;
      }
      case 'H':
        out += pad(d.getUTCHours(), count);
        break;
      case 'k':
        out += pad(d.getUTCHours() || 24, count);
        break;
      case 'h':
        out += pad(d.getUTCHours() % 12 || 12, count);
        break;
      case 'K':
        out += pad(d.getUTCHours() % 12, count);
        break;
      case 'm':
        out += pad(d.getUTCMinutes(), count);
        break;
      case 's':
        out += pad(d.getUTCSeconds(), count);
        break;
      case 'S':
        out += String(d.getUTCMilliseconds()).padStart(3, '0').padEnd(count, '0').slice(0, count);
        break;
      case 'a':
        out += d.getUTCHours() < 12 ? 'AM' : 'PM';
        break;
      case 'E':
        out += count >= 4 ? DAYS[d.getUTCDay()] : DAYS[d.getUTCDay()].slice(0, 3);
        break;
      case 'z':
        out += tz.fixedMs === 0 ? 'UTC' : tz.id;
        break;
      default:
        out += zone(letter, count, offset);
    }
  }
  return out;
}

/** Offset letters: `Z` (+0000, or +00:00 / Z for ZZZZZ), `X` (Z for zero), `x` (never Z). */
function zone(letter: string, count: number, offset: number): string {
  const full = isoOffset(offset, false);
  const compact = full.replace(':', '');
  if (letter === 'Z') return count >= 5 ? isoOffset(offset) : compact;
  if (letter === 'X' && offset === 0) return 'Z';
  if (count === 1) return offset % 3_600_000 === 0 ? compact.slice(0, 3) : compact;
  return count === 2 ? compact : full;
}
