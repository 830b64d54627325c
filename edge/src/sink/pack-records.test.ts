// Packing: lines never split, records within the byte limit, order kept.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packRecords } from './pack-records.ts';

describe('packRecords', () => {
  it('keeps every line whole and in order, records within the byte limit', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 40 }), { maxLength: 60 }), (parts) => {
        const lines = parts.map((p) => `${JSON.stringify(p)}\n`);
        const records = packRecords(lines, 100);
        expect(records.map((r) => r.toString('utf8')).join('')).toBe(lines.join(''));
        for (const r of records) {
          expect(r.toString('utf8').endsWith('\n')).toBe(true);
          if (r.toString('utf8').split('\n').length > 2) expect(r.byteLength).toBeLessThanOrEqual(100);
        }
      }),
    );
  });

  it('packs 100 typical lines into one record', () => {
    expect(packRecords(Array.from({ length: 100 }, () => `${'x'.repeat(600)}\n`))).toHaveLength(1);
  });
});
