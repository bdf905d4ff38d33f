import type { PutCommandInput } from '@aws-sdk/lib-dynamodb';
import { levelAlertItem } from '../../../platform/store/records.js';
import type { AlertObservation, ThresholdEvent } from '../../domain/level-alert.js';

/**
 * Record a level's new alert state: one conditional put of its alert item, compare-and-set on the observation
 * it replaces (the version it recorded, or its absence). Two deliveries of one stream record, or two
 * observations of one level, cannot both record the same change: the second finds the version moved on.
 * The item's own stream record is where the threshold events come from (docs/decisions/0005).
 */
export function buildLevelAlertPut(
  tableName: string,
  observation: AlertObservation,
  events: readonly ThresholdEvent[],
  replacesVersion: number | null,
): PutCommandInput {
  return {
    TableName: tableName,
    Item: levelAlertItem(observation, events),
    ...(replacesVersion === null
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : {
          ConditionExpression: '#observedVersion = :replaces',
          ExpressionAttributeNames: { '#observedVersion': 'observedVersion' },
          ExpressionAttributeValues: { ':replaces': replacesVersion },
        }),
  };
}
