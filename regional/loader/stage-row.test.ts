// Staging rows: good envelopes become escaped COPY rows; every kind of bad line becomes a reject row.
import { describe, expect, it } from 'vitest';
import { makeEnvelope } from './envelope-fixtures.ts';
import {
  pgTimestamp,
  STAGE_COLUMNS,
  type StageCounts,
  stageRow,
  storableJson,
  storableText,
} from './stage-row.ts';

const tenant = {
  orgId: '11111111-1111-4111-8111-111111111111',
  projectId: '22222222-2222-4222-8222-222222222222',
  keyId: '33333333-3333-4333-8333-333333333333',
};
const today = Math.floor(Date.now() / 86_400_000);
const days = new Set([today - 1, today, today + 1]);

function fields(row: string): string[] {
  expect(row.endsWith('\n')).toBe(true);
  const f = row.slice(0, -1).split('\t');
  expect(f).toHaveLength(STAGE_COLUMNS.length);
  return f;
}

describe('stageRow', () => {
  it('encodes a valid envelope with its extracted columns and escaped event JSON', () => {
    const env = makeEnvelope(tenant, 3);
    (env.event as Record<string, unknown>).model = 'tab\there \\ back';
    const counts: StageCounts = { lines: 0, good: 0, rejected: 0 };
    const f = fields(stageRow({ lineNumber: 7, text: JSON.stringify(env) }, days, counts));
    expect(counts).toEqual({ lines: 1, good: 1, rejected: 0 });
    expect(f[0]).toBe('7');
    expect(f[1]).toBe('\\N');
    expect(f[4]).toBe(tenant.orgId);
    expect(f[12]).toBe('tab\\there \\\\ back');
    expect(f[8]).toBe(new Date(env.event.timestamp).toISOString());
    // The event column un-escapes back to the event JSON, unknown fields included.
    expect(f.slice(22, 26)).toEqual(['4bf92f3577b34da6a3ce929d0e0e4736', '\\N', '\\N', '\\N']);
    const eventText = (f[STAGE_COLUMNS.length - 1] ?? '').replace(/\\(.)/g, (_, c: string) =>
      c === 't' ? '\t' : c === 'n' ? '\n' : c,
    );
    expect(JSON.parse(eventText)).toEqual(env.event);
  });

  it.each([
    ['invalid_json', '{"v":1,'],
    ['invalid_envelope', JSON.stringify({ ...makeEnvelope(tenant, 1), key_id: 'nope' })],
    ['invalid_envelope', JSON.stringify([1, 2])],
    ['out_of_range', JSON.stringify(makeEnvelope(tenant, 1, { ts: new Date(Date.now() - 10 * 86_400_000) }))],
  ])('rejects %s lines', (reason, text) => {
    const counts: StageCounts = { lines: 0, good: 0, rejected: 0 };
    const f = fields(stageRow({ lineNumber: 2, text }, days, counts));
    expect(f[1]).toBe(reason);
    expect(counts.rejected).toBe(1);
    expect(f.slice(6).every((x) => x === '\\N')).toBe(true);
  });

  it('keeps at most 8 KiB of a rejected line and strips NUL bytes', () => {
    const counts: StageCounts = { lines: 0, good: 0, rejected: 0 };
    const f = fields(stageRow({ lineNumber: 1, text: `\u0000${'y'.repeat(20_000)}` }, days, counts));
    expect(f[3]?.length).toBe(8192);
    expect(f[3]?.includes('\u0000')).toBe(false);
  });
});

describe('stageRow timestamps', () => {
  it('passes the common RFC 3339 form through and normalises the others', () => {
    const counts: StageCounts = { lines: 0, good: 0, rejected: 0 };
    const now = new Date();
    const micro = `${now.toISOString().slice(0, 19)}.123456+00:00`;
    const env = makeEnvelope(tenant, 1, { ts: now });
    (env.event as Record<string, unknown>).timestamp = micro;
    expect(fields(stageRow({ lineNumber: 1, text: JSON.stringify(env) }, days, counts))[8]).toBe(micro);
    // Seven fractional digits: valid RFC 3339, but PostgreSQL would round it; normalised to milliseconds.
    const seven = `${now.toISOString().slice(0, 19)}.1234567Z`;
    (env.event as Record<string, unknown>).timestamp = seven;
    const f = fields(stageRow({ lineNumber: 2, text: JSON.stringify(env) }, days, counts));
    expect(f[1]).toBe('\\N');
    expect(f[8]).toBe(`${now.toISOString().slice(0, 19)}.123Z`);
  });

  it('rewrites offsets PostgreSQL refuses (±16:00 to ±23:59) to the same instant in UTC, fraction kept', () => {
    expect(pgTimestamp('2026-12-02T10:00:00+16:00', Date.parse('2026-12-02T10:00:00+16:00'))).toBe(
      '2026-12-01T18:00:00Z',
    );
    expect(pgTimestamp('2026-12-31T23:30:59.123456-23:59', Date.parse('2026-12-31T23:30:59.123-23:59'))).toBe(
      '2027-01-01T23:29:59.123456Z',
    );
    expect(pgTimestamp('2024-03-01T00:10:00+23:59', Date.parse('2024-03-01T00:10:00+23:59'))).toBe(
      '2024-02-29T00:11:00Z',
    );
    // Within PostgreSQL's range: passed through as sent.
    expect(pgTimestamp('2026-12-02T10:00:00-15:59', 0)).toBe('2026-12-02T10:00:00-15:59');
  });
});

describe('storable text', () => {
  it('replaces escapes of unpaired surrogates with U+FFFD and keeps pairs and escaped backslashes', () => {
    expect(storableJson('{"a":"\\udfff","b":"x\\uD800"}')).toBe('{"a":"\\ufffd","b":"x\\ufffd"}');
    expect(storableJson('{"a":"\\ud83d\\ude00"}')).toBe('{"a":"\\ud83d\\ude00"}');
    expect(storableJson('{"a":"\\ud83d\\u0041\\ude00"}')).toBe('{"a":"\\ufffd\\u0041\\ufffd"}');
    expect(storableJson('{"a":"\\\\ud800"}')).toBe('{"a":"\\\\ud800"}');
    expect(storableJson('{"a":"\\ud800\\ud800\\udc00"}')).toBe('{"a":"\\ufffd\\ud800\\udc00"}');
    for (const json of ['{"a":"\\ud800"}', '{"a":"\\ud83d\\ude00\\udc00"}']) {
      expect(JSON.parse(storableJson(json)).a).not.toMatch(/[\ud800-\udfff](?![\udc00-\udfff])/u);
    }
  });

  it('replaces U+0000 with U+FFFD in strings and in JSON escapes, leaving escaped backslashes alone', () => {
    expect(storableText('gpt\u0000x\u0000')).toBe('gpt\ufffdx\ufffd');
    expect(storableText('plain')).toBe('plain');
    const json = JSON.stringify({ a: 'x\u0000y', b: '\\u0000 is text here', c: '\\\u0000' });
    const stored = JSON.parse(storableJson(json));
    expect(stored).toEqual({ a: 'x\ufffdy', b: '\\u0000 is text here', c: '\\\ufffd' });
  });
});
