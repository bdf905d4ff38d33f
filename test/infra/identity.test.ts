import { describe, expect, it } from 'vitest';
import { resourcesOf, synthesize } from './support.js';

const { template, assembly } = synthesize('prod');
const [, client] = resourcesOf(template, 'AWS::Cognito::UserPoolClient')[0] ?? [];
const consoleDistribution = resourcesOf(template, 'AWS::CloudFront::Distribution')[0]?.[0];

describe('the Cognito user pool', () => {
  it("lets the API's app client write only the user's name, so no user can widen his own location scope", () => {
    const clients = resourcesOf(template, 'AWS::Cognito::UserPoolClient');
    expect(clients).toHaveLength(1);
    // Cognito reads a missing or empty WriteAttributes as "every attribute", custom ones included.
    expect(client?.Properties?.WriteAttributes).toEqual(['name']);
  });

  it('signs the console in with the authorization code only (no implicit flow), no secret, the openid scope alone', () => {
    // Prepare: the prod app's client (above).

    // Act
    const oauth = client?.Properties;

    // Assess
    expect(oauth?.AllowedOAuthFlowsUserPoolClient).toBe(true);
    expect(oauth?.AllowedOAuthFlows).toEqual(['code']);
    expect(oauth?.AllowedOAuthScopes).toEqual(['openid']);
    expect(oauth?.GenerateSecret).toBe(false);
    expect(oauth?.SupportedIdentityProviders).toEqual(['COGNITO']);
  });

  it("sends the sign-in and the sign-out back to the console's distribution only, never to example.com", () => {
    // Prepare
    const expected = [
      { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [consoleDistribution, 'DomainName'] }, '/']] },
    ];

    // Act
    const { CallbackURLs, LogoutURLs } = client?.Properties ?? {};

    // Assess
    expect(consoleDistribution).toBeDefined();
    expect(CallbackURLs).toEqual(expected);
    expect(LogoutURLs).toEqual(expected);
    expect(JSON.stringify(assembly.getStackByName('Inventory-prod').template)).not.toContain('example.com');
  });

  it('keeps custom:locations mutable, for administrators to change through AdminUpdateUserAttributes', () => {
    const [, pool] = resourcesOf(template, 'AWS::Cognito::UserPool')[0] ?? [];
    expect(pool?.Properties?.Schema).toEqual([
      {
        AttributeDataType: 'String',
        Mutable: true,
        Name: 'locations',
        StringAttributeConstraints: { MaxLength: '2048' },
      },
    ]);
  });
});
