import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import {
  AccountRecovery,
  ClientAttributes,
  FeaturePlan,
  LambdaVersion,
  Mfa,
  OAuthScope,
  StringAttribute,
  UserPool,
  type UserPoolClient,
  UserPoolClientIdentityProvider,
  UserPoolGroup,
  UserPoolOperation,
} from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { ROLES } from '../../shared/platform/http/caller.js';
import type { EnvironmentConfig } from '../config.js';
import { ServiceFunction } from './service-function.js';

export interface IdentityProps {
  readonly config: EnvironmentConfig;
  /** The operator console's address: the app client's only sign-in callback and logout URL. */
  readonly consoleUrl: string;
}

/**
 * Who may call the API. With an external OIDC issuer in the environment's config, the JWT authorizer trusts it.
 * Otherwise the stack creates a Cognito user pool whose groups are the API's roles; a pre-token-generation
 * trigger puts `roles` and `locations` into access tokens, the claims shared/platform/http/caller.ts reads. Both are
 * set by administrators only: group membership needs IAM, and the app client cannot write `custom:locations`.
 */
export class Identity extends Construct {
  readonly authorizer: HttpJwtAuthorizer;
  readonly issuerUrl: string;
  readonly userPool: UserPool | null = null;
  readonly userPoolClient: UserPoolClient | null = null;
  /** The hosted UI's base URL (https://<prefix>.auth.<region>.amazoncognito.com), with the user pool. */
  readonly hostedUiDomain: string | null = null;

  constructor(scope: Construct, id: string, props: IdentityProps) {
    super(scope, id);
    const { config } = props;
    if (config.jwtIssuer) {
      this.issuerUrl = config.jwtIssuer.issuerUrl;
      this.authorizer = new HttpJwtAuthorizer('JwtAuthorizer', this.issuerUrl, {
        jwtAudience: [...config.jwtIssuer.audience],
      });
      return;
    }

    const pool = new UserPool(this, 'Users', {
      selfSignUpEnabled: false,
      signInAliases: { username: true, email: true },
      featurePlan: FeaturePlan.ESSENTIALS,
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      passwordPolicy: {
        minLength: 12,
        requireDigits: true,
        requireLowercase: true,
        requireUppercase: true,
        requireSymbols: true,
      },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      customAttributes: { locations: new StringAttribute({ mutable: true, maxLen: 2048 }) },
      removalPolicy: config.retainData ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
      deletionProtection: config.retainData,
    });
    for (const role of ROLES) new UserPoolGroup(this, `Group-${role}`, { userPool: pool, groupName: role });
    const claims = new ServiceFunction(this, 'TokenClaims', {
      handler: 'add-token-claims',
      environment: {},
      logRetentionDays: config.logRetentionDays,
      retainLogs: config.retainData,
      description: 'Puts roles and locations into access tokens',
    });
    pool.addTrigger(UserPoolOperation.PRE_TOKEN_GENERATION_CONFIG, claims.fn, LambdaVersion.V2_0);
    const client = pool.addClient('ApiClient', {
      authFlows: { userSrp: true },
      // The console signs in through the hosted UI with the authorization code and PKCE (ADR 29): no implicit
      // flow (tokens in URLs), no client secret (a browser cannot keep one), and the console's address as the
      // only callback and logout URL. `openid` only: the access token carries the API's claims, and without
      // aws.cognito.signin.user.admin it cannot call Cognito's user APIs.
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false, clientCredentials: false },
        scopes: [OAuthScope.OPENID],
        callbackUrls: [props.consoleUrl],
        logoutUrls: [props.consoleUrl],
      },
      supportedIdentityProviders: [UserPoolClientIdentityProvider.COGNITO],
      preventUserExistenceErrors: true,
      generateSecret: false,
      // What a user may change on himself with his own access token (UpdateUserAttributes). Without an
      // explicit, non-empty list Cognito lets the client write every mutable attribute, custom:locations too,
      // and a warehouse user could widen his own location scope. Administrators change custom:locations
      // with AdminUpdateUserAttributes (IAM), which this list does not restrict.
      writeAttributes: new ClientAttributes().withStandardAttributes({ fullname: true }),
    });
    const planReason =
      'Threat protection needs the Plus feature plan; Essentials is chosen for cost. Use an external IdP (config.jwtIssuer) where Plus-level protection is required.';
    Validations.of(pool).acknowledge({ id: 'AwsSolutions::AwsSolutions-COG3', reason: planReason });
    Validations.of(pool).acknowledge({ id: 'AwsSolutions::AwsSolutions-COG8', reason: planReason });
    const domain = pool.addDomain('HostedUi', {
      cognitoDomain: { domainPrefix: `inventory-${config.name}-${Stack.of(this).account}` },
    });
    this.userPool = pool;
    this.userPoolClient = client;
    this.hostedUiDomain = domain.baseUrl();
    this.issuerUrl = `https://cognito-idp.${pool.stack.region}.amazonaws.com/${pool.userPoolId}`;
    this.authorizer = new HttpJwtAuthorizer('JwtAuthorizer', this.issuerUrl, {
      jwtAudience: [client.userPoolClientId],
    });
  }
}
