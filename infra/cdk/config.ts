// CDK app configuration: read once from CDK context (cdk.json or `-c key=value`), validated, failing by name.
import * as v from 'valibot';
import { KEY_TAG_SECRET_RE, KEY_TAG_VERSION_RE } from '../../contract/index.ts';

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** `-c` values always arrive as strings; cdk.json values keep their JSON type. Accept both. */
const intFrom = (min: number, max: number) =>
  v.pipe(
    v.union([v.number(), v.pipe(v.string(), v.regex(/^-?\d+$/, 'must be an integer'), v.transform(Number))]),
    v.number(),
    v.integer('must be an integer'),
    v.minValue(min, `must be at least ${min}`),
    v.maxValue(max, `must be at most ${max}`),
  );

const numberFrom = (min: number, max: number) =>
  v.pipe(
    v.union([
      v.number(),
      v.pipe(v.string(), v.regex(/^\d+(\.\d+)?$/, 'must be a number'), v.transform(Number)),
    ]),
    v.number(),
    v.minValue(min, `must be at least ${min}`),
    v.maxValue(max, `must be at most ${max}`),
  );

const boolFrom = v.union([
  v.boolean(),
  v.pipe(
    v.picklist(['true', 'false']),
    v.transform((s) => s === 'true'),
  ),
]);

const region = v.pipe(v.string(), v.regex(REGION, 'must be an AWS region name like eu-west-1'));

/** A list given as a JSON array (cdk.json) or a comma-separated string (`-c replicaRegions=a,b`). */
const regionList = v.pipe(
  v.union([
    v.array(v.string()),
    v.pipe(
      v.string(),
      v.transform((s) =>
        s
          .split(',')
          .map((x) => x.trim())
          .filter((x) => x !== ''),
      ),
    ),
  ]),
  v.array(region),
);

const httpsUrl = v.pipe(
  v.string(),
  v.url('must be a URL'),
  v.regex(/^https:\/\/[^/]+$/, 'must be an https:// origin without a path or trailing slash'),
);

/**
 * Key-tag secrets by version: `{"A":"<secret>"}` (JSON) or `A:<secret>,B:<secret>` (`-c`). Never put
 * them in cdk.json: pass them with `-c` from where the deployment keeps its secrets.
 */
const keyTagSecrets = v.pipe(
  v.union([
    v.record(v.string(), v.string()),
    v.pipe(
      v.string(),
      v.transform((s) =>
        Object.fromEntries(
          s
            .split(',')
            .map((pair) => pair.trim())
            .filter((pair) => pair !== '')
            .map((pair) => [pair.slice(0, pair.indexOf(':')), pair.slice(pair.indexOf(':') + 1)]),
        ),
      ),
    ),
  ]),
  v.record(
    v.pipe(v.string(), v.regex(KEY_TAG_VERSION_RE, 'versions must be one base62 character')),
    v.pipe(v.string(), v.regex(KEY_TAG_SECRET_RE, 'secrets must be base64url of at least 32 bytes')),
  ),
  v.check((r) => Object.keys(r).length > 0, 'at least one version:secret pair is required'),
);

/** Schema of the context keys the app reads; every key is listed in infra/cdk/README.md. */
export const InfraConfigSchema = v.object({
  /** Region of Firehose, the landing bucket, Aurora, the APIs and the key table's home. */
  coreRegion: v.optional(region, 'us-east-1'),
  /** Extra regions holding a replica of the key table (the core region always has one). */
  replicaRegions: v.optional(regionList, []),
  streamName: v.optional(
    v.pipe(v.string(), v.regex(/^[a-zA-Z0-9_.-]{1,64}$/, 'must be 1-64 of [a-zA-Z0-9_.-]')),
    'llmo-events',
  ),
  keyTableName: v.optional(
    v.pipe(v.string(), v.regex(/^[a-zA-Z0-9_.-]{3,255}$/, 'must be 3-255 of [a-zA-Z0-9_.-]')),
    'llmo-api-keys',
  ),
  /** Origin of the Vercel dashboard, e.g. https://observer.example.com (OAuth callback and CORS). */
  dashboardUrl: httpsUrl,
  /** Path of the dashboard's OAuth callback (the local issuer uses the same one). */
  dashboardCallbackPath: v.optional(
    v.pipe(v.string(), v.regex(/^\/[\w./-]*$/, 'must be a path')),
    '/api/auth/callback',
  ),
  /** Cognito hosted-UI domain prefix: must be unique within the region across all AWS accounts. */
  authDomainPrefix: v.pipe(
    v.string(),
    v.regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'must be 1-63 of [a-z0-9-]'),
  ),
  /** Days of telemetry kept in Aurora (older daily partitions are dropped). */
  retentionDays: v.optional(intFrom(1, 3650), 30),
  /** Days a landing object stays in S3 after loading (replay window). */
  landingRetentionDays: v.optional(intFrom(1, 3650), 14),
  /** Firehose buffering interval; 0 delivers within seconds (near-real-time dashboards). */
  bufferingIntervalSeconds: v.optional(intFrom(0, 60), 0),
  bufferingSizeMiB: v.optional(intFrom(1, 128), 5),
  /** Where alarm notifications go (an SNS email subscription; confirm the mail once). */
  alarmEmail: v.pipe(v.string(), v.email('must be an email address')),
  useRdsProxy: v.optional(boolFrom, false),
  auroraMinAcu: v.optional(numberFrom(0, 256), 0.5),
  auroraMaxAcu: v.optional(numberFrom(1, 256), 4),
  /** NAT gateways of the VPC (Lambdas reach Secrets Manager and Cognito's JWKS through them). */
  natGateways: v.optional(intFrom(1, 3), 1),
  /** Secrets of the API keys' prefix tag by version; the edge accepts all of them (rotation). */
  keyTagSecrets,
  /** The version new keys are minted with (default: the first of keyTagSecrets). */
  keyTagVersion: v.optional(v.pipe(v.string(), v.regex(KEY_TAG_VERSION_RE, 'must be one base62 character'))),
  /** Most loader instances at once, to protect Aurora's connection budget. */
  loaderMaxConcurrency: v.optional(intFrom(2, 1000), 10),
});

/** Validated configuration of the CDK app. */
export type InfraConfig = v.InferOutput<typeof InfraConfigSchema>;

/** Raised for a missing or invalid context key; the message names the key. */
export class InfraConfigError extends Error {
  override name = 'InfraConfigError';
}

/** The keys of the schema, so callers can pick them out of a CDK context. */
export const CONFIG_KEYS = Object.keys(InfraConfigSchema.entries) as Array<keyof InfraConfig>;

/**
 * Validates raw context values. Fails with every problem listed, each naming its key and how to set it,
 * because a half-valid deployment (e.g. an OAuth callback to the wrong origin) fails late and obscurely.
 */
export function parseInfraConfig(raw: Record<string, unknown>): InfraConfig {
  const result = v.safeParse(InfraConfigSchema, raw);
  if (!result.success) {
    const problems = result.issues.map((issue) => {
      const key = issue.path?.map((p) => String(p.key)).join('.') ?? '(root)';
      const hint = issue.input === undefined ? 'is required' : issue.message;
      return `  ${key}: ${hint} (set it in cdk.json "context" or with -c ${key.split('.')[0]}=…)`;
    });
    throw new InfraConfigError(`invalid CDK context:\n${problems.join('\n')}`);
  }
  const config = result.output;
  if (config.auroraMinAcu > config.auroraMaxAcu) {
    throw new InfraConfigError('invalid CDK context:\n  auroraMinAcu: must not exceed auroraMaxAcu');
  }
  const mint = config.keyTagVersion ?? Object.keys(config.keyTagSecrets)[0];
  if (mint === undefined || !(mint in config.keyTagSecrets)) {
    throw new InfraConfigError(
      'invalid CDK context:\n  keyTagVersion: must be one of the versions in keyTagSecrets',
    );
  }
  config.keyTagVersion = mint;
  // The core region always holds the table; listing it again as a replica would be rejected by CloudFormation.
  config.replicaRegions = [...new Set(config.replicaRegions.filter((r) => r !== config.coreRegion))];
  return config;
}

/** Reads the app's keys from a CDK node context (`app.node.tryGetContext`) and validates them. */
export function readInfraConfig(getContext: (key: string) => unknown): InfraConfig {
  const raw: Record<string, unknown> = {};
  for (const key of CONFIG_KEYS) {
    const value = getContext(key);
    if (value !== undefined) raw[key] = value;
  }
  return parseInfraConfig(raw);
}
