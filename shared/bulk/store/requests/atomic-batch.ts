import type { LocationId } from '../../../kernel/identifiers.js';
import type {
  AdjustCommand,
  BlockCommand,
  CountCommand,
  ReceiveCommand,
} from '../../../platform/store/commands.js';
import type { ShardPart } from '../../../stock/domain/sharding.js';
import type { ItemRole, PlannedTransaction } from '../../../stock/store/requests/plan.js';
import {
  buildAdjust,
  buildBlock,
  buildCount,
  buildReceive,
  type Planned,
} from '../../../stock/store/requests/stock-changes.js';

/** One row of an atomic batch as the store writes it: the stock feature's command, and its shard parts. */
export type BatchCommand =
  | { readonly kind: 'receive'; readonly cmd: ReceiveCommand }
  | { readonly kind: 'adjust'; readonly cmd: AdjustCommand }
  | { readonly kind: 'count'; readonly cmd: CountCommand; readonly currentOnHand: number }
  | { readonly kind: 'block'; readonly cmd: BlockCommand };

/** The shard parts a row's change was planned over (a count is always shard 0). */
export type PartsOf = (command: BatchCommand, position: number) => readonly ShardPart[];

export interface AtomicBatch extends PlannedTransaction {
  /** For each row, the positions of its items in `items` (a shared location check belongs to no row). */
  readonly itemsOf: readonly (readonly number[])[];
  readonly movementIds: readonly (readonly string[])[];
}

/** The stock feature's own builder of a row's transaction: level, movement, idempotency record, location. */
export function buildRow(tableName: string, command: BatchCommand, parts: readonly ShardPart[]): Planned {
  switch (command.kind) {
    case 'receive':
      return buildReceive(tableName, command.cmd, parts);
    case 'adjust':
      return buildAdjust(tableName, command.cmd, parts);
    case 'count':
      return buildCount(tableName, command.cmd, command.currentOnHand);
    case 'block':
      return buildBlock(tableName, command.cmd, parts);
  }
}

const locationOf = (role: ItemRole): LocationId | null => (role.role === 'location' ? role.locationId : null);

/**
 * Every row's transaction, built by the stock feature's builders, merged into one TransactWriteItems: all the
 * rows are applied, or none. Two receipts into one location would check that location twice, which DynamoDB
 * refuses (one action per item): the check is kept once, at its first row. Rows must change distinct levels and
 * carry distinct keys (`atomicClashes`). Pure: unit-tested without a network.
 */
export function buildAtomicBatch(
  tableName: string,
  commands: readonly BatchCommand[],
  partsOf: PartsOf,
): AtomicBatch {
  const items: PlannedTransaction['items'] = [];
  const roles: ItemRole[] = [];
  const itemsOf: number[][] = [];
  const movementIds: (readonly string[])[] = [];
  const checked = new Set<LocationId>();
  commands.forEach((command, position) => {
    const planned = buildRow(tableName, command, partsOf(command, position));
    const mine: number[] = [];
    planned.items.forEach((item, i) => {
      const role = planned.roles[i] as ItemRole;
      const location = locationOf(role);
      if (location !== null) {
        if (checked.has(location)) return;
        checked.add(location);
      }
      mine.push(items.length);
      items.push(item);
      roles.push(role);
    });
    itemsOf.push(mine);
    movementIds.push(planned.movementIds);
  });
  return { items, roles, itemsOf, movementIds };
}
