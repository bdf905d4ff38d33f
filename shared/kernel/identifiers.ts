import { ValidationError } from './errors.js';

/**
 * Identifier syntax. None of them may contain `#`, the key separator of the table, so a key built from an
 * identifier can always be split back unambiguously. The patterns are exported so that the HTTP schemas (and so
 * the OpenAPI document) state exactly the same rules as the parsers below.
 */
export const SKU_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
export const LOCATION_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;
export const PRINCIPAL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@|+-]{0,127}$/;
export const RESERVATION_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export type Sku = string & { readonly __brand: 'Sku' };
export type LocationId = string & { readonly __brand: 'LocationId' };
export type PrincipalId = string & { readonly __brand: 'PrincipalId' };
export type ReservationId = string & { readonly __brand: 'ReservationId' };
export type IdempotencyKey = string & { readonly __brand: 'IdempotencyKey' };

function parseWith<T extends string>(pattern: RegExp, field: string, rule: string) {
  return (value: unknown): T => {
    if (typeof value !== 'string' || !pattern.test(value)) {
      throw new ValidationError(field, `${field} must be ${rule}`);
    }
    return value as T;
  };
}

export const parseSku = (value: unknown, field = 'sku'): Sku =>
  parseWith<Sku>(
    SKU_PATTERN,
    field,
    '1 to 64 characters of letters, digits and . _ : - (not starting with a sign)',
  )(value);

export const parseLocationId = (value: unknown, field = 'locationId'): LocationId =>
  parseWith<LocationId>(
    LOCATION_PATTERN,
    field,
    '1 to 32 characters of letters, digits, _ and - (not starting with a sign)',
  )(value);

export const parsePrincipalId = (value: unknown, field = 'principal'): PrincipalId =>
  parseWith<PrincipalId>(
    PRINCIPAL_PATTERN,
    field,
    '1 to 128 characters of letters, digits and . _ : @ | + -',
  )(value);

export const parseReservationId = (value: unknown, field = 'reservationId'): ReservationId =>
  parseWith<ReservationId>(RESERVATION_PATTERN, field, '26 characters of Crockford base32')(value);

export const parseIdempotencyKey = (value: unknown, field = 'Idempotency-Key'): IdempotencyKey =>
  parseWith<IdempotencyKey>(
    IDEMPOTENCY_KEY_PATTERN,
    field,
    '1 to 255 printable ASCII characters without spaces',
  )(value);

export const CART_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/;
export type CartId = string & { readonly __brand: 'CartId' };

export const parseCartId = (value: unknown, field = 'cartId'): CartId =>
  parseWith<CartId>(
    CART_PATTERN,
    field,
    '1 to 64 characters of letters, digits and . _ : - (not starting with a sign)',
  )(value);
