import { LOCATION_PATTERN, type LocationId, SKU_PATTERN, type Sku } from '../../kernel/identifiers.js';

/**
 * What a live subscription follows: a SKU's availability (per location and in total: what a storefront sees),
 * one level (a SKU at one location, every bucket), or every level of a location (every bucket of each): the
 * last two are what a warehouse at that location, or an admin, sees.
 */
export type Topic =
  | { readonly kind: 'sku'; readonly sku: Sku }
  | { readonly kind: 'level'; readonly sku: Sku; readonly locationId: LocationId }
  | { readonly kind: 'location'; readonly locationId: LocationId };

/**
 * The topic's key in the table and in every message: `sku:{sku}`, `level:{sku}@{locationId}` or
 * `location:{locationId}`.
 */
export function topicKey(topic: Topic): string {
  switch (topic.kind) {
    case 'sku':
      return `sku:${topic.sku}`;
    case 'level':
      return `level:${topic.sku}@${topic.locationId}`;
    case 'location':
      return `location:${topic.locationId}`;
  }
}

const TOPIC_FORMS =
  /^(?:sku:(?<sku>[^@]+)|level:(?<levelSku>[^@]+)@(?<levelLocation>.+)|location:(?<location>.+))$/;
const isSku = (s: string | undefined): s is Sku => s !== undefined && SKU_PATTERN.test(s);
const isLocation = (s: string | undefined): s is LocationId => s !== undefined && LOCATION_PATTERN.test(s);

/** The topic a key names (topicKey's inverse), or null when it is none of the three forms with valid ids. */
export function parseTopic(key: string): Topic | null {
  const g = TOPIC_FORMS.exec(key)?.groups;
  if (!g) return null;
  if (g.sku !== undefined) return isSku(g.sku) ? { kind: 'sku', sku: g.sku } : null;
  if (g.levelSku !== undefined)
    return isSku(g.levelSku) && isLocation(g.levelLocation)
      ? { kind: 'level', sku: g.levelSku, locationId: g.levelLocation }
      : null;
  return isLocation(g.location) ? { kind: 'location', locationId: g.location } : null;
}

/** The topics a change of one level concerns: its SKU's availability, the level itself, and its location. */
export function topicsOfLevel(sku: Sku, locationId: LocationId): readonly Topic[] {
  return [
    { kind: 'sku', sku },
    { kind: 'level', sku, locationId },
    { kind: 'location', locationId },
  ];
}
