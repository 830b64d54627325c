// Telemetry partition maintenance: create daily partitions ahead of time, drop (and purge) past retention.
import type pg from 'pg';

/** Maintenance policy. */
export interface PartitionPolicy {
  /** Days after today (UTC) that must already have a partition. */
  aheadDays: number;
  /** Days kept: partitions for days before today − retentionDays are dropped. */
  retentionDays: number;
}

/** Defaults: two weeks ahead, 30 days kept. */
export const DEFAULT_PARTITION_POLICY: PartitionPolicy = { aheadDays: 14, retentionDays: 30 };

const MS_PER_DAY = 86_400_000;

/** YYYY-MM-DD of a UTC day offset from `now`. */
function utcDay(now: Date, offsetDays: number): string {
  return new Date(Math.floor(now.getTime() / MS_PER_DAY) * MS_PER_DAY + offsetDays * MS_PER_DAY)
    .toISOString()
    .slice(0, 10);
}

/** What one maintenance run did. */
export interface MaintenanceResult {
  created: number;
  dropped: string[];
  rollupRowsDeleted: number;
  deadLettersDeleted: number;
}

/**
 * Ensures a partition for every day from (today − retentionDays) to (today + aheadDays): events of any
 * day still kept can land, and events up to `aheadDays` in the future (clock skew) too. Events outside
 * that range have no partition and the loader dead-letters them ('out_of_range'). Idempotent.
 * Runs as `llmo_system` through SECURITY DEFINER functions; `lock_timeout` keeps it from queueing
 * behind a long load (creating a partition locks the parent briefly): it simply retries next run.
 */
export async function ensurePartitions(
  pool: pg.Pool,
  policy: PartitionPolicy = DEFAULT_PARTITION_POLICY,
  now: Date = new Date(),
): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SET LOCAL lock_timeout = '5s'");
    const { rows } = await client.query<{ n: number }>(
      'SELECT llmo_ensure_telemetry_partitions($1::date, $2::date) AS n',
      [utcDay(now, -policy.retentionDays), utcDay(now, policy.aheadDays)],
    );
    await client.query('COMMIT');
    return rows[0]?.n ?? 0;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/**
 * Retention: drops every event partition for a day before today − retentionDays, and deletes rollup
 * rows and dead letters older than the same cutoff (so dashboards never show minutes whose events are
 * gone). Dropping a partition is instant and leaves no bloat, unlike DELETE.
 */
export async function dropExpiredPartitions(
  pool: pg.Pool,
  policy: Pick<PartitionPolicy, 'retentionDays'> = DEFAULT_PARTITION_POLICY,
  now: Date = new Date(),
): Promise<Omit<MaintenanceResult, 'created'>> {
  const cutoff = utcDay(now, -policy.retentionDays);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query("SET LOCAL lock_timeout = '5s'");
    const { rows } = await client.query<{ dropped: string[] }>(
      'SELECT llmo_drop_telemetry_partitions_before($1::date) AS dropped',
      [cutoff],
    );
    const rollups = await client.query(
      "DELETE FROM event_rollups_1m WHERE minute < ($1::date)::timestamp AT TIME ZONE 'UTC'",
      [cutoff],
    );
    const dead = await client.query(
      "DELETE FROM dead_letters WHERE created_at < ($1::date)::timestamp AT TIME ZONE 'UTC'",
      [cutoff],
    );
    await client.query('COMMIT');
    return {
      dropped: rows[0]?.dropped ?? [],
      rollupRowsDeleted: rollups.rowCount ?? 0,
      deadLettersDeleted: dead.rowCount ?? 0,
    };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** One maintenance pass: retention first (frees the oldest days), then partitions ahead. */
export async function maintainPartitions(
  pool: pg.Pool,
  policy: PartitionPolicy = DEFAULT_PARTITION_POLICY,
  now: Date = new Date(),
): Promise<MaintenanceResult> {
  const dropped = await dropExpiredPartitions(pool, policy, now);
  const created = await ensurePartitions(pool, policy, now);
  return { created, ...dropped };
}

/** Days (YYYY-MM-DD, UTC) that have a partition, ascending. */
export async function partitionDays(pool: pg.Pool): Promise<string[]> {
  const { rows } = await pool.query<{ day: string }>(
    "SELECT to_char(day, 'YYYY-MM-DD') AS day FROM llmo_telemetry_partition_days() AS day",
  );
  return rows.map((r) => r.day);
}
