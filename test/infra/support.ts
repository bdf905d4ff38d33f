import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../../infra/app.js';

/**
 * Synthesizes the app for an environment without bundling (fast), returning its template. `context` adds
 * cdk context values, as `-c key=value` would.
 */
export function synthesize(
  env: 'dev' | 'staging' | 'prod' = 'dev',
  context: Readonly<Record<string, string>> = {},
) {
  const app = new App({ context: { ...context, env, 'aws:cdk:bundling-stacks': [] } });
  const { stack } = buildApp(app);
  return { app, stack, template: Template.fromStack(stack) };
}

type Resource = { Type: string; Properties?: Record<string, unknown> };

export function resourcesOf(template: Template, type: string): Array<[string, Resource]> {
  return Object.entries(template.findResources(type)) as Array<[string, Resource]>;
}
