// Unit tests of the CDK context validation: defaults, `-c` string forms, and loud failures by key name.
import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { InfraConfigError, parseInfraConfig, readInfraConfig } from './config.ts';
import { TEST_CONTEXT } from './test-support.ts';

const required = {
  dashboardUrl: 'https://observer.example.com',
  authDomainPrefix: 'llmo-prod',
  alarmEmail: 'oncall@example.com',
  keyTagSecrets: { A: 'a'.repeat(43) },
};

describe('parseInfraConfig', () => {
  it('fills defaults around the required keys', () => {
    const config = parseInfraConfig(required);
    expect(config).toMatchObject({
      coreRegion: 'us-east-1',
      replicaRegions: [],
      streamName: 'llmo-events',
      keyTableName: 'llmo-api-keys',
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
  });

  it.each([
    ['bufferingIntervalSeconds', 61, /bufferingIntervalSeconds: must be at most 60/],
    ['bufferingIntervalSeconds', '1.5', /bufferingIntervalSeconds/],
    ['coreRegion', 'Europe', /coreRegion: must be an AWS region/],
    ['replicaRegions', 'eu-west-1,mars', /replicaRegions\.1: must be an AWS region/],
    ['dashboardUrl', 'http://observer.example.com', /dashboardUrl: must be an https/],
    ['dashboardUrl', 'https://observer.example.com/', /dashboardUrl: must be an https/],
    ['streamName', 'bad name', /streamName/],
    ['useRdsProxy', 'yes', /useRdsProxy/],
  ])('rejects %s = %j naming the key', (key, value, message) => {
    expect(() => parseInfraConfig({ ...required, [key]: value })).toThrow(message);
  });

  it('reads key-tag secrets as JSON or as `-c keyTagSecrets=A:…,B:…`, minting with the first unless told', () => {
    const [a, b] = ['a'.repeat(43), 'b'.repeat(44)];
    const fromString = parseInfraConfig({ ...required, keyTagSecrets: `A:${a}, B:${b}` });
    expect(fromString.keyTagSecrets).toEqual({ A: a, B: b });
    expect(fromString.keyTagVersion).toBe('A');
    expect(
      parseInfraConfig({ ...required, keyTagSecrets: { A: a, B: b }, keyTagVersion: 'B' }).keyTagVersion,
    ).toBe('B');
    expect(() => parseInfraConfig({ ...required, keyTagSecrets: { A: a }, keyTagVersion: 'C' })).toThrow(
      /keyTagVersion: must be one of the versions/,
    );
    expect(() => parseInfraConfig({ ...required, keyTagSecrets: 'A:short' })).toThrow(
      /keyTagSecrets\.A: secrets must be base64url/,
    );
    expect(() => parseInfraConfig({ ...required, keyTagSecrets: '' })).toThrow(/keyTagSecrets/);
    expect(() => parseInfraConfig({ ...required, keyTagSecrets: undefined })).toThrow(
      /keyTagSecrets: is required/,
    );
  });

  it('rejects a minimum capacity above the maximum', () => {
    expect(() => parseInfraConfig({ ...required, auroraMinAcu: 8, auroraMaxAcu: 4 })).toThrow(/auroraMinAcu/);
  });
});

describe('readInfraConfig', () => {
  it('reads the keys from a CDK app context', () => {
    const app = new App({ context: { ...TEST_CONTEXT, unrelated: 'ignored' } });
    const config = readInfraConfig((key) => app.node.tryGetContext(key));
    expect(config.coreRegion).toBe('eu-west-1');
    expect(config.replicaRegions).toEqual(['us-east-1', 'ap-northeast-1']);
    expect(config.retentionDays).toBe(45);
  });
});
