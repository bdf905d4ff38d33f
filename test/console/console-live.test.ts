import { describe, expect, it } from 'vitest';
import { useConsole } from './support.js';

/** The operator console with the local runtime's live feed on (the other console tests run without it). */
const under = useConsole({ events: { startAt: 'LATEST', intervalMs: 50 }, live: true });

describe('the operator console on the live feed', () => {
  it("follows a location's stock table on one location subscription, and shows a receipt without reloading", async () => {
    // Prepare
    const { context, page } = await under().signedIn('clerk-berlin');
    const sent: string[] = [];
    page.on('websocket', (socket) => socket.on('framesent', ({ payload }) => sent.push(String(payload))));
    await page.goto(`${under().url}/console/#/stock/WH-BERLIN`);
    const row = page.locator('tr[data-sku="SOCKS-3PACK"]');
    await expect.poll(() => row.locator('[data-col="onHand"]').textContent()).toBe('100');
    await expect.poll(() => page.locator('p.live').textContent()).toContain('Live: figures update');
    await expect.poll(() => sent.length).toBeGreaterThan(0);
    const listReads: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/locations/WH-BERLIN/levels')) listReads.push(request.url());
    });

    // Act
    const answer = await under().call(
      'WAREHOUSE_TOKEN',
      'POST',
      '/skus/SOCKS-3PACK/locations/WH-BERLIN/receipts',
      { quantity: 4 },
    );

    // Assess
    expect(answer.status).toBe(200);
    await expect
      .poll(() => row.locator('[data-col="onHand"]').textContent(), { timeout: 15_000 })
      .toBe('104');
    expect(listReads).toEqual([]);
    expect(sent.map((frame) => JSON.parse(frame))).toEqual([
      { action: 'subscribe', topic: 'location:WH-BERLIN' },
    ]);
    await context.close();
  });
});
