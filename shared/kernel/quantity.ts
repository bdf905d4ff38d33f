import { ValidationError } from './errors.js';

/** The largest quantity one request may move. Far above any real order; keeps sums well inside 2^53. */
export const MAX_QUANTITY = 1_000_000;

/** A positive integer quantity of units, bounded by MAX_QUANTITY. */
export function parseQuantity(value: unknown, field = 'quantity'): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_QUANTITY) {
    throw new ValidationError(field, `${field} must be an integer from 1 to ${MAX_QUANTITY}`);
  }
  return value;
}

/** A non-zero integer change, bounded by MAX_QUANTITY either way. */
export function parseDelta(value: unknown, field = 'delta'): number {
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value === 0 ||
    Math.abs(value) > MAX_QUANTITY
  ) {
    throw new ValidationError(
      field,
      `${field} must be a non-zero integer from -${MAX_QUANTITY} to ${MAX_QUANTITY}`,
    );
  }
  return value;
}
