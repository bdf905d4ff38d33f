/** The API's representations the console shows (docs/api.md; the OpenAPI document is the reference). */
export interface Level {
  readonly sku: string;
  readonly locationId: string;
  readonly onHand: number;
  readonly reserved: number;
  readonly committed: number;
  readonly unavailable: number;
  readonly safetyStock: number;
  readonly incoming: number;
  readonly available: number;
  readonly version: number;
  readonly reorderPoint: number | null;
  readonly reorderQuantity: number | null;
  readonly shards: number;
  readonly expiredHeld?: { readonly holds: number; readonly quantity: number };
  readonly updatedAt: string | null;
}

/** What a movement refers to: a purchase order, a delivery note... (`{type, id}`), written `type:id` in the console. */
export interface MovementReference {
  readonly type: string;
  readonly id: string;
}

/** `po:1042` as `{type: 'po', id: '1042'}`; text without a colon is left as it is (the API names the field it refuses). */
export function parseReference(text: string): MovementReference | string {
  const colon = text.indexOf(':');
  return colon > 0 ? { type: text.slice(0, colon), id: text.slice(colon + 1) } : text;
}

export type Bucket = 'onHand' | 'reserved' | 'committed' | 'unavailable' | 'safetyStock' | 'incoming';

export interface Movement {
  readonly movementId: string;
  readonly sku: string;
  readonly locationId: string;
  readonly type: string;
  readonly delta: Partial<Record<Bucket, number>>;
  readonly reason: string | null;
  readonly reference: MovementReference | null;
  readonly reservationId: string | null;
  readonly actor: string;
  readonly at: string;
}

export interface Reservation {
  readonly reservationId: string;
  readonly sku: string;
  readonly locationId: string;
  readonly quantity: number;
  readonly ownerId: string;
  readonly status: string;
  readonly expiresAt: string;
  readonly maxExpiresAt: string;
  readonly reference: string | null;
  readonly cartId?: string | null;
}

export interface CartHold {
  readonly reservationId: string;
  readonly sku: string;
  readonly locationId: string;
  readonly quantity: number;
  readonly status: string;
}

export interface Cart {
  readonly cartId: string;
  readonly status: string;
  readonly expiresAt?: string | null;
  readonly holds?: readonly CartHold[];
  readonly ownerId?: string;
}

export interface Replenishment {
  readonly requestId: string;
  readonly sku: string;
  readonly locationId: string;
  readonly quantity: number;
  readonly receivedQuantity: number;
  readonly outstanding: number;
  readonly status: string;
  readonly createdAt: string;
}

export interface Location {
  readonly locationId: string;
  readonly name: string;
  readonly active?: boolean;
}
