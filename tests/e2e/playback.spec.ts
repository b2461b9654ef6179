import { expect } from '@playwright/test';
import { writeFileSync } from 'node:fs';
import { wavBytes } from './fixtures.ts';
import { openApp, pickFiles, tapPlaneAwayFromSongs, waitForImportIdle } from './helpers.ts';
import { test } from './test.ts';

const SONG_SECONDS = 7;

test('in a hidden page (no animation frames) a 3-song check-in playlist crossfades through to the third song at full volume', async ({ page }, testInfo) => {
  test.setTimeout(120_000);
  // What a background tab or a minimised window gets: hidden, and animation frames never come.
  await page.addInitScript(() => {
    Object.defineProperty(document, 'hidden', { get: () => true });
    Object.defineProperty(document, 'visibilityState', { get: () => 'hidden' });
    window.requestAnimationFrame = () => 0;
  });
  const files = [220, 440, 880].map((hz, i) => {
    const path = testInfo.outputPath(`fade-${i + 1}.wav`);
    writeFileSync(path, wavBytes(SONG_SECONDS, 22050, hz, i));
    return path;
  });
  await openApp(page);
  await pickFiles(page, files);
  await waitForImportIdle(page);
  await expect(page.locator('[data-testid="song-row"][data-status="ready"]')).toHaveCount(3, { timeout: 60_000 });

  // Say where you are with a tap on the plane, ask for three songs, play them (3 s crossfades).
  await tapPlaneAwayFromSongs(page);
  await page.getByTestId('length').fill('3');
  await page.getByTestId('length').blur();
  const items = page.getByTestId('playlist-item');
  await expect(items).toHaveCount(3);
  const ids = await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-song-id')));
  await page.getByTestId('play-playlist').click();

  // The third song becomes the one heard, at full volume, and plays on.
  const audio = page.getByTestId('audio');
  await expect.poll(() => audio.evaluate((a: HTMLAudioElement) => a.currentTime), { timeout: 10_000 }).toBeGreaterThan(0.2);
  await expect(page.locator('[data-testid="playlist-item"][aria-current="true"]')).toHaveAttribute('data-song-id', ids[2] as string, {
    timeout: 3 * SONG_SECONDS * 1000,
  });
  const third = await audio.evaluate((a: HTMLAudioElement) => ({ volume: a.volume, paused: a.paused }));
  expect(third).toEqual({ volume: 1, paused: false });
  await expect.poll(() => audio.evaluate((a: HTMLAudioElement) => a.currentTime), { timeout: 5_000 }).toBeGreaterThan(1);
  // The other deck is silent and empty once the fade is over.
  const standby = await page.getByTestId('audio-standby').evaluate((a: HTMLAudioElement) => ({ paused: a.paused, src: a.getAttribute('src') }));
  expect(standby).toEqual({ paused: true, src: null });
});
