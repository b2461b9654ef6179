import { expect } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { openApp, waitForServiceWorker } from './helpers.ts';
import { test } from './test.ts';

/**
 * Rewrites the served dist/sw.js for a while, so it runs in its own Playwright project after
 * every other spec (playwright.config.ts): a spec running beside it would meet a "new version".
 */
test('a new deployment offers "update available — reload"', async ({ page }) => {
  await openApp(page);
  await waitForServiceWorker(page);
  // Deploy a new version: the served service worker changes (one precache revision differs).
  const swPath = resolve(import.meta.dirname, '../../dist/sw.js');
  const original = readFileSync(swPath, 'utf8');
  const deployed = original.replace(/revision:"([0-9a-f])/, (_m, c: string) => `revision:"${c === '0' ? '1' : '0'}`);
  expect(deployed).not.toBe(original);
  writeFileSync(swPath, deployed);
  try {
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    const action = page.getByTestId('toast-action');
    await expect(action).toHaveText('Reload', { timeout: 30_000 });
    await expect(page.getByTestId('toasts')).toContainText('A new version of Norae is ready.');
    // Reloading activates the waiting worker and shows the new version.
    const newController = page.evaluate(
      () => new Promise<boolean>((done) => navigator.serviceWorker.addEventListener('controllerchange', () => done(true), { once: true })),
    );
    await action.click();
    expect(await newController).toBe(true);
    await page.waitForLoadState('load');
    await expect(page.locator('#main')).toBeVisible();
  } finally {
    writeFileSync(swPath, original);
  }
});
