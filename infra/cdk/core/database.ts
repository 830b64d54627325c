// Aurora PostgreSQL Serverless v2 in private subnets, one Secrets Manager secret per login role, optional RDS Proxy.
import { CfnResource, Duration, Names, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { CREDENTIAL_ENV, type DatabaseRole, ROLE_USERS } from '../../../regional/db/credentials.ts';
import type { InfraConfig } from '../config.ts';
import { databaseRemovalPolicy, deletionProtection, logRetention } from '../lifecycle.ts';
import { coreNames } from '../names.ts';
import { RUNTIME_ENV } from '../runtime-env.ts';

/** Engine pinned to a 17.x minor; minor upgrades are applied by changing this constant. */
export const AURORA_ENGINE_VERSION = rds.AuroraPostgresEngineVersion.VER_17_5;
/** Database created in the cluster. */
export const DATABASE_NAME = 'llmo';
/** Master user: owns the tables, runs migrations (regional/db/migrate.ts). */
export const OWNER_USER = ROLE_USERS.owner;

/**
 * Connections Aurora PostgreSQL allows at `maxAcu`: max_connections is memory / 9531392 bytes, and a
 * Serverless v2 ACU is 2 GiB (AWS documents the same formula; the cap is 5000).
 */
export function auroraMaxConnections(maxAcu: number): number {
  return Math.min(5000, Math.floor((maxAcu * 2 * 1024 ** 3) / 9_531_392));
}

/** Days between password rotations of every login role. */
export const ROTATION_DAYS = 30;

/** The network, the cluster, the role secrets and the endpoint the Lambdas connect to. */
export class Database extends Construct {
  readonly vpc: ec2.Vpc;
  /** Security group of every Lambda that talks to the database. */
  readonly clientSecurityGroup: ec2.SecurityGroup;
  readonly cluster: rds.DatabaseCluster;
  /** Where Aurora exports its PostgreSQL log. */
  readonly postgresLogs: logs.LogGroup;
  readonly ownerSecret: secretsmanager.ISecret;
  readonly appSecret: rds.DatabaseSecret;
  readonly systemSecret: rds.DatabaseSecret;
  readonly proxy: rds.DatabaseProxy | undefined;
  /** Host the Lambdas connect to: the proxy when enabled, otherwise the cluster writer. */
  readonly host: string;

  constructor(scope: Construct, id: string, config: InfraConfig) {
    super(scope, id);

    this.vpc = new ec2.Vpc(this, 'Vpc', {
      maxAzs: 2,
      natGateways: config.natGateways,
      subnetConfiguration: [
        { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
        { name: 'app', subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS, cidrMask: 22 },
        { name: 'data', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
      ],
      // S3 (landing objects) and DynamoDB (key cache) traffic stays off the NAT gateway.
      gatewayEndpoints: {
        S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
        DynamoDB: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
      },
    });
    // Rejected connections are what an operator needs when something cannot reach Aurora.
    this.vpc.addFlowLog('FlowLog', {
      destination: ec2.FlowLogDestination.toCloudWatchLogs(
        new logs.LogGroup(this, 'FlowLogs', {
          retention: logRetention(config),
          removalPolicy: RemovalPolicy.DESTROY,
        }),
      ),
      trafficType: ec2.FlowLogTrafficType.REJECT,
    });
    this.clientSecurityGroup = new ec2.SecurityGroup(this, 'ClientSg', {
      vpc: this.vpc,
      description: 'Lambdas that connect to Aurora',
      allowAllOutbound: true,
    });

    // Named after the environment, so its log export's group can be created first with a retention
    // (otherwise RDS creates it, keeping logs forever).
    const clusterIdentifier = coreNames(config).cluster;
    this.postgresLogs = new logs.LogGroup(this, 'PostgresLogs', {
      logGroupName: `/aws/rds/cluster/${clusterIdentifier}/postgresql`,
      retention: logRetention(config),
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.cluster = new rds.DatabaseCluster(this, 'Cluster', {
      clusterIdentifier,
      engine: rds.DatabaseClusterEngine.auroraPostgres({ version: AURORA_ENGINE_VERSION }),
      credentials: rds.Credentials.fromGeneratedSecret(OWNER_USER),
      defaultDatabaseName: DATABASE_NAME,
      writer: rds.ClusterInstance.serverlessV2('Writer', { enablePerformanceInsights: true }),
      // prod: a reader in another AZ that Aurora fails over to (it scales with the writer).
      readers: Array.from({ length: config.auroraReaders }, (_, i) =>
        rds.ClusterInstance.serverlessV2(`Reader${i + 1}`, {
          scaleWithWriter: true,
          enablePerformanceInsights: true,
        }),
      ),
      serverlessV2MinCapacity: config.auroraMinAcu,
      serverlessV2MaxCapacity: config.auroraMaxAcu,
      vpc: this.vpc,
      vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_ISOLATED },
      storageEncrypted: true,
      iamAuthentication: false,
      backup: { retention: Duration.days(config.backupRetentionDays) },
      cloudwatchLogsExports: ['postgresql'],
      // Free 7-day tier; the CPU alarm's runbook starts there.
      enablePerformanceInsights: true,
      deletionProtection: deletionProtection(config),
      removalPolicy: databaseRemovalPolicy(config),
    });
    this.cluster.node.addDependency(this.postgresLogs);
    Validations.of(this.cluster).acknowledge({
      id: 'AwsSolutions-RDS6',
      reason:
        'Password logins from Secrets Manager, rotated every 30 days; IAM tokens would add a call per connection.',
    });
    if (config.destroyOnRemoval) {
      Validations.of(this.cluster).acknowledge({
        id: 'AwsSolutions-RDS10',
        reason: 'dev only: the environment is meant to be torn down and rebuilt.',
      });
    }
    const owner = this.cluster.secret;
    if (!owner) throw new Error('Aurora cluster created without its owner secret');
    this.ownerSecret = owner;

    // The service roles are created by the migration with these passwords (regional/db/roles.ts);
    // attaching adds host/port/dbname so each secret is a complete connection description.
    this.appSecret = new rds.DatabaseSecret(this, 'AppSecret', { username: 'llmo_app' });
    this.systemSecret = new rds.DatabaseSecret(this, 'SystemSecret', { username: 'llmo_system' });
    this.appSecret.attach(this.cluster);
    this.systemSecret.attach(this.cluster);

    // Every password rotates (single-user: each role changes its own password, so the role names the
    // grants and row-level security policies refer to stay). The functions re-read a secret when its
    // password is refused (regional/db/credentials.ts). The rotation functions need Secrets Manager's
    // public endpoint, hence the subnets with egress.
    const rotationSubnets = { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    const rotations = [
      this.cluster.addRotationSingleUser({
        automaticallyAfter: Duration.days(ROTATION_DAYS),
        vpcSubnets: rotationSubnets,
      }),
    ];
    for (const [rotationId, secret] of [
      ['AppRotation', this.appSecret],
      ['SystemRotation', this.systemSecret],
    ] as const) {
      const rotation = new secretsmanager.SecretRotation(this, rotationId, {
        application: secretsmanager.SecretRotationApplication.POSTGRES_ROTATION_SINGLE_USER,
        secret,
        target: this.cluster,
        vpc: this.vpc,
        vpcSubnets: rotationSubnets,
        automaticallyAfter: Duration.days(ROTATION_DAYS),
        // The migration creates these roles after the first deploy; rotating before would fail.
        rotateImmediatelyOnUpdate: false,
      });
      rotations.push(rotation);
    }
    // The rotation functions are named by their construct (the last 64 characters of its unique id,
    // as SecretRotation names them); their log groups are made first, with the retention.
    for (const rotation of rotations) {
      const uniqueId = Names.uniqueId(rotation);
      const logGroup = new logs.LogGroup(rotation, 'Logs', {
        logGroupName: `/aws/lambda/${uniqueId.slice(Math.max(uniqueId.length - 64, 0))}`,
        retention: logRetention(config),
        removalPolicy: RemovalPolicy.DESTROY,
      });
      for (const child of rotation.node.children) {
        if (child instanceof CfnResource && child.cfnResourceType === 'AWS::Serverless::Application') {
          child.node.addDependency(logGroup);
        }
      }
    }

    if (config.useRdsProxy) {
      const proxySg = new ec2.SecurityGroup(this, 'ProxySg', { vpc: this.vpc, description: 'RDS Proxy' });
      this.proxy = this.cluster.addProxy('Proxy', {
        vpc: this.vpc,
        vpcSubnets: { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS },
        secrets: [owner, this.appSecret, this.systemSecret],
        securityGroups: [proxySg],
        requireTLS: true,
        borrowTimeout: Duration.seconds(30),
      });
      proxySg.addIngressRule(this.clientSecurityGroup, ec2.Port.tcp(5432), 'Lambdas to the proxy');
      this.cluster.connections.allowDefaultPortFrom(proxySg, 'RDS Proxy to Aurora');
      this.host = this.proxy.endpoint;
    } else {
      this.proxy = undefined;
      this.cluster.connections.allowDefaultPortFrom(this.clientSecurityGroup, 'Lambdas to Aurora');
      this.host = this.cluster.clusterEndpoint.hostname;
    }
  }

  /** The secret of a login role. */
  secret(role: DatabaseRole): secretsmanager.ISecret {
    return role === 'owner' ? this.ownerSecret : role === 'app' ? this.appSecret : this.systemSecret;
  }

  /**
   * Gives a function what regional/db/credentials.ts needs for `roles`: where the database is and the
   * ARN of each role's secret, with read access to exactly those secrets. No password is in its
   * configuration; it reads the secret at cold start and again when a rotated password is refused.
   */
  connect(fn: lambda.Function, roles: DatabaseRole[]): void {
    fn.addEnvironment(RUNTIME_ENV.databaseHost, this.host);
    fn.addEnvironment(RUNTIME_ENV.databasePort, '5432');
    fn.addEnvironment(RUNTIME_ENV.databaseName, DATABASE_NAME);
    for (const role of roles) {
      this.secret(role).grantRead(fn);
      fn.addEnvironment(CREDENTIAL_ENV[role].secretArn, this.secret(role).secretArn);
    }
  }

  /** VPC placement for a database Lambda. */
  lambdaPlacement(): { vpc: ec2.IVpc; securityGroup: ec2.ISecurityGroup } {
    return { vpc: this.vpc, securityGroup: this.clientSecurityGroup };
  }
}
