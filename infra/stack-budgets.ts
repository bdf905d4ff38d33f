/**
 * How many resources each stack may have (ADR 16). CloudFormation refuses a template of more than 500; each stack
 * stays at or under 60% of that, so that any of them can take a feature's worth of resources (a route is 9) and
 * still deploy. The check runs after every `npm run synth` (scripts/stack-budgets.ts) and in
 * test/infra/stack-budgets.test.ts.
 */
export const CLOUDFORMATION_RESOURCE_LIMIT = 500;
export const STACK_RESOURCE_BUDGET = 300;

export interface StackCount {
  readonly stackName: string;
  readonly resources: number;
  readonly budget: number;
}

/** A synthesized stack as the cloud assembly holds it: its name and template. */
export interface SynthesizedStack {
  readonly stackName: string;
  readonly template: unknown;
}

const resourcesOf = (template: unknown): number => {
  const resources = (template as { Resources?: Record<string, unknown> } | undefined)?.Resources;
  return resources ? Object.keys(resources).length : 0;
};

/** Each stack's resource count against its budget, in the assembly's order. */
export function stackCounts(
  stacks: readonly SynthesizedStack[],
  budget: number = STACK_RESOURCE_BUDGET,
): StackCount[] {
  return stacks.map((stack) => ({
    stackName: stack.stackName,
    resources: resourcesOf(stack.template),
    budget,
  }));
}

export const overBudget = (counts: readonly StackCount[]): StackCount[] =>
  counts.filter((count) => count.resources > count.budget);

/** One line per stack: `Inventory-dev-Api   12 / 300 resources (CloudFormation allows 500)`, over budget marked. */
export function formatCounts(counts: readonly StackCount[]): string {
  const width = Math.max(...counts.map((count) => count.stackName.length));
  return counts
    .map(
      (count) =>
        `${count.stackName.padEnd(width)}  ${String(count.resources).padStart(3)} / ${count.budget} resources` +
        (count.resources > count.budget ? '  OVER BUDGET' : ''),
    )
    .join('\n');
}
