import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { buildConsole } from '../../infra/console/build.js';
import { consoleSite, demoCallerLabel } from '../../infra/local/console-site.js';
import { DEMO_CALLERS } from '../../infra/local/demo-callers.js';
import { newDevSigningKey } from '../../infra/local/dev-keys.js';
import { signDevToken } from '../../infra/local/dev-tokens.js';
import { type LocalEventsOptions, startLocalRuntime } from '../../infra/local/runtime.js';
import { seedDemo } from '../../infra/local/seed-demo.js';
import { systemClock } from '../../shared/kernel/clock.js';
import { ulidSource } from '../../shared/kernel/ids.js';
import { loadServiceConfig } from '../../shared/platform/config/service-config.js';
import { createDynamoStores } from '../../shared/platform/runtime/stores.js';
import { createTestTable } from '../support/dynamo.js';

/** Debian's Chromium (README prerequisites); Playwright drives it, never a browser of its own. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/lib/chromium/chromium';
/** Without these, Chromium reaches for Google's hosts at start, which a closed network refuses. */
const CHROMIUM_ARGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-gpu',
  '--disable-quic',
];

export const LAPTOP = { width: 1280, height: 800 } as const;
export const PHONE = { width: 390, height: 844 } as const;

/** Where the screenshots go: test-results/console (ignored by git), or CONSOLE_SCREENSHOTS (docs/console for the README). */
export const SCREENSHOTS = resolve(process.env.CONSOLE_SCREENSHOTS ?? 'test-results/console');

export interface ConsoleUnderTest {
  /** http://127.0.0.1:port */
  readonly url: string;
  readonly browser: Browser;
  /** A bearer token of a demo caller, for calls over the API beside the browser. */
  token(variable: 'ADMIN_TOKEN' | 'WAREHOUSE_TOKEN' | 'ALICE_TOKEN' | 'BOB_TOKEN'): string;
  /** A new browser context (its own storage: another person), signed in as a demo caller, on the console's home. */
  signedIn(
    label: 'admin-1' | 'clerk-berlin' | 'shop-alice',
    viewport?: { width: number; height: number },
  ): Promise<{ context: BrowserContext; page: Page }>;
  /** Calls the API as a demo caller. */
  call(
    variable: string,
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: unknown }>;
}

/**
 * The whole service with the console for one test file: a fresh table seeded with the demo catalog, the local
 * runtime on a free port serving the freshly built console, and one headless Chromium (launched once per file).
 */
export function useConsole(
  options: { events?: LocalEventsOptions | false; live?: boolean } = {},
): () => ConsoleUnderTest {
  let under: ConsoleUnderTest | undefined;
  let stop = async () => {};
  beforeAll(async () => {
    const table = await createTestTable();
    const key = await newDevSigningKey();
    const tokens = new Map<string, string>();
    const demo: { label: string; token: string }[] = [];
    for (const c of DEMO_CALLERS) {
      const token = await signDevToken(key, c.claims);
      tokens.set(c.variable, token);
      demo.push({ label: demoCallerLabel(c.claims), token });
    }
    const built = mkdtempSync(join(tmpdir(), 'console-'));
    const settings = { CALLER_RATE_LIMIT_PER_SECOND: '1000000', CALLER_RATE_LIMIT_BURST: '1000000' };
    let liveUrl: string | null = null;
    const runtime = await startLocalRuntime({
      port: 0,
      dynamoEndpoint: table.endpoint,
      tableName: table.tableName,
      signingKey: key,
      settings,
      events: options.events ?? false,
      sites: [consoleSite({ dir: buildConsole(built), demoCallers: demo, liveUrl: () => liveUrl })],
      ...(options.live ? { live: { port: 0 } } : {}),
    });
    liveUrl = runtime.live?.url ?? null;
    const config = loadServiceConfig(settings);
    await seedDemo({
      ...createDynamoStores({ client: table.client, tableName: table.tableName }),
      clock: systemClock,
      ids: ulidSource(systemClock),
      holdPolicy: config.holdPolicy,
    });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    mkdirSync(SCREENSHOTS, { recursive: true });
    stop = async () => {
      await browser.close();
      await runtime.stop();
      await table.drop();
      rmSync(built, { recursive: true, force: true });
    };
    const tokenOf = (variable: string) => {
      const token = tokens.get(variable);
      if (!token) throw new Error(`no demo caller ${variable}`);
      return token;
    };
    under = {
      url: runtime.url,
      browser,
      token: tokenOf,
      async signedIn(label, viewport = LAPTOP) {
        const context = await browser.newContext({ viewport });
        const page = await context.newPage();
        await page.goto(`${runtime.url}/console/`);
        await page.getByRole('button', { name: new RegExp(`^${label}:`) }).click();
        await page.getByRole('button', { name: 'Sign out' }).waitFor();
        return { context, page };
      },
      async call(variable, method, path, body) {
        const response = await fetch(`${runtime.url}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${tokenOf(variable)}`,
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        });
        const text = await response.text();
        return { status: response.status, body: text ? JSON.parse(text) : null };
      },
    };
  });
  afterAll(() => stop());
  return () => {
    if (!under) throw new Error('the console is not started');
    return under;
  };
}

/**
 * Receives units over the API as the Berlin clerk and waits for a row of a location's stock table on the page to
 * show the level's new on-hand (the page's own refresh or the live feed: each caller asserts which).
 */
export async function expectReceiptShown(
  under: ConsoleUnderTest,
  row: Locator,
  receipt: { sku: string; locationId: string; quantity: number; onHandAfter: string },
): Promise<void> {
  const answer = await under.call(
    'WAREHOUSE_TOKEN',
    'POST',
    `/skus/${receipt.sku}/locations/${receipt.locationId}/receipts`,
    { quantity: receipt.quantity },
  );
  expect(answer.status).toBe(200);
  await expect
    .poll(() => row.locator('[data-col="onHand"]').textContent(), { timeout: 15_000 })
    .toBe(receipt.onHandAfter);
}
