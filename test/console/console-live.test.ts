import { describe, expect, it } from 'vitest';
import { expectReceiptShown, useConsole } from './support.js';

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

    // Act, and Assess: the row shows the receipt
    await expectReceiptShown(under(), row, {
      sku: 'SOCKS-3PACK',
      locationId: 'WH-BERLIN',
      quantity: 4,
      onHandAfter: '104',
    });

    // Assess: by the live feed on one subscription, not by reading the list again
    expect(listReads).toEqual([]);
    expect(sent.map((frame) => JSON.parse(frame))).toEqual([
      { action: 'subscribe', topic: 'location:WH-BERLIN' },
    ]);
    await context.close();
  });
});
