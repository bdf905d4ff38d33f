import { fileURLToPath } from 'node:url';
import type { Context } from 'aws-lambda';
import type { ApiEvent, ApiResult } from '../../shared/platform/http/request-state.js';
import type { RouteDefinition } from '../../shared/platform/http/route.js';

export type LocalHandler = (event: ApiEvent, context: Context) => Promise<ApiResult | string>;

function isHandler(value: unknown): value is LocalHandler {
  return typeof value === 'function';
}

/**
 * Imports each route's Lambda entry point (the file the CDK stack bundles) and takes its `handler` export.
 * Importing runs each module's cold start, so a bad environment fails here, before the first request.
 */
export async function loadHandlers(routes: readonly RouteDefinition[]): Promise<Map<string, LocalHandler>> {
  const handlers = new Map<string, LocalHandler>();
  for (const route of routes) {
    const file = fileURLToPath(new URL(`../../${route.handler}`, import.meta.url));
    const module: Record<string, unknown> = await import(file);
    const handler = module.handler;
    if (!isHandler(handler)) throw new Error(`${route.handler} does not export a handler function`);
    handlers.set(route.operationId, handler);
  }
  return handlers;
}
