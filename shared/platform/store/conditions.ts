/**
 * Named sub-conditions of a conditional write. The name documents which rule a clause enforces; when a write
 * is refused, the old item (ALL_OLD) tells which one failed.
 */
export interface Condition {
  readonly name: string;
  readonly expression: string;
  readonly names?: Readonly<Record<string, string>>;
  readonly values?: Readonly<Record<string, unknown>>;
}

export interface ExpressionParts {
  expression: string;
  names: Record<string, string>;
  values: Record<string, unknown>;
}

export function allOf(conditions: readonly Condition[]): ExpressionParts {
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const c of conditions) {
    Object.assign(names, c.names);
    Object.assign(values, c.values);
  }
  return { expression: conditions.map((c) => `(${c.expression})`).join(' AND '), names, values };
}

export const itemExists: Condition = { name: 'itemExists', expression: 'attribute_exists(pk)' };
export const itemIsNew: Condition = { name: 'itemIsNew', expression: 'attribute_not_exists(pk)' };
