// ARNs built from configured names, so the edge stack can be granted exactly the core stack's resources.
import { Aws, Fn } from 'aws-cdk-lib';

/** ARN of the Firehose delivery stream `streamName` in `region` (same account as the deploying stack). */
export function deliveryStreamArn(region: string, streamName: string): string {
  return Fn.join('', [
    'arn:',
    Aws.PARTITION,
    ':firehose:',
    region,
    ':',
    Aws.ACCOUNT_ID,
    ':deliverystream/',
    streamName,
  ]);
}

/** ARN of the DynamoDB table `tableName` in `region` (a global table has one per replica region). */
export function tableArn(region: string, tableName: string): string {
  return Fn.join('', [
    'arn:',
    Aws.PARTITION,
    ':dynamodb:',
    region,
    ':',
    Aws.ACCOUNT_ID,
    ':table/',
    tableName,
  ]);
}
