// Landing path: Firehose → S3 (gzip NDJSON under YYYY/MM/dd/HH/) → S3 event → SQS queue with a DLQ.
import { Duration, RemovalPolicy, Size } from 'aws-cdk-lib';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3n from 'aws-cdk-lib/aws-s3-notifications';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { InfraConfig } from '../config.ts';

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
  readonly stream: firehose.DeliveryStream;
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;

  constructor(scope: Construct, id: string, config: InfraConfig) {
    super(scope, id);

    this.bucket = new s3.Bucket(this, 'Bucket', {
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
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.stream = new firehose.DeliveryStream(this, 'Stream', {
      deliveryStreamName: config.streamName,
      destination: new firehose.S3Bucket(this.bucket, {
        compression: firehose.Compression.GZIP,
        bufferingInterval: Duration.seconds(config.bufferingIntervalSeconds),
        bufferingSize: Size.mebibytes(config.bufferingSizeMiB),
        dataOutputPrefix: DATA_PREFIX,
        errorOutputPrefix: ERROR_PREFIX,
      }),
    });

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetters', {
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.queue = new sqs.Queue(this, 'Objects', {
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
