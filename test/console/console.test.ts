import { describe, expect, it } from 'vitest';
import { expectReceiptShown, useConsole } from './support.js';

/** The operator console in a real headless Chromium against the local runtime. */
const under = useConsole();

const bucket = (page: import('playwright-core').Page, name: string) =>
  page.locator(`[data-bucket="${name}"] dd`);

describe('the operator console', () => {
  it("lets a warehouse user receive stock and shows the level's figures and chart change", async () => {
    // Prepare
    const { context, page } = await under().signedIn('clerk-berlin');
    await page.goto(`${under().url}/console/#/level/MUG-LOGO/WH-BERLIN`);
    await expect.poll(() => bucket(page, 'onHand').textContent()).toBe('5');
    const chart = page.getByRole('img', { name: /On hand and available of MUG-LOGO/ });
    await expect
      .poll(() => chart.getAttribute('aria-label'))
      .toContain('1 changes shown, now 5 on hand and 5 available');

    // Act
    const receive = page.locator('details[data-action="receive"]');
    await receive.locator('summary').click();
    await receive.getByLabel('Units').fill('7');
    await receive.getByLabel('Why').fill('delivery from the supplier');
    await receive.getByRole('button', { name: 'Receive' }).click();

    // Assess
    await expect.poll(() => bucket(page, 'onHand').textContent()).toBe('12');
    expect(await bucket(page, 'available').textContent()).toBe('12');
    await expect
      .poll(() => chart.getAttribute('aria-label'))
      .toContain('2 changes shown, now 12 on hand and 12 available');
    const newest = page.getByRole('region', { name: 'Movements' }).locator('tbody tr').first();
    expect(await newest.textContent()).toMatch(
      /RECEIVED.*on hand \+7.*clerk-berlin.*delivery from the supplier/,
    );
    await context.close();
  });

  it("shows the received units in the location's table", async () => {
    // Prepare
    const { context, page } = await under().signedIn('clerk-berlin');
    await page.goto(`${under().url}/console/#/stock/WH-BERLIN`);
    const row = page.locator('tr[data-sku="SOCKS-3PACK"]');
    await expect.poll(() => row.locator('[data-col="onHand"]').textContent()).toBe('100');

    // Act, and Assess: the row shows the receipt
    await expectReceiptShown(under(), row, {
      sku: 'SOCKS-3PACK',
      locationId: 'WH-BERLIN',
      quantity: 4,
      onHandAfter: '104',
    });
    await context.close();
  });

  it('shows a reserve made over the API in a second browser without reloading', async () => {
    // Prepare: the second browser is an admin looking at the level.
    const { context, page } = await under().signedIn('admin-1');
    await page.goto(`${under().url}/console/#/level/TSHIRT-BLUE-M/WH-PARIS`);
    await expect.poll(() => bucket(page, 'reserved').textContent()).toBe('0');
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => navigations.push(frame.url()));

    // Act
    const answer = await under().call('ALICE_TOKEN', 'POST', '/reservations', {
      sku: 'TSHIRT-BLUE-M',
      locationId: 'WH-PARIS',
      quantity: 3,
    });

    // Assess: the live feed when the server has one, else the page's own refresh (it says which).
    expect(answer.status).toBe(201);
    await expect.poll(() => bucket(page, 'reserved').textContent(), { timeout: 15_000 }).toBe('3');
    expect(await bucket(page, 'available').textContent()).toBe('9');
    expect(navigations).toEqual([]);
    await context.close();
  });

  it("lists a level's live holds with their countdown", async () => {
    // Prepare
    await under().call('ALICE_TOKEN', 'POST', '/reservations', {
      sku: 'MUG-LOGO',
      locationId: 'WH-PARIS',
      quantity: 2,
    });

    // Act
    const { context, page } = await under().signedIn('admin-1');
    await page.goto(`${under().url}/console/#/level/MUG-LOGO/WH-PARIS`);

    // Assess
    await expect.poll(() => page.getByText(/2 units for shop-alice, expires in \d+:\d\d/).count()).toBe(1);
    await context.close();
  });

  it('does not let a storefront user reach the warehouse pages', async () => {
    // Prepare
    const { context, page } = await under().signedIn('shop-alice');

    // Act
    const offered = await page.getByRole('navigation', { name: 'Pages' }).getByRole('link').allTextContents();
    await page.goto(`${under().url}/console/#/stock/WH-BERLIN`);

    // Assess
    expect(offered).toEqual(['Holds and carts']);
    await expect
      .poll(() => page.getByRole('heading', { level: 1 }).textContent())
      .toBe('Not available to you');
    expect(await page.getByRole('alert').textContent()).toContain(
      'warehouse users (at their locations) and admins',
    );
    await context.close();
  });

  it("offers a warehouse user no action at another warehouse's level", async () => {
    // Prepare
    const { context, page } = await under().signedIn('clerk-berlin');

    // Act
    await page.goto(`${under().url}/console/#/level/MUG-LOGO/WH-MADRID`);

    // Assess
    await expect
      .poll(() => page.getByRole('alert').first().textContent())
      .toContain('You may not do this at WH-MADRID');
    expect(await page.getByRole('heading', { name: 'Actions' }).count()).toBe(0);
    await context.close();
  });

  it('shows a refused action with its problem in words', async () => {
    // Prepare
    const { context, page } = await under().signedIn('clerk-berlin');
    await page.goto(`${under().url}/console/#/level/TSHIRT-BLUE-M/WH-BERLIN`);
    await expect.poll(() => bucket(page, 'available').textContent()).toBe('40');

    // Act
    const block = page.locator('details[data-action="block"]');
    await block.locator('summary').click();
    await block.getByLabel('Units').fill('1000');
    await block.getByRole('button', { name: 'Block' }).click();

    // Assess
    const alert = block.getByRole('alert');
    await expect
      .poll(() => alert.textContent())
      .toContain(
        'Block refused: Not enough stock: 1000 asked from available of TSHIRT-BLUE-M at WH-BERLIN, only 40 there. Nothing was changed.',
      );
    expect(await bucket(page, 'unavailable').textContent()).toBe('0');
    await context.close();
  });

  it('reports the bad row of an imported file by its line', async () => {
    // Prepare
    const { context, page } = await under().signedIn('clerk-berlin');
    await page.goto(`${under().url}/console/#/imports`);
    const csv = [
      'op,sku,locationId,quantity,reason',
      'receipt,MUG-LOGO,WH-PARIS,3,restock',
      'block,SOCKS-3PACK,WH-PARIS,5,damaged',
      'receipt,TSHIRT-BLUE-M,WH-PARIS,2,restock',
    ].join('\n');

    // Act
    await page
      .getByLabel('Stock file (CSV)')
      .setInputFiles({ name: 'stock.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByRole('button', { name: 'Import' }).click();

    // Assess: line 3 blocks 5 of the 0 socks in Paris.
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'applied' }).textContent())
      .toContain('2 rows applied, 1 refused');
    const refused = page.locator('tr[data-line]');
    expect(await refused.count()).toBe(1);
    expect(await refused.first().getAttribute('data-line')).toBe('3');
    expect(await refused.first().textContent()).toContain('Not enough stock');
    await context.close();
  });

  it("pages through a location's levels, back and forth", async () => {
    // Prepare: 26 levels whose SKUs sort after the demo's, one more than a page holds
    for (let i = 0; i < 26; i++) {
      const sku = `ZZ-PAGE-${String(i).padStart(2, '0')}`;
      const receipt = `/skus/${sku}/locations/WH-BERLIN/receipts`;
      const answer = await under().call('WAREHOUSE_TOKEN', 'POST', receipt, { quantity: 1 });
      expect(answer.status).toBe(200);
    }
    const { context, page } = await under().signedIn('clerk-berlin');
    await page.goto(`${under().url}/console/#/stock/WH-BERLIN`);
    await page.getByLabel('SKU starts with').fill('ZZ-PAGE-');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const rows = page.locator('tbody tr[data-sku]');
    const pager = page.getByRole('navigation', { name: 'Pages of levels at WH-BERLIN' });
    const next = pager.getByRole('button', { name: 'Next page' });
    const previous = pager.getByRole('button', { name: 'Previous page' });
    const skus = () => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-sku') ?? ''));
    const filtered = async () => (await skus()).filter((sku) => sku.startsWith('ZZ-PAGE-')).length;
    await expect.poll(async () => [await filtered(), await rows.count()]).toEqual([25, 25]);
    const firstPage = await skus();
    expect(await previous.isDisabled()).toBe(true);

    // Act
    await next.click();

    // Assess: the one level left, and no further page
    await expect.poll(() => rows.count()).toBe(1);
    const [secondPage] = await skus();
    expect(secondPage).toMatch(/^ZZ-PAGE-/);
    expect(firstPage).not.toContain(secondPage);
    expect(await next.isDisabled()).toBe(true);

    // Act: back to the first page
    await previous.click();

    // Assess
    await expect.poll(() => rows.count()).toBe(25);
    expect(await skus()).toEqual(firstPage);
    expect(await previous.isDisabled()).toBe(true);
    expect(await next.isDisabled()).toBe(false);
    await context.close();
  });
});
