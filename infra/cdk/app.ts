// CDK app entry (cdk.json "app"): validate the context once, then build the core and edge stacks.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App } from 'aws-cdk-lib';
import { readInfraConfig } from './config.ts';
import { assertEdgeBundleMatches } from './edge-bundle.ts';
import { assetCode } from './lambda-code.ts';
import { buildStacks } from './stacks.ts';

const app = new App();
const config = readInfraConfig((key) => app.node.tryGetContext(key));
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
assertEdgeBundleMatches(repoRoot, config);
buildStacks(app, config, assetCode(repoRoot), process.env.CDK_DEFAULT_ACCOUNT);
app.synth();
