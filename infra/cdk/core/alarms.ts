// Core alarms (runbook: infra/cdk/README.md) notifying one SNS topic with an email subscription.
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as rds from 'aws-cdk-lib/aws-rds';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subs from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** What the alarms watch. */
export interface AlarmsProps {
  /** `llmo-<env>`: every alarm name starts with it. */
  prefix: string;
  alarmEmail: string;
  deadLetterQueue: sqs.IQueue;
  queue: sqs.IQueue;
  stream: firehose.DeliveryStream;
  cluster: rds.DatabaseCluster;
  /** Lines the loader quarantined (the database refused their content). */
  quarantinedLines: cloudwatch.IMetric;
  /** Functions watched for errors and throttles, by a short name used in the alarm's name. */
  functions: Record<string, lambda.IFunction>;
}

/** Creates an SNS topic with the email subscription; returns it for other alarms to use. */
export function alarmTopic(scope: Construct, id: string, email: string): sns.Topic {
  const topic = new sns.Topic(scope, id, { displayName: 'LLM Observer alarms', enforceSSL: true });
  topic.addSubscription(new subs.EmailSubscription(email));
  return topic;
}

/** The alarms; each is named `llmo-<env>-<what>`, and `llmo-<env>-<what>` heads its runbook entry. */
export class Alarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.topic = alarmTopic(this, 'Topic', props.alarmEmail);
    const add = (name: string, props2: cloudwatch.AlarmProps) => {
      const alarm = new cloudwatch.Alarm(this, name, props2);
      alarm.addAlarmAction(new actions.SnsAction(this.topic));
      this.alarms.push(alarm);
    };

    add('DlqNotEmpty', {
      alarmName: `${props.prefix}-loader-dlq-not-empty`,
      alarmDescription: 'Landing notifications failed 5 loads and sit in the DLQ: events not in Aurora yet.',
      metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(1) }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    add('LoaderBacklog', {
      alarmName: `${props.prefix}-loader-backlog`,
      alarmDescription: 'The oldest landing notification waits over 10 minutes: dashboards are stale.',
      metric: props.queue.metricApproximateAgeOfOldestMessage({ period: Duration.minutes(1) }),
      threshold: 600,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 5,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    add('LoaderQuarantine', {
      alarmName: `${props.prefix}-loader-lines-quarantined`,
      alarmDescription:
        'The database refused accepted events; the loader quarantined them (dead_letters rejected_by_database).',
      metric: props.quarantinedLines,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    add('FirehoseDeliveryFailing', {
      alarmName: `${props.prefix}-firehose-delivery-failing`,
      alarmDescription: 'Firehose could not deliver to the landing bucket (it retries for 24 h, then drops).',
      metric: props.stream.metric('DeliveryToS3.Success', {
        statistic: 'Minimum',
        period: Duration.minutes(5),
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    add('FirehoseFreshness', {
      alarmName: `${props.prefix}-firehose-data-stale`,
      alarmDescription: 'The oldest record in Firehose is over 15 minutes old: delivery is stuck.',
      metric: props.stream.metric('DeliveryToS3.DataFreshness', {
        statistic: 'Maximum',
        period: Duration.minutes(5),
      }),
      threshold: 900,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    add('AuroraCpu', {
      alarmName: `${props.prefix}-aurora-cpu-high`,
      alarmDescription: 'Aurora CPU over 80% for 15 minutes: raise auroraMaxAcu or find the query.',
      metric: props.cluster.metricCPUUtilization({ period: Duration.minutes(5) }),
      threshold: 80,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.MISSING,
    });
    for (const [name, fn] of Object.entries(props.functions)) {
      add(`${name}Errors`, {
        alarmName: `${props.prefix}-${name}-errors`,
        alarmDescription: `Lambda ${name} failed invocations (see its log group for the error).`,
        metric: fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      add(`${name}Throttles`, {
        alarmName: `${props.prefix}-${name}-throttles`,
        alarmDescription: `Lambda ${name} was throttled (account concurrency or maxConcurrency reached).`,
        metric: fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }
  }
}
