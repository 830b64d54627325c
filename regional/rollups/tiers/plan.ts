// Splits a minute range into the cheapest exact sources: clean hourly, 15-minute and 5-minute tier rows, per-minute rollups.

/** The grains of the tier blocks, coarsest first (the order the planner tries them in). */
export const TIER_GRAINS = ['1h', '15m', '5m'] as const;

/** A tier block's grain. */
export type TierGrain = (typeof TIER_GRAINS)[number];

/** A source segment [from, to): a tier block (`1h`, `15m`, `5m`) or a run of minutes read from event_rollups_1m. */
export type Segment = { grain: TierGrain | '1m'; from: Date; to: Date };

const MIN = 60_000;

/** Length of a block of each grain, in milliseconds. */
export const GRAIN_MS: Record<TierGrain, number> = { '1h': 60 * MIN, '15m': 15 * MIN, '5m': 5 * MIN };

/** Length of a block of each grain as a PostgreSQL interval. */
export const GRAIN_INTERVAL: Record<TierGrain, string> = {
  '1h': '1 hour',
  '15m': '15 minutes',
  '5m': '5 minutes',
};

/** Key of a tier block in the dirty set. */
export function blockKey(grain: TierGrain, start: Date): string {
  return `${grain}|${start.toISOString()}`;
}

/** The grain and start of a `blockKey`. */
export function parseBlockKey(key: string): { grain: TierGrain; start: Date } {
  const bar = key.indexOf('|');
  return { grain: key.slice(0, bar) as TierGrain, start: new Date(key.slice(bar + 1)) };
}

/**
 * Plans [from, to) (whole minutes) greedily: an hour when aligned, inside the range and not dirty; else
 * a 15-minute block on the same terms; else a 5-minute block; else one minute (adjacent minutes merge
 * into one segment). Every change marks all three grains covering it dirty (the statement trigger on
 * event_rollups_1m), so a dirty block always lies in dirty coarser blocks and no clean coarser block
 * hides a dirty finer one. The converse need not hold: a dirty block over clean finer ones (e.g. 15-minute
 * blocks not built yet after migration 0017) is read from those finer blocks. `grains` (coarsest first)
 * are the ones the database has (no 15-minute block before migration 0017: see `tierGrains`).
 */
export function planSegments(
  from: Date,
  to: Date,
  dirty: ReadonlySet<string>,
  grains: readonly TierGrain[] = TIER_GRAINS,
): Segment[] {
  const out: Segment[] = [];
  const end = to.getTime();
  let t = from.getTime();
  while (t < end) {
    let grain: Segment['grain'] = '1m';
    for (const g of grains) {
      const ms = GRAIN_MS[g];
      if (t % ms === 0 && t + ms <= end && !dirty.has(blockKey(g, new Date(t)))) {
        grain = g;
        break;
      }
    }
    const step = grain === '1m' ? MIN : GRAIN_MS[grain];
    const last = out[out.length - 1];
    if (grain === '1m' && last?.grain === '1m' && last.to.getTime() === t) {
      last.to = new Date(t + step);
    } else {
      out.push({ grain, from: new Date(t), to: new Date(t + step) });
    }
    t += step;
  }
  return out;
}

/**
 * Which sources answer each point of a range: the tier blocks (by key, with the point they belong to)
 * and the individual minutes read from event_rollups_1m. `points` lists every point key in order.
 */
export type RangePlan = {
  points: string[];
  /** blockKey → point key of every tier block planned. */
  blocks: Map<string, string>;
  hours: Date[];
  quarters: Date[];
  fives: Date[];
  /** Individual minutes: `minute = ANY(list)` keeps the (project_id, minute) index in use. */
  minutes: Date[];
};

/** The block starts of a plan per grain, coarsest first (grains with no block included). */
export function planBlocks(plan: RangePlan): Array<[TierGrain, Date[]]> {
  return [
    ['1h', plan.hours],
    ['15m', plan.quarters],
    ['5m', plan.fives],
  ];
}

/**
 * Plans [from, to) per point: the `stepMs` buckets aligned to the Unix epoch (keyed by their start's ISO
 * string), or one point (key '') when `stepMs` is null. Each point is planned on its own, so no block
 * crosses a point boundary: a 5-minute block is used only when the step is a multiple of 5 minutes, a
 * 15-minute one when it is a multiple of 15, an hour when it is a multiple of 60 (or the point is the
 * whole range). This is the one planner of every tier read, dimensionless (`read.ts`) or by dimension
 * or attribute (the analytics API's rollup source).
 */
export function planPoints(
  range: { from: Date; to: Date },
  stepMs: number | null,
  dirty: ReadonlySet<string>,
  grains: readonly TierGrain[] = TIER_GRAINS,
): RangePlan {
  const plan: RangePlan = { points: [], blocks: new Map(), hours: [], quarters: [], fives: [], minutes: [] };
  const lists: Record<TierGrain, Date[]> = { '1h': plan.hours, '15m': plan.quarters, '5m': plan.fives };
  const from = range.from.getTime();
  const to = range.to.getTime();
  const first = stepMs ? Math.floor(from / stepMs) * stepMs : from;
  for (let p = first; p < to; p = stepMs ? p + stepMs : to) {
    const key = stepMs ? new Date(p).toISOString() : '';
    plan.points.push(key);
    const windowFrom = new Date(Math.max(p, from));
    const windowTo = new Date(stepMs ? Math.min(p + stepMs, to) : to);
    for (const s of planSegments(windowFrom, windowTo, dirty, grains)) {
      if (s.grain === '1m') {
        for (let m = s.from.getTime(); m < s.to.getTime(); m += MIN) plan.minutes.push(new Date(m));
      } else {
        plan.blocks.set(blockKey(s.grain, s.from), key);
        lists[s.grain].push(s.from);
      }
    }
  }
  return plan;
}

/**
 * Minutes as the fewest [from, to) spans (adjacent minutes merged), ascending: how a raw-event read
 * restricts itself to the minutes a plan left to it, one index range each.
 */
export function minuteSpans(minutes: readonly Date[]): Array<{ from: Date; to: Date }> {
  const out: Array<{ from: Date; to: Date }> = [];
  for (const t of [...new Set(minutes.map(Number))].sort((a, b) => a - b)) {
    const last = out[out.length - 1];
    if (last && last.to.getTime() === t) last.to = new Date(t + MIN);
    else out.push({ from: new Date(t), to: new Date(t + MIN) });
  }
  return out;
}
