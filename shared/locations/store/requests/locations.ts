import type { PutCommandInput, UpdateCommandInput } from '@aws-sdk/lib-dynamodb';
import type { LocationId } from '../../../kernel/identifiers.js';
import { LOCATIONS_PARTITION, locationKey } from '../../../platform/store/keys.js';
import { locationItem } from '../../../platform/store/records.js';
import { buildPartitionQuery } from '../../../platform/store/requests/reads.js';
import type { Location } from '../../domain/location.js';
import type { LocationChanges } from '../location-store.js';

/** Puts a new location; refused when one with its id exists. */
export function buildCreateLocation(tableName: string, location: Location): PutCommandInput {
  return {
    TableName: tableName,
    Item: locationItem(location),
    ConditionExpression: 'attribute_not_exists(pk)',
  };
}

/**
 * Sets the given changes and bumps the version, on an existing location whose version is `expectedVersion` (when
 * given); a refusal returns the old item (none: no such location).
 */
export function buildLocationUpdate(
  tableName: string,
  locationId: LocationId,
  changes: LocationChanges,
  at: string,
  expectedVersion: number | null,
): UpdateCommandInput {
  const names: Record<string, string> = { '#updatedAt': 'updatedAt', '#version': 'version' };
  const values: Record<string, unknown> = { ':at': at, ':one': 1 };
  const sets = ['#updatedAt = :at'];
  const removes: string[] = [];
  const set = (attr: string, value: unknown) => {
    names[`#${attr}`] = attr;
    values[`:${attr}`] = value;
    sets.push(`#${attr} = :${attr}`);
  };
  if (changes.name !== undefined) set('name', changes.name);
  if (changes.region !== undefined) set('region', changes.region);
  if (changes.priority !== undefined) set('priority', changes.priority);
  if (changes.active !== undefined) set('active', changes.active);
  if (changes.coordinates !== undefined) {
    if (changes.coordinates === null) {
      names['#latitude'] = 'latitude';
      names['#longitude'] = 'longitude';
      removes.push('#latitude', '#longitude');
    } else {
      set('latitude', changes.coordinates.latitude);
      set('longitude', changes.coordinates.longitude);
    }
  }
  let condition = 'attribute_exists(pk)';
  if (expectedVersion !== null) {
    condition += ' AND #version = :expectedVersion';
    values[':expectedVersion'] = expectedVersion;
  }
  return {
    TableName: tableName,
    Key: locationKey(locationId),
    UpdateExpression: `SET ${sets.join(', ')} ADD #version :one${removes.length ? ` REMOVE ${removes.join(', ')}` : ''}`,
    ConditionExpression: condition,
    ExpressionAttributeNames: names,
    ExpressionAttributeValues: values,
    ReturnValues: 'ALL_NEW',
    ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
  };
}

/** Every location (strongly consistent). */
export function buildLocationsQuery(tableName: string) {
  return buildPartitionQuery(tableName, LOCATIONS_PARTITION);
}
