// DynamoDB key cache: a global table keyed by the key prefix, replicated next to the edge's regional caches.
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { InfraConfig } from '../config.ts';
import { dataRemovalPolicy, deletionProtection } from '../lifecycle.ts';

/** The key-cache global table (Aurora is the truth; this is written only through the outbox). */
export class KeyTable extends Construct {
  readonly table: dynamodb.TableV2;

  constructor(scope: Construct, id: string, config: InfraConfig) {
    super(scope, id);
    this.table = new dynamodb.TableV2(this, 'Table', {
      tableName: config.keyTableName,
      partitionKey: { name: 'prefix', type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      replicas: config.replicaRegions.map((region) => ({ region })),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // The cache can be rebuilt from Aurora, but a deleted table means every edge rejects every key:
      // protected and retained outside dev.
      deletionProtection: deletionProtection(config),
      removalPolicy: dataRemovalPolicy(config),
    });
  }
}
