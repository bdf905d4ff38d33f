import { join } from 'node:path';
import { App, CrossStackReferences, ReferenceStrength, type Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { reserveCart } from '../shared/carts/http/routes.js';
import { ROUTE_TABLE } from '../shared/platform/http/route-table.js';
import { configFor, type EnvironmentConfig } from './config.js';
import { quietBundlingProgress } from './quiet-bundling.js';
import { ApiStack } from './stacks/api-stack.js';
import { BackgroundStack } from './stacks/background-stack.js';
import { CartSagaStack } from './stacks/cart-saga-stack.js';
import { ConsoleHostingStack } from './stacks/console-hosting-stack.js';
import { ConsoleStack } from './stacks/console-stack.js';
import { LiveStack } from './stacks/live-stack.js';
import { RoutesStack, type RouteTag } from './stacks/routes-stack.js';
import { StatefulStack } from './stacks/stateful-stack.js';

/** The stacks of one environment (ADR 16), in the order they deploy. */
export interface InventoryStacks {
  /** `Inventory-<env>`: the table, the event bus and archive, the user pool, the alarm topic. */
  readonly stateful: StatefulStack;
  /** `Inventory-<env>-Api`: the HTTP API, its stage and authorizer. */
  readonly api: ApiStack;
  /** `Inventory-<env>-CartSaga`: the cart saga. */
  readonly cartSaga: CartSagaStack;
  /** `Inventory-<env>-Routes-<Tag>`: the routes of one tag of the route table each. */
  readonly routes: readonly RoutesStack[];
  /** `Inventory-<env>-Background`: hold expiry, the bus's consumers, reconciliation. */
  readonly background: BackgroundStack;
  /** `Inventory-<env>-Live`: live stock over WebSocket. */
  readonly live: LiveStack;
  /** `Inventory-<env>-ConsoleHosting`: the operator console's bucket and distribution (deploys first). */
  readonly consoleHosting: ConsoleHostingStack;
  /** `Inventory-<env>-Console`: the console's files and config.json. */
  readonly console: ConsoleStack;
  readonly all: readonly Stack[];
}

/** The route table's routes by tag, in the table's order. */
function routesByTag(): Map<RouteTag, (typeof ROUTE_TABLE)[number][]> {
  const byTag = new Map<RouteTag, (typeof ROUTE_TABLE)[number][]>();
  for (const route of ROUTE_TABLE) byTag.set(route.tag, [...(byTag.get(route.tag) ?? []), route]);
  return byTag;
}

function inventoryStacks(app: App, config: EnvironmentConfig): InventoryStacks {
  const name = `Inventory-${config.name}`;
  const common = {
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    tags: { service: 'inventory', environment: config.name },
  };
  const consoleHosting = new ConsoleHostingStack(app, `${name}-ConsoleHosting`, {
    ...common,
    environment: config.name,
    description: `Inventory service (${config.name}): the operator console's bucket and distribution`,
  });
  const stateful = new StatefulStack(app, name, {
    ...common,
    config,
    consoleUrl: consoleHosting.hosting.url,
    description: `Inventory service (${config.name}): the table, the event bus and archive, identity, the alarm topic`,
  });
  const stateless = { ...common, config, stateful };
  const api = new ApiStack(app, `${name}-Api`, {
    ...stateless,
    description: `Inventory service (${config.name}): the HTTP API`,
  });
  const cartSaga = new CartSagaStack(app, `${name}-CartSaga`, {
    ...stateless,
    description: `Inventory service (${config.name}): the cart saga`,
  });
  const routes = [...routesByTag()].map(
    ([tag, tagged]) =>
      new RoutesStack(app, `${name}-Routes-${tag}`, {
        ...stateless,
        tag,
        routes: tagged,
        api,
        description: `Inventory service (${config.name}): the ${tag} routes of the HTTP API`,
      }),
  );
  const reserving = routes.find((stack) => stack.routes.functions.has(reserveCart.operationId));
  if (!reserving) throw new Error(`no route stack has ${reserveCart.operationId}`);
  cartSaga.saga.startableBy(reserving.routes.functionOf(reserveCart).fn);
  const background = new BackgroundStack(app, `${name}-Background`, {
    ...stateless,
    description: `Inventory service (${config.name}): hold expiry, event consumers, reconciliation`,
  });
  const live = new LiveStack(app, `${name}-Live`, {
    ...stateless,
    description: `Inventory service (${config.name}): live stock over WebSocket`,
  });
  const operatorConsole = new ConsoleStack(app, `${name}-Console`, {
    ...common,
    hosting: consoleHosting.hosting,
    environment: config.name,
    identity: stateful.identity,
    apiUrl: api.api.stage.url,
    liveUrl: live.live.stage.url,
    buildDir: join(app.outdir, 'console-files'),
    logRetentionDays: config.logRetentionDays,
    retainLogs: config.retainData,
    description: `Inventory service (${config.name}): the operator console's files`,
  });
  return {
    stateful,
    api,
    cartSaga,
    routes,
    background,
    live,
    consoleHosting,
    console: operatorConsole,
    all: [consoleHosting, stateful, api, cartSaga, ...routes, background, live, operatorConsole],
  };
}

/**
 * The CDK app: `npx cdk deploy --all -c env=dev|staging|prod [-c alarmEmail=oncall@example.com]`. cdk-nag's AWS Solutions and Serverless packs check
 * every stack at every synthesis; each acknowledged finding carries its reason next to the construct it concerns.
 */
export function buildApp(app: App = new App()): { app: App; stacks: InventoryStacks } {
  const config = configFor(app.node.tryGetContext('env') ?? 'dev', (key) => app.node.tryGetContext(key));
  // Exports and imports: CloudFormation refuses to change or delete what another stack uses (ADR 16).
  CrossStackReferences.of(app).consume(ReferenceStrength.STRONG);
  const stacks = inventoryStacks(app, config);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return { app, stacks };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.env.INVENTORY_QUIET_BUNDLING) quietBundlingProgress();
  buildApp().app.synth();
}
