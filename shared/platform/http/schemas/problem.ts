import * as z from 'zod';
import { named } from './registry.js';

export const problemSchema = named(
  z.looseObject({
    type: z.url().describe('Stable identifier of the problem type (see docs/api.md).'),
    title: z.string(),
    status: z.int().min(400).max(599),
    detail: z.string().describe('What went wrong, for a human.'),
    instance: z.string().optional().describe('The request path.'),
    field: z.string().nullable().optional().describe('The offending field of a validation error.'),
    errors: z
      .array(
        z.object({
          in: z.enum(['path', 'query', 'header', 'body']).describe('Where the field is in the request.'),
          field: z.string(),
          detail: z.string(),
        }),
      )
      .optional(),
  }),
  'Problem',
  'An RFC 9457 problem; problem types may add members (e.g. `available` and `alternatives` for insufficient stock).',
);
