// The deployment environments as data: one typed entry per environment, chosen with `-c env=NAME`.
import type { InfraContext } from './config.ts';

/** Names accepted by `-c env=…`. */
export const ENVIRONMENT_NAMES = ['dev', 'stage', 'prod'] as const;
/** One of the deployment environments. */
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];

/**
 * What each environment decides. The accounts are placeholders: put your own in (or pass
 * `-c account=…`), and commit the availability zones synth needs for them in cdk.json
 * (infra/cdk/README.md, "Environments"). dev and stage share an account on purpose: every name is
 * derived from the environment, so two environments never collide.
 *
 * Everything else a stack decides per environment follows from these values (config.ts):
 * `destroyOnRemoval` (dev: deleting the stacks deletes the data), termination protection, backups,
 * the Aurora reader, log retention, paging.
 */
export const ENVIRONMENTS: Record<EnvironmentName, InfraContext> = {
  dev: {
    envName: 'dev',
    account: '111111111111',
    coreRegion: 'us-east-1',
    replicaRegions: ['eu-west-1'],
    dashboardUrl: 'https://dev.observer.example.com',
    authDomainPrefix: 'llmo-dev-example',
    alarmEmail: 'llmo-dev-alarms@example.com',
    destroyOnRemoval: true,
    terminationProtection: false,
    paging: false,
    auroraMinAcu: 0,
    auroraMaxAcu: 2,
    auroraReaders: 0,
    backupRetentionDays: 1,
    natGateways: 1,
    loaderMaxConcurrency: 4,
    retentionDays: 14,
    landingRetentionDays: 3,
    logRetentionDays: 7,
    accessLogRetentionDays: 7,
    wafRequestsPerIpPer5Min: 3000,
  },
  stage: {
    envName: 'stage',
    account: '111111111111',
    coreRegion: 'us-east-1',
    replicaRegions: ['us-west-2', 'eu-west-1'],
    dashboardUrl: 'https://stage.observer.example.com',
    authDomainPrefix: 'llmo-stage-example',
    alarmEmail: 'llmo-stage-alarms@example.com',
    destroyOnRemoval: false,
    terminationProtection: false,
    paging: false,
    auroraMinAcu: 0.5,
    auroraMaxAcu: 4,
    auroraReaders: 0,
    backupRetentionDays: 7,
    natGateways: 1,
    loaderMaxConcurrency: 10,
    retentionDays: 30,
    landingRetentionDays: 7,
    logRetentionDays: 30,
    accessLogRetentionDays: 30,
    wafRequestsPerIpPer5Min: 6000,
  },
  prod: {
    envName: 'prod',
    account: '222222222222',
    coreRegion: 'us-east-1',
    replicaRegions: ['us-west-2', 'eu-west-1', 'ap-northeast-1'],
    dashboardUrl: 'https://observer.example.com',
    authDomainPrefix: 'llmo-prod-example',
    alarmEmail: 'llmo-oncall@example.com',
    ingestDomain: {
      name: 'ingest.observer.example.com',
      hostedZoneId: 'Z0000000000000EXAMPLE',
      zoneName: 'observer.example.com',
    },
    destroyOnRemoval: false,
    terminationProtection: true,
    paging: true,
    auroraMinAcu: 0.5,
    auroraMaxAcu: 16,
    auroraReaders: 1,
    backupRetentionDays: 35,
    natGateways: 2,
    loaderMaxConcurrency: 20,
    retentionDays: 90,
    landingRetentionDays: 14,
    logRetentionDays: 90,
    accessLogRetentionDays: 365,
    wafRequestsPerIpPer5Min: 6000,
  },
};
