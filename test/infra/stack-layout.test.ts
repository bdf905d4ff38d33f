import { describe, expect, it } from 'vitest';
import { ROUTE_TABLE } from '../../shared/platform/http/route-table.js';
import { synthesize } from './support.js';

const dev = synthesize('dev');
const prod = synthesize('prod');

type Resource = { Type: string; DeletionPolicy?: string };
const resourcesOfStack = (synthesized: ReturnType<typeof synthesize>, stackName: string) =>
  synthesized.assembly.getStackByName(stackName).template.Resources as Record<string, Resource>;

/**
 * The logical ids the single `Inventory-<env>` stack gave its stateful resources before the split (ADR 16). A
 * changed logical id is a new resource: CloudFormation would create an empty table and delete the old one.
 */
const STATEFUL_LOGICAL_IDS = {
  DataTableFDBAD0F2: 'AWS::DynamoDB::GlobalTable',
  EventsBus45DE4339: 'AWS::Events::EventBus',
  EventsArchive5A2DBDD8: 'AWS::Events::Archive',
  IdentityUsers61009EFD: 'AWS::Cognito::UserPool',
  IdentityUsersApiClient0F29F219: 'AWS::Cognito::UserPoolClient',
  ObservabilityAlarms72EB291A: 'AWS::SNS::Topic',
  ObservabilityAlarmTopicKey48516DE9: 'AWS::KMS::Key',
} as const;

const STATEFUL_TYPES = new Set<string>(Object.values(STATEFUL_LOGICAL_IDS));

describe('the stacks of an environment', () => {
  it.each([
    ['dev', dev],
    ['prod', prod],
  ] as const)('keep the stateful resources of %s in the stack named as before, under their logical ids', (env, synthesized) => {
    const resources = resourcesOfStack(synthesized, `Inventory-${env}`);
    for (const [logicalId, type] of Object.entries(STATEFUL_LOGICAL_IDS))
      expect(resources[logicalId]?.Type, logicalId).toBe(type);
  });

  it('hold no table, bus, archive, user pool or alarm topic anywhere else', () => {
    for (const stack of dev.assembly.stacks.filter((s) => s.stackName !== 'Inventory-dev')) {
      const stateful = Object.entries(stack.template.Resources as Record<string, Resource>).filter(([, r]) =>
        STATEFUL_TYPES.has(r.Type),
      );
      expect(stateful, stack.stackName).toEqual([]);
    }
  });

  it('protect the stateful stack against termination and retain the bus and archive in prod, not in dev', () => {
    const prodStateful = prod.stacks.stateful;
    const devStateful = dev.stacks.stateful;
    expect(prodStateful.terminationProtection).toBe(true);
    expect(devStateful.terminationProtection).toBe(false);
    const prodResources = resourcesOfStack(prod, 'Inventory-prod');
    const devResources = resourcesOfStack(dev, 'Inventory-dev');
    for (const id of ['EventsBus45DE4339', 'EventsArchive5A2DBDD8']) {
      expect(prodResources[id]?.DeletionPolicy, id).toBe('Retain');
      expect(devResources[id]?.DeletionPolicy, id).not.toBe('Retain');
    }
  });

  it('put every route of the route table in the stack of its tag, and each route in one stack only', () => {
    const routeKeysByStack = dev.assembly.stacks.map((stack) => ({
      stackName: stack.stackName,
      keys: Object.values(
        stack.template.Resources as Record<string, { Type: string; Properties: { RouteKey: string } }>,
      )
        .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route')
        .map((r) => r.Properties.RouteKey),
    }));
    for (const route of ROUTE_TABLE) {
      const key = `${route.method} ${route.path}`;
      const holders = routeKeysByStack.filter((s) => s.keys.includes(key)).map((s) => s.stackName);
      expect(holders, key).toEqual([`Inventory-dev-Routes-${route.tag}`]);
    }
  });

  it("depend on the stateful stack, and it only on the console's hosting (its address is the sign-in callback)", () => {
    const { stateful, consoleHosting, all } = dev.stacks;
    expect(stateful.dependencies).toEqual([consoleHosting]);
    expect(consoleHosting.dependencies).toEqual([]);
    for (const stack of all.filter((s) => s !== stateful && s !== consoleHosting))
      expect(stack.dependencies, stack.stackName).toContain(stateful);
  });
});
