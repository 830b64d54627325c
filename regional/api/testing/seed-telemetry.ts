// Synthetic telemetry written straight into PostgreSQL with generate_series (tests and benchmarks), plus its rollups.
import type pg from 'pg';

/** What to generate: `count` events spread evenly over [from, from + spanMs). */
export type SeedSpec = {
  orgId: string;
  projectId: string;
  keyId: string;
  from: Date;
  spanMs: number;
  count: number;
  /** Event ids are `<idPrefix><n>`; vary it to seed the same project twice without collisions. */
  idPrefix?: string;
  /** Distinct user ids (`user-<n>`), default 200. Sessions are 20 consecutive events, traces 5. */
  users?: number;
};

const MODELS = "ARRAY['gpt-4o-mini','gpt-4o','claude-sonnet-4','claude-3-5-haiku','amazon.titan-text']";
const PROVIDERS = "ARRAY['openai','openai','anthropic','anthropic','aws.bedrock']";
const OPERATIONS = "ARRAY['chat','chat','embeddings','text_completion']";
const ENVIRONMENTS = "ARRAY['production','production','staging']";
const ERROR_TYPES = "ARRAY['rate_limit','timeout','RateLimitError']";
const ROUTES = "ARRAY['/chat','/search','/summarize']";

/**
 * Inserts `count` contract-shaped events (about 2% errors of 3 types, long-tailed latencies, 5 models
 * on 3 providers, users, sessions, traces and attributes) in one INSERT … SELECT, with the dimension
 * columns the loader extracts. The caller ensures the day partitions exist.
 */
export async function seedEvents(client: pg.ClientBase, spec: SeedSpec): Promise<void> {
  await client.query(
    `INSERT INTO telemetry_events (project_id, ts, event_id, org_id, key_id, received_at, operation, provider, model,
                                   status, environment, duration_ms, input_tokens, output_tokens, cost_usd,
                                   trace_id, user_id, session_id, error_type, event)
     SELECT $2::uuid, ts, id, $1::uuid, $3::uuid, ts + interval '800 milliseconds', op, prov, model, st, env, dur, itok, otok, cost,
            trace, usr, sess, etype,
            json_strip_nulls(json_build_object(
              'schema_version', '1.0', 'event_id', id, 'timestamp', to_json(ts) #>> '{}', 'operation', op,
              'provider', prov, 'model', model, 'status', st, 'duration_ms', dur,
              'usage', json_build_object('input_tokens', itok, 'output_tokens', otok), 'cost_usd', cost,
              'environment', env, 'time_to_first_token_ms', round((dur / 4)::numeric, 1),
              'trace_id', trace, 'span_id', substr(md5(id), 1, 16), 'user_id', usr, 'session_id', sess,
              'attributes', json_build_object('route', route, 'retry', g % 11 = 0),
              'error', CASE WHEN st = 'error' THEN json_build_object('type', etype, 'message', 'synthetic') END))
       FROM (
         SELECT $6 || g AS id,
                $4::timestamptz + (g * ($5::double precision / $7)) * interval '1 millisecond' AS ts,
                (${MODELS})[1 + g % 5] AS model,
                (${PROVIDERS})[1 + g % 5] AS prov,
                (${OPERATIONS})[1 + (g / 5) % 4] AS op,
                (${ENVIRONMENTS})[1 + (g / 7) % 3] AS env,
                CASE WHEN g % 47 = 0 THEN 'error' ELSE 'ok' END AS st,
                CASE WHEN g % 47 = 0 THEN (${ERROR_TYPES})[1 + (g / 47) % 3] END AS etype,
                md5($6 || (g / 5)) AS trace,
                'user-' || (g::bigint * 7919 % $8) AS usr,
                $6 || 's' || (g / 20) AS sess,
                (${ROUTES})[1 + g % 3] AS route,
                g,
                round((20 + 4000 * power(random(), 4))::numeric, 1)::double precision AS dur,
                (100 + g % 1900)::bigint AS itok,
                (20 + g % 480)::bigint AS otok,
                ((100 + g % 1900) * 0.00000015 + (20 + g % 480) * 0.0000006)::numeric(12, 8) AS cost
           FROM generate_series(0, $7 - 1) AS g
       ) s`,
    [
      spec.orgId,
      spec.projectId,
      spec.keyId,
      spec.from,
      spec.spanMs,
      spec.idPrefix ?? 'ev-',
      spec.count,
      spec.users ?? 200,
    ],
  );
}

/**
 * Builds `event_rollups_1m` rows for one project's events in [from, to) the way the loader defines
 * them (per minute × model × provider × operation × status × environment, log-bucket histogram).
 * Replaces rows already there for that project and range.
 */
export async function rollupEvents(
  client: pg.ClientBase,
  orgId: string,
  projectId: string,
  from: Date,
  to: Date,
): Promise<void> {
  await client.query(
    `DELETE FROM event_rollups_1m WHERE org_id = $1 AND project_id = $2 AND minute >= date_trunc('minute', $3::timestamptz) AND minute < $4`,
    [orgId, projectId, from, to],
  );
  await client.query(
    `INSERT INTO event_rollups_1m (org_id, project_id, minute, model, provider, operation, status, environment,
                                   events, errors, input_tokens, output_tokens, cost_usd, latency_count, latency_hist)
     SELECT org_id, project_id, minute, model, provider, operation, status, environment,
            sum(n), coalesce(sum(n) FILTER (WHERE status = 'error'), 0), sum(itok), sum(otok), sum(cost),
            coalesce(sum(n) FILTER (WHERE b IS NOT NULL), 0),
            coalesce(jsonb_object_agg(b::text, n) FILTER (WHERE b IS NOT NULL), '{}'::jsonb)
       FROM (
         SELECT org_id, project_id, date_trunc('minute', ts) AS minute, model, provider, operation, status, environment,
                llmo_latency_bucket(duration_ms) AS b, count(*) AS n,
                coalesce(sum(input_tokens), 0) AS itok, coalesce(sum(output_tokens), 0) AS otok,
                coalesce(sum(cost_usd), 0) AS cost
           FROM telemetry_events
          WHERE org_id = $1 AND project_id = $2 AND ts >= date_trunc('minute', $3::timestamptz) AND ts < $4
          GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
       ) per_bucket
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8`,
    [orgId, projectId, from, to],
  );
}

/**
 * Seeds `spec` on one pooled connection and, when `rollupTo` is given, builds the minute rollups of
 * [spec.from, rollupTo) for it, as most analytics tests set up their project.
 */
export async function seedProject(pool: pg.Pool, spec: SeedSpec, rollupTo?: Date): Promise<void> {
  const client = await pool.connect();
  try {
    await seedEvents(client, spec);
    if (rollupTo) await rollupEvents(client, spec.orgId, spec.projectId, spec.from, rollupTo);
  } finally {
    client.release();
  }
}

/** Marks one analytics tier block dirty, as a change to its minutes would (owner or system pool). */
export async function markDirty(
  pool: pg.Pool,
  ids: { orgId: string; projectId: string },
  grain: '5m' | '15m' | '1h',
  start: Date,
): Promise<void> {
  await pool.query('INSERT INTO analytics_dirty (org_id, project_id, grain, start) VALUES ($1, $2, $3, $4)', [
    ids.orgId,
    ids.projectId,
    grain,
    start,
  ]);
}
