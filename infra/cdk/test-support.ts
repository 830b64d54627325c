// Test helpers: a valid configuration and one synthesis of the stacks with inline Lambda code, under cdk.json's context.
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { type InfraConfig, type InfraContext, parseInfraConfig } from './config.ts';
import { CoreStack } from './core-stack.ts';
import { EDGE_REGION, EdgeStack } from './edge-stack.ts';
import { inlineCode } from './lambda-code.ts';
import { buildStacks, type SystemStacks } from './stacks.ts';

/** Account used by the test stacks (its availability zones are committed in cdk.json). */
export const TEST_ACCOUNT = '111111111111';

/** A stage-like environment with its core outside us-east-1, to exercise the cross-region grants. */
export const TEST_CONTEXT: InfraContext = {
  envName: 'stage',
  account: TEST_ACCOUNT,
  coreRegion: 'eu-west-1',
  replicaRegions: ['us-east-1', 'ap-northeast-1', 'eu-west-1'],
  dashboardUrl: 'https://observer.example.com',
  authDomainPrefix: 'llmo-test',
  alarmEmail: 'oncall@example.com',
  bufferingIntervalSeconds: 15,
  retentionDays: 45,
};

/** The context cdk.json gives every synthesis: feature flags and the committed availability zones. */
export function cdkJsonContext(): Record<string, unknown> {
  const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return {
    ...cdkJson.context,
    'availability-zones:account=111111111111:region=eu-west-1': ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'],
  };
}

/** An app with cdk.json's context, as `cdk synth` builds it. */
export function testApp(): App {
  return new App({ context: cdkJsonContext() });
}

/** The parsed test configuration. */
export function testConfig(overrides: InfraContext = {}): InfraConfig {
  return parseInfraConfig({ ...TEST_CONTEXT, ...overrides });
}

/** Builds both stacks in a fresh app (synthesis happens when a Template is taken from a stack). */
export function testStacks(overrides: InfraContext = {}): SystemStacks {
  return buildStacks(testApp(), testConfig(overrides), inlineCode());
}

/** Only the core stack, in its own app, so a test file synthesizes nothing else. */
export function testCoreStack(overrides: InfraContext = {}): CoreStack {
  const config = testConfig(overrides);
  return new CoreStack(testApp(), config.coreStackName, {
    env: { account: config.account, region: config.coreRegion },
    config,
    code: inlineCode(),
  });
}

/** Only the edge stack, in its own app. */
export function testEdgeStack(overrides: InfraContext = {}, synthOnlyBundle = false): EdgeStack {
  const config = testConfig(overrides);
  return new EdgeStack(testApp(), config.edgeStackName, {
    env: { account: config.account, region: EDGE_REGION },
    config,
    code: inlineCode(),
    synthOnlyBundle,
  });
}
