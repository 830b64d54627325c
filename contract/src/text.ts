// String helpers shared by the schema and the fast validator: code-point lengths and RFC 3339 timestamps.

/**
 * Length in Unicode code points, counted exactly like ajv (JSON Schema `maxLength`): a high surrogate
 * followed by a low one counts once, any lone surrogate counts once.
 */
export function codePointLength(s: string): number {
  const len = s.length;
  let count = 0;
  let pos = 0;
  while (pos < len) {
    count++;
    const c = s.charCodeAt(pos++);
    if (c >= 0xd800 && c <= 0xdbff && pos < len && (s.charCodeAt(pos) & 0xfc00) === 0xdc00) pos++;
  }
  return count;
}

/** True when `s` has between `min` and `max` code points; cheap for the common short-string case. */
export function codePointLengthWithin(s: string, min: number, max: number): boolean {
  // Code points never outnumber UTF-16 units and never fall below half of them: decide without counting.
  if (s.length <= max && s.length >= 2 * min) return true;
  if (s.length > 2 * max || s.length < min) return false;
  const n = codePointLength(s);
  return n >= min && n <= max;
}

/**
 * RFC 3339 date-time with a mandatory offset (`Z` or `±hh:mm`), upper-case `T`/`Z`, at most 9 fraction
 * digits, years 1970–9999, no leap second. The calendar (month length, leap years) is checked by
 * `isRealCalendarDate`, as JSON Schema's `format: date-time` does.
 */
export const RFC3339_PATTERN =
  '^(?:19[7-9][0-9]|[2-9][0-9]{3})-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\\.[0-9]{1,9})?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])$';

/** The pattern as a RegExp: the reference the hand-written isRfc3339Timestamp is tested against. */
export const RFC3339_RE = new RegExp(RFC3339_PATTERN);

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysIn(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month === 2 && leap ? 29 : (DAYS_IN_MONTH[month] ?? 0);
}

/** Given `YYYY-MM-DD…` already matching the pattern, true when the day exists in that month. */
export function isRealCalendarDate(s: string): boolean {
  return Number(s.slice(8, 10)) <= daysIn(Number(s.slice(0, 4)), Number(s.slice(5, 7)));
}

/** Two decimal digits at i as a number, or -1 (charCodeAt past the end gives NaN, which fails too). */
function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * True for a strict RFC 3339 timestamp with offset that names a real calendar day: exactly
 * `RFC3339_RE.test(s) && isRealCalendarDate(s)` (property-tested), without regex or allocation, as
 * the edge runs it for every event.
 */
export function isRfc3339Timestamp(s: string): boolean {
  const n = s.length;
  if (n < 20 || n > 35) return false;
  const hi = two(s, 0);
  const lo = two(s, 2);
  const month = two(s, 5);
  const day = two(s, 8);
  if (hi < 0 || lo < 0 || month < 1 || month > 12 || day < 1) return false;
  const year = hi * 100 + lo;
  if (year < 1970 || day > daysIn(year, month)) return false;
  if (s[4] !== '-' || s[7] !== '-' || s[10] !== 'T' || s[13] !== ':' || s[16] !== ':') return false;
  const hour = two(s, 11);
  const minute = two(s, 14);
  const second = two(s, 17);
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  let i = 19;
  if (s[i] === '.') {
    const start = ++i;
    while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    if (i === start || i - start > 9) return false;
  }
  if (s[i] === 'Z') return i + 1 === n;
  if (s[i] !== '+' && s[i] !== '-') return false;
  const offsetHour = two(s, i + 1);
  const offsetMinute = two(s, i + 4);
  return (
    i + 6 === n &&
    s[i + 3] === ':' &&
    offsetHour >= 0 &&
    offsetHour <= 23 &&
    offsetMinute >= 0 &&
    offsetMinute <= 59
  );
}

/**
 * A matcher equivalent to the regex `^[chars]{min,max}$` for an ASCII character set, using a lookup
 * table instead of the regex engine (several times faster on short strings; property-tested).
 */
export function asciiCharsetMatcher(chars: string, min: number, max: number): (s: string) => boolean {
  const table = new Uint8Array(128);
  for (let i = 0; i < chars.length; i++) table[chars.charCodeAt(i)] = 1;
  return (s) => {
    const n = s.length;
    if (n < min || n > max) return false;
    for (let i = 0; i < n; i++) {
      const c = s.charCodeAt(i);
      if (c >= 128 || table[c] === 0) return false;
    }
    return true;
  };
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil, years ≥ 0). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  return era * 146_097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719_468;
}

/**
 * Epoch milliseconds of a timestamp isRfc3339Timestamp accepted: exactly what Date.parse gives for it
 * (property-tested; fraction digits past milliseconds are cut, as Date.parse cuts them), by arithmetic
 * on the digits instead of the general date parser, as the edge runs it for every event.
 */
export function rfc3339EpochMs(s: string): number {
  let i = 19;
  let ms = 0;
  if (s.charCodeAt(i) === 0x2e) {
    i++;
    let digits = 0;
    for (let c = s.charCodeAt(i) - 48; c >= 0 && c <= 9; c = s.charCodeAt(++i) - 48) {
      if (digits++ < 3) ms = ms * 10 + c;
    }
    for (; digits < 3; digits++) ms *= 10;
  }
  const sign = s.charCodeAt(i);
  const offsetMinutes =
    sign === 0x2b || sign === 0x2d ? (two(s, i + 1) * 60 + two(s, i + 4)) * (sign === 0x2b ? 1 : -1) : 0;
  const days = daysFromCivil(two(s, 0) * 100 + two(s, 2), two(s, 5), two(s, 8));
  const seconds = days * 86_400 + two(s, 11) * 3_600 + two(s, 14) * 60 + two(s, 17) - offsetMinutes * 60;
  return seconds * 1_000 + ms;
}
