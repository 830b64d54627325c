// The fast splitter either declines or returns exactly what JSON.parse + the scanner would.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topLevelArraySpans } from '../../../contract/index.ts';
import { fastSplitBatch } from './fast-split.ts';

/** JSON text in compact, Python-default (", " / ": ") or tab-separated style. */
function styled(value: unknown, style: 'compact' | 'python' | 'tabs'): string {
  const compact = JSON.stringify(value);
  if (style === 'compact') return compact;
  // Re-serialise with separators outside strings only, by walking the parsed value.
  const sep = style === 'python' ? [', ', ': '] : [',\t', ':\t'];
  const walk = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(walk).join(sep[0])}]`;
    if (v !== null && typeof v === 'object') {
      return `{${Object.entries(v)
        .map(([k, x]) => `${JSON.stringify(k)}${sep[1]}${walk(x)}`)
        .join(sep[0])}}`;
    }
    return JSON.stringify(v);
  };
  return walk(value);
}

const keyName = fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'prototype'));
const tricky = fc.oneof(
  fc.dictionary(keyName, fc.jsonValue(), { maxKeys: 3 }),
  fc.jsonValue(),
  fc.constantFrom('},{', '"},{"', '}, {', '\\', '"}', { a: [{ b: 1 }, { c: 2 }] }, [{}, {}]),
);

describe('fastSplitBatch', () => {
  it('agrees with JSON.parse and the scanner whenever it answers', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.dictionary(keyName, tricky, { maxKeys: 4 }), tricky), { maxLength: 6 }),
        fc.constantFrom('compact', 'python', 'tabs'),
        (events, style) => {
          const text = styled({ events }, style as 'compact');
          const fast = fastSplitBatch(text);
          if (!fast) return;
          const parsed = JSON.parse(text) as { events: unknown[] };
          expect(fast.events).toEqual(parsed.events);
          const spans = topLevelArraySpans(text, 'events');
          expect(fast.raws).toEqual(spans?.starts.map((s, i) => text.slice(s, spans.ends[i])));
          // The fast path never carries an event with a reserved key: those need the general path's flag.
          expect(spans?.hasReservedKey.some(Boolean)).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('takes the common shapes (compact and Python-default separators)', () => {
    const events = [{ a: 1, b: { c: 'x' } }, { d: [1, 2] }];
    expect(fastSplitBatch(styled({ events }, 'compact'))?.raws).toEqual([
      '{"a":1,"b":{"c":"x"}}',
      '{"d":[1,2]}',
    ]);
    expect(fastSplitBatch(styled({ events }, 'python'))?.events).toEqual(events);
  });

  it('declines bodies it cannot vouch for', () => {
    for (const text of [
      '{"events":[{"a":"},{"}]}',
      '{"events":[{"a":[{"b":1},{"c":2}]}]}',
      '{"events":[{"a":1},\n{"b":2}]}',
      '{"events":[{"__proto__":1}]}',
      '{"events":[{"a":"\\u0041"}]}',
      '{"x":1,"events":[{"a":1}]}',
      '{"events":[{"a":1}],"events":[{"b":1}]}',
      '{"events":[1,{"a":1}]}',
      '{"events":[]}',
      '{"events":[{"a":1}',
    ]) {
      const fast = fastSplitBatch(text);
      if (fast) expect(fast.events).toEqual((JSON.parse(text) as { events: unknown[] }).events);
    }
    // A split inside a string or a nested array makes a piece unparseable: the whole body is declined.
    expect(fastSplitBatch('{"events":[{"a":"},{"}]}')).toBeUndefined();
    expect(fastSplitBatch('{"events":[{"a":[{"b":1},{"c":2}]}]}')).toBeUndefined();
  });

  it('declines every reserved key, top-level or nested, and takes the bare words inside values', () => {
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      expect(fastSplitBatch(`{"events":[{"a":1},{"${name}":1}]}`)).toBeUndefined();
      expect(fastSplitBatch(`{"events":[{"a":{"b":{"${name}"\t:\t{}}}}]}`)).toBeUndefined();
      expect(fastSplitBatch(`{"events":[{"message":"${name} failed"}]}`)?.events).toEqual([
        { message: `${name} failed` },
      ]);
    }
  });
});
