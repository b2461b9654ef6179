import { expect } from '@playwright/test';
import { fixture } from './fixtures.ts';
import { openApp, pickFiles, readyRows, waitForImportIdle } from './helpers.ts';
import { test } from './test.ts';

const cspOf = (headers: Record<string, string>) => headers['content-security-policy'] ?? '';

test('the policy is sent as headers on the page, the workers and the service worker, and source maps are not published', async ({ page, request }) => {
  const response = await page.goto('/');
  const csp = cspOf(response?.headers() ?? {});
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("connect-src 'self';");
  expect(csp).toContain("worker-src 'self';");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(response?.headers()['x-content-type-options']).toBe('nosniff');
  // The workers (the one that parses untrusted files, the face nets' one) get the policy from their own responses.
  const loaded = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  const scripts = [...new Set([...(await page.locator('script[src]').evaluateAll((els) => els.map((e) => (e as HTMLScriptElement).src))), ...loaded])].filter((u) => u.endsWith('.js'));
  const sw = await (await request.get('/sw.js')).text();
  const libraryWorker = sw.match(/assets\/library-worker-[\w-]+\.js/)?.[0];
  expect(libraryWorker, 'the service worker precaches the library worker').toBeTruthy();
  const faceWorker = sw.match(/assets\/face-worker-[\w-]+\.js/)?.[0];
  expect(faceWorker, 'the service worker precaches the face worker').toBeTruthy();
  for (const path of [`/${libraryWorker}`, `/${faceWorker}`, '/sw.js', ...scripts.map((u) => new URL(u).pathname)]) {
    const r = await request.get(path);
    expect(r.status(), path).toBe(200);
    expect(cspOf(r.headers()), path).toBe(csp);
    expect(await r.text(), path).not.toContain('sourceMappingURL');
  }
  // Static hosts get the same headers from _headers.
  const headersFile = await (await request.get('/_headers')).text();
  expect(headersFile).toContain(`Content-Security-Policy: ${csp}`);
});

test('importing every format, reading a voice file and a photo break no rule of the policy', async ({ page }) => {
  test.setTimeout(120_000);
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await openApp(page);
  const songs = ['tagged.mp3', 'flac-tone.flac', 'vorbis-tone.ogg', 'opus-tone.opus', 'aac-tone.m4a', 'click-120.wav'];
  await pickFiles(page, songs.map(fixture));
  await waitForImportIdle(page);
  await expect(readyRows(page)).toHaveCount(songs.length, { timeout: 60_000 });
  await page.getByTestId('nav-feel').click();
  await page.getByTestId('voice-input').setInputFiles(fixture('speech.wav'));
  await expect(page.getByTestId('voice-result')).toBeVisible({ timeout: 60_000 });
  await page.getByTestId('face-input').setInputFiles(fixture('happy-face.png'));
  await expect(page.getByTestId('face-result')).toBeVisible({ timeout: 60_000 });
  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
});
