import { resolve } from 'node:path';
import { fixture } from './fixtures.ts';
import { openApp, pickFiles, waitForImportIdle } from './helpers.ts';
import { test } from './test.ts';

// Not a check: refreshes the README screenshot when run with SCREENSHOT=1.
test.skip(!process.env.SCREENSHOT, 'set SCREENSHOT=1 to refresh the README screenshot');

test('README screenshot', async ({ page }) => {
  await page.setViewportSize({ width: 1200, height: 720 });
  await openApp(page);
  // The shared songs beside the checkout (../shared/songs), never committed.
  const shared = resolve(import.meta.dirname, '../../../shared/songs');
  const { existsSync, readdirSync } = await import('node:fs');
  const songs = existsSync(shared) ? readdirSync(shared).filter((f) => f.endsWith('.mp3')).map((f) => `${shared}/${f}`) : [];
  await pickFiles(page, [
    ...songs,
    fixture('tagged.mp3'),
    fixture('02 - Fixture Artist - Evening Song.mp3'),
    fixture('wave-tone.wav'),
    fixture('flac-tone.flac'),
    fixture('long-road.mp3'),
    fixture('picture.mp3'),
  ]);
  await waitForImportIdle(page);
  await page.locator('[data-testid="song-row"][data-title="Morning Light"] .row-main').click();
  await page.waitForTimeout(1500);
  const box = await page.locator('[data-testid="emotion-plane"] canvas').boundingBox();
  if (box) {
    const r = page.locator('[data-testid="song-row"]').filter({ hasText: 'Batcave' }).first();
    const v = Number(await r.getAttribute('data-valence'));
    const a = Number(await r.getAttribute('data-arousal'));
    const k = Math.min(box.width, box.height) / 2.16;
    if (Number.isFinite(v)) await page.mouse.move(box.x + box.width / 2 + v * k, box.y + box.height / 2 - a * k);
    await page.waitForTimeout(300);
  }
  await page.screenshot({ path: process.env.SCREENSHOT_PATH ?? '/tmp/norae.png' });
});
