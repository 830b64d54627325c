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
  /** Daily per-user rows, hourly per-user / per-session rows and whole actor spans gone with the dropped days. */
  actorRowsDeleted: number;
  /** Attribute tier rows (attribute_rollups, attribute_model_rollups, attribute_overflow) before the cutoff. */
  attributeRowsDeleted: number;
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
 * Per-user / per-session totals past the cutoff: daily and hourly rows before it are deleted (the cutoff
 * is a UTC midnight, so no day straddles it), spans that ended before it too, and spans that began
 * before it are recomputed from the hours that remain — so the users and sessions lists never count
 * events that are gone. The share lock holds the loader's folds (which take row-exclusive on actor_spans
 * first, then days and hours) back for the deletes and the recompute, so no fold lands between the read
 * and the write.
 */
async function purgeActorTotals(client: pg.PoolClient, cutoff: string): Promise<number> {
  const at = "($1::date)::timestamp AT TIME ZONE 'UTC'";
  await client.query('LOCK TABLE actor_spans IN SHARE ROW EXCLUSIVE MODE');
  const days = await client.query(`DELETE FROM actor_rollups_1d WHERE day < ${at}`, [cutoff]);
  const hours = await client.query(`DELETE FROM actor_rollups_1h WHERE hour < ${at}`, [cutoff]);
  const spans = await client.query(`DELETE FROM actor_spans WHERE last_seen < ${at}`, [cutoff]);
  await client.query(
    `UPDATE actor_spans s
        SET events = t.events, errors = t.errors, input_tokens = t.input_tokens, output_tokens = t.output_tokens,
            cost_usd = t.cost_usd, first_seen = t.first_seen, last_seen = t.last_seen
       FROM (SELECT h.org_id, h.project_id, h.kind, h.actor, sum(h.events)::bigint AS events,
                    sum(h.errors)::bigint AS errors, sum(h.input_tokens)::bigint AS input_tokens,
                    sum(h.output_tokens)::bigint AS output_tokens, sum(h.cost_usd) AS cost_usd,
                    min(h.first_seen) AS first_seen, max(h.last_seen) AS last_seen
               FROM actor_rollups_1h h
               JOIN actor_spans x USING (org_id, project_id, kind, actor)
              WHERE x.first_seen < ${at}
              GROUP BY 1, 2, 3, 4) t
      WHERE (s.org_id, s.project_id, s.kind, s.actor) = (t.org_id, t.project_id, t.kind, t.actor)`,
    [cutoff],
  );
  return (days.rowCount ?? 0) + (hours.rowCount ?? 0) + (spans.rowCount ?? 0);
}

/**
 * Retention: drops every event partition for a day before today − retentionDays, and deletes rollup
 * rows (per minute, per actor, per attribute) and dead letters older than the same cutoff (so dashboards never show minutes whose events are
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
    const actorRows = await purgeActorTotals(client, cutoff);
    // The other tiers follow the per-minute rows through their dirty markers; the attribute tier is
    // built from events, so its rows of the dropped days go here (the cutoff is a block boundary).
    let attributeRows = 0;
    for (const table of ['attribute_rollups', 'attribute_model_rollups', 'attribute_overflow']) {
      const res = await client.query(
        `DELETE FROM ${table} WHERE start < ($1::date)::timestamp AT TIME ZONE 'UTC'`,
        [cutoff],
      );
      attributeRows += res.rowCount ?? 0;
    }
    await client.query('COMMIT');
    return {
      dropped: rows[0]?.dropped ?? [],
      rollupRowsDeleted: rollups.rowCount ?? 0,
      deadLettersDeleted: dead.rowCount ?? 0,
      actorRowsDeleted: actorRows,
      attributeRowsDeleted: attributeRows,
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
