import { describe, expect, it } from 'vitest';
import { resourcesOf, synthesize } from './support.js';

const dev = synthesize('dev');

type Statement = { Action: unknown; Resource: unknown };

/** The DynamoDB statements of the policies attached to the route function whose logical id contains `name`. */
function dynamoStatementsOf(name: string): Statement[] {
  return resourcesOf(dev.template, 'AWS::IAM::Policy')
    .filter(([id]) => id.includes(name))
    .flatMap(([, p]) => (p.Properties?.PolicyDocument as { Statement: Statement[] }).Statement)
    .filter((s) => JSON.stringify(s.Action).includes('dynamodb:'));
}

describe('the grants of route functions on the table', () => {
  it('lets the replenishment listing query the expiry index, where open requests are listed', () => {
    // Prepare / Act
    const statements = dynamoStatementsOf('listReplenishments');

    // Assess
    expect(statements.length).toBeGreaterThan(0);
    expect(JSON.stringify(statements.map((s) => s.Resource))).toContain('/index/expiry');
  });
});
