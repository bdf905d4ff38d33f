import { LEVEL_CHANGE_FILTER } from '../../shared/changes/streams/level-change-filter.js';
import { PURGED_HOLD_FILTER } from '../../shared/holds/streams/purged-holds.js';
import { CONFIGS } from '../config.js';
import { CART_RECOVERY_EVERY_MINUTES } from '../constructs/cart-recovery.js';
import type { LocalService } from './local-service.js';
import { ScheduledFunction } from './scheduled-function.js';
import { StreamEventSource } from './stream-event-source.js';

export interface BackgroundOptions {
  readonly dynamoEndpoint: string;
  readonly tableName: string;
  /** How often the sweeper runs; the dev environment's schedule by default. */
  readonly sweepEveryMs?: number;
  /** How often the stuck-cart recovery runs; the stack's schedule by default. */
  readonly recoverCartsEveryMs?: number;
  /** How often the automatic sharding job runs (ADR 30); every minute by default. */
  readonly autoShardEveryMs?: number;
}

/**
 * The stack's background functions on a laptop, from the same entry points and the same definitions: the
 * expired-hold sweeper on its schedule (HoldExpiry construct), the stuck-cart recovery on its schedule
 * (CartRecovery construct), the TTL backstop behind its stream filter, and the change feed's writer behind its
 * own (ChangeFeed construct), read from the stream's start like the stack's mapping, so that nothing written
 * while `npm start` was stopped is missed (a record seen again is a no-op).
 */
export function backgroundServices(options: BackgroundOptions): LocalService[] {
  return [
    new ScheduledFunction({
      name: 'sweeper',
      handler: 'functions/sweep-expired-holds.ts',
      everyMs: options.sweepEveryMs ?? CONFIGS.dev.sweepEveryMinutes * 60_000,
      timeoutMs: 5 * 60_000,
    }),
    new StreamEventSource({
      name: 'ttl-backstop',
      handler: 'functions/release-purged-holds.ts',
      filter: PURGED_HOLD_FILTER,
      dynamoEndpoint: options.dynamoEndpoint,
      tableName: options.tableName,
    }),
    new ScheduledFunction({
      name: 'cart-recovery',
      handler: 'functions/recover-stuck-carts.ts',
      everyMs: options.recoverCartsEveryMs ?? CART_RECOVERY_EVERY_MINUTES * 60_000,
      timeoutMs: 2 * 60_000,
    }),
    ...changeFeedServices(options),
    new ScheduledFunction({
      name: 'auto-shard',
      handler: 'functions/auto-shard-levels.ts',
      everyMs: options.autoShardEveryMs ?? 60_000,
      timeoutMs: 60_000,
    }),
  ];
}

/** The change feed's writer (which also brings the analytics up to date), as the ChangeFeed construct maps it. */
export function changeFeedServices(options: Pick<BackgroundOptions, 'dynamoEndpoint' | 'tableName'>) {
  return [
    new StreamEventSource({
      name: 'change-feed',
      handler: 'functions/write-change-feed.ts',
      filter: LEVEL_CHANGE_FILTER,
      dynamoEndpoint: options.dynamoEndpoint,
      tableName: options.tableName,
      startAt: 'TRIM_HORIZON',
    }),
  ] as const;
}
