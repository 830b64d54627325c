// Unit tests of the CDK context validation: defaults, `-c` string forms, and loud failures by key name.
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { InfraConfigError, parseInfraConfig, readInfraConfig } from './config.ts';
import { ENVIRONMENT_NAMES, ENVIRONMENTS } from './environments.ts';
import { TEST_CONTEXT } from './test-support.ts';

const required = {
  envName: 'prod',
  account: '123456789012',
  dashboardUrl: 'https://observer.example.com',
  authDomainPrefix: 'llmo-prod',
  alarmEmail: 'oncall@example.com',
};

describe('parseInfraConfig', () => {
  it('fills defaults around the required keys', () => {
    const config = parseInfraConfig(required);
    expect(config).toMatchObject({
      coreRegion: 'us-east-1',
      replicaRegions: [],
      streamName: 'llmo-prod-events',
      keyTableName: 'llmo-prod-api-keys',
      coreStackName: 'llmo-prod-core',
      edgeStackName: 'llmo-prod-edge',
      metricNamespace: 'LLMObserver/prod',
      keyTagVersion: 'A',
      destroyOnRemoval: false,
      logRetentionDays: 30,
      dashboardCallbackPath: '/api/auth/callback',
      retentionDays: 30,
      bufferingIntervalSeconds: 0,
      useRdsProxy: false,
    });
  });

  it('accepts the string forms `-c key=value` produces', () => {
    const config = parseInfraConfig({
      ...required,
      replicaRegions: 'eu-west-1, ap-northeast-1',
      bufferingIntervalSeconds: '30',
      retentionDays: '7',
      useRdsProxy: 'true',
      auroraMinAcu: '0',
    });
    expect(config.replicaRegions).toEqual(['eu-west-1', 'ap-northeast-1']);
    expect(config.bufferingIntervalSeconds).toBe(30);
    expect(config.retentionDays).toBe(7);
    expect(config.useRdsProxy).toBe(true);
    expect(config.auroraMinAcu).toBe(0);
  });

  it('drops the core region and duplicates from the replica list', () => {
    const config = parseInfraConfig({
      ...required,
      coreRegion: 'eu-west-1',
      replicaRegions: ['eu-west-1', 'us-east-1', 'us-east-1'],
    });
    expect(config.replicaRegions).toEqual(['us-east-1']);
  });

  it('names every missing required key', () => {
    const attempt = () => parseInfraConfig({});
    expect(attempt).toThrow(InfraConfigError);
    expect(attempt).toThrow(/dashboardUrl: is required/);
    expect(attempt).toThrow(/authDomainPrefix: is required/);
    expect(attempt).toThrow(/alarmEmail: is required/);
    expect(attempt).toThrow(/envName: is required/);
    expect(attempt).toThrow(/account: is required/);
  });

  it.each([
    ['bufferingIntervalSeconds', 61, /bufferingIntervalSeconds: must be at most 60/],
    ['bufferingIntervalSeconds', '1.5', /bufferingIntervalSeconds/],
    ['coreRegion', 'Europe', /coreRegion: must be an AWS region/],
    ['replicaRegions', 'eu-west-1,mars', /replicaRegions\.1: must be an AWS region/],
    ['dashboardUrl', 'http://observer.example.com', /dashboardUrl: must be an https/],
    ['dashboardUrl', 'https://observer.example.com/', /dashboardUrl: must be an https/],
    ['account', '1234', /account: must be a 12-digit/],
    ['envName', 'qa', /envName: must be dev, stage or prod/],
    ['logRetentionDays', 10, /logRetentionDays: must be one of 1, 3, 5, 7, 14, 30/],
    ['keyTagVersion', 'AB', /keyTagVersion: must be one base62 character/],
    ['useRdsProxy', 'yes', /useRdsProxy/],
  ])('rejects %s = %j naming the key', (key, value, message) => {
    expect(() => parseInfraConfig({ ...required, [key]: value })).toThrow(message);
  });

  it('rejects a minimum capacity above the maximum', () => {
    expect(() => parseInfraConfig({ ...required, auroraMinAcu: 8, auroraMaxAcu: 4 })).toThrow(/auroraMinAcu/);
  });
});

describe('readInfraConfig', () => {
  const read = (context: Record<string, unknown>) => {
    const app = new App({ context: { ...context, unrelated: 'ignored' } });
    return readInfraConfig((key) => app.node.tryGetContext(key), { ...ENVIRONMENTS, test: TEST_CONTEXT });
  };

  it('reads the environment named by -c env, with single -c keys overriding it', () => {
    const config = read({ env: 'test', account: '999999999999' });
    expect(config.envName).toBe('stage');
    expect(config.account).toBe('999999999999');
    expect(config.coreRegion).toBe('eu-west-1');
    expect(config.replicaRegions).toEqual(['us-east-1', 'ap-northeast-1']);
    expect(config.retentionDays).toBe(45);
  });

  it('requires -c env and names the choices', () => {
    expect(() => read({})).toThrow(/env: is required \(-c env=NAME, one of dev, stage, prod, test\)/);
    expect(() => read({ env: 'qa' })).toThrow(/env: "qa" is not one of/);
  });

  it('cannot rename an environment with -c envName', () => {
    expect(read({ env: 'dev', envName: 'prod' }).streamName).toBe('llmo-dev-events');
  });
});

describe('the committed environments', () => {
  const configs = Object.fromEntries(
    ENVIRONMENT_NAMES.map((name) => [
      name,
      readInfraConfig((k) => (k === 'env' ? name : undefined), ENVIRONMENTS),
    ]),
  );

  it('are all valid and named after themselves, so no two share a resource name', () => {
    for (const name of ENVIRONMENT_NAMES) expect(configs[name]?.envName).toBe(name);
    const names = ENVIRONMENT_NAMES.flatMap((n) => {
      const c = configs[n];
      return c ? [c.streamName, c.keyTableName, c.coreStackName, c.edgeStackName, c.authDomainPrefix] : [];
    });
    expect(new Set(names).size).toBe(names.length);
  });

  it('make only dev destroyable, and give prod protection, paging, a reader and the longest retention', () => {
    expect(ENVIRONMENT_NAMES.filter((n) => configs[n]?.destroyOnRemoval)).toEqual(['dev']);
    expect(ENVIRONMENT_NAMES.filter((n) => configs[n]?.terminationProtection)).toEqual(['prod']);
    expect(ENVIRONMENT_NAMES.filter((n) => configs[n]?.paging)).toEqual(['prod']);
    expect(configs.prod?.auroraReaders).toBeGreaterThanOrEqual(1);
    expect(configs.dev?.auroraReaders).toBe(0);
    const backups = ENVIRONMENT_NAMES.map((n) => configs[n]?.backupRetentionDays ?? 0);
    expect(backups).toEqual([...backups].sort((a, b) => a - b));
    expect(configs.prod?.backupRetentionDays).toBe(35);
  });
});
