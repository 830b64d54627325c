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

const RFC3339_RE = new RegExp(RFC3339_PATTERN);

const DAYS_IN_MONTH = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Given `YYYY-MM-DD…` already matching the pattern, true when the day exists in that month. */
export function isRealCalendarDate(s: string): boolean {
  const year = Number(s.slice(0, 4));
  const month = Number(s.slice(5, 7));
  const day = Number(s.slice(8, 10));
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const max = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month] ?? 0);
  return day <= max;
}

/** True for a strict RFC 3339 timestamp with offset that names a real calendar day. */
export function isRfc3339Timestamp(s: string): boolean {
  return s.length <= 40 && RFC3339_RE.test(s) && isRealCalendarDate(s);
}
