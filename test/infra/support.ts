import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../infra/app.js';

type Json = Record<string, unknown>;
type StackTemplate = {
  Resources?: Json;
  Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
};

/** Every `{"Fn::ImportValue": name}` replaced by the value the exporting stack's output gives that name. */
function resolveImports(value: unknown, exported: ReadonlyMap<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((item) => resolveImports(item, exported));
  if (typeof value !== 'object' || value === null) return value;
  const imported = (value as Json)['Fn::ImportValue'];
  if (typeof imported === 'string') {
    if (!exported.has(imported)) throw new Error(`no stack of the app exports ${imported}`);
    return exported.get(imported);
  }
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveImports(v, exported)]));
}

/**
 * The app's stacks as one template: their resources and outputs side by side (a logical id may not repeat across
 * stacks: it is also a function's name in the local runtime), every cross-stack import replaced by what it
 * imports, so that a rule on the bus still reads `{Ref: <bus>}` wherever the bus lives.
 */
export function mergedTemplate(templates: readonly StackTemplate[]): Template {
  const exported = new Map<string, unknown>();
  for (const template of templates)
    for (const output of Object.values(template.Outputs ?? {}))
      if (typeof output.Export?.Name === 'string') exported.set(output.Export.Name, output.Value);
  const merged: { Resources: Json; Outputs: Json } = { Resources: {}, Outputs: {} };
  for (const template of templates) {
    for (const part of ['Resources', 'Outputs'] as const) {
      for (const [id, value] of Object.entries(template[part] ?? {})) {
        if (part === 'Resources' && (value as { Type?: string }).Type === 'AWS::CDK::Metadata') continue;
        if (part === 'Resources' && id in merged.Resources) throw new Error(`${id} is in two stacks`);
        if (part === 'Outputs' && id.startsWith('ExportsOutput')) continue;
        merged[part][id] = resolveImports(value, exported);
      }
    }
  }
  return Template.fromJSON(merged, { skipCyclicalDependenciesCheck: true });
}

/**
 * Synthesizes the app for an environment without bundling (fast): each stack's template, and all of them as one
 * (`template`, see mergedTemplate). With the CDKMetadata resource the CLI adds to each stack, so that resource
 * counts are those `cdk synth` gives. `context` adds cdk context values, as `-c key=value` would.
 */
export function synthesize(
  env: 'dev' | 'staging' | 'prod' = 'dev',
  context: Readonly<Record<string, string>> = {},
) {
  const app = new App({
    analyticsReporting: true,
    context: { ...context, env, 'aws:cdk:bundling-stacks': [] },
  });
  const { stacks } = buildApp(app);
  const assembly = app.synth();
  const templates = new Map(stacks.all.map((stack) => [stack.stackName, Template.fromStack(stack)]));
  const template = mergedTemplate(assembly.stacks.map((stack) => stack.template as StackTemplate));
  return { app, stacks, assembly, templates, template };
}

type Resource = { Type: string; Properties?: Record<string, unknown> };

export function resourcesOf(template: Template, type: string): Array<[string, Resource]> {
  return Object.entries(template.findResources(type)) as Array<[string, Resource]>;
}
