import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import {
  BatchGetCommand,
  type BatchGetCommandOutput,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Reservation } from '../../holds/domain/reservation.js';
import {
  AlreadyExistsError,
  CartStateError,
  InsufficientStockError,
  InvariantViolationError,
  NotFoundError,
} from '../../kernel/errors.js';
import type { CartId, LocationId, PrincipalId, ReservationId, Sku } from '../../kernel/identifiers.js';
import { cartKey, cartOfKey, type Key, reservationKey } from '../../platform/store/keys.js';
import { toCart, toReservation } from '../../platform/store/records.js';
import { buildBatchGet, buildGet } from '../../platform/store/requests/reads.js';
import { getItem, type StoreContext } from '../../platform/store/store-context.js';
import { transact } from '../../platform/store/transact.js';
import { planTake, type ShardPart } from '../../stock/domain/sharding.js';
import { learnShardMap, readLevelShards, shardMap } from '../../stock/store/level-shards.js';
import { PLAN_AGAIN, retryOverShards } from '../../stock/store/shard-retry.js';
import type { Cart, CartFailure, CartStatus } from '../domain/cart.js';
import type { CartStepInput, CartStore } from './cart-store.js';
import {
  buildCartConfirm,
  buildCartStatus,
  buildCartStep,
  buildCreateCart,
  buildInFlightCartsQuery,
  type CartConfirmCommand,
  type CartSeen,
} from './requests/carts.js';

/** The DynamoDB implementation of CartStore. */
export class DynamoCarts implements CartStore {
  constructor(private readonly ctx: StoreContext) {}

  async createCart(
    cart: Cart,
    requestHash: string,
    ttlEpochSeconds: number,
  ): Promise<{ cart: Cart; replayed: boolean }> {
    try {
      await this.ctx.client.send(
        new PutCommand(buildCreateCart(this.ctx.tableName, cart, requestHash, ttlEpochSeconds)),
      );
      return { cart, replayed: false };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const old = error.Item ? unmarshall(error.Item) : null;
      if (old && old.requestHash === requestHash) return { cart: toCart(old), replayed: true };
      throw new AlreadyExistsError('cart', cart.cartId);
    }
  }

  async getCart(ownerId: PrincipalId, cartId: string): Promise<Cart | null> {
    const item = await getItem(this.ctx, buildGet(this.ctx.tableName, cartKey(ownerId, cartId)));
    return item ? toCart(item) : null;
  }

  /**
   * One saga step in one transaction. Unsharded levels are taken from shard 0 without reading; the holds of a
   * sharded level are planned over its shards from a strongly consistent read, every part still guarded by its
   * own shard's counter (so a stale read fails the write, and it is planned again, a bounded number of times).
   */
  reserveCartStep(input: CartStepInput): Promise<{ replayed: boolean }> {
    const exhausted = () =>
      new InsufficientStockError({
        sku: input.holds[0]?.reservation.sku as Sku,
        locationId: input.holds[0]?.reservation.locationId as LocationId,
        requested: input.holds[0]?.reservation.quantity ?? 0,
        available: 0,
      });
    return retryOverShards<{ replayed: boolean }>(
      3,
      async (attempt) => {
        const parts = await this.planParts(input, attempt > 0);
        const holds = input.holds.map((h, i) => ({
          reservation: { ...h.reservation, parts: parts[i] ?? [] },
          requestHash: h.requestHash,
          movementId: h.movementId,
        }));
        const outcome = await transact(
          this.ctx.client,
          buildCartStep(this.ctx.tableName, { ...input, holds }),
          this.ctx.retry,
        );
        if (outcome.kind === 'applied') return { settled: { replayed: false } };
        if (outcome.kind === 'reservation-replay') return { settled: { replayed: true } };
        if (outcome.kind !== 'error')
          throw new InvariantViolationError(`unexpected cart step outcome ${outcome.kind}`);
        // A sharded level refused on a stale plan: read its shards again and plan again.
        const sharded = outcome.observed?.some((o) => o.shardSpan > 1) ?? false;
        if (!(outcome.error instanceof InsufficientStockError) || !sharded) throw outcome.error;
        return PLAN_AGAIN;
      },
      exhausted,
    );
  }

  async setCartStatus(
    ownerId: PrincipalId,
    cartId: string,
    from: readonly CartStatus[],
    to: CartStatus,
    at: string,
    failure: CartFailure | null = null,
    seen: CartSeen | null = null,
  ): Promise<Cart> {
    try {
      const { Attributes } = await this.ctx.client.send(
        new UpdateCommand(buildCartStatus(this.ctx.tableName, ownerId, cartId, from, to, at, failure, seen)),
      );
      return toCart(Attributes ?? {});
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const old = error.Item ? unmarshall(error.Item) : null;
      if (!old) throw new NotFoundError('cart', cartId);
      // Claimed as it was read (`seen`): a cart changed since is not this caller's to move, whatever its status.
      if (old.status === to && !seen) return toCart(old);
      throw new CartStateError(cartId, String(old.status), `become ${to}`);
    }
  }

  /**
   * Carts listed as in flight (PENDING, COMPENSATING, RELEASING) in one partition of the `expiry` index, by the
   * cart's expiry, at most `limit`: the owner and id of each, read from its key (the index projects no more).
   */
  async findInFlightCarts(
    bucket: string,
    limit: number,
  ): Promise<Array<{ ownerId: PrincipalId; cartId: CartId }>> {
    const { Items = [] } = await this.ctx.client.send(
      new QueryCommand(buildInFlightCartsQuery(this.ctx.tableName, bucket, limit)),
    );
    return Items.flatMap((item) => {
      const cart = cartOfKey(String(item.pk));
      return cart ? [{ ownerId: cart.ownerId as PrincipalId, cartId: cart.cartId as CartId }] : [];
    });
  }

  async confirmCart(cmd: CartConfirmCommand): Promise<{ changed: boolean }> {
    const outcome = await transact(
      this.ctx.client,
      buildCartConfirm(this.ctx.tableName, cmd),
      this.ctx.retry,
    );
    if (outcome.kind === 'applied') return { changed: true };
    if (outcome.kind === 'cart-replay') return { changed: false };
    if (outcome.kind === 'error') throw outcome.error;
    // The cart is HELD but one of its holds is CONFIRMED already (a hold confirmed on its own before holds of
    // a cart were kept to the cart's routes): the cart cannot be confirmed as a whole, and says so.
    if (outcome.kind === 'transition-replay')
      throw new CartStateError(cmd.cartId, 'HELD', 'confirm: one of its holds is confirmed already');
    throw new InvariantViolationError(`unexpected cart confirm outcome ${outcome.kind}`);
  }

  async getReservations(reservationIds: readonly ReservationId[]): Promise<Reservation[]> {
    const found: Reservation[] = [];
    for (let i = 0; i < reservationIds.length; i += 100) {
      let keys: Key[] | undefined = reservationIds.slice(i, i + 100).map(reservationKey);
      for (let round = 0; keys?.length && round < 10; round++) {
        const page: BatchGetCommandOutput = await this.ctx.client.send(
          new BatchGetCommand(buildBatchGet(this.ctx.tableName, keys)),
        );
        found.push(...(page.Responses?.[this.ctx.tableName] ?? []).map(toReservation));
        keys = page.UnprocessedKeys?.[this.ctx.tableName]?.Keys as Key[] | undefined;
      }
    }
    return found;
  }

  /** The shard parts of each hold of a step, in the order of `input.holds`. */
  private async planParts(input: CartStepInput, fresh: boolean): Promise<ShardPart[][]> {
    const levels = new Map<string, number[]>();
    input.holds.forEach((h, i) => {
      const key = `${h.reservation.sku}#${h.reservation.locationId}`;
      levels.set(key, [...(levels.get(key) ?? []), i]);
    });
    const parts: ShardPart[][] = input.holds.map((h) => [{ shard: 0, quantity: h.reservation.quantity }]);
    for (const indexes of levels.values()) {
      const first = input.holds[indexes[0] ?? 0]?.reservation;
      if (!first) continue;
      // The shard map as remembered, or read once from shard 0 when this process does not know the level yet.
      const { span } = await shardMap(this.ctx, first.sku, first.locationId);
      if (!fresh && span === 1) continue;
      const shards = await this.levelShards(first.sku, first.locationId);
      if (shards.length <= 1) continue;
      const have = new Map(shards.map((s) => [s.shard, s.available]));
      for (const i of indexes) {
        const quantity = input.holds[i]?.reservation.quantity ?? 0;
        const take = planTake(
          [...have].map(([shard, units]) => ({ shard, have: units })),
          quantity,
        );
        if (!take) break;
        for (const p of take) have.set(p.shard, (have.get(p.shard) ?? 0) - p.quantity);
        parts[i] = take;
      }
    }
    return parts;
  }

  private async levelShards(sku: Sku, locationId: LocationId) {
    const shards = await readLevelShards(this.ctx, sku, locationId);
    learnShardMap(this.ctx, sku, locationId, shards);
    return shards;
  }
}
