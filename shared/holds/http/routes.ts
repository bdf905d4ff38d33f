import { defineRoute } from '../../platform/http/route.js';
import {
  extendRequest,
  reservationPath,
  reservationSchema,
  reserveRequest,
  resolveRequest,
} from './schemas.js';

const reservation = {
  status: 200,
  description: 'The reservation after the change.',
  schema: reservationSchema,
} as const;

export const reserveStock = defineRoute({
  operationId: 'reserveStock',
  method: 'POST',
  path: '/reservations',
  handler: 'functions/reserve-stock.ts',
  summary: 'Hold units of a SKU at a location for the caller, until they expire',
  tag: 'Reservations',
  auth: 'jwt',
  roles: ['storefront', 'admin'],
  scope: 'none',
  tableAccess: 'read-write',
  idempotencyKey: true,
  request: { body: reserveRequest, bodyRequired: true },
  success: {
    status: 201,
    description: 'The hold (also on a replay of the same Idempotency-Key).',
    schema: reservationSchema,
  },
  problems: [
    'insufficient-stock',
    'idempotency-key-reused',
    'hold-limit-exceeded',
    'hold-quantity-exceeded',
    'service-busy',
  ],
});

export const getReservation = defineRoute({
  operationId: 'getReservation',
  method: 'GET',
  path: '/reservations/{reservationId}',
  handler: 'functions/get-reservation.ts',
  summary: "One of the caller's reservations",
  tag: 'Reservations',
  auth: 'jwt',
  roles: ['storefront', 'admin'],
  scope: 'own-reservation',
  tableAccess: 'read',
  idempotencyKey: false,
  request: { path: reservationPath },
  success: { status: 200, description: 'The reservation.', schema: reservationSchema },
  problems: ['not-found'],
});

export const extendReservation = defineRoute({
  operationId: 'extendReservation',
  method: 'POST',
  path: '/reservations/{reservationId}/extend',
  handler: 'functions/extend-reservation.ts',
  summary: 'Make a live hold expire later',
  tag: 'Reservations',
  auth: 'jwt',
  roles: ['storefront', 'admin'],
  scope: 'own-reservation',
  tableAccess: 'read-write',
  idempotencyKey: false,
  request: { path: reservationPath, body: extendRequest },
  success: reservation,
  problems: ['not-found', 'hold-already-resolved', 'hold-expired', 'hold-max-duration', 'hold-in-cart'],
});

function transitionRoute<const Id extends string, const File extends string>(
  operationId: Id,
  handler: File,
  verb: string,
  summary: string,
) {
  return defineRoute({
    operationId,
    method: 'POST',
    path: `/reservations/{reservationId}/${verb}`,
    handler,
    summary,
    tag: 'Reservations',
    auth: 'jwt',
    roles: ['storefront', 'admin'],
    scope: 'own-reservation',
    tableAccess: 'read-write',
    idempotencyKey: false,
    request: { path: reservationPath, body: resolveRequest },
    success: reservation,
    // Only release and confirm start from HELD, where a cart's hold is refused (ADR 15).
    problems: [
      'not-found',
      'hold-already-resolved',
      'hold-expired',
      'service-busy',
      ...(verb === 'release' || verb === 'confirm' ? (['hold-in-cart'] as const) : []),
    ],
  });
}

export const releaseReservation = transitionRoute(
  'releaseReservation',
  'functions/release-reservation.ts',
  'release',
  'Give a live hold back: its units become available again',
);

export const confirmReservation = transitionRoute(
  'confirmReservation',
  'functions/confirm-reservation.ts',
  'confirm',
  'Turn a live hold into a committed order line',
);

export const cancelReservation = transitionRoute(
  'cancelReservation',
  'functions/cancel-reservation.ts',
  'cancel',
  'Cancel a confirmed order line: its units become available again',
);

export const fulfillReservation = defineRoute({
  ...transitionRoute(
    'fulfillReservation',
    'functions/fulfill-reservation.ts',
    'fulfill',
    'Ship a confirmed order line: its units leave on-hand',
  ),
  roles: ['storefront', 'warehouse', 'admin'],
});
