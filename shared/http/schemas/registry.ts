import * as z from 'zod';

/** Schemas that become named components of the OpenAPI document. A module-local registry: no global state. */
export interface ComponentMeta {
  readonly id: string;
  readonly description?: string;
}

export const components = z.registry<ComponentMeta>();

export function named<S extends z.ZodType>(schema: S, id: string, description?: string): S {
  components.add(schema, description ? { id, description } : { id });
  return schema;
}
