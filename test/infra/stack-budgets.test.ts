import { describe, expect, it } from 'vitest';
import { formatCounts, overBudget, STACK_RESOURCE_BUDGET, stackCounts } from '../../infra/stack-budgets.js';
import { synthesize } from './support.js';

const environments = ['dev', 'staging', 'prod'] as const;
const synthesized = Object.fromEntries(environments.map((env) => [env, synthesize(env)])) as Record<
  (typeof environments)[number],
  ReturnType<typeof synthesize>
>;

/** A template with this many resources. */
const templateOf = (resources: number) => ({
  Resources: Object.fromEntries(
    Array.from({ length: resources }, (_, i) => [`R${i}`, { Type: 'AWS::SQS::Queue' }]),
  ),
});

describe('the resource budget of a stack', () => {
  it('is 60% of the 500 resources CloudFormation allows', () => {
    expect(STACK_RESOURCE_BUDGET).toBe(300);
  });

  it('flags a stack above it, and not one at it', () => {
    // Prepare
    const stacks = [
      { stackName: 'AtBudget', template: templateOf(300) },
      { stackName: 'OverBudget', template: templateOf(301) },
    ];
    // Act
    const counts = stackCounts(stacks);
    // Assess
    expect(counts.map((c) => [c.stackName, c.resources])).toEqual([
      ['AtBudget', 300],
      ['OverBudget', 301],
    ]);
    expect(overBudget(counts).map((c) => c.stackName)).toEqual(['OverBudget']);
    expect(formatCounts(counts)).toMatch(/OverBudget +301 \/ 300 resources {2}OVER BUDGET/);
  });

  it.each(environments)('is kept by every stack of %s', (env) => {
    // Prepare
    const { assembly } = synthesized[env];
    // Act
    const counts = stackCounts(assembly.stacks);
    // Assess
    console.log(`${env}:\n${formatCounts(counts)}`);
    expect(counts.length).toBeGreaterThan(1);
    expect(overBudget(counts)).toEqual([]);
  });
});
