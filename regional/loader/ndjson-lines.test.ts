// Line splitting over arbitrary chunk boundaries, blank lines, missing final newline and over-long lines.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type NdjsonLine, ndjsonLines } from './ndjson-lines.ts';

async function collect(chunks: Array<Buffer | string>, max?: number): Promise<NdjsonLine[]> {
  async function* gen() {
    for (const c of chunks) yield c;
  }
  const out: NdjsonLine[] = [];
  for await (const group of ndjsonLines(gen(), max)) out.push(...group);
  return out;
}

function splitAt(text: string, cuts: number[]): Buffer[] {
  const buf = Buffer.from(text);
  const points = [...new Set(cuts.map((c) => c % (buf.length + 1)))].sort((a, b) => a - b);
  const parts: Buffer[] = [];
  let prev = 0;
  for (const p of points) {
    parts.push(buf.subarray(prev, p));
    prev = p;
  }
  parts.push(buf.subarray(prev));
  return parts;
}

describe('ndjsonLines', () => {
  it('yields the same lines however the bytes are chunked (multi-byte UTF-8 included)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.string({ unit: 'grapheme', maxLength: 30 }).map((s) => s.replace(/[\r\n]/g, '')),
          { maxLength: 20 },
        ),
        fc.array(fc.nat(), { maxLength: 10 }),
        async (lines, cuts) => {
          const text = lines.map((l) => `${l}\n`).join('');
          const got = await collect(splitAt(text, cuts));
          const expected = lines.map((l, i) => ({ lineNumber: i + 1, text: l })).filter((l) => l.text !== '');
          expect(got).toEqual(expected);
        },
      ),
    );
  });

  it('keeps a last line without newline and counts blank lines in line numbers', async () => {
    expect(await collect(['a\n\n', 'b\r\n', 'c'])).toEqual([
      { lineNumber: 1, text: 'a' },
      { lineNumber: 3, text: 'b\r' },
      { lineNumber: 4, text: 'c' },
    ]);
  });

  it('reports over-long lines without buffering them, then carries on', async () => {
    const long = 'x'.repeat(50);
    const got = await collect(['ok\n', long.slice(0, 20), long.slice(20), '\nfine\n', `${long}\n`, long], 16);
    expect(got.map((l) => [l.lineNumber, l.tooLong ? 'too long' : l.text])).toEqual([
      [1, 'ok'],
      [2, 'too long'],
      [3, 'fine'],
      [4, 'too long'],
      [5, 'too long'],
    ]);
  });
});
