// Test helpers: a valid configuration and one synthesis of both stacks with inline Lambda code.
import { App } from 'aws-cdk-lib';
import { type InfraConfig, parseInfraConfig } from './config.ts';
import { CoreStack } from './core-stack.ts';
import { EDGE_REGION, EdgeStack } from './edge-stack.ts';
import { inlineCode } from './lambda-code.ts';
import { buildStacks, type SystemStacks } from './stacks.ts';

/** Context a deployer would put in cdk.json; core outside us-east-1 to exercise cross-region grants. */
export const TEST_CONTEXT = {
  coreRegion: 'eu-west-1',
  replicaRegions: ['us-east-1', 'ap-northeast-1', 'eu-west-1'],
  streamName: 'llmo-events',
  keyTableName: 'llmo-api-keys',
  dashboardUrl: 'https://observer.example.com',
  authDomainPrefix: 'llmo-test',
  alarmEmail: 'oncall@example.com',
  bufferingIntervalSeconds: 15,
  retentionDays: 45,
  keyTagSecrets: 'A:dGVzdC1vbmx5LWtleS10YWctc2VjcmV0LW5vdC1mb3ItdXNl',
};

/** The parsed test configuration. */
export function testConfig(overrides: Record<string, unknown> = {}): InfraConfig {
  return parseInfraConfig({ ...TEST_CONTEXT, ...overrides });
}

/** Account used by the test stacks. */
export const TEST_ACCOUNT = '123456789012';

/** Builds both stacks in a fresh app (synthesis happens when a Template is taken from a stack). */
export function testStacks(overrides: Record<string, unknown> = {}): SystemStacks {
  return buildStacks(new App(), testConfig(overrides), inlineCode(), TEST_ACCOUNT);
}

/** Only the core stack, in its own app, so a test file synthesizes nothing else. */
export function testCoreStack(overrides: Record<string, unknown> = {}): CoreStack {
  const config = testConfig(overrides);
  return new CoreStack(new App(), 'LlmoCore', {
    env: { account: TEST_ACCOUNT, region: config.coreRegion },
    config,
    code: inlineCode(),
  });
}

/** Only the edge stack, in its own app. */
export function testEdgeStack(overrides: Record<string, unknown> = {}): EdgeStack {
  return new EdgeStack(new App(), 'LlmoEdge', {
    env: { account: TEST_ACCOUNT, region: EDGE_REGION },
    config: testConfig(overrides),
    code: inlineCode(),
  });
}
