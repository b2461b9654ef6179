import { expect, type Page } from '@playwright/test';
import { readFileSync, truncateSync, writeFileSync } from 'node:fs';
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
  expect(foreignRequests(requests, new URL(page.url()).origin)).toEqual([]);
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
  // Nothing matches: said in the list's place; the plane stays (its dots faded), not the empty library.
  await page.getByTestId('search').fill('no such song anywhere');
  await expect(page.getByText('No songs match “no such song anywhere”.')).toBeVisible();
  await expect(page.getByTestId('emotion-plane')).toBeVisible();
  await expect(page.getByTestId('library-empty')).toHaveCount(0);
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

/** Imports two songs and exports the library; returns the downloaded file's path. */
async function twoSongsExported(page: Page): Promise<string> {
  await openApp(page);
  await pickFiles(page, [fixture('tagged.mp3'), fixture('wave-tone.wav')]);
  await waitForImportIdle(page);
  await page.getByTestId('library-menu').click();
  const download = page.waitForEvent('download');
  await page.getByTestId('export-library').click();
  const file = await (await download).path();
  expect(file).toBeTruthy();
  return file ?? '';
}

test('exports the library as JSON and restores it on a fresh device', async ({ page, browser }) => {
  const file = await twoSongsExported(page);

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

test('a library file that would change titles asks first, and every merge can be undone', async ({ page }, testInfo) => {
  const exported = JSON.parse(readFileSync(await twoSongsExported(page), 'utf8'));
  // The same library, edited elsewhere: one title differs, one song is not on this device.
  const edited = {
    ...exported,
    songs: [
      ...exported.songs.map((s: { title: string }) => (s.title === 'Morning Light' ? { ...s, title: 'Morning Light (Live)' } : s)),
      { ...exported.songs[0], id: 'f'.repeat(64), title: 'Only Elsewhere' },
    ],
  };
  const file = testInfo.outputPath('edited-library.json');
  writeFileSync(file, JSON.stringify(edited));
  const title = (t: string) => page.locator(`[data-testid="song-row"][data-title="${t}"]`);

  // Asked first: nothing changes before the choice; cancelling changes nothing.
  await page.getByTestId('library-json-input').setInputFiles(file);
  const dialog = page.getByTestId('merge-dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('merge-change')).toHaveText(/Morning Light · Norae Test Band.*Morning Light \(Live\) · Norae Test Band/);
  await expect(dialog).toContainText('1 song that is not on this device');
  await dialog.getByTestId('merge-cancel').click();
  await expect(dialog).toHaveCount(0);
  await expect(title('Morning Light')).toHaveCount(1);
  await expect(page.locator('[data-testid="song-row"][data-status="missing"]')).toHaveCount(0);

  // Keep my titles: the missing song is listed, the title stays; undo takes the listing back.
  await page.getByTestId('library-json-input').setInputFiles(file);
  await dialog.getByTestId('merge-keep').click();
  await expect(page.locator('[data-testid="song-row"][data-status="missing"]')).toHaveCount(1);
  await expect(title('Morning Light')).toHaveCount(1);
  await page.getByTestId('toasts').getByRole('button', { name: 'Undo' }).click();
  await expect(page.getByTestId('toasts')).toContainText('your library is as it was');
  await expect(page.locator('[data-testid="song-row"][data-status="missing"]')).toHaveCount(0);

  // Use the file's titles, then undo: the original title is back, after a reload too.
  await page.getByTestId('library-json-input').setInputFiles(file);
  await dialog.getByTestId('merge-use-file').click();
  await expect(title('Morning Light (Live)')).toHaveCount(1);
  await page.getByTestId('toasts').getByRole('button', { name: 'Undo' }).click();
  await expect(title('Morning Light')).toHaveCount(1);
  await page.reload();
  await expect(title('Morning Light')).toHaveAttribute('data-status', 'ready');
  expect(await dbCounts(page)).toEqual({ songs: 2, audio: 2, artwork: 1 });
});

test('a library file too large to be an export is refused unread', async ({ page }, testInfo) => {
  await openApp(page);
  const file = testInfo.outputPath('huge.json');
  writeFileSync(file, '');
  truncateSync(file, 26_000_000);
  await page.getByTestId('library-json-input').setInputFiles(file);
  await expect(page.getByTestId('toasts')).toContainText('That file is 26.0 MB: too large for a Norae library export (at most 25.0 MB)');
  expect(await dbCounts(page)).toEqual({ songs: 0, audio: 0, artwork: 0 });
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
