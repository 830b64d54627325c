// Core alarms (runbook: infra/cdk/README.md) notifying the environment's topics: e-mail, and in prod a paging topic.
import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
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
  /** prod: alarms also notify a paging topic (subscribe the on-call tool to it). */
  paging: boolean;
  deadLetterQueue: sqs.IQueue;
  queue: sqs.IQueue;
  stream: firehose.DeliveryStream;
  cluster: rds.DatabaseCluster;
  /** Lines the loader quarantined (the database refused their content). */
  quarantinedLines: cloudwatch.IMetric;
  /** Lines the loader dead-lettered itself (not valid events). */
  rejectedLines: cloudwatch.IMetric;
  /** Key changes the outbox sweep failed to deliver to the key cache. */
  sweepFailures: cloudwatch.IMetric;
  httpApi: apigw.IHttpApi;
  /** Most connections the cluster takes at its largest capacity (alarm at 80 %). */
  maxConnections: number;
  /** Functions watched for errors and throttles, by a short name used in the alarm's name. */
  functions: Record<string, lambda.IFunction>;
}

/** Where an environment's alarms go: always an e-mail topic, in prod also a paging topic. */
export class AlarmTopics extends Construct {
  readonly email: sns.Topic;
  /** Subscribe the on-call tool (PagerDuty, Opsgenie, …) to it; absent outside prod. */
  readonly paging: sns.Topic | undefined;

  constructor(scope: Construct, id: string, props: { alarmEmail: string; paging: boolean }) {
    super(scope, id);
    this.email = new sns.Topic(this, 'Email', { displayName: 'LLM Observer alarms', enforceSSL: true });
    this.email.addSubscription(new subs.EmailSubscription(props.alarmEmail));
    this.paging = props.paging
      ? new sns.Topic(this, 'Paging', { displayName: 'LLM Observer paging', enforceSSL: true })
      : undefined;
  }

  /** Notifies every topic when `alarm` fires. */
  notify(alarm: cloudwatch.Alarm): void {
    alarm.addAlarmAction(new actions.SnsAction(this.email));
    if (this.paging) alarm.addAlarmAction(new actions.SnsAction(this.paging));
  }
}

/** The alarms; each is named `llmo-<env>-<what>`, and `llmo-<env>-<what>` heads its runbook entry. */
export class Alarms extends Construct {
  readonly topics: AlarmTopics;
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: AlarmsProps) {
    super(scope, id);
    this.topics = new AlarmTopics(this, 'Topics', { alarmEmail: props.alarmEmail, paging: props.paging });
    const add = (name: string, props2: cloudwatch.AlarmProps) => {
      const alarm = new cloudwatch.Alarm(this, name, props2);
      this.topics.notify(alarm);
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
    add('LoaderRejected', {
      alarmName: `${props.prefix}-loader-lines-rejected`,
      alarmDescription:
        'The loader dead-lettered lines the edge had accepted (not valid events): the edge and loader disagree.',
      metric: props.rejectedLines,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    add('FirehoseThrottled', {
      alarmName: `${props.prefix}-firehose-throttled`,
      alarmDescription:
        'Firehose throttled records the edge put: ingest answers 503 until its limits are raised.',
      metric: props.stream.metric('ThrottledRecords', { statistic: 'Sum', period: Duration.minutes(5) }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    add('Api5xx', {
      alarmName: `${props.prefix}-api-5xx`,
      alarmDescription:
        'The regional API answered 5xx at least 5 times in 5 minutes (the dashboard shows errors).',
      metric: props.httpApi.metricServerError({ statistic: 'Sum', period: Duration.minutes(5) }),
      threshold: 5,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    add('AuroraConnections', {
      alarmName: `${props.prefix}-aurora-connections-high`,
      alarmDescription:
        'Aurora connections above 80% of what the largest capacity allows: new logins will fail.',
      metric: props.cluster.metricDatabaseConnections({ statistic: 'Maximum', period: Duration.minutes(5) }),
      threshold: Math.floor(props.maxConnections * 0.8),
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    add('AuroraCapacity', {
      alarmName: `${props.prefix}-aurora-acu-at-max`,
      alarmDescription: 'Aurora has used over 90% of its maximum capacity (auroraMaxAcu) for 15 minutes.',
      metric: props.cluster.metricACUUtilization({ statistic: 'Maximum', period: Duration.minutes(5) }),
      threshold: 90,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    add('RevocationPropagation', {
      alarmName: `${props.prefix}-key-propagation-failing`,
      alarmDescription:
        'The outbox sweep failed to deliver key changes (revocations included) to the key cache for 10 minutes.',
      metric: props.sweepFailures,
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 2,
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
