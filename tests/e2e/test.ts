import { test as base } from '@playwright/test';
import { foreignRequests, recordRequests } from './helpers.ts';

/**
 * Playwright's `test`, with every request the test's browser context makes recorded: the test
 * fails if any went to another origin (the app promises that nothing leaves the device). Specs
 * import `test` from here; pages in browsers of their own (`pageWithFlags`) check the same on close.
 */
export const test = base.extend<{ sameOriginOnly: void }>({
  sameOriginOnly: [
    async ({ context, baseURL }, use) => {
      const urls = recordRequests(context);
      await use();
      const foreign = foreignRequests(urls, new URL(baseURL ?? 'http://localhost').origin);
      if (foreign.length > 0) throw new Error(`requests to another origin: ${foreign.join(', ')}`);
    },
    { auto: true },
  ],
});
