// Loader (SQS → Aurora), partition maintenance, the analytics tier refresh, and the operator-invoked migration function.
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { InfraConfig } from '../config.ts';
import type { LambdaCode } from '../lambda-code.ts';
import { logRetention } from '../lifecycle.ts';
import { coreNames } from '../names.ts';
import { RUNTIME_ENV } from '../runtime-env.ts';
import type { Database } from './database.ts';
import { type Landing, LOADER_TIMEOUT } from './landing.ts';
import { logLineMetric } from './log-metric.ts';
import { nodeFunction } from './node-function.ts';

/** Dependencies of the loader pipeline. */
export interface PipelineProps {
  config: InfraConfig;
  code: LambdaCode;
  landing: Landing;
  database: Database;
}

/** The loader and the functions that keep its tables in shape. */
export class Pipeline extends Construct {
  readonly loaderFunction: lambda.Function;
  readonly maintenanceFunction: lambda.Function;
  readonly tiersFunction: lambda.Function;
  readonly migrateFunction: lambda.Function;
  readonly organizationFunction: lambda.Function;
  /** Lines the database refused and the loader quarantined (dead_letters `rejected_by_database`), per 5 minutes. */
  readonly quarantinedLines: cloudwatch.Metric;
  /** Lines the loader dead-lettered itself (not valid events), per 5 minutes. */
  readonly rejectedLines: cloudwatch.Metric;
  /** Events the loader inserted (duplicates not counted), per 5 minutes. */
  readonly eventsLoaded: cloudwatch.Metric;

  constructor(scope: Construct, id: string, props: PipelineProps) {
    super(scope, id);
    const { config, database, landing } = props;
    const placement = database.lambdaPlacement();

    this.loaderFunction = nodeFunction(this, 'Loader', {
      functionName: coreNames(config).function('loader'),
      code: props.code,
      bundle: 'loader',
      description: 'Loads landing objects named by S3 notifications into Aurora (idempotent)',
      timeout: LOADER_TIMEOUT,
      memoryMiB: 1024,
      logRetention: logRetention(config),
      vpc: placement,
    });
    database.connect(this.loaderFunction, ['system']);
    // Reads the objects it is told about; nothing else in the bucket.
    this.loaderFunction.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'LandingObjects',
        actions: ['s3:GetObject'],
        resources: [landing.bucket.arnForObjects('*')],
      }),
    );
    Validations.of(this.loaderFunction.role ?? this).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(landing.bucket.node.defaultChild as s3.CfnBucket)}.Arn>/*]`,
      reason: 'The loader reads any landing object an S3 notification names; keys are time-partitioned.',
    });
    // From the loader's own log line per object (sqs-handler.ts: "object loaded" with the load's counts).
    this.quarantinedLines = logLineMetric(this, 'QuarantinedLines', {
      logGroup: this.loaderFunction.logGroup,
      message: 'object loaded',
      field: 'quarantined',
      metricName: 'LoaderQuarantinedLines',
      namespace: config.metricNamespace,
    });
    this.rejectedLines = logLineMetric(this, 'RejectedLines', {
      logGroup: this.loaderFunction.logGroup,
      message: 'object loaded',
      field: 'rejected',
      metricName: 'LoaderRejectedLines',
      namespace: config.metricNamespace,
    });
    this.eventsLoaded = logLineMetric(this, 'EventsLoaded', {
      logGroup: this.loaderFunction.logGroup,
      message: 'object loaded',
      field: 'inserted',
      metricName: 'LoaderEventsInserted',
      namespace: config.metricNamespace,
    });
    this.loaderFunction.addEventSource(
      new SqsEventSource(landing.queue, {
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(1),
        // Only the failed messages come back (sqs-handler.ts answers a partial batch response).
        reportBatchItemFailures: true,
        maxConcurrency: config.loaderMaxConcurrency,
      }),
    );

    this.maintenanceFunction = nodeFunction(this, 'Maintenance', {
      functionName: coreNames(config).function('maintenance'),
      code: props.code,
      bundle: 'maintenance',
      description: 'Creates upcoming daily telemetry partitions, drops those past retention',
      timeout: Duration.minutes(5),
      logRetention: logRetention(config),
      environment: { [RUNTIME_ENV.retentionDays]: String(config.retentionDays) },
      vpc: placement,
    });
    database.connect(this.maintenanceFunction, ['system']);
    // Partitions are made two weeks ahead by the migration, so one missed run never stops loading;
    // running hourly keeps that margin without anyone noticing a failed day.
    new events.Rule(this, 'MaintenanceSchedule', {
      description: 'Telemetry partition maintenance and retention',
      schedule: events.Schedule.cron({ minute: '7' }),
      targets: [new targets.LambdaFunction(this.maintenanceFunction, { retryAttempts: 2 })],
    });

    // Analytics tiers: the loader marks touched blocks dirty (analytics_dirty); this rebuilds the 5-minute,
    // 15-minute and hourly blocks so long ranges read them. Without it the dirty set grows and every read
    // falls back to per-minute rows. Every minute, like the local stack's timer.
    this.tiersFunction = nodeFunction(this, 'Tiers', {
      functionName: coreNames(config).function('tiers'),
      code: props.code,
      bundle: 'tiers',
      description: 'Refreshes dirty analytics tier blocks (5-minute, hourly) from the per-minute rollups',
      timeout: Duration.seconds(55),
      logRetention: logRetention(config),
      vpc: placement,
    });
    database.connect(this.tiersFunction, ['system']);
    new events.Rule(this, 'TiersSchedule', {
      description: 'Analytics tier refresh',
      schedule: events.Schedule.rate(Duration.minutes(1)),
      // A missed minute is caught up by the next run (it drains every dirty block).
      targets: [new targets.LambdaFunction(this.tiersFunction, { retryAttempts: 0 })],
    });

    this.migrateFunction = nodeFunction(this, 'Migrate', {
      functionName: coreNames(config).function('migrate'),
      code: props.code,
      bundle: 'migrate',
      description: 'Creates/re-keys llmo_app and llmo_system, then runs migrations (operator-invoked)',
      timeout: Duration.minutes(10),
      logRetention: logRetention(config),
      vpc: placement,
    });
    // The owner's secret to log in, the service roles' secrets to set their passwords (read at invocation).
    database.connect(this.migrateFunction, ['owner', 'app', 'system']);

    // The operators' way to create an organization in AWS (locally: npm run org -- create).
    this.organizationFunction = nodeFunction(this, 'CreateOrganization', {
      functionName: coreNames(config).function('create-organization'),
      code: props.code,
      bundle: 'organization',
      description: 'Creates an organization with its audit row (operator-invoked with {"name": "..."})',
      timeout: Duration.seconds(30),
      logRetention: logRetention(config),
      vpc: placement,
    });
    database.connect(this.organizationFunction, ['system']);
  }
}
