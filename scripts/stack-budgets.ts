import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import {
  CLOUDFORMATION_RESOURCE_LIMIT,
  formatCounts,
  overBudget,
  STACK_RESOURCE_BUDGET,
  stackCounts,
} from '../infra/stack-budgets.js';

/**
 * Run by `npm run synth` after `cdk synth`: each synthesized stack's resource count against its budget (ADR 16),
 * read from the cloud assembly in cdk.out (or the directory given). Exits 1 when a stack is over its budget.
 */
const assembly = new CloudAssembly(process.argv[2] ?? 'cdk.out');
const counts = stackCounts(assembly.stacks);
console.log(
  `Resources per stack (budget ${STACK_RESOURCE_BUDGET}, ${Math.round((STACK_RESOURCE_BUDGET / CLOUDFORMATION_RESOURCE_LIMIT) * 100)}% of CloudFormation's ${CLOUDFORMATION_RESOURCE_LIMIT}):`,
);
console.log(formatCounts(counts));
const over = overBudget(counts);
if (over.length) {
  console.error(`Over budget: ${over.map((count) => count.stackName).join(', ')} (split it: ADR 16)`);
  process.exit(1);
}
