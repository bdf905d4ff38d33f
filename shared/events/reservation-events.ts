import * as z from 'zod';
import {
  base,
  defineEvent,
  movementId,
  principal,
  reservationFields,
  resolution,
  timestamp,
} from './detail-fields.js';

/**
 * The events of a hold's life: `{detail-type}#{reservationId}` (a hold makes each transition at most once), and
 * `ReservationExtended#{reservationId}#{expiresAt}`.
 */
export const RESERVATION_EVENTS = [
  defineEvent({
    type: 'ReservationCreated',
    when: 'A hold was placed: reserved rose and available fell by the quantity.',
    detail: z.object({ ...base, ...reservationFields, status: z.literal('HELD'), movementId }),
    idParts: (d) => [d.reservationId],
  }),
  defineEvent({
    type: 'ReservationExtended',
    when: 'A live hold was given a later expiry. No stock moved.',
    detail: z.object({
      ...base,
      ...reservationFields,
      status: z.literal('HELD'),
      previousExpiresAt: timestamp.describe('The expiry before this extension.'),
      actor: principal,
    }),
    idParts: (d) => [d.reservationId, d.expiresAt],
    checks: [
      (d) =>
        Date.parse(d.expiresAt) > Date.parse(d.previousExpiresAt)
          ? null
          : 'expiresAt must be later than previousExpiresAt',
    ],
  }),
  defineEvent({
    type: 'ReservationConfirmed',
    when: 'A hold became a confirmed order: the quantity moved from reserved to committed.',
    detail: z.object({ ...base, ...reservationFields, status: z.literal('CONFIRMED'), ...resolution }),
    idParts: (d) => [d.reservationId],
  }),
  defineEvent({
    type: 'ReservationReleased',
    when: 'A hold was released before its expiry: the quantity went back to available.',
    detail: z.object({ ...base, ...reservationFields, status: z.literal('RELEASED'), ...resolution }),
    idParts: (d) => [d.reservationId],
  }),
  defineEvent({
    type: 'ReservationExpired',
    when: 'A hold expired (sweeper or inline reclaim): the quantity went back to available.',
    detail: z.object({ ...base, ...reservationFields, status: z.literal('EXPIRED'), ...resolution }),
    idParts: (d) => [d.reservationId],
  }),
  defineEvent({
    type: 'ReservationFulfilled',
    when: 'A confirmed order shipped: committed and on-hand fell by the quantity.',
    detail: z.object({ ...base, ...reservationFields, status: z.literal('FULFILLED'), ...resolution }),
    idParts: (d) => [d.reservationId],
  }),
  defineEvent({
    type: 'ReservationCancelled',
    when: 'A confirmed order was cancelled: the quantity went from committed back to available.',
    detail: z.object({ ...base, ...reservationFields, status: z.literal('CANCELLED'), ...resolution }),
    idParts: (d) => [d.reservationId],
  }),
] as const;
