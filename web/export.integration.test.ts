// Export against the real regional API: every event of the filter exactly once across keyset pages, formula-safe CSV, capped with a trailer.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHarness } from '../regional/api/testing/harness.ts';
import { seedProject } from '../regional/api/testing/seed-telemetry.ts';
import { CSV_COLUMNS, type ExportPage, exportStream } from './lib/export.ts';

let h: Harness;
let projectId: string;
let token: string;
const HOUR = 3_600_000;
const end = new Date(Math.floor(Date.now() / HOUR) * HOUR);
const start = new Date(end.getTime() - HOUR);

beforeAll(async () => {
  h = await startHarness();
  let orgId: string;
  ({ orgId, projectId } = await h.org());
  await seedProject(h.system, {
    orgId,
    projectId,
    keyId: randomUUID(),
    from: start,
    spanMs: HOUR,
    count: 1000,
  });
  // A customer string a spreadsheet would run as a formula.
  await h.owner.query(
    `UPDATE telemetry_events SET environment = '=HYPERLINK("http://evil.example","x")',
            event = jsonb_set(event::jsonb, '{environment}', to_jsonb('=HYPERLINK("http://evil.example","x")'::text))::json
      WHERE project_id = $1 AND event_id = 'ev-14'`,
    [projectId],
  );
  token = await h.token(orgId, 'member');
});
afterAll(() => h.close());

/** The export route's paging, against the API over the harness: the explorer's query plus the cursor. */
function source(filter: string) {
  const page = async (cursor?: string): Promise<ExportPage> => {
    const res = await h.call(
      'GET',
      `/v1/analytics/events?project_id=${projectId}&from=${start.toISOString()}&to=${end.toISOString()}&limit=200&${filter}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      { token },
    );
    if (res.status !== 200) throw new Error(`API answered ${res.status}`);
    return res.body as ExportPage;
  };
  return page;
}

async function exportText(filter: string, format: 'csv' | 'jsonl', cap?: number): Promise<string> {
  const page = source(filter);
  return new Response(exportStream({ format, first: await page(), next: page, cap })).text();
}

describe('export over the regional API', () => {
  it('JSONL holds every event of the filter once, newest first', async () => {
    const lines = (await exportText('environment=staging', 'jsonl')).trimEnd().split('\n');
    const { rows } = await h.owner.query(
      `SELECT event_id FROM telemetry_events WHERE project_id = $1 AND environment = 'staging' AND ts >= $2 AND ts < $3
        ORDER BY ts DESC, event_id DESC`,
      [projectId, start, end],
    );
    expect(rows.length).toBeGreaterThan(200);
    expect(lines.map((l) => JSON.parse(l).event_id)).toEqual(rows.map((r) => r.event_id));
  });

  it('CSV is formula-safe and parses back to one row per event', async () => {
    const csv = await exportText('model=amazon.titan-text', 'csv');
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe(CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(201); // 1000 events, every fifth is this model
    const hostile = lines.find((l) => l.startsWith('ev-14,'));
    expect(hostile).toContain(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(lines.some((l) => /,=/.test(l))).toBe(false);
  });

  it('stops at the cap with a trailer; a refused filter fails before anything is written', async () => {
    const lines = (await exportText('', 'jsonl', 300)).trimEnd().split('\n');
    expect(lines).toHaveLength(301);
    expect(JSON.parse(lines[300] ?? '')._export).toMatchObject({ truncated: true, rows: 300 });
    await expect(source('trace_id=nothex')()).rejects.toThrow('400');
  });
});
