// Unit tests of the core stack's synthesized template (one synthesis, shared by every assertion).
import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { API_RATE_LIMIT, apiRoutes, PUBLIC_ROUTE } from './core/api.ts';
import { DATA_PREFIX, MAX_RECEIVE_COUNT } from './core/landing.ts';
import { RUNTIME_ENV } from './runtime-env.ts';
import { testCoreStack } from './test-support.ts';

type Resource = { Type: string; Properties: Record<string, unknown>; DependsOn?: string[] };
type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Effect: string };

let template: Template;
let resources: Record<string, Resource>;

beforeAll(() => {
  template = Template.fromStack(testCoreStack());
  resources = template.toJSON().Resources as Record<string, Resource>;
}, 180_000);

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const logicalIdOf = (prefix: string, type: string): string => {
  const found = ofType(type).filter(([id]) => id.startsWith(prefix));
  if (found.length !== 1) throw new Error(`expected one ${type} named ${prefix}*, found ${found.length}`);
  return (found[0] as [string, Resource])[0];
};
/** Statements of the policies attached to the role whose logical id starts with `rolePrefix`. */
const statementsOf = (rolePrefix: string): Statement[] => {
  const roleId = logicalIdOf(rolePrefix, 'AWS::IAM::Role');
  return ofType('AWS::IAM::Policy')
    .filter(([, p]) => JSON.stringify(p.Properties.Roles) === JSON.stringify([{ Ref: roleId }]))
    .flatMap(([, p]) => (p.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
};
const actionsOf = (statements: Statement[]) => statements.flatMap((s) => [s.Action].flat());
/** Environment of the one function whose description matches. */
const envOf = (description: string): Record<string, unknown> => {
  const found = ofType('AWS::Lambda::Function').filter(([, f]) =>
    String(f.Properties.Description).includes(description),
  );
  if (found.length !== 1) throw new Error(`expected one function "${description}", found ${found.length}`);
  const fn = (found[0] as [string, Resource])[1];
  return (fn.Properties.Environment as { Variables: Record<string, unknown> }).Variables;
};

describe('landing path', () => {
  it('Firehose delivers gzip to S3 under YYYY/MM/dd/HH/ with the configured buffering', () => {
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamName: 'llmo-stage-events',
      DeliveryStreamType: 'DirectPut',
      ExtendedS3DestinationConfiguration: {
        BucketARN: { 'Fn::GetAtt': [logicalIdOf('LandingBucket', 'AWS::S3::Bucket'), 'Arn'] },
        CompressionFormat: 'GZIP',
        BufferingHints: { IntervalInSeconds: 15, SizeInMBs: 5 },
        Prefix: DATA_PREFIX,
        ErrorOutputPrefix: Match.stringLikeRegexp('^errors/'),
      },
    });
    expect(DATA_PREFIX).toBe('!{timestamp:yyyy/MM/dd/HH}/');
  });

  it('announces created .gz objects to the queue', () => {
    template.hasResourceProperties('Custom::S3BucketNotifications', {
      NotificationConfiguration: {
        QueueConfigurations: [
          {
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'suffix', Value: '.gz' }] } },
            QueueArn: { 'Fn::GetAtt': [logicalIdOf('LandingObjects', 'AWS::SQS::Queue'), 'Arn'] },
          },
        ],
      },
    });
  });

  it('redrives failed notifications to the DLQ after maxReceiveCount', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: {
        deadLetterTargetArn: { 'Fn::GetAtt': [logicalIdOf('LandingDeadLetters', 'AWS::SQS::Queue'), 'Arn'] },
        maxReceiveCount: MAX_RECEIVE_COUNT,
      },
      // 6 × the loader's 120 s timeout, so a slow load is not handed to a second instance.
      VisibilityTimeout: 720,
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Loads landing objects'),
      Timeout: 120,
    });
  });

  it('feeds the loader from the queue with partial batch failures and bounded concurrency', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [logicalIdOf('LandingObjects', 'AWS::SQS::Queue'), 'Arn'] },
      FunctionName: { Ref: logicalIdOf('PipelineLoader', 'AWS::Lambda::Function') },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      ScalingConfig: { MaximumConcurrency: 10 },
    });
  });
});

describe('Firehose hygiene and log retention', () => {
  it('encrypts the stream and lets its role write objects but never delete them', () => {
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamEncryptionConfigurationInput: { KeyType: 'AWS_OWNED_CMK' },
    });
    const firehoseRoles = ofType('AWS::IAM::Role').filter(([, r]) =>
      JSON.stringify(r.Properties.AssumeRolePolicyDocument).includes('firehose.amazonaws.com'),
    );
    const actions = firehoseRoles.flatMap(([id]) => actionsOf(statementsOf(id)));
    expect(actions).toEqual(expect.arrayContaining(['s3:PutObject', 'logs:PutLogEvents']));
    expect(actions.filter((a) => /Delete/.test(a))).toEqual([]);
  });

  it('puts a retention on every log group, the Aurora export and Firehose errors included', () => {
    const groups = ofType('AWS::Logs::LogGroup');
    expect(groups.length).toBeGreaterThanOrEqual(9);
    for (const [id, group] of groups) expect(group.Properties.RetentionInDays, id).toBe(30);
    template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: '/aws/rds/cluster/llmo-stage-db/postgresql',
    });
    template.hasResourceProperties('AWS::RDS::DBCluster', {
      DBClusterIdentifier: 'llmo-stage-db',
      EnableCloudwatchLogsExports: ['postgresql'],
    });
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      ExtendedS3DestinationConfiguration: Match.objectLike({
        CloudWatchLoggingOptions: Match.objectLike({
          Enabled: true,
          LogGroupName: { Ref: logicalIdOf('LandingFirehoseLogs', 'AWS::Logs::LogGroup') },
        }),
      }),
    });
  });
});

describe('database', () => {
  it('is Aurora PostgreSQL 17 Serverless v2, encrypted, in isolated subnets', () => {
    template.hasResourceProperties('AWS::RDS::DBCluster', {
      Engine: 'aurora-postgresql',
      EngineVersion: Match.stringLikeRegexp('^17\\.'),
      ServerlessV2ScalingConfiguration: { MinCapacity: 0.5, MaxCapacity: 4 },
      StorageEncrypted: true,
      DeletionProtection: true,
      DatabaseName: 'llmo',
      PerformanceInsightsEnabled: true,
    });
    template.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceClass: 'db.serverless' });
    template.hasResourceProperties('AWS::RDS::DBSubnetGroup', {
      SubnetIds: Match.arrayWith([{ Ref: Match.stringLikeRegexp('^DatabaseVpcdataSubnet') }]),
    });
  });

  it('keeps one Secrets Manager secret per login role, attached to the cluster', () => {
    // Three login roles plus the key-tag secret.
    expect(ofType('AWS::SecretsManager::Secret')).toHaveLength(4);
    expect(ofType('AWS::SecretsManager::SecretTargetAttachment')).toHaveLength(3);
    for (const user of ['llmo_app', 'llmo_system', 'llmo_owner']) {
      template.hasResourceProperties('AWS::SecretsManager::Secret', {
        GenerateSecretString: Match.objectLike({ SecretStringTemplate: JSON.stringify({ username: user }) }),
      });
    }
  });

  it('rotates every login role with the single-user application, the service roles not before migration', () => {
    const schedules = ofType('AWS::SecretsManager::RotationSchedule').map(([, r]) => r.Properties);
    expect(schedules).toHaveLength(3);
    const rotated = schedules.map((r) => JSON.stringify(r.SecretId)).sort();
    expect(rotated).toEqual(
      [
        {
          Ref: logicalIdOf('DatabaseClusterSecretAttachment', 'AWS::SecretsManager::SecretTargetAttachment'),
        },
        { Ref: logicalIdOf('DatabaseAppSecret', 'AWS::SecretsManager::Secret') },
        { Ref: logicalIdOf('DatabaseSystemSecret', 'AWS::SecretsManager::Secret') },
      ]
        .map((x) => JSON.stringify(x))
        .sort(),
    );
    for (const schedule of schedules) {
      expect(schedule.RotationRules).toEqual({ ScheduleExpression: 'rate(30 days)' });
    }
    const immediate = schedules.filter((r) => r.RotateImmediatelyOnUpdate === false);
    expect(immediate).toHaveLength(2);
    expect(ofType('AWS::Serverless::Application')).toHaveLength(3);
    // Each rotation function's log group exists first, with the retention.
    for (const [id, app] of ofType('AWS::Serverless::Application')) {
      const name = (app.Properties.Parameters as { functionName: string }).functionName;
      template.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: `/aws/lambda/${name}`,
        RetentionInDays: 30,
      });
      expect(JSON.stringify(app.DependsOn), id).toMatch(/RotationLogs|RotationSingleUserLogs/);
    }
    const mappings = JSON.stringify(template.toJSON().Mappings);
    expect(mappings).toContain('SecretsManagerRDSPostgreSQLRotationSingleUser');
    expect(mappings).not.toContain('MultiUser');
  });

  it('has no RDS Proxy unless asked for', () => {
    template.resourceCountIs('AWS::RDS::DBProxy', 0);
  });
});

describe('key cache', () => {
  it('is a global table keyed by prefix with a replica in every configured region', () => {
    template.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      TableName: 'llmo-stage-api-keys',
      KeySchema: [{ AttributeName: 'prefix', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'prefix', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    });
    const [, table] = ofType('AWS::DynamoDB::GlobalTable')[0] as [string, Resource];
    const regions = (table.Properties.Replicas as Array<{ Region: string }>).map((r) => r.Region).sort();
    expect(regions).toEqual(['ap-northeast-1', 'eu-west-1', 'us-east-1']);
  });
});

describe('auth and HTTP API', () => {
  it('has a user pool with custom:org_id, an admin group and a hosted-UI domain', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith([
        Match.objectLike({ Name: 'org_id', AttributeDataType: 'String', Mutable: true }),
      ]),
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'admin' });
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'member' });
    template.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'llmo-test' });
  });

  it('gives the dashboard a public code-flow client that cannot rewrite its own org', () => {
    template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      CallbackURLs: ['https://observer.example.com/api/auth/callback'],
      ReadAttributes: Match.arrayWith(['custom:org_id']),
    });
    const [, client] = ofType('AWS::Cognito::UserPoolClient')[0] as [string, Resource];
    expect(client.Properties.WriteAttributes).toBeDefined();
    expect(client.Properties.WriteAttributes).not.toContain('custom:org_id');
  });

  it('checks Cognito JWTs (issuer and audience) at API Gateway', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      IdentitySource: ['$request.header.Authorization'],
      JwtConfiguration: {
        Audience: [{ Ref: logicalIdOf('AuthUsersDashboard', 'AWS::Cognito::UserPoolClient') }],
        Issuer: {
          'Fn::Join': [
            '',
            [
              'https://cognito-idp.eu-west-1.amazonaws.com/',
              { Ref: logicalIdOf('AuthUsers', 'AWS::Cognito::UserPool') },
            ],
          ],
        },
      },
    });
  });

  it('routes every operation of regional/openapi.json through the authorizer, and only health without it', () => {
    const routes = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);
    const keys = routes.map((r) => r.RouteKey).sort();
    const { analytics, admin } = apiRoutes();
    const expected = [...analytics, ...admin].map(([m, p]) => `${m} ${p}`);
    expect(expected).toEqual(expect.arrayContaining(['GET /v1/analytics/sessions', 'POST /v1/projects']));
    expect(keys).toEqual([...expected, PUBLIC_ROUTE].sort());
    for (const route of routes) {
      expect(route.AuthorizationType, String(route.RouteKey)).toBe(
        route.RouteKey === 'GET /v1/health' ? 'NONE' : 'JWT',
      );
    }
  });

  it('serves the default stage with a rate ceiling', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: API_RATE_LIMIT, ThrottlingBurstLimit: API_RATE_LIMIT * 2 },
    });
    template.resourceCountIs('AWS::ApiGatewayV2::Stage', 1);
  });

  it('allows CORS from the dashboard origin only', () => {
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://observer.example.com'] }),
    });
  });
});

describe('lambdas', () => {
  // Ours carry a service name; CDK's own custom-resource handlers do not.
  const ours = () =>
    ofType('AWS::Lambda::Function').filter(([, f]) =>
      JSON.stringify(f.Properties.Environment ?? {}).includes(RUNTIME_ENV.serviceName),
    );

  it('run Node 22 on arm64 with JSON logs', () => {
    // analytics, admin, outbox sweep, loader, maintenance, tiers, migrate, create-organization
    expect(ours()).toHaveLength(8);
    for (const [id, fn] of ours()) {
      expect(fn.Properties.Runtime, id).toBe('nodejs22.x');
      expect(fn.Properties.Architectures, id).toEqual(['arm64']);
      expect(fn.Properties.LoggingConfig, id).toMatchObject({ LogFormat: 'JSON' });
    }
  });

  it('place every database client in the private subnets with the client security group', () => {
    const sg = logicalIdOf('DatabaseClientSg', 'AWS::EC2::SecurityGroup');
    for (const [id, fn] of ours()) {
      const vpc = fn.Properties.VpcConfig as {
        SecurityGroupIds: unknown[];
        SubnetIds: Array<{ Ref: string }>;
      };
      expect(vpc.SecurityGroupIds, id).toEqual([{ 'Fn::GetAtt': [sg, 'GroupId'] }]);
      for (const subnet of vpc.SubnetIds) expect(subnet.Ref, id).toMatch(/^DatabaseVpcappSubnet/);
    }
    // The only ways into the cluster's security group: that client group and the three rotation functions.
    const clusterSg = logicalIdOf('DatabaseClusterSecurityGroup', 'AWS::EC2::SecurityGroup');
    const sources = ofType('AWS::EC2::SecurityGroupIngress').map(([, r]) => {
      expect(r.Properties.GroupId).toEqual({ 'Fn::GetAtt': [clusterSg, 'GroupId'] });
      expect([
        5432,
        { 'Fn::GetAtt': [logicalIdOf('DatabaseCluster', 'AWS::RDS::DBCluster'), 'Endpoint.Port'] },
      ]).toContainEqual(r.Properties.FromPort);
      return (r.Properties.SourceSecurityGroupId as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
    });
    expect(sources.sort()).toEqual(
      [
        sg,
        logicalIdOf('DatabaseClusterRotationSingleUserSecurityGroup', 'AWS::EC2::SecurityGroup'),
        logicalIdOf('DatabaseAppRotationSecurityGroup', 'AWS::EC2::SecurityGroup'),
        logicalIdOf('DatabaseSystemRotationSecurityGroup', 'AWS::EC2::SecurityGroup'),
      ].sort(),
    );
  });

  it('hand the API functions the Cognito ids and their own role only', () => {
    const env = envOf('analytics routes');
    expect(env[RUNTIME_ENV.userPoolId]).toEqual({ Ref: logicalIdOf('AuthUsers', 'AWS::Cognito::UserPool') });
    expect(env[RUNTIME_ENV.userPoolClientId]).toEqual({
      Ref: logicalIdOf('AuthUsersDashboard', 'AWS::Cognito::UserPoolClient'),
    });
    expect(env[RUNTIME_ENV.logLevel]).toBe('INFO');
    // The analytics function never gets llmo_system (only admin mutations drain the outbox inline).
    const analytics = envOf('analytics routes');
    expect(JSON.stringify(analytics)).not.toContain('DatabaseSystemSecret');
    expect(JSON.stringify(envOf('admin routes'))).toContain('DatabaseSystemSecret');
  });

  it('give each function the secret ARNs of exactly the roles it uses, and read access to those only', () => {
    const secret = (role: string) => ({
      Ref: logicalIdOf(`Database${role}Secret`, 'AWS::SecretsManager::Secret'),
    });
    const owner = {
      Ref: logicalIdOf('DatabaseClusterSecretAttachment', 'AWS::SecretsManager::SecretTargetAttachment'),
    };
    const arns = (description: string) =>
      Object.fromEntries(Object.entries(envOf(description)).filter(([k]) => k.endsWith('_DB_SECRET_ARN')));
    const cases: Array<[string, Record<string, unknown>]> = [
      ['analytics routes', { [RUNTIME_ENV.appSecretArn]: secret('App') }],
      [
        'admin routes',
        { [RUNTIME_ENV.appSecretArn]: secret('App'), [RUNTIME_ENV.systemSecretArn]: secret('System') },
      ],
      ['Drains the key outbox', { [RUNTIME_ENV.systemSecretArn]: secret('System') }],
      ['Loads landing objects', { [RUNTIME_ENV.systemSecretArn]: secret('System') }],
      ['partitions', { [RUNTIME_ENV.systemSecretArn]: secret('System') }],
      ['analytics tier blocks', { [RUNTIME_ENV.systemSecretArn]: secret('System') }],
      ['Creates an organization', { [RUNTIME_ENV.systemSecretArn]: secret('System') }],
      [
        'runs migrations',
        {
          [RUNTIME_ENV.ownerSecretArn]: owner,
          [RUNTIME_ENV.appSecretArn]: secret('App'),
          [RUNTIME_ENV.systemSecretArn]: secret('System'),
        },
      ],
    ];
    for (const [description, expected] of cases) {
      expect(arns(description), description).toEqual(expected);
      expect(envOf(description), description).toMatchObject({
        [RUNTIME_ENV.databaseName]: 'llmo',
        [RUNTIME_ENV.databasePort]: '5432',
        [RUNTIME_ENV.databaseHost]: {
          'Fn::GetAtt': [logicalIdOf('DatabaseCluster', 'AWS::RDS::DBCluster'), 'Endpoint.Address'],
        },
      });
    }
  });

  it('put no password or secret in any function configuration, only secret ARNs', () => {
    const functions = ofType('AWS::Lambda::Function');
    expect(functions.length).toBeGreaterThanOrEqual(7);
    for (const [id, fn] of functions) {
      const env = JSON.stringify(fn.Properties.Environment ?? {});
      expect(env, id).not.toMatch(
        /resolve:secretsmanager|SecretString|password|PASSWORD|postgres:\/\/|KEY_TAG_SECRET"/,
      );
    }
    expect(envOf('admin routes')).toMatchObject({
      [RUNTIME_ENV.keyTagVersion]: 'A',
      [RUNTIME_ENV.keyTagSecretArn]: { Ref: logicalIdOf('KeyTagSecret', 'AWS::SecretsManager::Secret') },
    });
    // One bundle, two functions, two names in the logs; the analytics function cannot mint keys.
    expect(envOf('analytics routes')[RUNTIME_ENV.serviceName]).toBe('llmo-api-analytics');
    expect(envOf('admin routes')[RUNTIME_ENV.serviceName]).toBe('llmo-api-admin');
    expect(envOf('analytics routes')[RUNTIME_ENV.keyTagVersion]).toBeUndefined();
    // Aurora's certificate is signed by the RDS CA, which Node 22 Lambdas trust only through this.
    expect(envOf('analytics routes')[RUNTIME_ENV.extraCaCerts]).toBe('/var/runtime/ca-cert.pem');
  });

  it('deploy the analytics tier refresher and run it every minute', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalIdOf('PipelineTiers', 'AWS::Lambda::Function'), 'Arn'] },
        }),
      ],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('analytics tier blocks'),
      Handler: 'index.handler',
      VpcConfig: Match.anyValue(),
    });
  });

  it('run the outbox sweep every minute and partition maintenance hourly', () => {
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 minute)',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalIdOf('OutboxPropagator', 'AWS::Lambda::Function'), 'Arn'] },
        }),
      ],
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'cron(7 * * * ? *)',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [logicalIdOf('PipelineMaintenance', 'AWS::Lambda::Function'), 'Arn'] },
        }),
      ],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('partitions'),
      Environment: { Variables: Match.objectLike({ [RUNTIME_ENV.retentionDays]: '45' }) },
    });
  });
});

describe('least privilege', () => {
  it('grants no wildcard resource except the ENI actions EC2 cannot scope', () => {
    for (const [id, policy] of ofType('AWS::IAM::Policy')) {
      const doc = policy.Properties.PolicyDocument as { Statement: Statement[] };
      for (const statement of doc.Statement) {
        const wildcard = [statement.Resource].flat().includes('*');
        if (wildcard) expect(statement.Sid, `${id} ${JSON.stringify(statement.Action)}`).toBe('VpcEni');
      }
    }
  });

  it('attaches no AWS managed policies to our roles', () => {
    for (const [id, role] of ofType('AWS::IAM::Role')) {
      // CDK's own custom resources (bucket notifications, the VPC default security group lock-down).
      if (id.startsWith('BucketNotificationsHandler') || id.includes('CustomResourceProvider')) continue;
      expect(role.Properties.ManagedPolicyArns, id).toBeUndefined();
    }
  });

  it('lets a function read only the secrets of the roles it uses', () => {
    const id = (prefix: string) => logicalIdOf(prefix, 'AWS::SecretsManager::Secret');
    // The cluster's secret is referred to through its attachment (which resolves to the same ARN).
    const owner = logicalIdOf(
      'DatabaseClusterSecretAttachment',
      'AWS::SecretsManager::SecretTargetAttachment',
    );
    const readable = (role: string) =>
      statementsOf(role)
        .filter((s) => actionsOf([s]).some((a) => a.startsWith('secretsmanager:')))
        .flatMap((s) => [s.Resource].flat().map((r) => JSON.stringify(r)))
        .sort();
    const ref = (logicalId: string) => JSON.stringify({ Ref: logicalId });
    const [app, system] = [ref(id('DatabaseAppSecret')), ref(id('DatabaseSystemSecret'))];
    expect(readable('ApiAnalyticsRole')).toEqual([app]);
    const keyTag = ref(id('KeyTagSecret'));
    expect(readable('ApiAdminRole')).toEqual([app, system, keyTag].sort());
    for (const role of [
      'PipelineLoaderRole',
      'PipelineMaintenanceRole',
      'PipelineTiersRole',
      'PipelineCreateOrganizationRole',
      'OutboxPropagatorRole',
    ])
      expect(readable(role), role).toEqual([system]);
    expect(readable('PipelineMigrateRole')).toEqual([ref(owner), app, system].sort());
  });

  it('limits key-cache access to conditional puts by the admin function and the sweep', () => {
    const table = { 'Fn::GetAtt': [logicalIdOf('KeyTable', 'AWS::DynamoDB::GlobalTable'), 'Arn'] };
    for (const role of ['ApiAdminRole', 'OutboxPropagatorRole']) {
      const dynamo = statementsOf(role).filter((s) => actionsOf([s]).some((a) => a.startsWith('dynamodb:')));
      expect(dynamo, role).toEqual([
        expect.objectContaining({ Action: 'dynamodb:PutItem', Resource: table }),
      ]);
    }
    for (const role of ['ApiAnalyticsRole', 'PipelineLoaderRole', 'PipelineMaintenanceRole']) {
      expect(
        actionsOf(statementsOf(role)).filter((a) => a.startsWith('dynamodb:')),
        role,
      ).toEqual([]);
    }
  });

  it('lets the loader read the landing bucket but not write it', () => {
    const s3 = actionsOf(statementsOf('PipelineLoaderRole')).filter((a) => a.startsWith('s3:'));
    expect(s3.length).toBeGreaterThan(0);
    expect(s3.some((a) => /Put|Delete/.test(a))).toBe(false);
  });
});

describe('alarms', () => {
  it('notify one SNS topic that mails the on-call address (no paging outside prod)', () => {
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
    });
    const topic = { Ref: logicalIdOf('AlarmsTopicsEmail', 'AWS::SNS::Topic') };
    for (const [id, alarm] of ofType('AWS::CloudWatch::Alarm')) {
      expect(alarm.Properties.AlarmActions, id).toEqual([topic]);
    }
  });

  it('count the lines the loader quarantined from its log and alarm on the first one', () => {
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ ($.message = "object loaded") && ($.quarantined > 0) }',
      MetricTransformations: [
        {
          MetricNamespace: 'LLMObserver/stage',
          MetricName: 'LoaderQuarantinedLines',
          MetricValue: '$.quarantined',
        },
      ],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'llmo-stage-loader-lines-quarantined',
      Namespace: 'LLMObserver/stage',
      MetricName: 'LoaderQuarantinedLines',
      Statistic: 'Sum',
      Threshold: 1,
    });
  });

  it('watch API 5xx, Aurora connections and capacity, Firehose throttling, rejected lines and key propagation', () => {
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'llmo-stage-api-5xx',
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Dimensions: [{ Name: 'ApiId', Value: { Ref: logicalIdOf('ApiHttpApi', 'AWS::ApiGatewayV2::Api') } }],
    });
    // 4 ACU at most: 4 × 2 GiB / 9531392 B = 901 connections; the alarm is at 80 %.
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'llmo-stage-aurora-connections-high',
      MetricName: 'DatabaseConnections',
      Threshold: 720,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'llmo-stage-aurora-acu-at-max',
      MetricName: 'ACUUtilization',
      Threshold: 90,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'llmo-stage-firehose-throttled',
      Namespace: 'AWS/Firehose',
      MetricName: 'ThrottledRecords',
      Dimensions: [
        {
          Name: 'DeliveryStreamName',
          Value: { Ref: logicalIdOf('LandingStream', 'AWS::KinesisFirehose::DeliveryStream') },
        },
      ],
    });
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ ($.message = "object loaded") && ($.rejected > 0) }',
      MetricTransformations: [
        Match.objectLike({ MetricName: 'LoaderRejectedLines', MetricValue: '$.rejected' }),
      ],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'llmo-stage-loader-lines-rejected',
      Namespace: 'LLMObserver/stage',
      MetricName: 'LoaderRejectedLines',
    });
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ ($.message = "sweep done") && ($.failed > 0) }',
      MetricTransformations: [Match.objectLike({ MetricName: 'OutboxSweepFailed', MetricValue: '$.failed' })],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'llmo-stage-key-propagation-failing',
      MetricName: 'OutboxSweepFailed',
      EvaluationPeriods: 2,
    });
  });

  it('log every API request as a JSON line to a log group with retention', () => {
    const stage = ofType('AWS::ApiGatewayV2::Stage')[0]?.[1].Properties as {
      AccessLogSettings: { DestinationArn: unknown; Format: string };
    };
    expect(stage.AccessLogSettings.DestinationArn).toEqual({
      'Fn::GetAtt': [logicalIdOf('ApiAccessLogs', 'AWS::Logs::LogGroup'), 'Arn'],
    });
    expect(JSON.parse(stage.AccessLogSettings.Format)).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
      latencyMs: '$context.responseLatency',
    });
    expect(stage.AccessLogSettings.Format).not.toMatch(/authorization|header/i);
  });

  it('cover the DLQ, Firehose delivery, Aurora CPU and every function', () => {
    const names = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties.AlarmName);
    expect(names).toEqual(
      expect.arrayContaining([
        'llmo-stage-loader-dlq-not-empty',
        'llmo-stage-loader-backlog',
        'llmo-stage-loader-lines-quarantined',
        'llmo-stage-firehose-delivery-failing',
        'llmo-stage-firehose-data-stale',
        'llmo-stage-aurora-cpu-high',
        'llmo-stage-aurora-connections-high',
        'llmo-stage-aurora-acu-at-max',
        'llmo-stage-api-5xx',
        'llmo-stage-firehose-throttled',
        'llmo-stage-loader-lines-rejected',
        'llmo-stage-key-propagation-failing',
        ...['loader', 'maintenance', 'tiers', 'analytics', 'admin', 'outbox'].flatMap((f) => [
          `llmo-stage-${f}-errors`,
          `llmo-stage-${f}-throttles`,
        ]),
      ]),
    );
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'llmo-stage-loader-dlq-not-empty',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Dimensions: [
        {
          Name: 'QueueName',
          Value: { 'Fn::GetAtt': [logicalIdOf('LandingDeadLetters', 'AWS::SQS::Queue'), 'QueueName'] },
        },
      ],
      Threshold: 1,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'llmo-stage-firehose-delivery-failing',
      Namespace: 'AWS/Firehose',
      MetricName: 'DeliveryToS3.Success',
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'llmo-stage-aurora-cpu-high',
      Namespace: 'AWS/RDS',
      MetricName: 'CPUUtilization',
    });
  });
});
