import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { configFor } from './config.js';
import { InventoryStack } from './inventory-stack.js';

/**
 * The CDK app: `npx cdk deploy -c env=dev|staging|prod [-c alarmEmail=oncall@example.com]`. cdk-nag's AWS Solutions and Serverless packs check
 * every synthesis; each acknowledged finding carries its reason next to the construct it concerns.
 */
export function buildApp(app: App = new App()): { app: App; stack: InventoryStack } {
  const config = configFor(app.node.tryGetContext('env') ?? 'dev', (key) => app.node.tryGetContext(key));
  const stack = new InventoryStack(app, `Inventory-${config.name}`, {
    config,
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    description: `Inventory service (${config.name}): stock levels, holds, ledger and events`,
    tags: { service: 'inventory', environment: config.name },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return { app, stack };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildApp().app.synth();
}
