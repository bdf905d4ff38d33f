import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EnvironmentName } from '../config.js';

/**
 * The state machines of the CDK app, exactly as it synthesizes them, made runnable on a laptop: the app is
 * synthesized in process (no bundling, well under a second after the imports), each state machine's
 * `DefinitionString` is taken from the template, its CloudFormation tokens are resolved, and each Lambda task is
 * mapped back, through the function's logical id, to the handler file that function is built from. Nothing of a
 * definition is rewritten: the local runtime runs the saga that deploys.
 */

export const LOCAL_ACCOUNT_ID = '000000000000';

/** A retrier or catcher of a state, as the definition states it. */
export interface Retrier {
  readonly ErrorEquals: readonly string[];
  readonly MaxAttempts?: number;
}

/** A Lambda task of a definition, and what runs it locally. */
export interface LocalTask {
  readonly stateName: string;
  /** The Lambda entry point, relative to the repository root. */
  readonly handler: string;
  /** The function's logical id: its name locally. */
  readonly functionName: string;
  /** `lambda:invoke` (the result is `{Payload, StatusCode}`) rather than the function's ARN as the resource. */
  readonly invoke: boolean;
  readonly timeoutSeconds: number;
  /** The Map state whose iterations run this task, if any, and that Map's MaxConcurrency. */
  readonly map: { readonly name: string; readonly maxConcurrency: number } | null;
  readonly retry: readonly Retrier[];
  readonly catch: readonly Retrier[];
}

export interface SynthesizedStateMachine {
  /** The construct path below the stack with `-` for `/`: `CartSaga-StateMachine`. Its name locally. */
  readonly name: string;
  readonly logicalId: string;
  readonly type: 'STANDARD' | 'EXPRESS';
  /** The definition, tokens resolved; otherwise as synthesized. */
  readonly definition: Record<string, unknown>;
  /** By state name (state names are unique in a definition, Map iterators included). */
  readonly tasks: ReadonlyMap<string, LocalTask>;
}

export interface SynthesisOptions {
  readonly environment: EnvironmentName;
  readonly region: string;
}

/** The local name of a state machine from its construct path below the stack (`CartSaga/StateMachine`). */
export const localStateMachineName = (constructPath: string): string => constructPath.split('/').join('-');

type Json = Record<string, unknown>;
const isRecord = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

interface Resources {
  readonly [logicalId: string]: { readonly Type?: string; readonly Properties?: Json } | undefined;
}

/** Resolves the intrinsic functions CDK puts in a definition: Fn::Join, Ref and Fn::GetAtt. */
export function resolveTokens(value: unknown, resources: Resources, region: string): string {
  if (typeof value === 'string') return value;
  if (!isRecord(value))
    throw new Error(`cannot resolve ${JSON.stringify(value)} in a state machine definition`);
  const join = value['Fn::Join'];
  if (Array.isArray(join)) {
    const [separator, parts] = join;
    if (typeof separator !== 'string' || !Array.isArray(parts)) throw new Error('malformed Fn::Join');
    return parts.map((part) => resolveTokens(part, resources, region)).join(separator);
  }
  const ref = value.Ref;
  if (typeof ref === 'string') {
    const pseudo: Record<string, string> = {
      'AWS::Partition': 'aws',
      'AWS::Region': region,
      'AWS::AccountId': LOCAL_ACCOUNT_ID,
      'AWS::URLSuffix': 'amazonaws.com',
    };
    const known = pseudo[ref];
    if (known !== undefined) return known;
    if (resources[ref]) return ref;
    throw new Error(`the definition refers to ${ref}, which the template does not have`);
  }
  const getAtt = value['Fn::GetAtt'];
  if (Array.isArray(getAtt)) {
    const [logicalId, attribute] = getAtt;
    const resource = typeof logicalId === 'string' ? resources[logicalId] : undefined;
    if (!resource || typeof logicalId !== 'string')
      throw new Error(`unknown resource in ${JSON.stringify(value)}`);
    if (resource.Type === 'AWS::Lambda::Function' && attribute === 'Arn') return lambdaArn(region, logicalId);
    return `arn:aws:local:${region}:${LOCAL_ACCOUNT_ID}:${logicalId}/${String(attribute)}`;
  }
  throw new Error(`cannot resolve ${JSON.stringify(value)} in a state machine definition`);
}

const lambdaArn = (region: string, functionName: string) =>
  `arn:aws:lambda:${region}:${LOCAL_ACCOUNT_ID}:function:${functionName}`;

/** `arn:aws:lambda:...:function:NAME[:qualifier]`, or a bare name: the name. */
const nameOfFunction = (target: string): string => target.split(':function:').at(-1)?.split(':')[0] ?? target;

function functionOf(task: Json): { functionName: string; invoke: boolean } {
  const resource = task.Resource;
  if (typeof resource !== 'string') throw new Error('a Task state without a Resource');
  if (resource === 'arn:aws:states:::lambda:invoke') {
    const parameters = isRecord(task.Parameters) ? task.Parameters : {};
    const target = parameters.FunctionName;
    if (typeof target === 'string') return { functionName: nameOfFunction(target), invoke: true };
  }
  if (resource.startsWith('arn:aws:lambda:'))
    return { functionName: nameOfFunction(resource), invoke: false };
  throw new Error(
    `the local runtime runs Lambda tasks only; ${resource} is not one (add a local override for it first)`,
  );
}

const retriers = (value: unknown): Retrier[] =>
  Array.isArray(value)
    ? value.filter(isRecord).map((r) => ({
        ErrorEquals: Array.isArray(r.ErrorEquals) ? r.ErrorEquals.map(String) : [],
        ...(typeof r.MaxAttempts === 'number' ? { MaxAttempts: r.MaxAttempts } : {}),
      }))
    : [];

/** Every Lambda task of a definition (Map iterators and Parallel branches included), mapped to its handler. */
export function tasksOf(
  definition: Json,
  handlers: ReadonlyMap<string, { readonly handler: string; readonly timeoutSeconds: number }>,
  map: LocalTask['map'] = null,
  into = new Map<string, LocalTask>(),
): Map<string, LocalTask> {
  if (definition.QueryLanguage === 'JSONata')
    throw new Error('aws-local-stepfunctions does not run JSONata: write the state machine in JSONPath');
  const states = isRecord(definition.States) ? definition.States : {};
  for (const [stateName, state] of Object.entries(states)) {
    if (!isRecord(state)) continue;
    if (state.QueryLanguage === 'JSONata')
      throw new Error(`state ${stateName} uses JSONata, which aws-local-stepfunctions does not run`);
    if (state.Type === 'Task') {
      const { functionName, invoke } = functionOf(state);
      const fn = handlers.get(functionName);
      if (!fn)
        throw new Error(`task ${stateName} invokes ${functionName}, which is not a function of the stack`);
      into.set(stateName, {
        stateName,
        functionName,
        invoke,
        handler: fn.handler,
        timeoutSeconds: fn.timeoutSeconds,
        map,
        retry: retriers(state.Retry),
        catch: retriers(state.Catch),
      });
    }
    if (state.Type === 'Map') {
      const processor = state.ItemProcessor ?? state.Iterator;
      const maxConcurrency = typeof state.MaxConcurrency === 'number' ? state.MaxConcurrency : 0;
      if (isRecord(processor)) tasksOf(processor, handlers, { name: stateName, maxConcurrency }, into);
    }
    if (state.Type === 'Parallel' && Array.isArray(state.Branches))
      for (const branch of state.Branches.filter(isRecord)) tasksOf(branch, handlers, map, into);
  }
  return into;
}

/**
 * Synthesizes the app (`buildApp` of infra/app.ts) and returns the state machines of all its stacks, ready to run
 * locally. A state machine's tasks are the functions of its own stack.
 */
export async function synthesizeStateMachines(options: SynthesisOptions): Promise<SynthesizedStateMachine[]> {
  const [{ App, CfnElement }, { CfnStateMachine }, { buildApp }, { ServiceFunction }] = await Promise.all([
    import('aws-cdk-lib'),
    import('aws-cdk-lib/aws-stepfunctions'),
    import('../app.js'),
    import('../constructs/service-function.js'),
  ]);
  const outdir = mkdtempSync(join(tmpdir(), 'inventory-synth-'));
  try {
    const app = new App({
      outdir,
      builtinCloudFormationValidation: false,
      treeMetadata: false,
      context: { env: options.environment, 'aws:cdk:bundling-stacks': [] },
    });
    const { stacks } = buildApp(app);
    const assembly = app.synth();
    const machines: SynthesizedStateMachine[] = [];
    for (const stack of stacks.all) {
      const template: unknown = assembly.getStackByName(stack.stackName).template;
      const resources = (
        isRecord(template) && isRecord(template.Resources) ? template.Resources : {}
      ) as Resources;

      const handlers = new Map<string, { handler: string; timeoutSeconds: number }>();
      for (const construct of stack.node.findAll()) {
        if (!(construct instanceof ServiceFunction)) continue;
        const resource = construct.fn.node.defaultChild;
        if (!(resource instanceof CfnElement)) continue;
        const logicalId = stack.getLogicalId(resource);
        const timeout = resources[logicalId]?.Properties?.Timeout;
        handlers.set(logicalId, {
          handler: construct.entry,
          timeoutSeconds: typeof timeout === 'number' ? timeout : 3,
        });
      }

      for (const construct of stack.node.findAll()) {
        if (!(construct instanceof CfnStateMachine)) continue;
        const logicalId = stack.getLogicalId(construct);
        const properties = resources[logicalId]?.Properties ?? {};
        const text = resolveTokens(properties.DefinitionString, resources, options.region);
        const parsed: unknown = JSON.parse(text);
        if (!isRecord(parsed)) throw new Error(`${logicalId}: the definition is not an object`);
        const path = construct.node.path.split('/').slice(1, -1).join('/');
        machines.push({
          name: localStateMachineName(path),
          logicalId,
          type: properties.StateMachineType === 'EXPRESS' ? 'EXPRESS' : 'STANDARD',
          definition: parsed,
          tasks: tasksOf(parsed, handlers),
        });
      }
    }
    return machines;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
