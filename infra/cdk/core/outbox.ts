// Outbox sweep: a scheduled Lambda that retries key changes the admin function could not push inline.
import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import type { InfraConfig } from '../config.ts';
import type { LambdaCode } from '../lambda-code.ts';
import { logRetention } from '../lifecycle.ts';
import { RUNTIME_ENV } from '../runtime-env.ts';
import type { Database } from './database.ts';
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

  constructor(scope: Construct, id: string, props: OutboxProps) {
    super(scope, id);
    const { database } = props;
    this.propagatorFunction = nodeFunction(this, 'Propagator', {
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
    // Writes go to the home region only; the global table replicates them to every replica.
    props.keyTable.grant(this.propagatorFunction, 'dynamodb:PutItem');
    new events.Rule(this, 'Sweep', {
      description: 'Key outbox sweep',
      schedule: events.Schedule.rate(Duration.minutes(1)),
      targets: [new targets.LambdaFunction(this.propagatorFunction, { retryAttempts: 0 })],
    });
  }
}
