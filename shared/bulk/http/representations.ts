import type * as z from 'zod';
import type { DomainError } from '../../kernel/errors.js';
import { problemFromDomainError } from '../../platform/http/domain-problems.js';
import { HttpProblem } from '../../platform/http/problem.js';
import { problemTypeUri } from '../../platform/http/problem-types.js';
import { levelBody } from '../../platform/http/representations.js';
import {
  BatchNotAppliedError,
  type BatchRow,
  countOutcomes,
  fieldOfRefusal,
  type RowOutcome,
} from '../domain/batch.js';
import type { rowProblemSchema, stockBatchResultSchema } from './schemas.js';

type Json<S extends z.ZodType> = z.input<S>;

/** A refused row's problem: the API's problem type for its error, and the row's field that refused it. */
export function rowProblem(row: BatchRow, index: number, error: DomainError): Json<typeof rowProblemSchema> {
  const problem =
    error.code === 'forbidden'
      ? new HttpProblem('forbidden', error.message)
      : problemFromDomainError(error, () => 'body');
  if (!problem) throw error;
  const field =
    error instanceof BatchNotAppliedError
      ? null
      : `rows.${index}.${fieldOfRefusal(row, error.code, error.details.field)}`;
  return { type: problemTypeUri(problem.code), detail: problem.detail, field };
}

export function stockBatchBody(
  rows: readonly BatchRow[],
  outcomes: readonly RowOutcome[],
): Json<typeof stockBatchResultSchema> {
  return {
    results: outcomes.map((o) =>
      o.status === 'refused'
        ? {
            index: o.index,
            status: o.status,
            problem: rowProblem(rows[o.index] as BatchRow, o.index, o.error),
          }
        : {
            index: o.index,
            status: o.status,
            ...(o.movementIds[0] ? { movementId: o.movementIds[0] } : {}),
            level: levelBody(o.level),
          },
    ),
    counts: countOutcomes(outcomes),
  };
}
