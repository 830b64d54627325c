// The regex-free string checks of the hot path match their reference regexes and ajv's length rule.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { timestampArb } from '../test/arbitraries.ts';
import { FAST_MATCHERS } from './event-v1-fast.ts';
import { EVENT_PATTERNS } from './event-v1-limits.ts';
import {
  codePointLength,
  codePointLengthWithin,
  isRealCalendarDate,
  isRfc3339Timestamp,
  RFC3339_RE,
  rfc3339EpochMs,
} from './text.ts';

const unit = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...'01239afzAFZ._:-/ 1.'.split('')) },
  { weight: 1, arbitrary: fc.constantFrom('é', '😀', '\ud800', '\n', '\u0000', '\u0131') },
);
const lengths = [0, 1, 2, 3, 4, 5, 6, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129];

describe('fast matchers', () => {
  it.each(Object.keys(FAST_MATCHERS) as Array<keyof typeof FAST_MATCHERS>)(
    '%s equals its pattern',
    (name) => {
      const re = new RegExp(EVENT_PATTERNS[name]);
      const matcher = FAST_MATCHERS[name];
      const strings = fc.oneof(
        fc.string({ unit, maxLength: 8 }),
        fc
          .constantFrom(...lengths)
          .chain((n) =>
            fc
              .tuple(fc.constantFrom('a', '0', 'f', '1', 'A'), fc.nat({ max: Math.max(0, n - 1) }), unit)
              .map(([fill, at, odd]) => fill.repeat(n).slice(0, at) + odd + fill.repeat(n).slice(at + 1)),
          ),
        fc.constantFrom(...lengths).map((n) => 'a'.repeat(n)),
        fc.constantFrom(...lengths).map((n) => '0'.repeat(n)),
        fc.integer({ min: -1, max: 20_000 }).map((n) => `1.${n}`),
        fc.constantFrom('1.0', '1.00', '1.01', '1.10', '1.9999', '1.10000', '1.', '2.0', '1,0', '1.0\n'),
      );
      fc.assert(
        fc.property(strings, (s) => {
          expect(matcher(s)).toBe(re.test(s));
        }),
        { numRuns: 3000 },
      );
    },
    60_000,
  );
});

describe('isRfc3339Timestamp', () => {
  it('equals the RFC 3339 pattern plus the calendar check', () => {
    const near = fc
      .tuple(timestampArb, fc.nat({ max: 34 }), unit)
      .map(([t, i, c]) => t.slice(0, i) + c + t.slice(i + 1));
    fc.assert(
      fc.property(fc.oneof(timestampArb, near, fc.string({ unit, maxLength: 36 })), (s) => {
        expect(isRfc3339Timestamp(s)).toBe(RFC3339_RE.test(s) && isRealCalendarDate(s));
      }),
      { numRuns: 10_000 },
    );
  }, 60_000);
});

describe('code point lengths', () => {
  it('count like ajv (surrogate pairs once, lone surrogates once)', () => {
    expect(codePointLength('a😀b')).toBe(3);
    expect(codePointLength('\ud800a')).toBe(2);
    expect(codePointLength('\udc00\ud800')).toBe(2);
    fc.assert(
      fc.property(
        fc.string({ unit, maxLength: 40 }),
        fc.nat({ max: 3 }),
        fc.nat({ max: 40 }),
        (s, min, max) => {
          expect(codePointLength(s)).toBe(Array.from(s).length);
          const n = codePointLength(s);
          expect(codePointLengthWithin(s, min, max)).toBe(n >= min && n <= max);
        },
      ),
      { numRuns: 2000 },
    );
  }, 60_000);
});

describe('rfc3339EpochMs', () => {
  it('equals Date.parse for every timestamp the contract accepts', () => {
    fc.assert(
      fc.property(timestampArb, (s) => {
        fc.pre(isRfc3339Timestamp(s));
        expect(rfc3339EpochMs(s)).toBe(Date.parse(s));
      }),
      { numRuns: 5000 },
    );
    for (const s of [
      '1970-01-01T00:00:00Z',
      '2000-02-29T23:59:59.999+23:59',
      '2026-11-25T12:00:00.123456789-05:30',
      '9999-12-31T23:59:59.9Z',
      '2024-03-01T00:00:00.05-00:00',
    ]) {
      expect(rfc3339EpochMs(s)).toBe(Date.parse(s));
    }
  });
});
