// Unit tests of the edge stack's synthesized template (one synthesis, shared by every assertion).
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { EDGE_REGIONS } from '../../edge/region-map.ts';
import { DASHBOARD_SECTIONS } from './edge/dashboard.ts';
import { MANAGED_RULE_GROUPS } from './edge/waf.ts';
import { EdgeStack } from './edge-stack.ts';
import { inlineCode } from './lambda-code.ts';
import { TEST_ACCOUNT, testConfig, testEdgeStack, testStacks } from './test-support.ts';

type Resource = { Type: string; Properties: Record<string, unknown> };
type Statement = { Sid?: string; Action: string | string[]; Resource: unknown };

/** The managed CachingDisabled cache policy (a fixed, documented AWS id). */
const CACHING_DISABLED = '4135ea2d-6df8-44a3-9df3-4b5a84be39ad';

let template: Template;
let resources: Record<string, Resource>;

beforeAll(() => {
  template = Template.fromStack(testEdgeStack());
  resources = template.toJSON().Resources as Record<string, Resource>;
}, 180_000);

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const only = (type: string, prefix = ''): [string, Resource] => {
  const found = ofType(type).filter(([id]) => id.startsWith(prefix));
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0] as [string, Resource];
};
const arnIn = (service: string, region: string, suffix: string) => ({
  'Fn::Join': [
    '',
    ['arn:', { Ref: 'AWS::Partition' }, `:${service}:${region}:`, { Ref: 'AWS::AccountId' }, suffix],
  ],
});

describe('Lambda@Edge function', () => {
  it('runs Node 22 without environment variables, within the origin-request limits', () => {
    const [, fn] = only('AWS::Lambda::Function', 'Ingest');
    expect(fn.Properties.Runtime).toBe('nodejs22.x');
    expect(fn.Properties.Environment).toBeUndefined();
    expect(fn.Properties.VpcConfig).toBeUndefined();
    expect(fn.Properties.Layers).toBeUndefined();
    // Lambda@Edge runs x86_64 only.
    expect(fn.Properties.Architectures).toEqual(['x86_64']);
    expect(fn.Properties.Timeout).toBeLessThanOrEqual(30);
  });

  it('is attached to CloudFront as a numbered version with the body included', () => {
    const [versionId, version] = only('AWS::Lambda::Version');
    const [functionId] = only('AWS::Lambda::Function', 'Ingest');
    expect(version.Properties.FunctionName).toEqual({ Ref: functionId });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({
          LambdaFunctionAssociations: [
            { EventType: 'origin-request', IncludeBody: true, LambdaFunctionARN: { Ref: versionId } },
          ],
        }),
      }),
    });
  });

  it('may be assumed by Lambda@Edge', () => {
    const [, role] = only('AWS::IAM::Role', 'IngestRole');
    const trust = role.Properties.AssumeRolePolicyDocument as {
      Statement: Array<{ Principal: { Service: string } }>;
    };
    expect(trust.Statement.flatMap((s) => [s.Principal.Service].flat()).sort()).toEqual([
      'edgelambda.amazonaws.com',
      'lambda.amazonaws.com',
    ]);
  });
});

describe('edge logs', () => {
  it('keep the retention in us-east-1 and in every region Lambda@Edge logs in', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/lambda/llmo-stage-edge-ingest',
      RetentionInDays: 30,
    });
    const regional = ofType('Custom::LogRetention').map(([, r]) => r.Properties);
    expect(regional.map((r) => r.LogGroupRegion).sort()).toEqual([...EDGE_REGIONS].sort());
    for (const r of regional) {
      expect(r).toMatchObject({
        LogGroupName: '/aws/lambda/us-east-1.llmo-stage-edge-ingest',
        RetentionInDays: 30,
      });
    }
  });
});

describe('edge permissions', () => {
  const statements = () => {
    const [roleId] = only('AWS::IAM::Role', 'IngestRole');
    return ofType('AWS::IAM::Policy')
      .filter(([, p]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
      .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
  };
  const bySid = (sid: string) => statements().find((s) => s.Sid === sid);

  it('puts record batches to exactly the core-region stream', () => {
    expect(bySid('Firehose')).toMatchObject({
      Action: 'firehose:PutRecordBatch',
      Resource: arnIn('firehose', 'eu-west-1', ':deliverystream/llmo-stage-events'),
    });
  });

  it('reads keys from the table in the core region and every replica region, nothing else', () => {
    const keyCache = bySid('KeyCache');
    expect(keyCache?.Action).toBe('dynamodb:GetItem');
    const sorted = (xs: unknown[]) => xs.map((x) => JSON.stringify(x)).sort();
    expect(sorted([keyCache?.Resource].flat())).toEqual(
      sorted(
        ['eu-west-1', 'us-east-1', 'ap-northeast-1'].map((r) =>
          arnIn('dynamodb', r, ':table/llmo-stage-api-keys'),
        ),
      ),
    );
  });

  it('grants nothing else and no wildcard actions', () => {
    expect(
      statements()
        .map((s) => s.Sid)
        .sort(),
    ).toEqual(['Firehose', 'KeyCache', 'Logs']);
    for (const s of statements())
      expect(
        [s.Action].flat().some((a) => a.includes('*')),
        s.Sid,
      ).toBe(false);
    const logs = JSON.stringify(bySid('Logs')?.Resource);
    expect(logs).toContain(`:${TEST_ACCOUNT}:log-group:/aws/lambda/us-east-1.llmo-stage-edge-ingest:*`);
  });
});

describe('distribution', () => {
  it('accepts POST over HTTPS with caching disabled and the viewer headers forwarded', () => {
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({
          AllowedMethods: Match.arrayWith(['GET', 'HEAD', 'POST']),
          CachePolicyId: CACHING_DISABLED,
          OriginRequestPolicyId: Match.anyValue(),
          ViewerProtocolPolicy: 'https-only',
        }),
      }),
    });
  });

  it('points at an origin whose DNS name resolves (a private S3 bucket)', () => {
    const [bucketId] = only('AWS::S3::Bucket', 'UnusedOrigin');
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Origins: [Match.objectLike({ DomainName: { 'Fn::GetAtt': [bucketId, 'RegionalDomainName'] } })],
      }),
    });
  });

  it('alarms on the 5xx rate to an edge-region topic', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/CloudFront',
      MetricName: '5xxErrorRate',
      AlarmActions: [{ Ref: only('AWS::SNS::Topic')[0] }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'llmo-stage-edge-function-errors',
      Metrics: Match.arrayWith([
        Match.objectLike({
          MetricStat: Match.objectLike({ Metric: Match.objectLike({ MetricName: 'LambdaExecutionError' }) }),
        }),
      ]),
    });
    // CloudFront's additional metrics (LambdaExecutionError, OriginLatency) are switched on.
    template.hasResourceProperties('AWS::CloudFront::MonitoringSubscription', {
      MonitoringSubscription: {
        RealtimeMetricsSubscriptionConfig: { RealtimeMetricsSubscriptionStatus: 'Enabled' },
      },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
    });
  });
});

describe('edge protection', () => {
  it('puts a CLOUDFRONT-scope web ACL with a per-IP rate rule and managed rules in front of ingest', () => {
    const [aclId, acl] = only('AWS::WAFv2::WebACL');
    expect(acl.Properties).toMatchObject({ Scope: 'CLOUDFRONT', DefaultAction: { Allow: {} } });
    const rules = acl.Properties.Rules as Array<{
      Name: string;
      Statement: {
        RateBasedStatement?: unknown;
        ManagedRuleGroupStatement?: { RuleActionOverrides: unknown[] };
      };
    }>;
    expect(rules[0]?.Statement.RateBasedStatement).toEqual({
      Limit: 6000,
      AggregateKeyType: 'IP',
      EvaluationWindowSec: 300,
    });
    expect(rules.slice(1).map((r) => r.Name)).toEqual(MANAGED_RULE_GROUPS.map((g) => g.name));
    const common = rules.find((r) => r.Name === 'AWSManagedRulesCommonRuleSet');
    // JSON batches are larger than the common rule set's 8 KB body limit: that rule only counts.
    expect(common?.Statement.ManagedRuleGroupStatement?.RuleActionOverrides).toContainEqual({
      Name: 'SizeRestrictions_BODY',
      ActionToUse: { Count: {} },
    });
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({ WebACLId: { 'Fn::GetAtt': [aclId, 'Arn'] } }),
    });
  });

  it('writes CloudFront standard logs to a bucket that expires them', () => {
    const [logsId, bucket] = only('AWS::S3::Bucket', 'AccessLogs');
    template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        Logging: { Bucket: { 'Fn::GetAtt': [logsId, 'RegionalDomainName'] }, Prefix: 'cloudfront/' },
      }),
    });
    const rules = (bucket.Properties.LifecycleConfiguration as { Rules: Array<{ ExpirationInDays: number }> })
      .Rules;
    expect(rules[0]?.ExpirationInDays).toBe(90);
  });
});

describe('dashboard', () => {
  it('is one per environment and covers ingest, Firehose, loader, API, Aurora and key propagation', () => {
    const [, dashboard] = only('AWS::CloudWatch::Dashboard');
    expect(dashboard.Properties.DashboardName).toBe('llmo-stage');
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const section of DASHBOARD_SECTIONS) expect(body).toContain(section);
    for (const metric of [
      '5xxErrorRate',
      'LambdaExecutionError',
      'ThrottledRecords',
      'DeliveryToS3.DataFreshness',
      'LoaderQuarantinedLines',
      'LoaderEventsInserted',
      'ApproximateAgeOfOldestMessage',
      'ACUUtilization',
      'DatabaseConnections',
      'OutboxSweepFailed',
      'ReplicationLatency',
    ]) {
      expect(body, metric).toContain(metric);
    }
    // Lambda@Edge errors by region: one series per region it runs in.
    for (const region of EDGE_REGIONS) expect(body).toContain(`"region\\":\\"${region}`);
    expect(body).toContain('us-east-1.llmo-stage-edge-ingest');
  });
});

describe('stack placement', () => {
  it('refuses any region but us-east-1', () => {
    expect(
      () =>
        new EdgeStack(new App(), 'Edge', {
          env: { region: 'eu-west-1' },
          config: testConfig(),
          code: inlineCode(),
        }),
    ).toThrow(/us-east-1/);
  });

  it('deploys after the core stack, in the core region', () => {
    const { core, edge } = testStacks();
    expect(core.region).toBe('eu-west-1');
    expect(edge.region).toBe('us-east-1');
    expect(edge.dependencies).toContain(core);
  });
});
