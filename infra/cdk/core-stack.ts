// Core (regional) stack: landing path, loader, Aurora, key cache, Cognito, HTTP API, outbox sweep, alarms.
import { CfnOutput, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { InfraConfig } from './config.ts';
import { Alarms } from './core/alarms.ts';
import { Api } from './core/api.ts';
import { Auth } from './core/auth.ts';
import { auroraMaxConnections, Database } from './core/database.ts';
import { KeyTable } from './core/key-table.ts';
import { KeyTagSecret } from './core/key-tag.ts';
import { Landing } from './core/landing.ts';
import { OutboxSweep } from './core/outbox.ts';
import { Pipeline } from './core/pipeline.ts';
import type { LambdaCode } from './lambda-code.ts';

/** Properties of the core stack; its region must be `config.coreRegion`. */
export interface CoreStackProps extends StackProps {
  config: InfraConfig;
  code: LambdaCode;
}

/** Everything that lives in the core region. */
export class CoreStack extends Stack {
  readonly landing: Landing;
  readonly database: Database;
  readonly keyTable: KeyTable;
  readonly keyTag: KeyTagSecret;
  readonly auth: Auth;
  readonly api: Api;
  readonly pipeline: Pipeline;
  readonly outbox: OutboxSweep;
  readonly alarms: Alarms;

  constructor(scope: Construct, id: string, props: CoreStackProps) {
    super(scope, id, props);
    const { config, code } = props;

    this.landing = new Landing(this, 'Landing', config);
    this.database = new Database(this, 'Database', config);
    this.keyTable = new KeyTable(this, 'KeyTable', config);
    this.keyTag = new KeyTagSecret(this, 'KeyTag', config);
    this.auth = new Auth(this, 'Auth', config);
    this.pipeline = new Pipeline(this, 'Pipeline', {
      config,
      code,
      landing: this.landing,
      database: this.database,
    });
    this.api = new Api(this, 'Api', {
      config,
      code,
      auth: this.auth,
      database: this.database,
      keyTable: this.keyTable.table,
      keyTagSecret: this.keyTag.secret,
    });
    this.outbox = new OutboxSweep(this, 'Outbox', {
      config,
      code,
      database: this.database,
      keyTable: this.keyTable.table,
    });
    this.alarms = new Alarms(this, 'Alarms', {
      prefix: config.prefix,
      alarmEmail: config.alarmEmail,
      paging: config.paging,
      rejectedLines: this.pipeline.rejectedLines,
      sweepFailures: this.outbox.failed,
      httpApi: this.api.httpApi,
      maxConnections: auroraMaxConnections(config.auroraMaxAcu),
      deadLetterQueue: this.landing.deadLetterQueue,
      queue: this.landing.queue,
      stream: this.landing.stream,
      cluster: this.database.cluster,
      quarantinedLines: this.pipeline.quarantinedLines,
      functions: {
        loader: this.pipeline.loaderFunction,
        maintenance: this.pipeline.maintenanceFunction,
        tiers: this.pipeline.tiersFunction,
        analytics: this.api.analyticsFunction,
        admin: this.api.adminFunction,
        outbox: this.outbox.propagatorFunction,
      },
    });

    // CDK's own bucket-notification handler (the landing bucket's S3 → SQS announcement).
    for (const child of this.node.children) {
      if (child.node.id.startsWith('BucketNotificationsHandler')) {
        Validations.of(child).acknowledge({
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          reason: "CDK's bucket-notification handler (not our code) runs once per deploy.",
        });
      }
    }

    // What the dashboard (Vercel env) and the operator need after a deploy.
    const out = (id: string, value: string, description: string) =>
      new CfnOutput(this, id, { value, description });
    if (this.alarms.topics.paging) {
      out('PagingTopicArn', this.alarms.topics.paging.topicArn, 'Subscribe the on-call tool (core alarms)');
    }
    out('ApiAccessLogs', this.api.accessLogs.logGroupName, 'API Gateway access logs');
    out('ApiUrl', this.api.httpApi.apiEndpoint, 'Regional API base URL (dashboard API_URL)');
    out('UserPoolId', this.auth.userPool.userPoolId, 'Cognito user pool');
    out('UserPoolClientId', this.auth.client.userPoolClientId, 'Dashboard app client id (public, PKCE)');
    out('Issuer', this.auth.issuer, 'OIDC issuer of dashboard tokens');
    out('HostedUiDomain', this.auth.domain.baseUrl(), 'Cognito hosted UI');
    out('LandingBucket', this.landing.bucket.bucketName, 'Firehose landing bucket');
    out('MigrateFunction', this.pipeline.migrateFunction.functionName, 'Invoke after each deploy to migrate');
    out(
      'CreateOrganizationFunction',
      this.pipeline.organizationFunction.functionName,
      'Invoke with {"name": "…"} to create an organization',
    );
    out('DeadLetterQueueUrl', this.landing.deadLetterQueue.queueUrl, 'Loader DLQ (redrive after a fix)');
    out(
      'KeyTagSecretArn',
      this.keyTag.secret.secretArn,
      'Key-tag secret: edge-bundle.ts --key-tag-secret-arn reads it',
    );
  }
}
