// Export lines: CSV escaping (quotes, line breaks, formula injection), JSONL, the row cap and the trailers.
import { describe, expect, it } from 'vitest';
import { CSV_COLUMNS, csvCell, csvLine, type ExportPage, exportStream } from './export.ts';

async function read(stream: ReadableStream<Uint8Array>): Promise<string> {
  return new Response(stream).text();
}

const ev = (n: number) => ({ event_id: `e${n}`, model: 'gpt-4o', usage: { input_tokens: n }, cost_usd: 0.5 });

/** Pages of `size` events out of `total`, cursors being the next offset. */
function pages(total: number, size: number) {
  const page = (from: number): ExportPage => ({
    items: Array.from({ length: Math.min(size, total - from) }, (_, i) => ev(from + i)),
    next_cursor: from + size < total ? String(from + size) : null,
  });
  return { first: page(0), next: async (c: string) => page(Number(c)) };
}

describe('csvCell', () => {
  it('neutralises formulas in text, keeps numbers and quotes what needs it', () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    for (const s of ['+1', '-2+3', '@SUM(A1)', '\tx', '\rx'])
      expect(csvCell(s).replace(/^"/, '')).toMatch(/^'/);
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell(' padded')).toBe('" padded"');
    expect(csvCell(undefined)).toBe('');
    expect(csvCell({ route: '/chat' })).toBe('"{""route"":""/chat""}"');
  });

  it('flattens usage and error into their columns', () => {
    const cells = csvLine({
      event_id: 'x',
      usage: { input_tokens: 3 },
      error: { type: 'timeout', message: 'm' },
    })
      .trimEnd()
      .split(',');
    expect(cells).toHaveLength(CSV_COLUMNS.length);
    expect(cells[CSV_COLUMNS.indexOf('input_tokens')]).toBe('3');
    expect(cells[CSV_COLUMNS.indexOf('error_type')]).toBe('timeout');
  });
});

describe('exportStream', () => {
  it('writes every page once, CSV with a header', async () => {
    const text = await read(exportStream({ format: 'csv', ...pages(450, 200) }));
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(451);
    expect(lines.at(-1)?.startsWith('e449,')).toBe(true);
  });

  it('stops at the cap with a trailer that says so (and none when the data ends exactly there)', async () => {
    const cut = (await read(exportStream({ format: 'jsonl', cap: 250, ...pages(450, 200) })))
      .trimEnd()
      .split('\n');
    expect(cut).toHaveLength(251);
    expect(JSON.parse(cut[249] ?? '').event_id).toBe('e249');
    expect(JSON.parse(cut[250] ?? '')._export).toMatchObject({ truncated: true, rows: 250, cap: 250 });
    const exact = (await read(exportStream({ format: 'jsonl', cap: 400, ...pages(400, 200) })))
      .trimEnd()
      .split('\n');
    expect(exact).toHaveLength(400);
    const csv = (await read(exportStream({ format: 'csv', cap: 10, ...pages(30, 20) })))
      .trimEnd()
      .split('\r\n');
    expect(csv.at(-1)).toMatch(/^"?# export truncated at 10 rows/);
  });

  it('ends with an error trailer when a later page fails', async () => {
    const { first } = pages(450, 200);
    const text = await read(
      exportStream({
        format: 'jsonl',
        first,
        next: async () => {
          throw new Error('the API could not be reached');
        },
      }),
    );
    const lines = text.trimEnd().split('\n');
    expect(lines).toHaveLength(201);
    expect(JSON.parse(lines[200] ?? '')._export).toMatchObject({
      rows: 200,
      error: 'the API could not be reached',
    });
  });
});
