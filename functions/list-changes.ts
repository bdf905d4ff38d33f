import type { FeedChange } from '../shared/changes/domain/change.js';
import * as routes from '../shared/changes/http/routes.js';
import { listChanges } from '../shared/changes/use-cases/list-changes.js';
import { apiHandler } from '../shared/platform/http/handler.js';
import { ok } from '../shared/platform/http/responses.js';
import { coldStart } from '../shared/platform/runtime/deps.js';

const { deps, config } = coldStart();

const changeBody = (c: FeedChange) => ({
  seq: c.seq,
  sku: c.sku,
  locationId: c.locationId,
  shard: c.shard,
  version: c.version,
  movementId: c.movementId,
  type: c.type,
  delta: { ...c.delta },
  reason: c.reason,
  reference: c.reference ? { type: c.reference.type, id: c.reference.id } : null,
  reservationId: c.reservationId,
  actor: c.actor,
  at: c.at,
  level: { ...c.level },
});

export const handler = apiHandler(routes.listChanges, config, async ({ input }) => {
  const page = await listChanges(deps, {
    after: input.query.after ?? null,
    limit: input.query.limit ?? 100,
    sku: input.query.sku ?? null,
    locationId: input.query.locationId ?? null,
  });
  return ok({ changes: page.changes.map(changeBody), nextCursor: page.nextCursor, hasMore: page.hasMore });
});
