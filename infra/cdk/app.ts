// CDK app entry (cdk.json "app"): read the environment chosen with `-c env=NAME`, then build its core and edge stacks.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readInfraConfig } from './config.ts';
import { checkEdgeBundle } from './edge-bundle.ts';
import { ENVIRONMENTS } from './environments.ts';
import { assetCode } from './lambda-code.ts';
import { buildStacks } from './stacks.ts';

const app = new App();
const config = readInfraConfig((key) => app.node.tryGetContext(key), ENVIRONMENTS);
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const edgeBundle = checkEdgeBundle(repoRoot, config);
buildStacks(app, config, assetCode(repoRoot), { synthOnlyEdgeBundle: edgeBundle.synthOnly });
// cdk-nag: synthesis (and so every deploy) fails on an AwsSolutions finding not acknowledged with a reason.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
app.synth();
