import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { AlreadyExistsError, NotFoundError, VersionConflictError } from '../../kernel/errors.js';
import type { LocationId } from '../../kernel/identifiers.js';
import { locationKey } from '../../platform/store/keys.js';
import { toLocation } from '../../platform/store/records.js';
import { buildGet } from '../../platform/store/requests/reads.js';
import { getItem, queryAll, type StoreContext } from '../../platform/store/store-context.js';
import type { Location } from '../domain/location.js';
import type { LocationChanges, LocationStore } from './location-store.js';
import { buildCreateLocation, buildLocationsQuery, buildLocationUpdate } from './requests/locations.js';

/** The DynamoDB implementation of LocationStore. */
export class DynamoLocationStore implements LocationStore {
  constructor(private readonly ctx: StoreContext) {}

  async createLocation(location: Location): Promise<Location> {
    try {
      await this.ctx.client.send(new PutCommand(buildCreateLocation(this.ctx.tableName, location)));
      return location;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException)
        throw new AlreadyExistsError('location', location.locationId);
      throw error;
    }
  }

  async updateLocation(
    locationId: LocationId,
    changes: LocationChanges,
    at: string,
    expectedVersion: number | null,
  ): Promise<Location> {
    try {
      const { Attributes } = await this.ctx.client.send(
        new UpdateCommand(buildLocationUpdate(this.ctx.tableName, locationId, changes, at, expectedVersion)),
      );
      return toLocation(Attributes ?? {});
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      if (!error.Item) throw new NotFoundError('location', locationId);
      const old = unmarshall(error.Item);
      throw new VersionConflictError(
        expectedVersion ?? 0,
        typeof old.version === 'number' ? old.version : null,
      );
    }
  }

  async getLocation(locationId: LocationId): Promise<Location | null> {
    const item = await getItem(this.ctx, buildGet(this.ctx.tableName, locationKey(locationId)));
    return item ? toLocation(item) : null;
  }

  async listLocations(): Promise<Location[]> {
    return (await queryAll(this.ctx, buildLocationsQuery(this.ctx.tableName))).map(toLocation);
  }
}
