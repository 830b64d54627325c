// The trace waterfall: bars start where their calls started and are as wide as they took.
import { describe, expect, it } from 'vitest';
import type { ExplorerItem } from './api-types.ts';
import { waterfall } from './waterfall.ts';

const item = (id: string, at: string, duration?: number): ExplorerItem => ({
  schema_version: '1.0',
  event_id: id,
  timestamp: at,
  operation: 'chat',
  provider: 'openai',
  model: 'gpt-4o',
  status: 'ok',
  project_id: 'p',
  received_at: at,
  ...(duration === undefined ? {} : { duration_ms: duration }),
});

describe('waterfall', () => {
  it('places each call on the trace’s time axis', () => {
    const bars = waterfall({
      started_at: '2026-11-25T12:00:00.000Z',
      duration_ms: 1000,
      items: [
        item('a', '2026-11-25T12:00:00.000Z', 1000),
        item('b', '2026-11-25T12:00:00.250Z', 500),
        item('c', '2026-11-25T12:00:00.900Z'),
      ],
    });
    expect(bars.map((b) => [b.startMs, b.offsetPct, b.widthPct])).toEqual([
      [0, 0, 100],
      [250, 25, 50],
      [900, 90, 0],
    ]);
  });

  it('never draws past the end of the trace', () => {
    const [bar] = waterfall({
      started_at: '2026-11-25T12:00:00.000Z',
      duration_ms: 100,
      items: [item('a', '2026-11-25T12:00:00.080Z', 500)],
    });
    expect(bar?.offsetPct).toBe(80);
    expect(bar?.widthPct).toBeCloseTo(20);
  });
});
