/**
 * A cart reservation: several lines, possibly from several warehouses, held all or nothing by a saga.
 * `PENDING` while the saga runs; `COMPENSATING` once a step failed and holds are being released (no step may
 * add a hold any more); then `HELD` or `FAILED`; a held cart is `CONFIRMED` or `RELEASED` as a whole.
 * (Its own module, free of imports, so that the HTTP schemas can name the statuses.)
 */
export const CART_STATUSES = ['PENDING', 'COMPENSATING', 'HELD', 'FAILED', 'CONFIRMED', 'RELEASED'] as const;
export type CartStatus = (typeof CART_STATUSES)[number];
