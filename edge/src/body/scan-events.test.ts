// The raw-text splitter must cut exactly the elements JSON.parse sees, whatever the JSON looks like.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scanEventSpans } from './scan-events.ts';

const slices = (text: string) => {
  const spans = scanEventSpans(text);
  if (!spans) return undefined;
  return spans.starts.map((s, i) => text.slice(s, spans.ends[i]));
};

describe('scanEventSpans', () => {
  it('cuts every element of "events" exactly as JSON.parse reads it (any JSON values, any spacing)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue(), { maxLength: 8 }),
        fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 3 }),
        fc.constantFrom(undefined, 1, 2, '\t', '\r\n '),
        (events, extra, indent) => {
          const text = JSON.stringify({ ...extra, events }, null, indent as never);
          const parsed = JSON.parse(text) as { events: unknown[] };
          const got = slices(text);
          expect(got?.map((s) => JSON.parse(s))).toEqual(parsed.events);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('takes the last "events" key, like JSON.parse, including an escaped spelling', () => {
    expect(slices('{"events":[1],"ev\\u0065nts":[{"a":"]"},2]}')).toEqual(['{"a":"]"}', '2']);
    expect(slices('{"events":[1],"events":"x"}')).toBeUndefined();
  });

  it('handles escaped quotes and backslashes inside strings', () => {
    expect(slices('{"events":["a\\"]",{"k\\\\":"\\\\"}]}')).toEqual(['"a\\"]"', '{"k\\\\":"\\\\"}']);
  });

  it('flags reserved keys at any depth, also when escaped, but not reserved words as values', () => {
    const text = JSON.stringify({
      events: [{ a: { ['__proto__']: 1 } }, { constructor: 1 }, { x: '__proto__' }, { y: ['prototype'] }],
    }).replace('"constructor"', '"\\u0063onstructor"');
    expect(scanEventSpans(text)?.hasReservedKey).toEqual([true, true, false, false]);
    expect(scanEventSpans('{"events":[{"prototype" :1}]}')?.hasReservedKey).toEqual([true]);
  });

  it('flags CR/LF between tokens (pretty-printed events)', () => {
    expect(scanEventSpans('{"events":[{"a":1},{\n"b":2}]}')?.hasLineBreak).toEqual([false, true]);
  });

  it('returns undefined without an events array', () => {
    expect(scanEventSpans('[1,2]')).toBeUndefined();
    expect(scanEventSpans('{"other":[1]}')).toBeUndefined();
  });
});
