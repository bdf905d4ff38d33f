import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { LocationId, Sku } from '../../kernel/identifiers.js';
import { levelAlertKey } from '../../platform/store/keys.js';
import { toLevelAlert } from '../../platform/store/records.js';
import { buildGet } from '../../platform/store/requests/reads.js';
import { getItem, type StoreContext } from '../../platform/store/store-context.js';
import type { AlertObservation, LevelAlert, ThresholdEvent } from '../domain/level-alert.js';
import type { LevelAlertStore } from './level-alert-store.js';
import { buildLevelAlertPut } from './requests/level-alert.js';

/** The DynamoDB implementation of LevelAlertStore. */
export class DynamoLevelAlertStore implements LevelAlertStore {
  constructor(private readonly ctx: StoreContext) {}

  async getLevelAlert(sku: Sku, locationId: LocationId): Promise<LevelAlert | null> {
    const item = await getItem(this.ctx, buildGet(this.ctx.tableName, levelAlertKey(sku, locationId)));
    return item ? toLevelAlert(item) : null;
  }

  async putLevelAlert(
    observation: AlertObservation,
    events: readonly ThresholdEvent[],
    replacesVersion: number | null,
  ): Promise<boolean> {
    try {
      await this.ctx.client.send(
        new PutCommand(buildLevelAlertPut(this.ctx.tableName, observation, events, replacesVersion)),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
