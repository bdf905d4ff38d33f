/**
 * A cart reservation: several lines, possibly from several warehouses, held all or nothing by a saga.
 * `PENDING` while the saga runs; `COMPENSATING` once a step failed and holds are being released (no step may
 * add a hold any more); then `HELD` or `FAILED`; a held cart is `CONFIRMED` or, through `RELEASING` (fenced: no
 * step or confirm may change it any more, its holds are being released), `RELEASED`. A `HELD` cart past its
 * expiry is reported `EXPIRED` (its holds expire with it; the sweeper releases them). See ADR 15.
 * (Its own module, free of imports, so that the HTTP schemas can name the statuses.)
 */
export const CART_STATUSES = [
  'PENDING',
  'COMPENSATING',
  'HELD',
  'FAILED',
  'CONFIRMED',
  'RELEASING',
  'RELEASED',
  'EXPIRED',
] as const;
export type CartStatus = (typeof CART_STATUSES)[number];

/** The statuses of a cart whose saga or release has not finished: the stuck-cart recovery looks for these. */
export const IN_FLIGHT_CART_STATUSES = ['PENDING', 'COMPENSATING', 'RELEASING'] as const;
