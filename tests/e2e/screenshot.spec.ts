import { test } from '@playwright/test';
import { fixture } from './fixtures.ts';
import { openApp, pickFiles, waitForImportIdle } from './helpers.ts';

// Not a check: refreshes the README screenshot when run with SCREENSHOT=1.
test.skip(!process.env.SCREENSHOT, 'set SCREENSHOT=1 to refresh the README screenshot');

test('README screenshot', async ({ page }) => {
  await page.setViewportSize({ width: 1200, height: 720 });
  await openApp(page);
  await pickFiles(page, [
    fixture('tagged.mp3'),
    fixture('02 - Fixture Artist - Evening Song.mp3'),
    fixture('wave-tone.wav'),
    fixture('flac-tone.flac'),
    fixture('long-road.mp3'),
    fixture('picture.mp3'),
    fixture('truncated.mp3'),
  ]);
  await waitForImportIdle(page);
  await page.locator('[data-testid="song-row"][data-title="Morning Light"] .row-main').click();
  await page.waitForTimeout(1500);
  await page.screenshot({ path: process.env.SCREENSHOT_PATH ?? '/tmp/norae.png' });
});
