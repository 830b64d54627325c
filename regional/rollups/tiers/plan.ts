// Splits a minute range into the cheapest exact sources: clean hourly tier rows, clean 5-minute tier rows, per-minute rollups.

/** A source segment [from, to): a tier block (`1h`, `5m`) or a run of minutes read from event_rollups_1m. */
export type Segment = { grain: '1h' | '5m' | '1m'; from: Date; to: Date };

const MIN = 60_000;
const GRAIN_MS = { '1h': 60 * MIN, '5m': 5 * MIN } as const;

/** Key of a tier block in the dirty set. */
export function blockKey(grain: '1h' | '5m', start: Date): string {
  return `${grain}|${start.toISOString()}`;
}

/**
 * Plans [from, to) (whole minutes) greedily: an hour when aligned, inside the range and not dirty; else
 * a 5-minute block on the same terms; else one minute (adjacent minutes merge into one segment). A dirty
 * 5-minute block always lies in a dirty hour (every change marks both), so no clean hour hides one.
 */
export function planSegments(from: Date, to: Date, dirty: ReadonlySet<string>): Segment[] {
  const out: Segment[] = [];
  const end = to.getTime();
  let t = from.getTime();
  while (t < end) {
    let grain: Segment['grain'] = '1m';
    for (const g of ['1h', '5m'] as const) {
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
