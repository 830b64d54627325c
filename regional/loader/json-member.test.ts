// topLevelObjectMember returns exactly the member's JSON text, whatever surrounds or hides inside it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topLevelObjectMember } from './json-member.ts';

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
