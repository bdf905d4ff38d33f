import type * as z from 'zod';
import type { FieldError } from './problem.js';
import type { ApiEvent } from './request-state.js';

type Where = FieldError['in'];

/**
 * Where a field that a domain rule names (`to`, `cursor`, `lines.0.sku`) is in the request: a path or query
 * parameter of that name, else the body (the validated parts of a request are its path, query and body; a
 * header is only ever refused by the schemas, which say so themselves).
 */
export function fieldPlace(
  event: Pick<ApiEvent, 'pathParameters' | 'queryStringParameters'>,
  field: string,
): Where {
  const root = field.split(/[.[]/)[0] ?? field;
  if (event.pathParameters && Object.hasOwn(event.pathParameters, root)) return 'path';
  if (event.queryStringParameters && Object.hasOwn(event.queryStringParameters, root)) return 'query';
  return 'body';
}

function valueAt(value: unknown, path: readonly PropertyKey[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** Zod's issues as field errors: the field's path (dots between levels) and a message meant for a client. */
export function fieldErrors(
  where: Where,
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  rootField: string = where,
): FieldError[] {
  const errors: FieldError[] = [];
  for (const issue of issues) {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        errors.push({ in: where, field: path ? `${path}.${key}` : key, detail: 'is not a known field' });
      }
    } else if (path === '') {
      errors.push({ in: where, field: rootField, detail: rootDetail(where, issue) });
    } else {
      const missing = valueAt(input, issue.path) === undefined;
      errors.push({ in: where, field: path, detail: missing ? 'is required' : issue.message });
    }
  }
  // zod may report one rule twice (an unsafe integer is both too big and not an int): list it once.
  return errors.filter(
    (e, i) => errors.findIndex((o) => o.in === e.in && o.field === e.field && o.detail === e.detail) === i,
  );
}

function rootDetail(where: Where, issue: z.core.$ZodIssue): string {
  if (where === 'body' && issue.code === 'invalid_type')
    return 'must be a JSON object of the documented fields';
  return issue.message;
}

/** Parses one part of a request; records its errors and answers undefined when it is invalid. */
export function parsePart<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: Where,
  errors: FieldError[],
  rootField: string = where,
): z.output<S> | undefined {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  errors.push(...fieldErrors(where, result.error.issues, value, rootField));
  return undefined;
}
