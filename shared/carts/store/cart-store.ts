import type { Reservation } from '../../holds/domain/reservation.js';
import type { CartId, PrincipalId, ReservationId } from '../../kernel/identifiers.js';
import type { ChangeContext } from '../../platform/store/commands.js';
import type { Cart, CartFailure, CartStatus } from '../domain/cart.js';
import type { CartConfirmCommand, CartSeen } from './requests/carts.js';

export interface CartStepInput {
  readonly ownerId: PrincipalId;
  readonly cartId: string;
  readonly holds: ReadonlyArray<{
    /** The reservation as it is created; the store decides its parts. */
    readonly reservation: Omit<Reservation, 'parts'>;
    readonly requestHash: string;
    readonly movementId: string;
  }>;
  readonly context: ChangeContext;
  readonly ttlEpochSeconds: number;
}

/** Storage of carts and the holds their saga takes, confirms and releases. */
export interface CartStore {
  /** Creates a cart; the same request again returns it (replayed), another request is an AlreadyExistsError. */
  createCart(
    cart: Cart,
    requestHash: string,
    ttlEpochSeconds: number,
  ): Promise<{ cart: Cart; replayed: boolean }>;
  getCart(ownerId: PrincipalId, cartId: string): Promise<Cart | null>;
  /** One saga step: the holds of one warehouse in one transaction, fenced by the cart being PENDING. */
  reserveCartStep(input: CartStepInput): Promise<{ replayed: boolean }>;
  /** Moves a cart between states; already in `to` is a replay and returns it as it is. */
  setCartStatus(
    ownerId: PrincipalId,
    cartId: string,
    from: readonly CartStatus[],
    to: CartStatus,
    at: string,
    failure?: CartFailure | null,
    /** Only if the cart is unchanged since it was read (its `updatedAt`); then `to` already is no replay. */
    seen?: CartSeen | null,
  ): Promise<Cart>;
  /** Carts in flight (PENDING, COMPENSATING, RELEASING) listed in one partition of the in-flight cart list. */
  findInFlightCarts(bucket: string, limit: number): Promise<Array<{ ownerId: PrincipalId; cartId: CartId }>>;
  /** Confirms the whole cart and all its holds in one transaction. */
  confirmCart(cmd: CartConfirmCommand): Promise<{ changed: boolean }>;
  /** The holds of a cart, by id (strongly consistent); ids of missing holds are dropped. */
  getReservations(reservationIds: readonly ReservationId[]): Promise<Reservation[]>;
}
