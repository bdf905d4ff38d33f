import { describe, expect, it } from 'vitest';
import {
  BusinessRuleError,
  InsufficientStockError,
  NotFoundError,
  VersionConflictError,
} from '../../shared/kernel/errors.js';
import { parseIdempotencyKey, parseLocationId, parseSku } from '../../shared/kernel/identifiers.js';
import { type CountRequest, countPlan } from '../../shared/stock/domain/count-plan.js';
import type { LevelShard } from '../../shared/stock/domain/level-shard.js';
import { aLevelShard } from '../support/level-shard.js';

const sku = parseSku('SKU-1');
const locationId = parseLocationId('WH-1');

/** A level of one shard: 10 on hand, 3 of them reserved (7 available), at version 4. */
const shard = (n = 0): LevelShard =>
  aLevelShard({ sku, locationId, shard: n, available: 7, reserved: 3, version: 4 });

const count = (onHand: number, expectedVersion: number, key?: string): CountRequest => ({
  sku,
  locationId,
  onHand,
  expectedVersion,
  idempotencyKey: key === undefined ? null : parseIdempotencyKey(key),
});

describe('countPlan', () => {
  it('writes a count at the expected version from the on-hand as read', () => {
    // Prepare
    const shards = [shard()];

    // Act
    const plan = countPlan(count(12, 4), shards);

    // Assess
    expect(plan).toEqual({ currentOnHand: 10 });
  });

  it('allows a count that takes every available unit but none promised', () => {
    // Prepare: 10 on hand, 7 available: counting 3 takes 7
    const shards = [shard()];

    // Act
    const plan = countPlan(count(3, 4), shards);

    // Assess
    expect(plan.currentOnHand).toBe(10);
  });

  it('refuses a count below what is reserved, naming the shortage', () => {
    // Prepare: counting 2 would take 8 of 7 available
    const shards = [shard()];

    // Act
    const refuse = () => countPlan(count(2, 4), shards);

    // Assess
    expect(refuse).toThrow(InsufficientStockError);
    try {
      refuse();
    } catch (error) {
      expect((error as InsufficientStockError).details).toMatchObject({ requested: 8, available: 7 });
    }
  });

  it('refuses a count of a level that does not exist', () => {
    // Act
    const refuse = () => countPlan(count(5, 1), []);

    // Assess
    expect(refuse).toThrow(NotFoundError);
  });

  it('refuses a count of a sharded level', () => {
    // Prepare
    const shards = [shard(0), shard(1)];

    // Act
    const refuse = () => countPlan(count(5, 4), shards);

    // Assess
    expect(refuse).toThrow(BusinessRuleError);
  });

  it('refuses a count at another version when it has no key', () => {
    // Prepare
    const shards = [shard()];

    // Act
    const refuse = () => countPlan(count(5, 3), shards);

    // Assess
    expect(refuse).toThrow(VersionConflictError);
  });

  it('lets a keyed count at another version reach the store, where a replay is recognised', () => {
    // Prepare: a keyed retry of a count already applied finds the level past its expected version
    const shards = [shard()];

    // Act
    const plan = countPlan(count(2, 3, 'count-1'), shards);

    // Assess: not refused for the shortage either: the store's version guard decides
    expect(plan).toEqual({ currentOnHand: 10 });
  });
});
