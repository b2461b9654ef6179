import { expect } from '@playwright/test';
import { fixture } from './fixtures.ts';
import { test } from './test.ts';
import {
  foreignRequests,
  openApp,
  pickFiles,
  readyRows,
  recordRequests,
  waitForImportIdle,
  waitForServiceWorker,
} from './helpers.ts';

test('after one visit the app, its songs and playback work offline', async ({ page, context }) => {
  const requests = recordRequests(context);
  await openApp(page);
  await waitForServiceWorker(page);
  await expect(page.getByTestId('toasts')).toContainText('Norae now works offline');
  await pickFiles(page, [fixture('long-road.mp3'), fixture('tagged.mp3')]);
  await waitForImportIdle(page);

  await context.setOffline(true);
  await page.reload();
  await expect(readyRows(page)).toHaveCount(2);
  // The analysis worker's code comes from the precache too: a fresh import works offline.
  await pickFiles(page, [fixture('wave-tone.wav')]);
  await waitForImportIdle(page);
  await expect(readyRows(page)).toHaveCount(3);

  await page.locator('[data-testid="song-row"][data-title="Long Road"] .row-main').click();
  const audio = page.getByTestId('audio');
  await expect.poll(() => audio.evaluate((a: HTMLAudioElement) => a.currentTime), { timeout: 15_000 }).toBeGreaterThan(0.5);

  // A cold start offline, in a new tab.
  const second = await context.newPage();
  await second.goto('/');
  await expect(readyRows(second)).toHaveCount(3);
  await context.setOffline(false);
  expect(foreignRequests(requests, new URL(page.url()).origin)).toEqual([]);
});

test('after one visit a photo is read offline: the face worker, its code, the wasm and the nets come from the precache', async ({ page, context }) => {
  test.setTimeout(120_000);
  const requests = recordRequests(context);
  await openApp(page);
  await waitForServiceWorker(page);
  await context.setOffline(true);
  await page.reload();
  await page.getByTestId('nav-feel').click();
  await page.getByTestId('face-input').setInputFiles(fixture('five-people.jpg'));
  await expect(page.getByTestId('face-result')).toHaveAttribute('data-faces', /[1-9]/, { timeout: 90_000 });
  expect(page.workers().map((w) => w.url()).some((url) => url.includes('face-worker'))).toBe(true);
  await context.setOffline(false);
  expect(foreignRequests(requests, new URL(page.url()).origin)).toEqual([]);
});

test('the manifest makes the app installable', async ({ page, request }) => {
  await openApp(page);
  const href = await page.locator('link[rel="manifest"]').getAttribute('href');
  expect(href).toBeTruthy();
  const manifest = await (await request.get(href ?? '')).json();
  expect(manifest).toMatchObject({ name: expect.stringContaining('Norae'), short_name: 'Norae', display: 'standalone', start_url: '/' });
  expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
  const sizes = manifest.icons.map((i: { sizes: string; purpose?: string }) => `${i.sizes}:${i.purpose ?? 'any'}`);
  expect(sizes).toEqual(expect.arrayContaining(['192x192:any', '512x512:any', '512x512:maskable']));
  for (const icon of manifest.icons) expect((await request.get(icon.src)).status()).toBe(200);
  // A strict Content-Security-Policy forbids every other origin.
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("connect-src 'self';");
});
