// Packing: one line per event, lines never split, records within the byte limit, order kept.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packEnvelopes } from './pack-records.ts';

describe('packEnvelopes', () => {
  it('writes head + raw + "}\\n" per event, whole lines, in order, records within the limit', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 40 }), { maxLength: 60 }),
        fc.constantFrom('{"h":1,"event":', '{"h":"é","event":'),
        (parts, head) => {
          const raws = parts.map((p) => JSON.stringify(p));
          const ascii = raws.every((r) => Buffer.byteLength(r) === r.length);
          const records = packEnvelopes(head, raws, ascii, 120);
          const text = records.map((r) => r.toString('utf8')).join('');
          expect(text).toBe(raws.map((r) => `${head}${r}}\n`).join(''));
          for (const r of records) {
            const s = r.toString('utf8');
            expect(s.endsWith('}\n')).toBe(true);
            if (s.split('\n').length > 2) expect(r.byteLength).toBeLessThanOrEqual(120);
          }
        },
      ),
    );
  });

  it('packs 100 typical lines into one record', () => {
    expect(
      packEnvelopes(
        '{"event":',
        Array.from({ length: 100 }, () => `"${'x'.repeat(600)}"`),
        true,
      ),
    ).toHaveLength(1);
  });
});
