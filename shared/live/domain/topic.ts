import type { LocationId, Sku } from '../../kernel/identifiers.js';

/**
 * What a live subscription follows: a SKU's availability (per location and in total: what a storefront sees),
 * or one level (a SKU at one location, every bucket: what a warehouse at that location, or an admin, sees).
 */
export type Topic =
  | { readonly kind: 'sku'; readonly sku: Sku }
  | { readonly kind: 'level'; readonly sku: Sku; readonly locationId: LocationId };

/** The topic's key in the table and in every message: `sku:{sku}` or `level:{sku}@{locationId}`. */
export function topicKey(topic: Topic): string {
  return topic.kind === 'sku' ? `sku:${topic.sku}` : `level:${topic.sku}@${topic.locationId}`;
}

/** The topics a change of one level concerns: its SKU's availability and the level itself. */
export function topicsOfLevel(sku: Sku, locationId: LocationId): readonly Topic[] {
  return [
    { kind: 'sku', sku },
    { kind: 'level', sku, locationId },
  ];
}
