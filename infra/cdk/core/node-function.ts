// One place for the regional Lambda defaults: Node 22 on arm64, JSON logs with bounded retention.
import { type Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { BUNDLES, type BundleName, type LambdaCode } from '../lambda-code.ts';
import { LAMBDA_RDS_CA_BUNDLE, RUNTIME_ENV } from '../runtime-env.ts';

/** What differs between the regional functions. */
export interface NodeFunctionProps {
  /** Physical name, `llmo-<env>-<short name>` (coreNames); metrics and the dashboard find it by it. */
  functionName: string;
  code: LambdaCode;
  bundle: BundleName;
  description: string;
  timeout: Duration;
  memoryMiB?: number;
  environment?: Record<string, string>;
  /** How long its log group keeps logs (per environment). */
  logRetention: logs.RetentionDays;
  /** Functions that talk to Aurora run in the VPC's private subnets. */
  vpc?: { vpc: ec2.IVpc; securityGroup: ec2.ISecurityGroup };
}

/** ENI management for VPC functions; EC2 does not support resource-level scoping for these Describe/Create calls. */
const VPC_ENI_ACTIONS = [
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
];

/**
 * Builds a regional Lambda with the shared defaults, its own log group and its own role.
 * The role is written here rather than left to CDK because CDK's default attaches AWS managed policies
 * that allow writing to every log group in the account.
 */
export function nodeFunction(scope: Construct, id: string, props: NodeFunctionProps): lambda.Function {
  const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
    retention: props.logRetention,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const role = new iam.Role(scope, `${id}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: props.description.slice(0, 1000),
  });
  role.addToPolicy(
    new iam.PolicyStatement({
      sid: 'OwnLogs',
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      resources: [logGroup.logGroupArn],
    }),
  );
  if (props.vpc) {
    role.addToPolicy(new iam.PolicyStatement({ sid: 'VpcEni', actions: VPC_ENI_ACTIONS, resources: ['*'] }));
    Validations.of(role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'Only the EC2 network-interface actions of VPC functions, which EC2 cannot scope to a resource.',
    });
  }
  const fn = new lambda.Function(scope, id, {
    functionName: props.functionName,
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    code: props.code.code(props.bundle),
    handler: BUNDLES[props.bundle].handler,
    description: props.description,
    timeout: props.timeout,
    memorySize: props.memoryMiB ?? 512,
    role,
    logGroup,
    loggingFormat: lambda.LoggingFormat.JSON,
    environment: {
      NODE_OPTIONS: '--enable-source-maps',
      [RUNTIME_ENV.serviceName]: `llmo-${props.bundle}`,
      [RUNTIME_ENV.logLevel]: 'INFO',
      ...(props.vpc ? { [RUNTIME_ENV.extraCaCerts]: LAMBDA_RDS_CA_BUNDLE } : {}),
      ...props.environment,
    },
    ...(props.vpc
      ? {
          vpc: props.vpc.vpc,
          vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
          securityGroups: [props.vpc.securityGroup],
        }
      : {}),
  });
  Validations.of(fn).acknowledge({
    id: 'AwsSolutions-L1',
    reason:
      'Pinned to Node.js 22, the runtime the bundles are built for (esbuild target node22) and tested on.',
  });
  return fn;
}
