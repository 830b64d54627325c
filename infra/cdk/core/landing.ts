// Landing path: Firehose → S3 (gzip NDJSON under YYYY/MM/dd/HH/) → S3 event → SQS queue with a DLQ.
import { Duration, RemovalPolicy, Size, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { InfraConfig } from '../config.ts';
import { dataRemovalPolicy, logRetention } from '../lifecycle.ts';
import { coreNames } from '../names.ts';

/** Firehose's default time layout written as an expression, so an explicit prefix keeps it exactly. */
export const DATA_PREFIX = '!{timestamp:yyyy/MM/dd/HH}/';
/** Failed deliveries go elsewhere so the loader's notification filter never sees them. */
export const ERROR_PREFIX = 'errors/!{firehose:error-output-type}/!{timestamp:yyyy/MM/dd/HH}/';
/** Receives before a notification moves to the DLQ: enough for transient Aurora trouble. */
export const MAX_RECEIVE_COUNT = 5;
/** Loader timeout; the queue's visibility timeout is 6× this (AWS guidance for SQS event sources). */
export const LOADER_TIMEOUT = Duration.minutes(2);

/** The landing bucket, the stream writing to it and the queue announcing its objects. */
export class Landing extends Construct {
  readonly bucket: s3.Bucket;
  /** Server access logs of the landing bucket. */
  readonly accessLogs: s3.Bucket;
  readonly stream: firehose.DeliveryStream;
  /** Firehose's error log group (delivery failures). */
  readonly firehoseLogs: logs.LogGroup;
  readonly firehoseRole: iam.Role;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, config: InfraConfig) {
    super(scope, id);

    // S3 server access logs of the landing bucket (who read or wrote telemetry objects), expiring.
    this.accessLogs = new s3.Bucket(this, 'AccessLogs', {
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(config.accessLogRetentionDays) }],
      removalPolicy: dataRemovalPolicy(config),
      autoDeleteObjects: config.destroyOnRemoval,
    });
    this.bucket = new s3.Bucket(this, 'Bucket', {
      serverAccessLogsBucket: this.accessLogs,
      serverAccessLogsPrefix: 'landing/',
      encryption: s3.BucketEncryption.S3_MANAGED,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      enforceSSL: true,
      // Loaded objects are only kept for replays (see the loader runbook), then expire.
      lifecycleRules: [
        {
          expiration: Duration.days(config.landingRetentionDays),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
      removalPolicy: dataRemovalPolicy(config),
      // dev: emptied on deletion so the stack can be torn down; elsewhere retained with its objects.
      autoDeleteObjects: config.destroyOnRemoval,
    });

    // Delivery errors go to a log group of our own (bounded retention). The role is written here: the
    // construct's grant would add s3:DeleteObject*, which Firehose never needs to write objects.
    this.firehoseLogs = new logs.LogGroup(this, 'FirehoseLogs', {
      retention: logRetention(config),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const role = new iam.Role(this, 'FirehoseRole', {
      assumedBy: new iam.ServicePrincipal('firehose.amazonaws.com'),
      description: 'Firehose delivery to the landing bucket (write objects, no delete)',
    });
    const policy = new iam.Policy(this, 'FirehosePolicy', {
      roles: [role],
      statements: [
        new iam.PolicyStatement({
          sid: 'LandingBucket',
          actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
          resources: [this.bucket.bucketArn],
        }),
        new iam.PolicyStatement({
          sid: 'LandingObjects',
          actions: ['s3:PutObject', 's3:GetObject', 's3:AbortMultipartUpload'],
          resources: [this.bucket.arnForObjects('*')],
        }),
        new iam.PolicyStatement({
          sid: 'ErrorLogs',
          actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          resources: [this.firehoseLogs.logGroupArn],
        }),
      ],
    });
    this.firehoseRole = role;
    Validations.of(policy).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/*]`,
      reason: 'Firehose writes objects under time-based keys it chooses itself.',
    });
    Validations.of(this.accessLogs).acknowledge({
      id: 'AwsSolutions-S1',
      reason: 'This is the access-log bucket; logging it into itself would loop.',
    });
    this.stream = new firehose.DeliveryStream(this, 'Stream', {
      deliveryStreamName: config.streamName,
      // Records at rest inside Firehose (up to 24 h of retries) are encrypted with an AWS-owned key.
      encryption: firehose.StreamEncryption.awsOwnedKey(),
      destination: new firehose.S3Bucket(this.bucket, {
        compression: firehose.Compression.GZIP,
        bufferingInterval: Duration.seconds(config.bufferingIntervalSeconds),
        bufferingSize: Size.mebibytes(config.bufferingSizeMiB),
        dataOutputPrefix: DATA_PREFIX,
        errorOutputPrefix: ERROR_PREFIX,
        loggingConfig: new firehose.EnableLogging(this.firehoseLogs),
        // Immutable: the construct's own grants are dropped; the policy above is all the role gets.
        role: role.withoutPolicyUpdates(),
      }),
    });
    this.stream.node.addDependency(policy);
    // The log stream the destination made in our group goes with it (CDK retains log streams by default).
    const errorStream = this.firehoseLogs.node.tryFindChild('S3Destination');
    if (errorStream instanceof logs.LogStream) errorStream.applyRemovalPolicy(RemovalPolicy.DESTROY);

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      queueName: coreNames(config).deadLetterQueue,
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.queue = new sqs.Queue(this, 'Objects', {
      queueName: coreNames(config).queue,
      visibilityTimeout: Duration.seconds(LOADER_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: MAX_RECEIVE_COUNT },
    });

    // Data objects end in .gz (Firehose's GZIP extension). errors/ only ever receives records that failed
    // data processing, which this stream has none of; such a line would be dead-lettered by the loader.
    this.bucket.addEventNotification(s3.EventType.OBJECT_CREATED, new s3n.SqsDestination(this.queue), {
      suffix: '.gz',
    });
  }
}
