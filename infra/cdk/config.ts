// CDK app configuration: read once from CDK context (cdk.json or `-c key=value`), validated, failing by name.
import * as v from 'valibot';
import { KEY_TAG_VERSION_RE } from '../../contract/index.ts';

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

/** Retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

const logRetention = v.pipe(
  v.union([v.number(), v.pipe(v.string(), v.regex(/^\d+$/, 'must be a number'), v.transform(Number))]),
  v.picklist(LOG_RETENTION_DAYS, `must be one of ${LOG_RETENTION_DAYS.join(', ')}`),
);

/** An optional custom domain for the ingest endpoint, in a Route 53 zone of the edge account. */
const ingestDomain = v.object({
  name: v.pipe(v.string(), v.regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/, 'must be a DNS name')),
  hostedZoneId: v.pipe(v.string(), v.regex(/^Z[A-Z0-9]{1,31}$/, 'must be a Route 53 hosted zone id')),
  zoneName: v.pipe(v.string(), v.regex(/^([a-z0-9-]+\.)+[a-z]{2,}$/, 'must be a DNS name')),
});

/** Schema of the context keys the app reads; every key is listed in infra/cdk/README.md. */
export const InfraConfigSchema = v.object({
  /** Which environment this is; every resource name and tag derives from it. */
  envName: v.picklist(['dev', 'stage', 'prod'], 'must be dev, stage or prod'),
  /** AWS account of both stacks (12 digits). */
  account: v.pipe(v.string(), v.regex(/^\d{12}$/, 'must be a 12-digit AWS account id')),
  /** Region of Firehose, the landing bucket, Aurora, the APIs and the key table's home. */
  coreRegion: v.optional(region, 'us-east-1'),
  /** Extra regions holding a replica of the key table (the core region always has one). */
  replicaRegions: v.optional(regionList, []),
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
  /**
   * The version of the key-tag secret new keys are minted with: a key of the JSON secret the core
   * stack generates (`KeyTagSecretArn` output), baked into the edge bundle at deploy time.
   */
  keyTagVersion: v.optional(
    v.pipe(v.string(), v.regex(KEY_TAG_VERSION_RE, 'must be one base62 character')),
    'A',
  ),
  /** Most loader instances at once, to protect Aurora's connection budget. */
  loaderMaxConcurrency: v.optional(intFrom(2, 1000), 10),
  /** dev: deleting the stacks deletes the data (bucket, table, database, user pool); otherwise retained. */
  destroyOnRemoval: v.optional(boolFrom, false),
  /** CloudFormation termination protection on both stacks. */
  terminationProtection: v.optional(boolFrom, false),
  /** Alarms also notify a paging topic (subscribe the on-call tool to its `PagingTopicArn`). */
  paging: v.optional(boolFrom, false),
  /** Aurora Serverless v2 readers beside the writer (failover targets). */
  auroraReaders: v.optional(intFrom(0, 3), 0),
  /** Days of Aurora automated backups. */
  backupRetentionDays: v.optional(intFrom(1, 35), 7),
  /** Retention of every log group the stacks create or write to. */
  logRetentionDays: v.optional(logRetention, 30),
  /** Days CloudFront and API access logs are kept in S3. */
  accessLogRetentionDays: v.optional(intFrom(1, 3650), 90),
  /** WAF: requests one client IP may make to the ingest endpoint per 5 minutes before it is blocked. */
  wafRequestsPerIpPer5Min: v.optional(intFrom(100, 2_000_000_000), 6000),
  /** Custom ingest domain (ACM certificate in us-east-1, DNS-validated in this zone); absent: CloudFront's name. */
  ingestDomain: v.optional(ingestDomain),
});

/** Raw context values before validation (what environments.ts holds and `-c` overrides). */
export type InfraContext = Partial<v.InferInput<typeof InfraConfigSchema>> & Record<string, unknown>;

/** Validated configuration of the CDK app, with the names derived from the environment. */
export type InfraConfig = v.InferOutput<typeof InfraConfigSchema> & {
  /** `llmo-<env>`: the start of every name, so environments can share an account. */
  prefix: string;
  streamName: string;
  keyTableName: string;
  coreStackName: string;
  edgeStackName: string;
  /** CloudWatch namespace of the metrics the stacks derive from logs. */
  metricNamespace: string;
  keyTagVersion: string;
};

/** Raised for a missing or invalid context key; the message names the key. */
export class InfraConfigError extends Error {
  override name = 'InfraConfigError';
}

/** The keys of the schema, so callers can pick them out of a CDK context. */
export const CONFIG_KEYS = Object.keys(InfraConfigSchema.entries) as Array<keyof InfraContext & string>;

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
      return `  ${key}: ${hint} (set it in infra/cdk/environments.ts or with -c ${key.split('.')[0]}=…)`;
    });
    throw new InfraConfigError(`invalid CDK context:\n${problems.join('\n')}`);
  }
  const parsed = result.output;
  if (parsed.auroraMinAcu > parsed.auroraMaxAcu) {
    throw new InfraConfigError('invalid CDK context:\n  auroraMinAcu: must not exceed auroraMaxAcu');
  }
  const prefix = `llmo-${parsed.envName}`;
  return {
    ...parsed,
    // The core region always holds the table; listing it again as a replica would be rejected by CloudFormation.
    replicaRegions: [...new Set(parsed.replicaRegions.filter((r) => r !== parsed.coreRegion))],
    prefix,
    streamName: `${prefix}-events`,
    keyTableName: `${prefix}-api-keys`,
    coreStackName: `${prefix}-core`,
    edgeStackName: `${prefix}-edge`,
    metricNamespace: `LLMObserver/${parsed.envName}`,
    keyTagVersion: parsed.keyTagVersion,
  };
}

/**
 * Reads the environment named by the `env` context key (`-c env=dev`), then lets single keys given
 * with `-c key=value` override its values (e.g. `-c account=…`). Validated like any context.
 */
export function readInfraConfig(
  getContext: (key: string) => unknown,
  environments: Readonly<Record<string, InfraContext>>,
): InfraConfig {
  const name = getContext('env');
  const choices = Object.keys(environments).join(', ');
  if (typeof name !== 'string' || name === '') {
    throw new InfraConfigError(`invalid CDK context:\n  env: is required (-c env=NAME, one of ${choices})`);
  }
  const base = environments[name];
  if (base === undefined) {
    throw new InfraConfigError(`invalid CDK context:\n  env: "${name}" is not one of ${choices}`);
  }
  const raw: Record<string, unknown> = { ...base };
  for (const key of CONFIG_KEYS) {
    if (key === 'envName') continue;
    const value = getContext(key);
    if (value !== undefined) raw[key] = value;
  }
  return parseInfraConfig(raw);
}
