// The segment and point planners: exact coverage, tiers (1h, 15m, 5m) only when aligned, clean and inside one point, minutes merged.
import { describe, expect, it } from 'vitest';
import { blockKey, GRAIN_MS, minuteSpans, parseBlockKey, planPoints, planSegments } from './plan.ts';

const at = (iso: string) => new Date(iso);
const show = (segments: ReturnType<typeof planSegments>) =>
  segments.map((s) => `${s.grain} ${s.from.toISOString().slice(11, 16)}-${s.to.toISOString().slice(11, 16)}`);

describe('planSegments', () => {
  it('uses hours, then 5-minute blocks, then minutes at the ragged edges', () => {
    const plan = planSegments(at('2026-11-25T09:52:00Z'), at('2026-11-25T12:07:00Z'), new Set());
    expect(show(plan)).toEqual([
      '1m 09:52-09:55',
      '5m 09:55-10:00',
      '1h 10:00-11:00',
      '1h 11:00-12:00',
      '5m 12:00-12:05',
      '1m 12:05-12:07',
    ]);
  });

  it('uses 15-minute blocks where an hour does not fit and a 15-minute block does', () => {
    const plan = planSegments(at('2026-11-25T09:22:00Z'), at('2026-11-25T12:37:00Z'), new Set());
    expect(show(plan)).toEqual([
      '1m 09:22-09:25',
      '5m 09:25-09:30',
      '15m 09:30-09:45',
      '15m 09:45-10:00',
      '1h 10:00-11:00',
      '1h 11:00-12:00',
      '15m 12:00-12:15',
      '15m 12:15-12:30',
      '5m 12:30-12:35',
      '1m 12:35-12:37',
    ]);
  });

  it('falls back to finer sources for dirty blocks', () => {
    // A change at 11:12 marks its 5-minute, 15-minute and hourly blocks; the 15-minute block at 11:15
    // is dirty alone (not built yet, as after migration 0017) and is read as its clean 5-minute blocks.
    const dirty = new Set([
      blockKey('1h', at('2026-11-25T11:00:00Z')),
      blockKey('15m', at('2026-11-25T11:00:00Z')),
      blockKey('5m', at('2026-11-25T11:10:00Z')),
      blockKey('15m', at('2026-11-25T11:15:00Z')),
    ]);
    const plan = planSegments(at('2026-11-25T11:00:00Z'), at('2026-11-25T12:00:00Z'), dirty);
    expect(show(plan)).toEqual([
      '5m 11:00-11:05',
      '5m 11:05-11:10',
      '1m 11:10-11:15',
      '5m 11:15-11:20',
      '5m 11:20-11:25',
      '5m 11:25-11:30',
      '15m 11:30-11:45',
      '15m 11:45-12:00',
    ]);
  });

  it('covers the range exactly, without gaps or overlaps', () => {
    const from = at('2026-11-24T23:17:00Z');
    const to = at('2026-11-26T01:03:00Z');
    const dirty = new Set([
      blockKey('1h', at('2026-11-25T05:00:00Z')),
      blockKey('15m', at('2026-11-25T05:30:00Z')),
      blockKey('5m', at('2026-11-25T05:30:00Z')),
      blockKey('15m', at('2026-11-25T07:45:00Z')),
    ]);
    const plan = planSegments(from, to, dirty);
    let t = from.getTime();
    for (const s of plan) {
      expect(s.from.getTime()).toBe(t);
      t = s.to.getTime();
    }
    expect(t).toBe(to.getTime());
  });
});

describe('planPoints', () => {
  const MIN = 60_000;
  const range = { from: at('2026-11-25T09:52:00Z'), to: at('2026-11-25T12:07:00Z') };
  const iso = (d: Date) => d.toISOString().slice(11, 16);
  const blocksOf = (plan: ReturnType<typeof planPoints>) =>
    [...plan.blocks].map(([block, point]) => {
      const { grain, start } = parseBlockKey(block);
      return `${grain} ${iso(start)}→${point ? iso(new Date(point)) : 'range'}`;
    });

  it('reads hours for the whole range (one point keyed ""), like planSegments', () => {
    const plan = planPoints(range, null, new Set());
    expect(plan.points).toEqual(['']);
    expect(plan.hours.map(iso)).toEqual(['10:00', '11:00']);
    expect(plan.quarters).toEqual([]);
    expect(plan.fives.map(iso)).toEqual(['09:55', '12:00']);
    expect(plan.minutes.map(iso)).toEqual(['09:52', '09:53', '09:54', '12:05', '12:06']);
    expect(blocksOf(plan)).toEqual(['5m 09:55→range', '1h 10:00→range', '1h 11:00→range', '5m 12:00→range']);
  });

  it('reads 15-minute buckets from 15-minute blocks, never hours: 5-minute blocks and minutes at the edges', () => {
    const plan = planPoints(range, 15 * MIN, new Set());
    expect(plan.points.map((p) => iso(new Date(p)))).toEqual([
      '09:45',
      '10:00',
      '10:15',
      '10:30',
      '10:45',
      '11:00',
      '11:15',
      '11:30',
      '11:45',
      '12:00',
    ]);
    expect(plan.hours).toEqual([]);
    expect(plan.quarters.map(iso)).toEqual([
      '10:00',
      '10:15',
      '10:30',
      '10:45',
      '11:00',
      '11:15',
      '11:30',
      '11:45',
    ]);
    expect(plan.fives.map(iso)).toEqual(['09:55', '12:00']);
    expect(blocksOf(plan).slice(0, 3)).toEqual(['5m 09:55→09:45', '15m 10:00→10:00', '15m 10:15→10:15']);
    expect(plan.minutes.map(iso)).toEqual(['09:52', '09:53', '09:54', '12:05', '12:06']);
  });

  it('reads a dirty 15-minute bucket from its clean 5-minute blocks, and their dirty ones from minutes', () => {
    const dirty = new Set([
      // Not built yet (after migration 0017): its 5-minute blocks are clean.
      blockKey('15m', at('2026-11-25T10:15:00Z')),
      // A change at 10:47: its 5-minute, 15-minute and hourly blocks.
      blockKey('5m', at('2026-11-25T10:45:00Z')),
      blockKey('15m', at('2026-11-25T10:45:00Z')),
      blockKey('1h', at('2026-11-25T10:00:00Z')),
    ]);
    const plan = planPoints(
      { from: at('2026-11-25T10:00:00Z'), to: at('2026-11-25T11:00:00Z') },
      15 * MIN,
      dirty,
    );
    expect(blocksOf(plan)).toEqual([
      '15m 10:00→10:00',
      '5m 10:15→10:15',
      '5m 10:20→10:15',
      '5m 10:25→10:15',
      '15m 10:30→10:30',
      '5m 10:50→10:45',
      '5m 10:55→10:45',
    ]);
    expect(plan.minutes.map(iso)).toEqual(['10:45', '10:46', '10:47', '10:48', '10:49']);
  });

  it('uses no 15-minute block when the database has none (before migration 0017)', () => {
    const plan = planPoints(range, 15 * MIN, new Set(), ['1h', '5m']);
    expect(plan.quarters).toEqual([]);
    expect(plan.fives).toHaveLength(26);
    expect(planPoints(range, null, new Set(), ['1h', '5m']).hours.map(iso)).toEqual(['10:00', '11:00']);
  });

  it('uses no 15-minute block for 5-minute buckets', () => {
    const plan = planPoints(range, 5 * MIN, new Set());
    expect(plan.hours).toEqual([]);
    expect(plan.quarters).toEqual([]);
    expect(plan.fives).toHaveLength(26);
    expect(plan.minutes).toHaveLength(5);
  });

  it('uses no block for 1-minute buckets, and hours for 6-hour buckets', () => {
    const minutely = planPoints(range, MIN, new Set());
    expect(minutely.blocks.size).toBe(0);
    expect(minutely.minutes).toHaveLength(135);
    expect(minutely.points).toHaveLength(135);
    const sixHourly = planPoints(range, 360 * MIN, new Set());
    expect(sixHourly.points.map((p) => iso(new Date(p)))).toEqual(['06:00', '12:00']);
    expect(blocksOf(sixHourly)).toEqual([
      '5m 09:55→06:00',
      '1h 10:00→06:00',
      '1h 11:00→06:00',
      '5m 12:00→12:00',
    ]);
  });

  it('reads a dirty hour as its clean 15-minute and 5-minute blocks, and a dirty block as minutes, within each point', () => {
    // A change at 10:22 marks 5m 10:20, 15m 10:15 and 1h 10:00.
    const dirty = new Set([
      blockKey('1h', at('2026-11-25T10:00:00Z')),
      blockKey('15m', at('2026-11-25T10:15:00Z')),
      blockKey('5m', at('2026-11-25T10:20:00Z')),
    ]);
    const plan = planPoints(range, 60 * MIN, dirty);
    expect(plan.hours.map(iso)).toEqual(['11:00']);
    expect(plan.quarters.map(iso)).toEqual(['10:00', '10:30', '10:45']);
    expect(plan.fives.map(iso)).toEqual(['09:55', '10:15', '10:25', '12:00']);
    expect(plan.minutes.map(iso)).toEqual([
      '09:52',
      '09:53',
      '09:54',
      '10:20',
      '10:21',
      '10:22',
      '10:23',
      '10:24',
      '12:05',
      '12:06',
    ]);
    expect(plan.blocks.get(blockKey('5m', at('2026-11-25T10:25:00Z')))).toBe('2026-11-25T10:00:00.000Z');
    expect(plan.blocks.get(blockKey('15m', at('2026-11-25T10:45:00Z')))).toBe('2026-11-25T10:00:00.000Z');
  });

  it('covers every minute of the range exactly once, inside the right point, for every step', () => {
    const from = at('2026-11-24T22:43:00Z');
    const to = at('2026-11-26T01:17:00Z');
    const dirty = new Set([
      blockKey('1h', at('2026-11-25T05:00:00Z')),
      blockKey('15m', at('2026-11-25T05:30:00Z')),
      blockKey('5m', at('2026-11-25T05:30:00Z')),
      blockKey('15m', at('2026-11-25T07:15:00Z')),
    ]);
    for (const step of [null, 1, 5, 15, 60, 360, 1440].map((m) => (m === null ? null : m * MIN))) {
      const plan = planPoints({ from, to }, step, dirty);
      const seen = new Map<number, string>();
      const cover = (t0: number, ms: number, point: string) => {
        for (let t = t0; t < t0 + ms; t += MIN) {
          expect(seen.has(t), `${step} ${new Date(t).toISOString()}`).toBe(false);
          seen.set(t, point);
        }
      };
      for (const [block, point] of plan.blocks) {
        const { grain, start } = parseBlockKey(block);
        expect(dirty.has(block)).toBe(false);
        cover(start.getTime(), GRAIN_MS[grain], point);
      }
      for (const m of plan.minutes) cover(m.getTime(), MIN, 'minute');
      expect(seen.size).toBe((to.getTime() - from.getTime()) / MIN);
      for (const [t, point] of seen) {
        expect(t >= from.getTime() && t < to.getTime()).toBe(true);
        if (point !== 'minute' && step) expect(Math.floor(t / step) * step).toBe(Date.parse(point));
      }
      expect(plan.hours.length + plan.quarters.length + plan.fives.length).toBe(plan.blocks.size);
    }
  });
});

describe('minuteSpans', () => {
  it('merges adjacent minutes into half-open spans, in order, whatever order and repeats it gets', () => {
    const m = (hhmm: string) => at(`2026-11-25T${hhmm}:00Z`);
    const spans = minuteSpans([m('10:07'), m('09:58'), m('09:59'), m('10:05'), m('10:06'), m('09:58')]);
    expect(
      spans.map((s) => `${s.from.toISOString().slice(11, 16)}-${s.to.toISOString().slice(11, 16)}`),
    ).toEqual(['09:58-10:00', '10:05-10:08']);
    expect(minuteSpans([])).toEqual([]);
  });

  it('covers exactly the minutes a plan leaves to per-minute reads', () => {
    const dirty = new Set([
      blockKey('1h', at('2026-11-25T11:00:00Z')),
      blockKey('15m', at('2026-11-25T11:15:00Z')),
      blockKey('5m', at('2026-11-25T11:20:00Z')),
    ]);
    const plan = planPoints(
      { from: at('2026-11-25T09:52:00Z'), to: at('2026-11-25T12:07:00Z') },
      null,
      dirty,
    );
    const covered = minuteSpans(plan.minutes).flatMap((s) => {
      const out: number[] = [];
      for (let t = s.from.getTime(); t < s.to.getTime(); t += 60_000) out.push(t);
      return out;
    });
    expect(covered).toEqual(plan.minutes.map(Number).sort((a, b) => a - b));
    expect(minuteSpans(plan.minutes)).toHaveLength(3);
  });
});
