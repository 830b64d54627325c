// Edge configuration: one validated object, baked into the Lambda@Edge bundle or built by the local stack.
import * as v from 'valibot';
import { KEY_TAG_SECRET_RE, KEY_TAG_VERSION_RE } from '../../contract/index.ts';

const positiveInt = v.pipe(v.number(), v.integer(), v.minValue(1));
const nonNegativeInt = v.pipe(v.number(), v.integer(), v.minValue(0));
const region = v.pipe(v.string(), v.regex(/^[a-z]{2}(-[a-z]+)+-\d$/));

/** Schema of the edge configuration; every field is required so nothing silently defaults in AWS. */
export const EdgeConfigSchema = v.strictObject({
  /** Region of the Firehose stream (the core region). */
  coreRegion: region,
  streamName: v.pipe(v.string(), v.regex(/^[a-zA-Z0-9_.-]{1,64}$/)),
  keyTableName: v.pipe(v.string(), v.regex(/^[a-zA-Z0-9_.-]{3,255}$/)),
  /** Regions holding a replica of the key table (global table). */
  replicaRegions: v.pipe(v.array(region), v.minLength(1)),
  /** Edge region → replica region to read; regions not listed read the closest by this map or the core. */
  nearestReplica: v.record(region, region),
  /** Local stack only: endpoints of the stand-ins. Absent in AWS. */
  firehoseEndpoint: v.optional(v.pipe(v.string(), v.url())),
  dynamoEndpoint: v.optional(v.pipe(v.string(), v.url())),
  /**
   * Secrets of the keys' prefix tags, by version (one base62 character): a key whose tag does not
   * verify under its version's secret is refused without a lookup. Several while a rotation is under
   * way; the admin service mints with one of them. Baked into the bundle like the rest.
   */
  keyTagSecrets: v.pipe(
    v.record(
      v.pipe(v.string(), v.regex(KEY_TAG_VERSION_RE, 'a version is one base62 character')),
      v.pipe(v.string(), v.regex(KEY_TAG_SECRET_RE, 'a tag secret is base64url of at least 32 bytes')),
    ),
    v.check((r) => Object.keys(r).length > 0, 'at least one key tag secret is required'),
  ),
  keyCache: v.strictObject({
    /** Found keys (active or revoked) kept per instance. */
    maxEntries: positiveInt,
    /** "No such key" answers kept per instance, apart from found keys (misses never evict them). */
    maxNegativeEntries: positiveInt,
    /** How long a found key (active or revoked) is trusted without re-reading DynamoDB. */
    positiveTtlMs: positiveInt,
    /** How long "no such key" is trusted (shorter: a new key should work quickly). */
    negativeTtlMs: positiveInt,
    /** While DynamoDB fails, an active key confirmed within this window is still served. */
    staleIfErrorMs: nonNegativeInt,
    /** DynamoDB read timeout; past it the read counts as failed. */
    lookupTimeoutMs: positiveInt,
    /** DynamoDB reads in flight at once per instance. */
    maxConcurrentLookups: positiveInt,
    /** Reads waiting for a slot, per lane (known / unknown prefixes); past it: 503 + Retry-After, no read. */
    maxQueuedLookups: positiveInt,
  }),
  sink: v.strictObject({
    /** Time allowed for Firehose to take every record of a request, retries included. */
    deadlineMs: positiveInt,
    baseBackoffMs: positiveInt,
    maxBackoffMs: positiveInt,
    /**
     * PutRecordBatch calls in flight at once per process. Requests arriving while a call is in flight
     * queue and share the next call, so 1 batches best under load (a call's fixed cost dominates).
     */
    maxConcurrentCalls: positiveInt,
  }),
  /** Per-key request rate at one edge instance (token bucket); over it: 429 + Retry-After. */
  rateLimit: v.strictObject({
    requestsPerSecond: positiveInt,
    burst: positiveInt,
    maxKeys: positiveInt,
  }),
  timestamps: v.strictObject({
    /** Events stamped more than this far in the future are rejected (clock skew allowance). */
    maxFutureMs: positiveInt,
    /** Events older than this (the retention window) are rejected. */
    maxAgeMs: positiveInt,
  }),
  logLevel: v.picklist(['debug', 'info', 'warn', 'error', 'silent']),
});

/** Validated edge configuration. */
export type EdgeConfig = v.InferOutput<typeof EdgeConfigSchema>;

/** Thrown when the configuration is invalid; names the offending field. */
export class EdgeConfigError extends Error {
  override name = 'EdgeConfigError';
}

/** Validates `input` (from `source`, for the message) and returns it typed, or throws naming the field. */
export function parseEdgeConfig(input: unknown, source: string): EdgeConfig {
  const result = v.safeParse(EdgeConfigSchema, input);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const field = issue.path?.map((p) => String(p.key)).join('.') ?? '(root)';
  throw new EdgeConfigError(`invalid edge configuration from ${source}: ${field}: ${issue.message}`);
}

/** Defaults shared by the bundle build and the local stack (overridable per field). */
export const DEFAULT_TUNING = {
  keyCache: {
    maxEntries: 10_000,
    maxNegativeEntries: 10_000,
    positiveTtlMs: 2_000,
    negativeTtlMs: 1_000,
    staleIfErrorMs: 120_000,
    lookupTimeoutMs: 1_000,
    // A DynamoDB GetItem takes a few ms from a nearby replica: 16 in flight serve thousands of misses
    // per second; 256 waiting is at most ~16 reads' time of queueing before a miss is shed.
    maxConcurrentLookups: 16,
    maxQueuedLookups: 256,
  },
  sink: { deadlineMs: 5_000, baseBackoffMs: 25, maxBackoffMs: 500, maxConcurrentCalls: 1 },
  // 1000 requests of up to 1000 events each per second per key and instance: far above any SDK's
  // steady flush rate, low enough to stop a runaway retry loop from one key.
  rateLimit: { requestsPerSecond: 1_000, burst: 2_000, maxKeys: 10_000 },
  timestamps: { maxFutureMs: 10 * 60_000, maxAgeMs: 30 * 24 * 3_600_000 },
} as const;

/** The replica of the key table to read from when running in `runningRegion`. */
export function replicaRegionFor(config: EdgeConfig, runningRegion: string | undefined): string {
  if (runningRegion === undefined) return config.coreRegion;
  if (config.replicaRegions.includes(runningRegion)) return runningRegion;
  return config.nearestReplica[runningRegion] ?? config.coreRegion;
}
