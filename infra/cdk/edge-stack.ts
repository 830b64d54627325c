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
} from 'aws-cdk-lib';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { EDGE_REGIONS } from '../../edge/region-map.ts';
import { deliveryStreamArn, tableArn } from './arns.ts';
import type { InfraConfig } from './config.ts';
import { alarmTopic } from './core/alarms.ts';
import { BUNDLES, type LambdaCode } from './lambda-code.ts';
import { logRetention } from './lifecycle.ts';

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

  constructor(scope: Construct, id: string, props: EdgeStackProps) {
    super(scope, id, props);
    const { config } = props;
    if (this.region !== EDGE_REGION) {
      throw new Error(`EdgeStack must be deployed to ${EDGE_REGION} (Lambda@Edge), got ${this.region}`);
    }

    const functionName = `${this.stackName}-ingest`;
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

    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'LLM Observer ingest',
      priceClass: cloudfront.PriceClass.PRICE_CLASS_ALL,
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      defaultBehavior: {
        origin: origins.S3BucketOrigin.withBucketDefaults(unusedOrigin),
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

    const topic = alarmTopic(this, 'AlarmTopic', config.alarmEmail);
    const fiveXx = new cloudwatch.Alarm(this, 'Ingest5xx', {
      alarmName: `${config.prefix}-ingest-5xx-rate`,
      alarmDescription:
        'Over 5% of ingest requests answered 5xx (503 from Firehose trouble, 502 from the function).',
      metric: new cloudwatch.Metric({
        namespace: 'AWS/CloudFront',
        metricName: '5xxErrorRate',
        dimensionsMap: { DistributionId: this.distribution.distributionId, Region: 'Global' },
        statistic: 'Average',
        period: Duration.minutes(5),
        region: EDGE_REGION,
      }),
      threshold: 5,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    fiveXx.addAlarmAction(new actions.SnsAction(topic));

    new CfnOutput(this, 'IngestUrl', {
      value: `https://${this.distribution.distributionDomainName}/v1/events`,
      description: 'SDK ingest endpoint',
    });
    new CfnOutput(this, 'IngestFunctionVersion', { value: this.ingestVersion.functionArn });
  }
}
