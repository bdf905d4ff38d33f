import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAPTOP, PHONE, SCREENSHOTS, useConsole } from './support.js';

/**
 * The console's main pages at a laptop's and a phone's width: each page fits the width (tables scroll inside
 * their own region, the page never sideways), and a screenshot of each is written to SCREENSHOTS
 * (`CONSOLE_SCREENSHOTS=docs/console npx vitest run test/console/screenshots.test.ts` refreshes the README's).
 */
const under = useConsole({ events: { intervalMs: 200 } });

const PAGES = [
  { name: 'level', as: 'clerk-berlin', hash: '#/level/SOCKS-3PACK/WH-BERLIN', ready: 'Movements' },
  { name: 'stock', as: 'clerk-berlin', hash: '#/stock/WH-BERLIN', ready: 'Stock at WH-BERLIN' },
  { name: 'holds', as: 'admin-1', hash: '#/holds', ready: 'Carts' },
  { name: 'events', as: 'admin-1', hash: '#/events', ready: 'Events' },
  { name: 'imports', as: 'clerk-berlin', hash: '#/imports', ready: 'Import a stock file' },
] as const;

describe('the console at laptop and phone widths', () => {
  it.each([
    ['laptop', LAPTOP],
    ['phone', PHONE],
  ] as const)('fits each main page into a %s width', async (width, viewport) => {
    // Prepare: some history on the level shown.
    const level = '/skus/SOCKS-3PACK/locations/WH-BERLIN';
    const prepared = [
      await under().call('WAREHOUSE_TOKEN', 'POST', `${level}/blocks`, {
        quantity: 4,
        reason: 'damaged in transit',
      }),
      await under().call('ALICE_TOKEN', 'POST', '/reservations', {
        sku: 'SOCKS-3PACK',
        locationId: 'WH-BERLIN',
        quantity: 25,
      }),
      await under().call('WAREHOUSE_TOKEN', 'POST', `${level}/receipts`, {
        quantity: 30,
        reason: 'delivery',
        reference: { type: 'po', id: '1042' },
      }),
    ];
    expect(prepared.map((answer) => answer.status)).toEqual([200, 201, 200]);
    const overflows: Record<string, number> = {};

    // Act
    for (const shown of PAGES) {
      const { context, page } = await under().signedIn(shown.as, viewport);
      await page.goto(`${under().url}/console/${shown.hash}`);
      await page.getByRole('heading', { name: shown.ready }).first().waitFor();
      await page.waitForTimeout(300);
      overflows[shown.name] = Number(
        await page.evaluate('document.documentElement.scrollWidth - window.innerWidth'),
      );
      await page.screenshot({ path: join(SCREENSHOTS, `${shown.name}-${width}.png`), fullPage: true });
      await context.close();
    }
    const context = await under().browser.newContext({ viewport });
    const signIn = await context.newPage();
    await signIn.goto(`${under().url}/console/`);
    await signIn.getByRole('heading', { name: 'Sign in to the inventory console' }).waitFor();
    overflows['sign-in'] = Number(
      await signIn.evaluate('document.documentElement.scrollWidth - window.innerWidth'),
    );
    await signIn.screenshot({ path: join(SCREENSHOTS, `sign-in-${width}.png`), fullPage: true });
    await context.close();

    // Assess
    expect(overflows).toEqual({ level: 0, stock: 0, holds: 0, events: 0, imports: 0, 'sign-in': 0 });
  });
});
