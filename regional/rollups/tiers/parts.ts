// Splits a 15-minute or hourly tier block into its 5-minute blocks, clean or dirty in the refresher's snapshot.
import type pg from 'pg';
import { GRAIN_MS, type TierGrain } from './plan.ts';

const FIVE_MIN = GRAIN_MS['5m'];

/**
 * How a block is rebuilt: `clean` 5-minute blocks are summed from their tier rows (no marker in this
 * snapshot, so their rows hold every change the snapshot sees: every change marks the 5-minute block
 * with the coarser ones), the `dirty` ones are read from their sources (minutes, raw events). A
 * 5-minute block is its own only part, dirty.
 */
export type BlockParts = { clean: Date[]; dirty: Date[] };

/** The parts of `grain` block `start` of `projectId`, from the markers visible to `client`'s snapshot. */
export async function blockParts(
  client: pg.ClientBase,
  projectId: string,
  grain: TierGrain,
  start: Date,
): Promise<BlockParts> {
  if (grain === '5m') return { clean: [], dirty: [start] };
  const { rows } = await client.query<{ start: Date }>(
    `SELECT DISTINCT start FROM analytics_dirty
      WHERE project_id = $1 AND grain = '5m' AND start >= $2 AND start < $3`,
    [projectId, start, new Date(start.getTime() + GRAIN_MS[grain])],
  );
  const dirty = new Set(rows.map((r) => r.start.getTime()));
  const fives = Array.from(
    { length: GRAIN_MS[grain] / FIVE_MIN },
    (_, i) => new Date(start.getTime() + i * FIVE_MIN),
  );
  return {
    clean: fives.filter((f) => !dirty.has(f.getTime())),
    dirty: fives.filter((f) => dirty.has(f.getTime())),
  };
}
