import type { Page } from '@playwright/test';

/**
 * Resolves once nothing matches `selector`, checked every 50 ms in the page. Why not
 * `expect(…).toHaveCount(0)`: its retries back off to one a second, so a 4-s import could be
 * timed up to a second late (25 %); a bench times the end of work to within 50 ms.
 */
export async function waitUntilNone(page: Page, selector: string, timeoutMs: number): Promise<void> {
  await page.waitForFunction((s) => document.querySelector(s) === null, selector, { polling: 50, timeout: timeoutMs });
}
