// Cognito user pool for dashboard users: org in `custom:org_id`, admins in group `admin`, hosted UI with code + PKCE.
import { Duration, Validations } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import type { InfraConfig } from '../config.ts';
import { dataRemovalPolicy, deletionProtection } from '../lifecycle.ts';

/** Cognito group whose members get the admin role (`cognito:groups` claim). */
export const ADMIN_GROUP = 'admin';
/** Cognito group of everyone else (the API treats any non-admin as a member). */
export const MEMBER_GROUP = 'member';

/** The user pool, the dashboard's app client and the hosted-UI domain. */
export class Auth extends Construct {
  readonly userPool: cognito.UserPool;
  readonly client: cognito.UserPoolClient;
  readonly domain: cognito.UserPoolDomain;
  /** Issuer of the pool's tokens (`iss` claim), what the JWT authorizer and aws-jwt-verify check. */
  readonly issuer: string;

  constructor(scope: Construct, id: string, config: InfraConfig) {
    super(scope, id);

    this.userPool = new cognito.UserPool(this, 'Users', {
      // Operators create users into an organization; nobody picks their own org.
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      customAttributes: { org_id: new cognito.StringAttribute({ minLen: 36, maxLen: 36, mutable: true }) },
      passwordPolicy: { minLength: 12, requireSymbols: false },
      accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
      mfa: cognito.Mfa.OPTIONAL,
      mfaSecondFactor: { sms: false, otp: true },
      deletionProtection: deletionProtection(config),
      removalPolicy: dataRemovalPolicy(config),
    });

    const ack = (id: string, reason: string) => Validations.of(this.userPool).acknowledge({ id, reason });
    ack('AwsSolutions-COG1', 'At least 12 characters without composition rules (NIST SP 800-63B).');
    ack(
      'AwsSolutions-COG2',
      "TOTP MFA is offered to every user; requiring it is the operators' choice per organization.",
    );
    ack(
      'AwsSolutions-COG8',
      'No self sign-up and admin-created users only; the Plus plan threat protection is not bought.',
    );

    new cognito.CfnUserPoolGroup(this, 'AdminGroup', {
      userPoolId: this.userPool.userPoolId,
      groupName: ADMIN_GROUP,
      description: 'Organization admins: projects, API keys, audit log',
    });

    // Everyone outside `admin` is a member (regional/api/auth/caller.ts); the group makes that explicit
    // in the pool, so operators assign every user a named role.
    new cognito.CfnUserPoolGroup(this, 'MemberGroup', {
      userPoolId: this.userPool.userPoolId,
      groupName: MEMBER_GROUP,
      description: 'Organization members: dashboards and analytics (read-only)',
    });

    const callback = `${config.dashboardUrl}${config.dashboardCallbackPath}`;
    this.client = this.userPool.addClient('Dashboard', {
      // A public client: the dashboard proves possession with PKCE instead of a stored secret.
      generateSecret: false,
      authFlows: { userSrp: true },
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
        scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
        callbackUrls: [callback],
        logoutUrls: [`${config.dashboardUrl}/signed-out`],
      },
      supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
      readAttributes: new cognito.ClientAttributes()
        .withStandardAttributes({ email: true, emailVerified: true, fullname: true })
        .withCustomAttributes('org_id'),
      // Without an explicit list every attribute is writable by its user, org_id included: a user could
      // move themselves into another tenant. Cognito requires required attributes (email) to be writable.
      writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true, fullname: true }),
    });

    this.domain = this.userPool.addDomain('Domain', {
      cognitoDomain: { domainPrefix: config.authDomainPrefix },
    });

    this.issuer = `https://cognito-idp.${config.coreRegion}.amazonaws.com/${this.userPool.userPoolId}`;
  }
}
