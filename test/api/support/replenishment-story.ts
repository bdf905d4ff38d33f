import type { LocationId, Sku } from '../../../shared/kernel/identifiers.js';
import type { TestApi } from './api.js';
import { call, type Reply } from './http.js';
import { type Actor, aBuyer, aLevel, anAdmin, aWarehouse } from './world.js';

/**
 * The replenishment story over HTTP, on a test API that runs the event pipeline: a level with a policy, a
 * reserve that takes `available` below the reorder point, and what the feed and the routes show afterwards.
 */

/** The story's figures: the expected results are computed from these, never read from the code under test. */
export const STORY = { onHand: 20, reorderPoint: 10, reorderQuantity: 40, reserve: 12 } as const;
export const AVAILABLE_AFTER_RESERVE = STORY.onHand - STORY.reserve;

export interface Story {
  readonly sku: Sku;
  readonly locationId: LocationId;
  readonly admin: Actor;
  /** A warehouse scoped to the level's location. */
  readonly clerk: Actor;
  readonly levelPath: string;
}

export const levelPathOf = (l: { sku: string; locationId: string }) =>
  `/skus/${l.sku}/locations/${l.locationId}`;

/** A stocked level whose policy is set over HTTP by its warehouse; the pipeline has seen everything so far. */
export async function aLevelWithPolicy(api: TestApi): Promise<Story> {
  const level = await aLevel(api, STORY.onHand);
  const admin = await anAdmin(api);
  const clerk = await aWarehouse(api, [level.locationId]);
  const levelPath = levelPathOf(level);
  const policy = await call(api.url, 'PATCH', `${levelPath}/replenishment-policy`, {
    token: clerk.token,
    json: { reorderPoint: STORY.reorderPoint, reorderQuantity: STORY.reorderQuantity },
  });
  if (policy.status !== 200) throw new Error(`the policy was refused: ${policy.text}`);
  await drain(api);
  return { ...level, admin, clerk, levelPath };
}

/** A buyer's reserve over HTTP that takes available below the reorder point; then the pipeline catches up. */
export async function reserveAcrossTheReorderPoint(api: TestApi, story: Story): Promise<Reply> {
  const buyer = await aBuyer(api);
  const reply = await call(api.url, 'POST', '/reservations', {
    token: buyer.token,
    json: { sku: story.sku, locationId: story.locationId, quantity: STORY.reserve },
  });
  if (reply.status !== 201) throw new Error(`the reserve was refused: ${reply.text}`);
  await drain(api);
  return reply;
}

export async function drain(api: TestApi): Promise<void> {
  if (!api.events) throw new Error('this test API runs no event pipeline');
  await api.events.drain();
}

export interface FeedEvent {
  readonly id: string;
  readonly 'detail-type': string;
  readonly detail: Record<string, unknown>;
}

/** `GET /events` as an admin, with the filters given. */
export async function feed(api: TestApi, admin: Actor, query: Record<string, string>): Promise<FeedEvent[]> {
  const reply = await call(api.url, 'GET', `/events?${new URLSearchParams(query)}`, { token: admin.token });
  if (reply.status !== 200) throw new Error(`GET /events failed: ${reply.text}`);
  return reply.body.events as FeedEvent[];
}

export const distinctEventIds = (events: readonly FeedEvent[]) =>
  new Set(events.map((e) => e.detail.eventId));

export interface RequestBody {
  readonly requestId: string;
  readonly status: string;
  readonly quantity: number;
  readonly outstanding: number;
  readonly locationId: string;
  readonly trigger: { readonly available: number; readonly reorderPoint: number };
}

/** `GET /replenishments` with the filters given, as `who`. */
export async function replenishments(
  api: TestApi,
  who: Actor,
  query: Record<string, string>,
): Promise<{ reply: Reply; requests: RequestBody[] }> {
  const reply = await call(api.url, 'GET', `/replenishments?${new URLSearchParams(query)}`, {
    token: who.token,
  });
  return { reply, requests: (reply.body.requests ?? []) as RequestBody[] };
}
