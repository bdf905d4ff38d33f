import * as z from 'zod';
import type { ServiceConfig } from '../../config/service-config.js';

/** Schemas that become named components of the OpenAPI document. A module-local registry: no global state. */
export interface ComponentMeta {
  readonly id: string;
  readonly description?: string;
  /** JSON Schema keywords for what a refinement checks and zod cannot convert (e.g. `minProperties`). */
  readonly [keyword: string]: unknown;
}

export const components = z.registry<ComponentMeta>();

export function named<S extends z.ZodType>(
  schema: S,
  id: string,
  description?: string,
  keywords: Readonly<Record<string, unknown>> = {},
): S {
  components.add(schema, { ...keywords, id, ...(description ? { description } : {}) });
  return schema;
}

/** The JSON Schema a schema is documented as, given the config the server runs with. */
export type Documented = (config: ServiceConfig) => Record<string, unknown>;

// Keyed by the schema's definition, which its clones share: `.describe()` and `.meta()` keep the documented form.
const documented = new WeakMap<object, Documented>();

/**
 * Documents `schema` as `json` instead of zod's conversion: for what zod cannot convert (a refinement, a query
 * string parsed to an integer) or what depends on the served config (the hold policy).
 */
export function documentedAs<S extends z.ZodType>(schema: S, json: Documented): S {
  documented.set(schema._zod.def, json);
  return schema;
}

export function documentationOf(schema: z.core.$ZodType): Documented | undefined {
  return documented.get(schema._zod.def);
}
