import type { RouteDefinition } from '../../shared/platform/http/route.js';

export type RouteMatch =
  | {
      readonly kind: 'route';
      readonly route: RouteDefinition;
      readonly rawParameters: Record<string, string>;
    }
  | { readonly kind: 'wrong-method'; readonly allowed: readonly string[] }
  | { readonly kind: 'none' };

interface CompiledRoute {
  readonly route: RouteDefinition;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

/**
 * Matches requests to the route table as API Gateway does: `{name}` is one path segment, everything else is
 * literal, and the most specific (fewest parameters) route wins.
 */
export class RouteMatcher {
  private readonly compiled: readonly CompiledRoute[];

  constructor(routes: readonly RouteDefinition[]) {
    this.compiled = routes
      .map((route) => {
        const names: string[] = [];
        const source = route.path
          .split('/')
          .map((segment) => {
            const parameter = /^\{([A-Za-z0-9_]+)\}$/.exec(segment);
            if (!parameter?.[1]) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
            names.push(parameter[1]);
            return '([^/]+)';
          })
          .join('/');
        return { route, pattern: new RegExp(`^${source}$`), names };
      })
      .sort((a, b) => a.names.length - b.names.length);
  }

  match(method: string, path: string): RouteMatch {
    const allowed: string[] = [];
    for (const { route, pattern, names } of this.compiled) {
      const found = pattern.exec(path);
      if (!found) continue;
      if (route.method !== method) {
        allowed.push(route.method);
        continue;
      }
      const rawParameters: Record<string, string> = {};
      names.forEach((name, i) => {
        rawParameters[name] = found[i + 1] ?? '';
      });
      return { kind: 'route', route, rawParameters };
    }
    return allowed.length ? { kind: 'wrong-method', allowed } : { kind: 'none' };
  }
}
