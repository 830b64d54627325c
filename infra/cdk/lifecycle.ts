// What an environment keeps when its stacks are deleted, and how long its logs live.
import { RemovalPolicy } from 'aws-cdk-lib';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { InfraConfig } from './config.ts';

/**
 * Removal policy of data (landing bucket, key table, user pool): dev deletes it with the stack, so a
 * dev environment can be torn down and rebuilt; stage and prod keep it.
 */
export function dataRemovalPolicy(config: InfraConfig): RemovalPolicy {
  return config.destroyOnRemoval ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
}

/** Aurora: dev deletes the cluster; elsewhere a final snapshot is taken (and deletion protection is on). */
export function databaseRemovalPolicy(config: InfraConfig): RemovalPolicy {
  return config.destroyOnRemoval ? RemovalPolicy.DESTROY : RemovalPolicy.SNAPSHOT;
}

/** Deletion protection wherever the data is retained. */
export function deletionProtection(config: InfraConfig): boolean {
  return !config.destroyOnRemoval;
}

/** Retention of every log group (the values CloudWatch accepts are checked in config.ts). */
export function logRetention(config: InfraConfig): logs.RetentionDays {
  return config.logRetentionDays as logs.RetentionDays;
}
