import type { LocationId, PrincipalId } from '../../kernel/identifiers.js';
import type { Topic } from './topic.js';

/** Who holds a live connection: the claims of the token it connected with, as roles and locations. */
export interface LiveCaller {
  readonly principal: PrincipalId;
  readonly roles: ReadonlySet<string>;
  readonly locations: ReadonlySet<LocationId>;
}

/**
 * Why a subscription is refused, or null when the caller may follow the topic. A level and a whole location
 * carry every bucket, so both are for a warehouse whose locations include theirs, or an admin.
 */
export function refusalOf(caller: LiveCaller, topic: Topic): string | null {
  if (caller.roles.has('admin')) return null;
  if (topic.kind === 'sku') {
    return caller.roles.has('storefront')
      ? null
      : "a SKU's availability is for storefront and admin callers; a warehouse subscribes to a level (sku and locationId)";
  }
  if (!caller.roles.has('warehouse'))
    return topic.kind === 'level'
      ? 'a level (every bucket) is for warehouse and admin callers; a storefront subscribes to the sku alone'
      : 'a location (every bucket of every level) is for warehouse and admin callers; a storefront subscribes to the sku alone';
  return caller.locations.has(topic.locationId)
    ? null
    : `the caller may not see location ${topic.locationId}`;
}
