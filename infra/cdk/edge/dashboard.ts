// The environment's CloudWatch dashboard: ingest, Firehose, loader, API, Aurora and key propagation on one page.
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import { EDGE_REGIONS } from '../../../edge/region-map.ts';
import type { InfraConfig } from '../config.ts';
import { coreNames } from '../names.ts';

/** The section titles, in order (the tests check each is there). */
export const DASHBOARD_SECTIONS = [
  'Ingest (CloudFront + Lambda@Edge)',
  'Firehose',
  'Loader',
  'Regional API',
  'Aurora',
  'Key propagation (revocations)',
] as const;

/**
 * A dashboard is global (it lives in no region): it is created with the edge stack, which knows the
 * distribution, and reads the core region's metrics by the names the environment derives
 * (`names.ts`), so no cross-region reference is needed.
 */
export class EnvironmentDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: { config: InfraConfig; distributionId: string }) {
    super(scope, id);
    const { config } = props;
    const n = coreNames(config);
    const core = config.coreRegion;
    const period = Duration.minutes(5);
    const m = (
      namespace: string,
      metricName: string,
      dimensionsMap: Record<string, string>,
      statistic = 'Sum',
      region = core,
      label?: string,
    ) => new cloudwatch.Metric({ namespace, metricName, dimensionsMap, statistic, region, period, label });
    const cf = (metricName: string, statistic: string) =>
      m(
        'AWS/CloudFront',
        metricName,
        { DistributionId: props.distributionId, Region: 'Global' },
        statistic,
        'us-east-1',
      );
    const fn = (name: Parameters<typeof n.function>[0], metricName: string, statistic = 'Sum') =>
      m('AWS/Lambda', metricName, { FunctionName: n.function(name) }, statistic);
    const custom = (metricName: string) => m(config.metricNamespace, metricName, {});
    const graph = (title: string, left: cloudwatch.IMetric[], right: cloudwatch.IMetric[] = []) =>
      new cloudwatch.GraphWidget({ title, left, right, width: 8, height: 6 });
    const header = (text: string) =>
      new cloudwatch.TextWidget({ markdown: `## ${text}`, width: 24, height: 1 });
    const firehose = (metricName: string, statistic = 'Sum') =>
      m('AWS/Firehose', metricName, { DeliveryStreamName: n.stream }, statistic);
    const queue = (name: string, metricName: string, statistic = 'Sum') =>
      m('AWS/SQS', metricName, { QueueName: name }, statistic);
    const rds = (metricName: string, statistic = 'Average') =>
      m('AWS/RDS', metricName, { DBClusterIdentifier: n.cluster }, statistic);

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: n.dashboard,
      defaultInterval: Duration.hours(3),
      widgets: [
        [header(DASHBOARD_SECTIONS[0])],
        [
          graph('Ingest requests', [cf('Requests', 'Sum')]),
          graph('Ingest 4xx / 5xx rate (%)', [cf('4xxErrorRate', 'Average'), cf('5xxErrorRate', 'Average')]),
          graph('Ingest latency (origin = the function, ms)', [
            cf('OriginLatency', 'p95'),
            cf('OriginLatency', 'p50'),
          ]),
        ],
        [
          graph(
            'Lambda@Edge errors by region',
            EDGE_REGIONS.map((region) =>
              m(
                'AWS/Lambda',
                'Errors',
                { FunctionName: `us-east-1.${n.edgeFunction}` },
                'Sum',
                region,
                region,
              ),
            ),
          ),
          graph('Lambda@Edge execution / limit errors (all regions)', [
            cf('LambdaExecutionError', 'Sum'),
            cf('LambdaLimitExceededError', 'Sum'),
            cf('LambdaValidationError', 'Sum'),
          ]),
          graph(
            'Lambda@Edge duration p95 by region (ms)',
            EDGE_REGIONS.map((region) =>
              m(
                'AWS/Lambda',
                'Duration',
                { FunctionName: `us-east-1.${n.edgeFunction}` },
                'p95',
                region,
                region,
              ),
            ),
          ),
        ],
        [header(DASHBOARD_SECTIONS[1])],
        [
          graph('Firehose incoming records', [firehose('IncomingRecords'), firehose('IncomingPutRequests')]),
          graph('Firehose throttled records', [firehose('ThrottledRecords')]),
          graph(
            'Delivery freshness (s) and success',
            [firehose('DeliveryToS3.DataFreshness', 'Maximum')],
            [firehose('DeliveryToS3.Success', 'Average')],
          ),
        ],
        [header(DASHBOARD_SECTIONS[2])],
        [
          graph(
            'Objects received / events inserted',
            [queue(n.queue, 'NumberOfMessagesReceived')],
            [custom('LoaderEventsInserted')],
          ),
          graph(
            'Quarantined / rejected lines, DLQ depth',
            [custom('LoaderQuarantinedLines'), custom('LoaderRejectedLines')],
            [queue(n.deadLetterQueue, 'ApproximateNumberOfMessagesVisible', 'Maximum')],
          ),
          graph(
            'Lag: oldest notification (s), load duration p95 (ms)',
            [queue(n.queue, 'ApproximateAgeOfOldestMessage', 'Maximum')],
            [fn('loader', 'Duration', 'p95')],
          ),
        ],
        [header(DASHBOARD_SECTIONS[3])],
        [
          graph('API invocations (analytics, admin)', [
            fn('analytics', 'Invocations'),
            fn('admin', 'Invocations'),
          ]),
          graph(
            'API errors and throttles',
            [fn('analytics', 'Errors'), fn('admin', 'Errors')],
            [fn('analytics', 'Throttles'), fn('admin', 'Throttles')],
          ),
          graph('API duration p95 (ms)', [
            fn('analytics', 'Duration', 'p95'),
            fn('admin', 'Duration', 'p95'),
          ]),
        ],
        [header(DASHBOARD_SECTIONS[4])],
        [
          graph('Aurora CPU (%)', [rds('CPUUtilization')]),
          graph(
            'Aurora capacity (ACU) and use of the maximum (%)',
            [rds('ServerlessDatabaseCapacity')],
            [rds('ACUUtilization', 'Maximum')],
          ),
          graph('Aurora connections', [rds('DatabaseConnections', 'Maximum')]),
        ],
        [header(DASHBOARD_SECTIONS[5])],
        [
          graph('Outbox sweep: delivered late / failed', [
            custom('OutboxSweepDelivered'),
            custom('OutboxSweepFailed'),
          ]),
          graph(
            'Key table replication latency (ms)',
            config.replicaRegions.map((region) =>
              m(
                'AWS/DynamoDB',
                'ReplicationLatency',
                { TableName: n.keyTable, ReceivingRegion: region },
                'Average',
                core,
                region,
              ),
            ),
          ),
          graph('Outbox sweep errors', [fn('outbox', 'Errors')]),
        ],
      ],
    });
  }
}
