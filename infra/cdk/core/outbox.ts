// Outbox sweep: a scheduled Lambda that retries key changes the admin function could not push inline.
import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { InfraConfig } from '../config.ts';
import type { LambdaCode } from '../lambda-code.ts';
import { logRetention } from '../lifecycle.ts';
import { coreNames } from '../names.ts';
import { RUNTIME_ENV } from '../runtime-env.ts';
import type { Database } from './database.ts';
import { logLineMetric } from './log-metric.ts';
import { nodeFunction } from './node-function.ts';

/** Dependencies of the outbox sweep. */
export interface OutboxProps {
  config: InfraConfig;
  code: LambdaCode;
  database: Database;
  keyTable: dynamodb.ITableV2;
}

/** The propagator function and its once-a-minute schedule (EventBridge's finest rate). */
export class OutboxSweep extends Construct {
  readonly propagatorFunction: lambda.Function;
  /** Key changes the sweep delivered, per 5 minutes. */
  readonly delivered: cloudwatch.Metric;
  /** Key changes the sweep failed to deliver, per 5 minutes. */
  readonly failed: cloudwatch.Metric;

  constructor(scope: Construct, id: string, props: OutboxProps) {
    super(scope, id);
    const { database } = props;
    this.propagatorFunction = nodeFunction(this, 'Propagator', {
      functionName: coreNames(props.config).function('outbox'),
      code: props.code,
      bundle: 'outbox',
      description: 'Drains the key outbox into the DynamoDB key cache (retries, crash recovery)',
      // Longer than the schedule's minute: while rows are pending a sweep keeps probing DynamoDB every
      // second until 5 s before this timeout, so consecutive sweeps overlap and a recovery is seen
      // within about a second (SKIP LOCKED keeps overlapping sweeps from delivering a row twice at once).
      timeout: Duration.seconds(70),
      logRetention: logRetention(props.config),
      environment: {
        [RUNTIME_ENV.keyTableName]: props.keyTable.tableName,
      },
      vpc: database.lambdaPlacement(),
    });
    database.connect(this.propagatorFunction, ['system']);
    // From the sweep's "sweep done" line: key changes it delivered (the inline push had failed) and
    // the ones it could not deliver (revocations waiting to reach the edge).
    this.delivered = logLineMetric(this, 'SweepDelivered', {
      logGroup: this.propagatorFunction.logGroup,
      message: 'sweep done',
      field: 'delivered',
      metricName: 'OutboxSweepDelivered',
      namespace: props.config.metricNamespace,
    });
    this.failed = logLineMetric(this, 'SweepFailed', {
      logGroup: this.propagatorFunction.logGroup,
      message: 'sweep done',
      field: 'failed',
      metricName: 'OutboxSweepFailed',
      namespace: props.config.metricNamespace,
    });
    // Writes go to the home region only; the global table replicates them to every replica.
    props.keyTable.grant(this.propagatorFunction, 'dynamodb:PutItem');
    new events.Rule(this, 'Sweep', {
      description: 'Key outbox sweep',
      schedule: events.Schedule.rate(Duration.minutes(1)),
      targets: [new targets.LambdaFunction(this.propagatorFunction, { retryAttempts: 0 })],
    });
  }
}
