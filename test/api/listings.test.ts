import { describe, expect, it } from 'vitest';
import { resolveHold } from '../../shared/holds/use-cases/reservations.js';
import { type LocationId, parseSku, type Sku } from '../../shared/kernel/identifiers.js';
import { blockStock, receiveStock } from '../../shared/stock/use-cases/stock-operations.js';
import { aSku, WAREHOUSE_CLERK } from '../support/fixtures.js';
import { useTestApi } from './support/api.js';
import { call, expectProblem, type Reply } from './support/http.js';
import { aBuyer, aHeldCart, aHold, aLevel, aNewLocation, anAdmin, aWarehouse } from './support/world.js';

const api = useTestApi();

/** SKUs that sort in the order given, all under one fresh prefix. */
function skusUnder(count: number): { prefix: string; skus: Sku[] } {
  const prefix = aSku();
  return {
    prefix,
    skus: Array.from({ length: count }, (_, i) => parseSku(`${prefix}-${String(i).padStart(3, '0')}`)),
  };
}

async function stockAt(locationId: LocationId, skus: readonly Sku[], onHand = 10): Promise<void> {
  for (const sku of skus) await aLevel(api(), onHand, sku, locationId);
}

/** Follows `nextCursor` to the end, returning every page's rows of `field`; `between` writes while it pages. */
async function allPages(
  path: string,
  token: string,
  field: string,
  between?: () => Promise<void>,
): Promise<{ rows: Record<string, unknown>[]; pages: number }> {
  const rows: Record<string, unknown>[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = path.includes('?') ? '&' : '?';
    // The writes run while the page is read, and again before the next one.
    const [reply]: [Reply, unknown] = await Promise.all([
      call(api().url, 'GET', cursor === null ? path : `${path}${sep}cursor=${cursor}`, { token }),
      between?.(),
    ]);
    expect(reply.status, reply.text).toBe(200);
    rows.push(...(reply.body[field] as Record<string, unknown>[]));
    cursor = reply.body.nextCursor as string | null;
    pages += 1;
    await between?.();
  } while (cursor !== null && pages < 100);
  return { rows, pages };
}

describe('GET /locations/{locationId}/levels', () => {
  it('lists every level at the location by SKU, each exactly as GET of that level shows it', async () => {
    // Prepare
    const locationId = await aNewLocation(api());
    const { prefix, skus } = skusUnder(3);
    await stockAt(locationId, [skus[2], skus[0], skus[1]] as Sku[], 7);
    const buyer = await aBuyer(api());
    await aHold(api(), buyer.sub, { sku: skus[1] as Sku, locationId }, 2);
    const clerk = await aWarehouse(api(), [locationId]);

    // Act
    const reply = await call(api().url, 'GET', `/locations/${locationId}/levels?skuPrefix=${prefix}`, {
      token: clerk.token,
    });
    const single = await call(api().url, 'GET', `/skus/${skus[1]}/locations/${locationId}`, {
      token: clerk.token,
    });

    // Assess
    expect(reply.status, reply.text).toBe(200);
    const levels = reply.body.levels as Record<string, unknown>[];
    expect(levels.map((l) => l.sku)).toEqual(skus);
    expect(levels[1]).toEqual(single.body);
    expect(levels[1]).toMatchObject({ onHand: 7, reserved: 2, available: 5 });
    expect(reply.body.nextCursor).toBeNull();
  });

  it('sums the shards of a sharded level as a read of the level does', async () => {
    // Prepare
    const locationId = await aNewLocation(api());
    const sku = aSku();
    await aLevel(api(), 12, sku, locationId);
    const admin = await anAdmin(api());
    await call(api().url, 'POST', `/skus/${sku}/locations/${locationId}/shards`, {
      token: admin.token,
      json: { shards: 3 },
    });

    // Act
    const reply = await call(api().url, 'GET', `/locations/${locationId}/levels`, { token: admin.token });

    // Assess
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body.levels).toEqual([
      expect.objectContaining({ sku, onHand: 12, available: 12, shards: 3 }),
    ]);
  });

  it('pages to the end with no duplicate and no gap while levels are reserved from, received into and created', async () => {
    // Prepare
    const locationId = await aNewLocation(api());
    const { prefix, skus } = skusUnder(23);
    await stockAt(locationId, skus, 50);
    const admin = await anAdmin(api());
    const buyer = await aBuyer(api());
    let n = 0;
    const meanwhile = async () => {
      n += 1;
      await Promise.all([
        aHold(api(), buyer.sub, { sku: skus[(n * 7) % skus.length] as Sku, locationId }, 1),
        receiveStock(
          api().deps,
          { sku: skus[(n * 5) % skus.length] as Sku, locationId, quantity: 3 },
          { actor: WAREHOUSE_CLERK },
        ),
        aLevel(api(), 1, parseSku(`${prefix}-${String(n).padStart(3, '0')}x`), locationId),
      ]);
    };

    // Act
    const { rows, pages } = await allPages(
      `/locations/${locationId}/levels?limit=4&skuPrefix=${prefix}`,
      admin.token,
      'levels',
      meanwhile,
    );

    // Assess
    const listed = rows.map((r) => r.sku as string);
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed.filter((sku) => !sku.endsWith('x'))).toEqual(skus);
    expect([...listed].sort()).toEqual(listed);
    expect(pages).toBeGreaterThanOrEqual(6);
  });

  it('filters by SKU prefix, low stock, out of stock, holds and blocked units', async () => {
    // Prepare
    const locationId = await aNewLocation(api());
    const { prefix, skus } = skusUnder(5);
    const [plain, low, out, held, blocked] = skus as [Sku, Sku, Sku, Sku, Sku];
    await stockAt(locationId, skus, 10);
    const admin = await anAdmin(api());
    await call(api().url, 'PATCH', `/skus/${low}/locations/${locationId}/replenishment-policy`, {
      token: admin.token,
      json: { reorderPoint: 11, reorderQuantity: 20 },
    });
    await call(api().url, 'POST', `/skus/${out}/locations/${locationId}/adjustments`, {
      token: admin.token,
      json: { delta: -10, reason: 'write-off' },
    });
    const buyer = await aBuyer(api());
    await aHold(api(), buyer.sub, { sku: held, locationId }, 1);
    await blockStock(
      api().deps,
      { sku: blocked, locationId, quantity: 2, direction: 'block' },
      { actor: WAREHOUSE_CLERK },
    );
    const other = aSku();
    await aLevel(api(), 5, other, locationId);
    const list = async (query: string) => {
      const reply = await call(api().url, 'GET', `/locations/${locationId}/levels?${query}`, {
        token: admin.token,
      });
      expect(reply.status, reply.text).toBe(200);
      return (reply.body.levels as { sku: string }[]).map((l) => l.sku);
    };

    // Act
    const byPrefix = await list(`skuPrefix=${prefix}`);
    const lowStock = await list(`skuPrefix=${prefix}&filter=low-stock`);
    const outOfStock = await list(`skuPrefix=${prefix}&filter=out-of-stock`);
    const withHolds = await list(`skuPrefix=${prefix}&filter=has-holds`);
    const withBlocks = await list(`skuPrefix=${prefix}&filter=blocked`);

    // Assess
    expect(byPrefix).toEqual([plain, low, out, held, blocked]);
    expect(lowStock).toEqual([low]);
    expect(outOfStock).toEqual([out]);
    expect(withHolds).toEqual([held]);
    expect(withBlocks).toEqual([blocked]);
  });

  it('answers 404 for a location that does not exist, not an empty stock list', async () => {
    // Prepare
    const admin = await anAdmin(api());

    // Act
    const reply = await call(api().url, 'GET', '/locations/WH-NOWHERE-123/levels', { token: admin.token });

    // Assess
    expectProblem(reply, 'not-found');
  });

  it.each([
    ['cursor', 'cursor=not-a-cursor!'],
    ['cursor', `cursor=${Buffer.from('{"x":1}').toString('base64url')}`],
    ['filter', 'filter=cheap'],
    ['skuPrefix', 'skuPrefix=a%23b'],
    ['limit', 'limit=0'],
    ['limit', 'limit=101'],
  ])('refuses a bad %s (%s) with a 400 naming it', async (field, query) => {
    // Prepare
    const locationId = await aNewLocation(api());
    const admin = await anAdmin(api());

    // Act
    const reply = await call(api().url, 'GET', `/locations/${locationId}/levels?${query}`, {
      token: admin.token,
    });

    // Assess
    expectProblem(reply, 'validation-error');
    expect(reply.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
  });
});

describe('caching', () => {
  it('answers an If-None-Match of the current ETag with 304 and no body, and a changed level with a new ETag', async () => {
    // Prepare
    const level = await aLevel(api(), 5);
    const admin = await anAdmin(api());
    const path = `/locations/${level.locationId}/levels`;
    const first = await call(api().url, 'GET', path, { token: admin.token });
    const etag = first.headers.get('etag') ?? '';
    expect(first.status, first.text).toBe(200);

    // Act
    const again = await call(api().url, 'GET', path, {
      token: admin.token,
      headers: { 'if-none-match': etag },
    });
    await receiveStock(api().deps, { ...level, quantity: 1 }, { actor: WAREHOUSE_CLERK });
    const changed = await call(api().url, 'GET', path, {
      token: admin.token,
      headers: { 'if-none-match': etag },
    });

    // Assess
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{43}"$/);
    expect(first.headers.get('cache-control')).toBe('private, max-age=5, must-revalidate');
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
  });

  it('gives a strong read of one level an ETag and no-cache, so that a cache always asks again', async () => {
    // Prepare
    const level = await aLevel(api(), 5);
    const admin = await anAdmin(api());
    const path = `/skus/${level.sku}/locations/${level.locationId}`;
    const first = await call(api().url, 'GET', path, { token: admin.token });

    // Act
    const again = await call(api().url, 'GET', path, {
      token: admin.token,
      headers: { 'if-none-match': `W/${first.headers.get('etag')}, "other"` },
    });

    // Assess
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    expect(first.headers.get('vary')).toBe('authorization');
    expect(again.status).toBe(304);
  });

  it('keeps no-store and no ETag on writes and problems', async () => {
    // Prepare
    const level = await aLevel(api(), 5);
    const admin = await anAdmin(api());

    // Act
    const write = await call(api().url, 'POST', `/skus/${level.sku}/locations/${level.locationId}/receipts`, {
      token: admin.token,
      json: { quantity: 1 },
    });
    const missing = await call(api().url, 'GET', `/skus/${aSku()}/locations/${level.locationId}`, {
      token: admin.token,
    });

    // Assess
    expect(write.headers.get('cache-control')).toBe('no-store');
    expect(write.headers.get('etag')).toBeNull();
    expect(missing.headers.get('cache-control')).toBe('no-store');
    expect(missing.headers.get('etag')).toBeNull();
  });
});

describe('GET /skus', () => {
  it('lists the SKUs with a level somewhere, by SKU, with first seen, the locations stocking each and their available units', async () => {
    // Prepare
    const { prefix, skus } = skusUnder(2);
    const [a, b] = skus as [Sku, Sku];
    const here = await aNewLocation(api());
    const there = await aNewLocation(api());
    await aLevel(api(), 4, a, here);
    await aLevel(api(), 6, a, there);
    await aLevel(api(), 1, b, there);
    const buyer = await aBuyer(api());
    await aHold(api(), buyer.sub, { sku: a, locationId: there }, 2);

    // Act
    const reply = await call(api().url, 'GET', `/skus?skuPrefix=${prefix}`, { token: buyer.token });

    // Assess
    expect(reply.status, reply.text).toBe(200);
    const entries = reply.body.skus as Record<string, unknown>[];
    expect(entries.map((e) => e.sku)).toEqual([a, b]);
    expect(entries[0]).toMatchObject({ sku: a, available: 8 });
    expect(entries[0]?.locations).toEqual(
      expect.arrayContaining([
        { locationId: here, available: 4 },
        { locationId: there, available: 4 },
      ]),
    );
    expect(Date.parse(String(entries[0]?.firstSeen))).toBeGreaterThan(Date.parse('2026-01-01'));
    expect(reply.text).not.toContain('onHand');
  });

  it('pages the catalogue to the end, each SKU once, while new SKUs and levels appear', async () => {
    // Prepare
    const { prefix, skus } = skusUnder(11);
    for (const [i, sku] of skus.entries()) {
      await aLevel(api(), 1, sku);
      if (i % 3 === 0) await aLevel(api(), 1, sku);
    }
    const admin = await anAdmin(api());
    let n = 0;
    const meanwhile = async () => {
      n += 1;
      await aLevel(api(), 1, skus[n % skus.length] as Sku);
    };

    // Act
    const { rows } = await allPages(`/skus?skuPrefix=${prefix}&limit=3`, admin.token, 'skus', meanwhile);

    // Assess
    expect(rows.map((r) => r.sku)).toEqual(skus);
  });

  it('lists nothing for a prefix no SKU has: an unknown SKU is unknown here too', async () => {
    // Prepare
    const admin = await anAdmin(api());

    // Act
    const reply = await call(api().url, 'GET', `/skus?skuPrefix=${aSku()}`, { token: admin.token });

    // Assess
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body).toEqual({ skus: [], nextCursor: null });
  });
});

describe('GET /reservations', () => {
  it("lists the caller's own reservations newest first, paged over its partitions with no duplicate or gap while it keeps reserving", async () => {
    // Prepare
    const level = await aLevel(api(), 500);
    const buyer = await aBuyer(api());
    const made: string[] = [];
    for (let i = 0; i < 13; i++) made.push(await aHold(api(), buyer.sub, level, 1));
    const stranger = await aBuyer(api());
    await aHold(api(), stranger.sub, level, 1);
    const later: string[] = [];

    // Act
    const { rows } = await allPages('/reservations?limit=4', buyer.token, 'reservations', async () => {
      later.push(await aHold(api(), buyer.sub, level, 1));
    });

    // Assess
    const ids = rows.map((r) => r.reservationId as string);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => made.includes(id))).toEqual([...made].reverse());
    expect(ids.every((id) => made.includes(id) || later.includes(id))).toBe(true);
    expect(rows.every((r) => r.ownerId === buyer.sub)).toBe(true);
  });

  it('filters by status', async () => {
    // Prepare
    const level = await aLevel(api(), 10);
    const buyer = await aBuyer(api());
    const held = await aHold(api(), buyer.sub, level, 1);
    const confirmed = await aHold(api(), buyer.sub, level, 1);
    await resolveHold(api().deps, 'confirm', { reservationId: confirmed }, buyer.sub, buyer.sub);

    // Act
    const heldOnes = await call(api().url, 'GET', '/reservations?status=HELD', { token: buyer.token });
    const confirmedOnes = await call(api().url, 'GET', '/reservations?status=CONFIRMED', {
      token: buyer.token,
    });

    // Assess
    expect((heldOnes.body.reservations as { reservationId: string }[]).map((r) => r.reservationId)).toEqual([
      held,
    ]);
    expect((confirmedOnes.body.reservations as { status: string }[]).map((r) => r.status)).toEqual([
      'CONFIRMED',
    ]);
  });

  it("lets an admin list an owner's or a level's reservations, and no one else", async () => {
    // Prepare
    const level = await aLevel(api(), 10);
    const buyer = await aBuyer(api());
    const other = await aBuyer(api());
    const mine = await aHold(api(), buyer.sub, level, 1);
    const theirs = await aHold(api(), other.sub, level, 2);
    const admin = await anAdmin(api());

    // Act
    const byOwner = await call(api().url, 'GET', `/reservations?ownerId=${buyer.sub}`, {
      token: admin.token,
    });
    const byLevel = await call(
      api().url,
      'GET',
      `/reservations?sku=${level.sku}&locationId=${level.locationId}`,
      {
        token: admin.token,
      },
    );
    const snooping = await call(api().url, 'GET', `/reservations?ownerId=${other.sub}`, {
      token: buyer.token,
    });
    const byLevelAsBuyer = await call(
      api().url,
      'GET',
      `/reservations?sku=${level.sku}&locationId=${level.locationId}`,
      { token: buyer.token },
    );

    // Assess
    expect((byOwner.body.reservations as { reservationId: string }[]).map((r) => r.reservationId)).toEqual([
      mine,
    ]);
    expect((byLevel.body.reservations as { reservationId: string }[]).map((r) => r.reservationId)).toEqual([
      theirs,
      mine,
    ]);
    expectProblem(snooping, 'forbidden');
    expectProblem(byLevelAsBuyer, 'forbidden');
  });

  it('answers a level listing of an unknown SKU 404 unknown-sku, and half a level 400 naming the missing field', async () => {
    // Prepare
    const admin = await anAdmin(api());
    const locationId = await aNewLocation(api());

    // Act
    const unknown = await call(api().url, 'GET', `/reservations?sku=${aSku()}&locationId=${locationId}`, {
      token: admin.token,
    });
    const half = await call(api().url, 'GET', `/reservations?sku=${aSku()}`, { token: admin.token });
    const badStatus = await call(api().url, 'GET', '/reservations?status=LOST', { token: admin.token });
    const badCursor = await call(api().url, 'GET', '/reservations?cursor=eyJ4IjoxfQ', { token: admin.token });

    // Assess
    expectProblem(unknown, 'unknown-sku');
    expectProblem(half, 'validation-error');
    expect(half.body.errors).toEqual([expect.objectContaining({ field: 'locationId' })]);
    expectProblem(badStatus, 'validation-error');
    expect(badStatus.body.errors).toEqual([expect.objectContaining({ field: 'status' })]);
    expectProblem(badCursor, 'validation-error');
    expect(badCursor.body.errors).toEqual([expect.objectContaining({ field: 'cursor' })]);
  });
});

describe('GET /carts', () => {
  it("lists the caller's carts newest first with their holds, filtered by status", async () => {
    // Prepare
    const level = await aLevel(api(), 10);
    const buyer = await aBuyer(api());
    const first = await aHeldCart(api(), buyer.sub, level, 1);
    const second = await aHeldCart(api(), buyer.sub, level, 2);
    await call(api().url, 'POST', `/carts/${first}/confirm`, { token: buyer.token });
    const other = await aBuyer(api());
    await aHeldCart(api(), other.sub, level, 1);

    // Act
    const all = await call(api().url, 'GET', '/carts', { token: buyer.token });
    const held = await call(api().url, 'GET', '/carts?status=HELD', { token: buyer.token });

    // Assess
    expect(all.status, all.text).toBe(200);
    const carts = all.body.carts as { cartId: string; status: string; holds: { status: string }[] }[];
    expect(carts.map((c) => [c.cartId, c.status])).toEqual([
      [second, 'HELD'],
      [first, 'CONFIRMED'],
    ]);
    expect(carts[1]?.holds.map((h) => h.status)).toEqual(['CONFIRMED']);
    expect((held.body.carts as { cartId: string }[]).map((c) => c.cartId)).toEqual([second]);
  });
});
