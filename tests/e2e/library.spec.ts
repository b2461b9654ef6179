import { expect } from '@playwright/test';
import { fixture } from './fixtures.ts';
import { test } from './test.ts';
import {
  dbCounts,
  dropFiles,
  foreignRequests,
  openApp,
  pickFiles,
  readyRows,
  recordRequests,
  songCount,
  waitForImportIdle,
} from './helpers.ts';

const EVERY_FORMAT = [
  'tagged.mp3',
  '02 - Fixture Artist - Evening Song.mp3',
  'wave-tone.wav',
  'vorbis-tone.ogg',
  'opus-tone.opus',
  'flac-tone.flac',
  'aac-tone.m4a',
].map(fixture);

test('imports every audio type by file picker, with tags, cover art and file-name fallback', async ({ page, context }) => {
  const requests = recordRequests(context);
  await openApp(page);
  await expect(page.getByTestId('library-empty')).toBeVisible();
  await pickFiles(page, EVERY_FORMAT);
  await waitForImportIdle(page);
  await expect(readyRows(page)).toHaveCount(7);

  const tagged = page.locator('[data-testid="song-row"][data-title="Morning Light"]');
  await expect(tagged).toContainText('Norae Test Band');
  await expect(tagged).toContainText('Fixtures');
  await expect(tagged).toContainText('0:06');
  // The cover came out of the ID3 tag and was scaled to a thumbnail.
  await expect(tagged.locator('img')).toHaveJSProperty('naturalWidth', 128);

  const untagged = page.locator('[data-testid="song-row"][data-title="Evening Song"]');
  await expect(untagged).toContainText('Fixture Artist');
  for (const title of ['Wave Tone', 'Vorbis Tone', 'Opus Tone', 'Flac Tone', 'Aac Tone']) {
    await expect(page.locator(`[data-testid="song-row"][data-title="${title}"]`)).toHaveAttribute('data-status', 'ready');
  }
  // Ids are SHA-256 of the bytes.
  await expect(tagged).toHaveAttribute('data-song-id', /^[0-9a-f]{64}$/);
  expect(await dbCounts(page)).toEqual({ songs: 7, audio: 7, artwork: 1 });
  expect(foreignRequests(requests, 'http://localhost:4173')).toEqual([]);
});

test('imports by drag and drop, keeps songs across reloads and plays them', async ({ page }) => {
  await openApp(page);
  await dropFiles(page, [fixture('long-road.mp3'), fixture('tagged.mp3')]);
  await waitForImportIdle(page);
  await expect(readyRows(page)).toHaveCount(2);

  await page.reload();
  await expect(readyRows(page)).toHaveCount(2);

  await page.locator('[data-testid="song-row"][data-title="Long Road"] .row-main').click();
  await expect(page.getByTestId('now-playing')).toHaveText('Long Road');
  const audio = page.getByTestId('audio');
  await expect.poll(() => audio.evaluate((a: HTMLAudioElement) => a.currentTime), { timeout: 15_000 }).toBeGreaterThan(0.5);
  expect(await audio.evaluate((a: HTMLAudioElement) => a.src)).toMatch(/^blob:/);
  // The OS media controls know what is playing.
  expect(await page.evaluate(() => navigator.mediaSession.metadata?.title)).toBe('Long Road');

  // Pause, seek, next.
  await page.getByTestId('play-pause').click();
  await expect.poll(() => audio.evaluate((a: HTMLAudioElement) => a.paused)).toBe(true);
  await page.getByTestId('seek').fill('20');
  await expect.poll(() => audio.evaluate((a: HTMLAudioElement) => Math.round(a.currentTime))).toBe(20);
});

test('searches and sorts the library', async ({ page }) => {
  await openApp(page);
  await pickFiles(page, EVERY_FORMAT);
  await waitForImportIdle(page);

  await page.getByTestId('search').fill('tone');
  await expect(readyRows(page)).toHaveCount(5);
  await page.getByTestId('search').fill('norae band');
  await expect(readyRows(page)).toHaveCount(1);
  await page.getByTestId('search').fill('');

  await page.getByTestId('sort').selectOption('title');
  await page.getByTestId('sort-direction').click(); // descending → ascending
  const titles = await readyRows(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-title')));
  expect(titles).toEqual([...titles].sort((a, b) => (a ?? '').localeCompare(b ?? '')));
  expect(titles[0]).toBe('Aac Tone');
});

test('deletes a song and its audio', async ({ page }) => {
  await openApp(page);
  await pickFiles(page, [fixture('tagged.mp3'), fixture('wave-tone.wav')]);
  await waitForImportIdle(page);
  await page.getByRole('button', { name: 'Delete Morning Light' }).click();
  await page.getByTestId('confirm').click();
  await expect(readyRows(page)).toHaveCount(1);
  expect(await dbCounts(page)).toEqual({ songs: 1, audio: 1, artwork: 0 });
  await page.reload();
  await expect(readyRows(page)).toHaveCount(1);
});

test('exports the library as JSON and restores it on a fresh device', async ({ page, browser }) => {
  await openApp(page);
  await pickFiles(page, [fixture('tagged.mp3'), fixture('wave-tone.wav')]);
  await waitForImportIdle(page);
  await page.getByTestId('library-menu').click();
  const download = page.waitForEvent('download');
  await page.getByTestId('export-library').click();
  const file = await (await download).path();
  expect(file).toBeTruthy();

  // A new profile: the metadata arrives first, the audio later.
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  await openApp(other);
  await other.getByTestId('library-json-input').setInputFiles(file);
  await expect(other.locator('[data-testid="song-row"][data-status="missing"]')).toHaveCount(2);
  await pickFiles(other, [fixture('tagged.mp3')]);
  await waitForImportIdle(other);
  await expect(other.locator('[data-testid="song-row"][data-title="Morning Light"]')).toHaveAttribute('data-status', 'ready');
  await expect(other.locator('[data-testid="song-row"][data-status="missing"]')).toHaveCount(1);
  await fresh.close();
});

test('a song list of 1,000 files from a folder', async ({ page }) => {
  test.setTimeout(240_000);
  await openApp(page);
  await page.getByTestId('folder-input').setInputFiles(fixture('big-folder'));
  await expect(page.getByTestId('library-progress')).toBeVisible();
  await waitForImportIdle(page);
  expect(await songCount(page)).toBe(990);
  expect(await dbCounts(page)).toEqual({ songs: 990, audio: 990, artwork: 0 });
  await expect(page.getByTestId('toasts')).toContainText('Skipped 10 files');
  // The list is virtualised: far fewer rows exist than songs.
  expect(await page.getByTestId('song-row').count()).toBeLessThan(100);
  await page.getByTestId('search').fill('Tiny Song 777');
  await expect(readyRows(page)).toHaveCount(1);
});
