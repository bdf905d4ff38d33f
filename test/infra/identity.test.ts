import { describe, expect, it } from 'vitest';
import { resourcesOf, synthesize } from './support.js';

const { template } = synthesize('prod');

describe('the Cognito user pool', () => {
  it("lets the API's app client write only the user's name, so no user can widen his own location scope", () => {
    const clients = resourcesOf(template, 'AWS::Cognito::UserPoolClient');
    expect(clients).toHaveLength(1);
    const [, client] = clients[0] ?? [];
    // Cognito reads a missing or empty WriteAttributes as "every attribute", custom ones included.
    expect(client?.Properties?.WriteAttributes).toEqual(['name']);
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
