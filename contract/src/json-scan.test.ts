// The JSON text scanner must cut exactly the values JSON.parse sees, whatever the JSON looks like.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topLevelArraySpans, topLevelObjectMember } from './json-scan.ts';

const scanEventSpans = (text: string) => topLevelArraySpans(text, 'events');

const slices = (text: string) => {
  const spans = scanEventSpans(text);
  if (!spans) return undefined;
  return spans.starts.map((s, i) => text.slice(s, spans.ends[i]));
};

describe('topLevelArraySpans', () => {
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

describe('topLevelObjectMember', () => {
  it('extracts the member text for arbitrary surrounding and nested JSON', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.dictionary(fc.string(), fc.jsonValue()),
        (before, event, after) => {
          const { event: _b, ...b } = before;
          const { event: _a, ...a } = after;
          const text = JSON.stringify({ ...b, event: { ...event, event: { event: '"event":{' } }, ...a });
          const member = topLevelObjectMember(text, 'event');
          expect(member).toBe(JSON.stringify((JSON.parse(text) as { event: unknown }).event));
        },
      ),
    );
  });

  it('handles whitespace, a string value equal to the key, and repeated keys (last wins)', () => {
    expect(topLevelObjectMember('{ "a" : "event", "event" : { "x" : [1, {"y": "}"}] } }', 'event')).toBe(
      '{ "x" : [1, {"y": "}"}] }',
    );
    expect(topLevelObjectMember('{"event":{"n":1},"event":{"n":2}}', 'event')).toBe('{"n":2}');
    expect(topLevelObjectMember('{"event":5}', 'event')).toBeUndefined();
    expect(topLevelObjectMember('{"x":{"event":{}}}', 'event')).toBeUndefined();
  });
});
