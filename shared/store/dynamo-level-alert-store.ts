import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { LocationId, Sku } from '../domain/identifiers.js';
import type { AlertObservation, LevelAlert, ThresholdEvent } from '../domain/level-alert.js';
import { levelAlertKey } from './keys.js';
import type { LevelAlertStore } from './level-alert-store.js';
import { toLevelAlert } from './records.js';
import { buildLevelAlertPut } from './requests/level-alert.js';
import { buildGet } from './requests/reads.js';
import { getItem, type StoreContext } from './store-context.js';

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
