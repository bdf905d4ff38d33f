import { defineRoute } from '../../platform/http/route.js';
import { cartPath, cartSchema, reserveCartRequest } from './schemas.js';

const cart = {
  status: 200,
  description: 'The cart after the change, with its holds.',
  schema: cartSchema,
} as const;

const common = {
  tag: 'Carts',
  auth: 'jwt',
  roles: ['storefront', 'admin'],
  idempotencyKey: false,
} as const;

export const reserveCart = defineRoute({
  ...common,
  operationId: 'reserveCart',
  method: 'POST',
  path: '/carts/{cartId}/reservations',
  handler: 'functions/reserve-cart.ts',
  summary:
    'Hold a whole cart, all or nothing, across warehouses: every line is held (split across warehouses when no single one has enough), or none is',
  // The cart id is the caller's own: a cart is created in the caller's namespace, and the same request with
  // the same cart id is answered with the same cart.
  scope: 'none',
  tableAccess: 'read-write',
  // The saga runs inside the request (StartSyncExecution, ADR 10); API Gateway waits at most 30 s.
  timeoutSeconds: 29,
  request: { path: cartPath, body: reserveCartRequest, bodyRequired: true },
  success: {
    status: 201,
    description:
      'The cart, HELD with its holds (also when the same request is repeated: then with `Idempotent-Replayed: true`).',
    schema: cartSchema,
  },
  problems: [
    'insufficient-stock',
    'cart-failed',
    'already-exists',
    'hold-quantity-exceeded',
    'business-rule',
    'service-busy',
  ],
});

export const getCart = defineRoute({
  ...common,
  operationId: 'getCart',
  method: 'GET',
  path: '/carts/{cartId}',
  handler: 'functions/get-cart.ts',
  summary: "One of the caller's carts, with the current state of each of its holds",
  scope: 'own-cart',
  tableAccess: 'read',
  request: { path: cartPath },
  success: { status: 200, description: 'The cart.', schema: cartSchema },
  problems: ['not-found'],
});

export const confirmCart = defineRoute({
  ...common,
  operationId: 'confirmCart',
  method: 'POST',
  path: '/carts/{cartId}/confirm',
  handler: 'functions/confirm-cart.ts',
  summary: 'Turn every hold of a held cart into a committed order line, in one transaction',
  scope: 'own-cart',
  tableAccess: 'read-write',
  request: { path: cartPath },
  success: cart,
  problems: ['not-found', 'cart-state', 'hold-expired', 'service-busy'],
});

export const releaseCart = defineRoute({
  ...common,
  operationId: 'releaseCart',
  method: 'POST',
  path: '/carts/{cartId}/release',
  handler: 'functions/release-cart.ts',
  summary: 'Give back every hold of a held cart: its units become available again',
  scope: 'own-cart',
  tableAccess: 'read-write',
  request: { path: cartPath },
  success: cart,
  problems: ['not-found', 'cart-state', 'service-busy'],
});
