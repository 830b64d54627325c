// Metrics counted from the functions' own JSON log lines (CloudWatch Logs metric filters).
import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/**
 * A metric counted from a JSON log line: the sum of `field` over the lines whose message is `message`
 * and whose `field` is above 0. Its namespace is per environment, so two environments in one account
 * keep their counts apart.
 */
export function logLineMetric(
  scope: Construct,
  id: string,
  props: { logGroup: logs.ILogGroup; message: string; field: string; metricName: string; namespace: string },
): cloudwatch.Metric {
  return new logs.MetricFilter(scope, id, {
    logGroup: props.logGroup,
    filterPattern: logs.FilterPattern.all(
      logs.FilterPattern.stringValue('$.message', '=', props.message),
      logs.FilterPattern.numberValue(`$.${props.field}`, '>', 0),
    ),
    metricNamespace: props.namespace,
    metricName: props.metricName,
    metricValue: `$.${props.field}`,
  }).metric({ statistic: 'Sum', period: Duration.minutes(5) });
}
