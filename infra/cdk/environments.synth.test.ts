// Synthesizes every committed environment (both stacks, once per file) and asserts what differs between them.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App, type Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readInfraConfig } from './config.ts';
import { ENVIRONMENT_NAMES, ENVIRONMENTS, type EnvironmentName } from './environments.ts';
import { inlineCode } from './lambda-code.ts';
import { buildStacks } from './stacks.ts';
import { cdkJsonContext } from './test-support.ts';

type Resource = {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
};
type Synthesized = {
  core: Record<string, Resource>;
  edge: Record<string, Resource>;
  coreStack: Stack;
  edgeStack: Stack;
};

const envs = {} as Record<EnvironmentName, Synthesized>;

/** cdk-nag findings per environment: `rule construct-path`, empty when every finding is acknowledged. */
const nagFindings = {} as Record<EnvironmentName, string[]>;
const outdir = mkdtempSync(path.join(tmpdir(), 'llmo-envs-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

beforeAll(() => {
  for (const name of ENVIRONMENT_NAMES) {
    // Exactly what `cdk synth -c env=NAME` builds from cdk.json (cdk-nag included), with stub code.
    const dir = path.join(outdir, name);
    const app = new App({ context: { ...cdkJsonContext(), env: name }, outdir: dir });
    const config = readInfraConfig((key) => app.node.tryGetContext(key), ENVIRONMENTS);
    const { core, edge } = buildStacks(app, config, inlineCode());
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    try {
      app.synth();
      nagFindings[name] = [];
    } catch {
      const report = JSON.parse(readFileSync(path.join(dir, 'validation-report.json'), 'utf8')) as {
        pluginReports: Array<{
          violations: Array<{ ruleName: string; violatingConstructs: Array<{ constructPath: string }> }>;
        }>;
      };
      nagFindings[name] = report.pluginReports.flatMap((p) =>
        p.violations.flatMap((v) => v.violatingConstructs.map((c) => `${v.ruleName} ${c.constructPath}`)),
      );
      continue;
    }
    envs[name] = {
      core: Template.fromStack(core).toJSON().Resources as Record<string, Resource>,
      edge: Template.fromStack(edge).toJSON().Resources as Record<string, Resource>,
      coreStack: core,
      edgeStack: edge,
    };
  }
}, 600_000);

describe('cdk-nag (AwsSolutions)', () => {
  it('passes every environment, with only acknowledged findings (each with a reason in code)', () => {
    expect(nagFindings).toEqual({ dev: [], stage: [], prod: [] });
  });
});

const ofType = (resources: Record<string, Resource>, type: string) =>
  Object.entries(resources).filter(([, r]) => r.Type === type);
const one = (resources: Record<string, Resource>, type: string, prefix = ''): Resource => {
  const found = ofType(resources, type).filter(([id]) => id.startsWith(prefix));
  if (found.length !== 1) throw new Error(`expected one ${type} ${prefix}*, found ${found.length}`);
  return (found[0] as [string, Resource])[1];
};
const each = <T>(f: (name: EnvironmentName) => T) =>
  Object.fromEntries(ENVIRONMENT_NAMES.map((n) => [n, f(n)])) as Record<EnvironmentName, T>;

describe('removal and protection', () => {
  it('lets dev be deleted with its data, and makes stage and prod keep it', () => {
    const cluster = each((n) => one(envs[n].core, 'AWS::RDS::DBCluster'));
    expect(each((n) => cluster[n].Properties.DeletionProtection)).toEqual({
      dev: false,
      stage: true,
      prod: true,
    });
    expect(each((n) => cluster[n].DeletionPolicy)).toEqual({
      dev: 'Delete',
      stage: 'Snapshot',
      prod: 'Snapshot',
    });
    const table = each((n) => one(envs[n].core, 'AWS::DynamoDB::GlobalTable'));
    expect(each((n) => table[n].DeletionPolicy)).toEqual({ dev: 'Delete', stage: 'Retain', prod: 'Retain' });
    const protectedReplicas = each((n) => [
      ...new Set(
        (table[n].Properties.Replicas as Array<{ DeletionProtectionEnabled: boolean }>).map(
          (r) => r.DeletionProtectionEnabled,
        ),
      ),
    ]);
    expect(protectedReplicas).toEqual({ dev: [false], stage: [true], prod: [true] });
    const pool = each((n) => one(envs[n].core, 'AWS::Cognito::UserPool'));
    expect(each((n) => pool[n].Properties.DeletionProtection)).toEqual({
      dev: 'INACTIVE',
      stage: 'ACTIVE',
      prod: 'ACTIVE',
    });
    const landing = each((n) => one(envs[n].core, 'AWS::S3::Bucket', 'LandingBucket'));
    expect(each((n) => landing[n].DeletionPolicy)).toEqual({
      dev: 'Delete',
      stage: 'Retain',
      prod: 'Retain',
    });
    // dev empties the bucket on deletion (CDK's auto-delete custom resource); the others never do.
    // (the landing bucket and its access-log bucket)
    expect(each((n) => ofType(envs[n].core, 'Custom::S3AutoDeleteObjects').length)).toEqual({
      dev: 2,
      stage: 0,
      prod: 0,
    });
  });

  it('retains nothing in dev, so a torn-down dev can be rebuilt under the same names', () => {
    for (const side of ['core', 'edge'] as const) {
      const retained = Object.entries(envs.dev[side]).filter(
        ([, r]) => r.DeletionPolicy === 'Retain' && r.Type !== 'AWS::Lambda::Version',
      );
      expect(retained.map(([id, r]) => `${id} ${r.Type}`)).toEqual([]);
    }
  });

  it('turns on termination protection for prod only', () => {
    expect(
      each((n) => [envs[n].coreStack.terminationProtection, envs[n].edgeStack.terminationProtection]),
    ).toEqual({ dev: [false, false], stage: [false, false], prod: [true, true] });
  });

  it('keeps backups longer in prod and gives it a reader to fail over to', () => {
    expect(each((n) => one(envs[n].core, 'AWS::RDS::DBCluster').Properties.BackupRetentionPeriod)).toEqual({
      dev: 1,
      stage: 7,
      prod: 35,
    });
    expect(each((n) => ofType(envs[n].core, 'AWS::RDS::DBInstance').length)).toEqual({
      dev: 1,
      stage: 1,
      prod: 2,
    });
    expect(
      each((n) => one(envs[n].core, 'AWS::RDS::DBCluster').Properties.ServerlessV2ScalingConfiguration),
    ).toEqual({
      dev: { MinCapacity: 0, MaxCapacity: 2 },
      stage: { MinCapacity: 0.5, MaxCapacity: 4 },
      prod: { MinCapacity: 0.5, MaxCapacity: 16 },
    });
  });

  it('sets each environment log retention on every log group', () => {
    const retentions = each((n) => [
      ...new Set(ofType(envs[n].core, 'AWS::Logs::LogGroup').map(([, g]) => g.Properties.RetentionInDays)),
    ]);
    expect(retentions).toEqual({ dev: [7], stage: [30], prod: [90] });
  });
});

/** Properties that fix a resource's name within an account and region. */
const PHYSICAL_NAMES = [
  'DeliveryStreamName',
  'TableName',
  'DBClusterIdentifier',
  'FunctionName',
  'AlarmName',
  'LogGroupName',
  'Name',
  'DashboardName',
  'TopicName',
  'QueueName',
  'BucketName',
];

describe('names and tags', () => {
  /** Every physical name the templates fix (literal strings only; generated names cannot collide). */
  const fixedNames = (n: EnvironmentName) =>
    ['core', 'edge'].flatMap((side) =>
      Object.values(envs[n][side as 'core' | 'edge'])
        // An authorizer's name is scoped to its API.
        .filter((r) => r.Type !== 'AWS::ApiGatewayV2::Authorizer')
        .flatMap((r) =>
          Object.entries(r.Properties ?? {})
            .filter(([k, v]) => PHYSICAL_NAMES.includes(k) && typeof v === 'string')
            .map(([k, v]) => `${r.Type}.${k}=${String(v)}`),
        ),
    );

  it('derives every fixed name from the environment, so dev and stage share an account without collisions', () => {
    expect(ENVIRONMENTS.dev.account).toBe(ENVIRONMENTS.stage.account);
    const dev = fixedNames('dev');
    const stage = fixedNames('stage');
    expect(dev).toEqual(
      expect.arrayContaining([
        'AWS::KinesisFirehose::DeliveryStream.DeliveryStreamName=llmo-dev-events',
        'AWS::DynamoDB::GlobalTable.TableName=llmo-dev-api-keys',
        'AWS::RDS::DBCluster.DBClusterIdentifier=llmo-dev-db',
      ]),
    );
    expect(dev.filter((name) => stage.includes(name))).toEqual([]);
    expect(envs.dev.coreStack.stackName).toBe('llmo-dev-core');
    expect(envs.stage.edgeStack.stackName).toBe('llmo-stage-edge');
  });

  it('tags every taggable resource with its environment', () => {
    for (const name of ENVIRONMENT_NAMES) {
      for (const side of ['core', 'edge'] as const) {
        const taggable = Object.entries(envs[name][side]).filter(
          ([, r]) =>
            Array.isArray(r.Properties?.Tags) &&
            ['AWS::Lambda::Function', 'AWS::S3::Bucket', 'AWS::IAM::Role', 'AWS::SQS::Queue'].includes(
              r.Type,
            ),
        );
        expect(taggable.length, `${name} ${side}`).toBeGreaterThan(2);
        for (const [id, r] of taggable) {
          expect(r.Properties.Tags, `${name} ${id}`).toEqual(
            expect.arrayContaining([
              { Key: 'environment', Value: name },
              { Key: 'project', Value: 'llm-observer' },
            ]),
          );
        }
      }
      const cluster = one(envs[name].core, 'AWS::RDS::DBCluster');
      expect(cluster.Properties.Tags).toEqual(expect.arrayContaining([{ Key: 'environment', Value: name }]));
    }
  });
});

describe('alarms and edge per environment', () => {
  it('pages in prod only: every alarm of prod notifies the e-mail and the paging topic, dev only e-mail', () => {
    for (const name of ENVIRONMENT_NAMES) {
      for (const side of ['core', 'edge'] as const) {
        const topics = ofType(envs[name][side], 'AWS::SNS::Topic').map(([, t]) => t.Properties.DisplayName);
        expect(topics.sort(), `${name} ${side}`).toEqual(
          name === 'prod' ? ['LLM Observer alarms', 'LLM Observer paging'] : ['LLM Observer alarms'],
        );
        for (const [id, alarm] of ofType(envs[name][side], 'AWS::CloudWatch::Alarm')) {
          expect((alarm.Properties.AlarmActions as unknown[]).length, `${name} ${id}`).toBe(
            name === 'prod' ? 2 : 1,
          );
        }
      }
    }
  });

  it('serves prod on its own domain with TLS 1.2 (2021) at least, the others on CloudFront names', () => {
    const config = each((n) => {
      const [, dist] = ofType(envs[n].edge, 'AWS::CloudFront::Distribution')[0] as [string, Resource];
      return (dist.Properties.DistributionConfig as Record<string, unknown>).ViewerCertificate as
        | Record<string, unknown>
        | undefined;
    });
    expect(config.prod).toMatchObject({
      MinimumProtocolVersion: 'TLSv1.2_2021',
      SslSupportMethod: 'sni-only',
    });
    expect(config.dev).toBeUndefined();
    expect(ofType(envs.prod.edge, 'AWS::CertificateManager::Certificate')).toHaveLength(1);
    expect(
      ofType(envs.prod.edge, 'AWS::Route53::RecordSet')
        .map(([, r]) => r.Properties.Type)
        .sort(),
    ).toEqual(['A', 'AAAA']);
    expect(ofType(envs.dev.edge, 'AWS::CertificateManager::Certificate')).toHaveLength(0);
  });

  it('keeps CloudFront access logs as long as each environment says', () => {
    const expiry = each((n) => {
      const bucket = one(envs[n].edge, 'AWS::S3::Bucket', 'AccessLogs');
      const rules = (
        bucket.Properties.LifecycleConfiguration as { Rules: Array<{ ExpirationInDays: number }> }
      ).Rules;
      return rules.map((r) => r.ExpirationInDays);
    });
    expect(expiry).toEqual({ dev: [7], stage: [30], prod: [365] });
  });
});
