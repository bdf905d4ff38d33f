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
 * (CartRecovery construct), and the TTL backstop behind its stream filter.
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
    new ScheduledFunction({
      name: 'auto-shard',
      handler: 'functions/auto-shard-levels.ts',
      everyMs: options.autoShardEveryMs ?? 60_000,
      timeoutMs: 60_000,
    }),
  ];
}
