// Loader (SQS → Aurora), its daily partition maintenance, and the operator-invoked migration function.
import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { InfraConfig } from '../config.ts';
import type { LambdaCode } from '../lambda-code.ts';
import { RUNTIME_ENV } from '../runtime-env.ts';
import type { Database } from './database.ts';
import { type Landing, LOADER_TIMEOUT } from './landing.ts';
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
  readonly migrateFunction: lambda.Function;
  /** Lines the database refused and the loader quarantined (dead_letters `rejected_by_database`), per 5 minutes. */
  readonly quarantinedLines: cloudwatch.Metric;

  constructor(scope: Construct, id: string, props: PipelineProps) {
    super(scope, id);
    const { config, database, landing } = props;
    const placement = database.lambdaPlacement();

    this.loaderFunction = nodeFunction(this, 'Loader', {
      code: props.code,
      bundle: 'loader',
      description: 'Loads landing objects named by S3 notifications into Aurora (idempotent)',
      timeout: LOADER_TIMEOUT,
      memoryMiB: 1024,
      vpc: placement,
    });
    database.connect(this.loaderFunction, ['system']);
    landing.bucket.grantRead(this.loaderFunction);
    // From the loader's own log line per object (sqs-handler.ts: "object loaded" with `quarantined`).
    this.quarantinedLines = new logs.MetricFilter(this, 'QuarantinedLines', {
      logGroup: this.loaderFunction.logGroup,
      filterPattern: logs.FilterPattern.all(
        logs.FilterPattern.stringValue('$.message', '=', 'object loaded'),
        logs.FilterPattern.numberValue('$.quarantined', '>', 0),
      ),
      metricNamespace: 'LLMObserver',
      metricName: 'LoaderQuarantinedLines',
      metricValue: '$.quarantined',
    }).metric({ statistic: 'Sum', period: Duration.minutes(5) });
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
      code: props.code,
      bundle: 'maintenance',
      description: 'Creates upcoming daily telemetry partitions, drops those past retention',
      timeout: Duration.minutes(5),
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

    this.migrateFunction = nodeFunction(this, 'Migrate', {
      code: props.code,
      bundle: 'migrate',
      description: 'Creates/re-keys llmo_app and llmo_system, then runs migrations (operator-invoked)',
      timeout: Duration.minutes(10),
      vpc: placement,
    });
    // The owner's secret to log in, the service roles' secrets to set their passwords (read at invocation).
    database.connect(this.migrateFunction, ['owner', 'app', 'system']);
  }
}
