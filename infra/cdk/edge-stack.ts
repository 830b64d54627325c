// Edge stack (us-east-1): CloudFront with the Lambda@Edge ingest router on origin-request.
import {
  Annotations,
  CfnOutput,
  CfnRule,
  Duration,
  Fn,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct, IConstruct } from 'constructs';
import { EDGE_REGIONS } from '../../edge/region-map.ts';
import { deliveryStreamArn, tableArn } from './arns.ts';
import type { InfraConfig } from './config.ts';
import { AlarmTopics } from './core/alarms.ts';
import { EnvironmentDashboard } from './edge/dashboard.ts';
import { IngestWaf } from './edge/waf.ts';
import { BUNDLES, type LambdaCode } from './lambda-code.ts';
import { dataRemovalPolicy, logRetention } from './lifecycle.ts';
import { coreNames } from './names.ts';

/** Lambda@Edge functions can only be created in us-east-1. */
export const EDGE_REGION = 'us-east-1';

/** Properties of the edge stack. */
export interface EdgeStackProps extends StackProps {
  config: InfraConfig;
  code: LambdaCode;
  /** The bundle carries the synth-only placeholder key-tag secret: the template is made undeployable. */
  synthOnlyBundle?: boolean;
}

/**
 * The public ingest endpoint. The function answers every request itself, so the origin is never
 * contacted; it exists because CloudFront resolves the origin's DNS name before running the function.
 * Nothing here references the core stack's resources: the edge is granted the stream and table by
 * their configured names, so the two stacks deploy independently of cross-region plumbing.
 */
export class EdgeStack extends Stack {
  readonly distribution: cloudfront.Distribution;
  readonly ingestFunction: lambda.Function;
  readonly ingestVersion: lambda.IVersion;
  /** Retention of the function's log group in every region Lambda@Edge runs in. */
  readonly regionalLogGroups: logs.LogRetention[];
  readonly accessLogs: s3.Bucket;
  readonly waf: IngestWaf;
  readonly topics: AlarmTopics;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: EnvironmentDashboard;

  /** cdk-nag (AwsSolutions) findings this stack keeps on purpose, each with its reason. */
  private acknowledgeFindings(config: InfraConfig, functionName: string, unusedOrigin: s3.Bucket): void {
    const ack = (scope: IConstruct, id: string, reason: string) =>
      Validations.of(scope).acknowledge({ id, reason });
    ack(
      this.distribution,
      'AwsSolutions-CFR1',
      'SDK clients send telemetry from anywhere; no country is excluded.',
    );
    if (!config.ingestDomain) {
      ack(
        this.distribution,
        'AwsSolutions-CFR4',
        "No custom domain in this environment: CloudFront's default certificate cannot be restricted to TLS 1.2.",
      );
    }
    ack(
      unusedOrigin,
      'AwsSolutions-S1',
      'The origin is never contacted (the function answers every request).',
    );
    ack(
      this.accessLogs,
      'AwsSolutions-S1',
      'This is the access-log bucket; logging it into itself would loop.',
    );
    ack(
      this.ingestFunction,
      'AwsSolutions-L1',
      'Node.js 22 is the newest runtime the bundle is built and tested for.',
    );
    const logs = (region: string, name: string) =>
      `AwsSolutions-IAM5[Resource::arn:${this.partition}:logs:${region}:${this.account}:log-group:/aws/lambda/${name}:*]`;
    const role = this.ingestFunction.role ?? this;
    const why =
      'Lambda@Edge creates its log streams (and, in a region, the group) under its own name; stream names are unknowable.';
    ack(role, logs('*', `${EDGE_REGION}.${functionName}`), why);
    ack(role, logs(EDGE_REGION, functionName), why);
    // CDK's own singleton that sets the regional log groups' retention.
    for (const child of this.node.children) {
      if (child.node.id.startsWith('LogRetention')) {
        ack(
          child,
          'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
          "CDK's log-retention handler (not our code).",
        );
        ack(
          child,
          'AwsSolutions-IAM5[Resource::*]',
          "CDK's log-retention handler sets retention on groups in other regions.",
        );
        ack(
          child,
          logs(EDGE_REGION, `${EDGE_REGION}.${functionName}`),
          "CDK's log-retention handler, its own log streams.",
        );
      }
    }
  }

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    const { config } = props;
    if (this.region !== EDGE_REGION) {
      throw new Error(`EdgeStack must be deployed to ${EDGE_REGION} (Lambda@Edge), got ${this.region}`);
    }

    const functionName = coreNames(config).edgeFunction;
    const role = new iam.Role(this, 'IngestRole', {
      description: 'Lambda@Edge ingest: Firehose in the core region, key cache replicas',
      assumedBy: new iam.CompositePrincipal(
        new iam.ServicePrincipal('lambda.amazonaws.com'),
        new iam.ServicePrincipal('edgelambda.amazonaws.com'),
      ),
    });
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'Firehose',
        actions: ['firehose:PutRecordBatch'],
        resources: [deliveryStreamArn(config.coreRegion, config.streamName)],
      }),
    );
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'KeyCache',
        actions: ['dynamodb:GetItem'],
        resources: [config.coreRegion, ...config.replicaRegions].map((r) => tableArn(r, config.keyTableName)),
      }),
    );
    // Lambda@Edge logs in whichever region served the request, to `/aws/lambda/us-east-1.<name>`; the
    // region is unknowable in advance, the log group name is not.
    role.addToPolicy(
      new iam.PolicyStatement({
        sid: 'Logs',
        actions: ['logs:CreateLogGroup', 'logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [
          `arn:${this.partition}:logs:*:${this.account}:log-group:/aws/lambda/${EDGE_REGION}.${functionName}:*`,
          `arn:${this.partition}:logs:${EDGE_REGION}:${this.account}:log-group:/aws/lambda/${functionName}:*`,
        ],
      }),
    );

    // The function's own group (us-east-1), and the one Lambda@Edge writes in each regional edge cache
    // region, `/aws/lambda/us-east-1.<name>`: created there ahead of traffic with the same retention
    // (otherwise Lambda creates them on first use, keeping logs forever).
    const logGroup = new logs.LogGroup(this, 'IngestLogs', {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: logRetention(config),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.regionalLogGroups = EDGE_REGIONS.map(
      (region) =>
        new logs.LogRetention(this, `EdgeLogs-${region}`, {
          logGroupName: `/aws/lambda/${EDGE_REGION}.${functionName}`,
          logGroupRegion: region,
          retention: logRetention(config),
          removalPolicy: RemovalPolicy.DESTROY,
        }),
    );

    // No environment, VPC or layers (Lambda@Edge forbids them): edge/build.ts bakes the configuration in.
    // x86_64 because Lambda@Edge does not run arm64.
    this.ingestFunction = new lambda.Function(this, 'Ingest', {
      functionName,
      description: 'LLM Observer ingest router (Lambda@Edge origin-request)',
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.X86_64,
      code: props.code.code('edge'),
      handler: BUNDLES.edge.handler,
      role,
      logGroup,
      memorySize: 1024,
      timeout: Duration.seconds(30),
      // Replicated versions cannot be deleted for hours after CloudFront lets go of them; retaining old
      // versions keeps a deploy from ending in a failed cleanup.
      currentVersionOptions: { removalPolicy: RemovalPolicy.RETAIN },
    });
    this.ingestVersion = this.ingestFunction.currentVersion;
    if (props.synthOnlyBundle) {
      // A template for reading and tests only: CloudFormation evaluates rules before changing anything,
      // and this one never holds, so the placeholder bundle cannot reach CloudFront.
      new CfnRule(this, 'RefuseSynthOnlyEdgeBundle', {
        assertions: [
          {
            assert: Fn.conditionEquals('synth-only-edge-bundle', 'deployable-edge-bundle'),
            assertDescription:
              'dist/edge was built with --synth-only (placeholder key-tag secret). Rebuild it with --key-tag-secret-arn before deploying.',
          },
        ],
      });
      Annotations.of(this).addWarningV2(
        'llmo:synth-only-edge-bundle',
        'dist/edge carries the synth-only placeholder key-tag secret; CloudFormation will refuse this template.',
      );
    }

    const unusedOrigin = new s3.Bucket(this, 'UnusedOrigin', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.DESTROY,
    });

    // CloudFront standard logs: the bucket needs ACLs (CloudFront writes with one), expires them.
    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
      lifecycleRules: [
        {
          expiration: Duration.days(config.accessLogRetentionDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
          ...(config.accessLogRetentionDays > 60
            ? {
                transitions: [
                  { storageClass: s3.StorageClass.INFREQUENT_ACCESS, transitionAfter: Duration.days(30) },
                ],
              }
            : {}),
        },
      ],
      removalPolicy: dataRemovalPolicy(config),
      autoDeleteObjects: config.destroyOnRemoval,
    });

    this.waf = new IngestWaf(this, 'Waf', config);
    const domain = config.ingestDomain;
    const zone = domain
      ? route53.HostedZone.fromHostedZoneAttributes(this, 'Zone', {
          hostedZoneId: domain.hostedZoneId,
          zoneName: domain.zoneName,
        })
      : undefined;
    const certificate =
      domain && zone
        ? new acm.Certificate(this, 'Certificate', {
            domainName: domain.name,
            validation: acm.CertificateValidation.fromDns(zone),
          })
        : undefined;

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: `LLM Observer ingest (${config.envName})`,
      priceClass: cloudfront.PriceClass.PRICE_CLASS_ALL,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      webAclId: this.waf.webAcl.attrArn,
      enableLogging: true,
      logBucket: this.accessLogs,
      logFilePrefix: 'cloudfront/',
      // With a custom domain, only TLS 1.2+ with modern ciphers; CloudFront's default certificate
      // (no domain) cannot be restricted.
      ...(domain && certificate
        ? {
            domainNames: [domain.name],
            certificate,
            minimumProtocolVersion: cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021,
          }
        : {}),
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withOriginAccessControl(unusedOrigin),
        // Redirecting HTTP would turn the SDK's POST into a GET; refuse plain HTTP instead.
        viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
        allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
        cachePolicy: cloudfront.CachePolicy.CACHING_DISABLED,
        // The router needs the viewer's headers (Authorization, Content-Type, Content-Encoding).
        originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
        compress: false,
        edgeLambdas: [
          {
            functionVersion: this.ingestVersion,
            eventType: cloudfront.LambdaEdgeEventType.ORIGIN_REQUEST,
            includeBody: true,
          },
        ],
      },
    });
    if (domain && zone) {
      const target = route53.RecordTarget.fromAlias(new targets.CloudFrontTarget(this.distribution));
      new route53.ARecord(this, 'IngestA', { zone, recordName: domain.name, target });
      new route53.AaaaRecord(this, 'IngestAaaa', { zone, recordName: domain.name, target });
    }
    // CloudFront's additional metrics: Lambda@Edge execution errors, origin latency (paid per distribution).
    new cloudfront.CfnMonitoringSubscription(this, 'AdditionalMetrics', {
      distributionId: this.distribution.distributionId,
      monitoringSubscription: {
        realtimeMetricsSubscriptionConfig: { realtimeMetricsSubscriptionStatus: 'Enabled' },
      },
    });

    // An alarm notifies topics in its own region, so the edge has its own (us-east-1).
    this.topics = new AlarmTopics(this, 'AlarmTopics', {
      alarmEmail: config.alarmEmail,
      paging: config.paging,
    });
    const cloudfrontMetric = (metricName: string, statistic: string) =>
      new cloudwatch.Metric({
        namespace: 'AWS/CloudFront',
        metricName,
        dimensionsMap: { DistributionId: this.distribution.distributionId, Region: 'Global' },
        statistic,
        period: Duration.minutes(5),
        region: EDGE_REGION,
      });
    const alarm = (id: string, props2: cloudwatch.AlarmProps) => {
      const created = new cloudwatch.Alarm(this, id, props2);
      this.topics.notify(created);
      this.alarms.push(created);
    };
    alarm('Ingest5xx', {
      alarmName: `${config.prefix}-ingest-5xx-rate`,
      alarmDescription:
        'Over 5% of ingest requests answered 5xx (503 from Firehose trouble, 502 from the function).',
      metric: cloudfrontMetric('5xxErrorRate', 'Average'),
      threshold: 5,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    // Per-region Lambda@Edge metrics live in each region and an alarm can only watch its own region;
    // CloudFront's additional metrics sum the function's failures over every region into one.
    alarm('EdgeFunctionErrors', {
      alarmName: `${config.prefix}-edge-function-errors`,
      alarmDescription:
        'Lambda@Edge failed (crash, timeout, invalid response) or was throttled in some region: see the dashboard by region.',
      metric: new cloudwatch.MathExpression({
        expression: 'execution + limit + validation',
        usingMetrics: {
          execution: cloudfrontMetric('LambdaExecutionError', 'Sum'),
          limit: cloudfrontMetric('LambdaLimitExceededError', 'Sum'),
          validation: cloudfrontMetric('LambdaValidationError', 'Sum'),
        },
        period: Duration.minutes(5),
        label: 'Lambda@Edge errors',
      }),
      threshold: 5,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });

    this.acknowledgeFindings(config, functionName, unusedOrigin);

    this.dashboard = new EnvironmentDashboard(this, 'Dashboard', {
      config,
      distributionId: this.distribution.distributionId,
    });

    new CfnOutput(this, 'IngestUrl', {
      value: `https://${domain ? domain.name : this.distribution.distributionDomainName}/v1/events`,
      description: 'SDK ingest endpoint',
    });
    new CfnOutput(this, 'IngestFunctionVersion', { value: this.ingestVersion.functionArn });
    new CfnOutput(this, 'DashboardName', {
      value: coreNames(config).dashboard,
      description: 'CloudWatch dashboard',
    });
    if (this.topics.paging) {
      new CfnOutput(this, 'EdgePagingTopicArn', {
        value: this.topics.paging.topicArn,
        description: 'Subscribe the on-call tool (edge alarms, us-east-1)',
      });
    }
  }
}
