import { chromium, expect } from '@playwright/test';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixture } from './fixtures.ts';
import { dbCounts, dbRead, errorRow, openApp, pickFiles, readyRows, songCount, tapPlaneAwayFromSongs, waitForImportIdle, waitForServiceWorker } from './helpers.ts';
import { test } from './test.ts';

test('a bad first file in an empty library shows its message in full', async ({ page }) => {
  await openApp(page);
  await pickFiles(page, [fixture('notes.txt')]);
  await waitForImportIdle(page);
  // No song yet, so no plane beside the list: the list must still take the room (it once
  // collapsed to a sliver, hiding the message).
  await expect(errorRow(page, 'notes.txt')).toBeInViewport({ ratio: 0.9 });
  await expect(errorRow(page, 'notes.txt')).toContainText('it is a text file');
});

test('each bad file gets its own message and the rest of the batch carries on', async ({ page }) => {
  await openApp(page);
  await pickFiles(page, [fixture('tagged.mp3')]);
  await waitForImportIdle(page);

  await pickFiles(page, [
    fixture('picture.mp3'),
    fixture('empty.mp3'),
    fixture('corrupt.mp3'),
    fixture('windows-media.wma'),
    fixture('notes.txt'),
    fixture('tagged.mp3'), // already stored
    fixture('wave-tone.wav'),
    fixture('truncated.mp3'),
    fixture('flac-tone.flac'),
  ]);
  await waitForImportIdle(page);

  await expect(errorRow(page, 'picture.mp3')).toHaveAttribute('data-error', 'not-audio');
  await expect(errorRow(page, 'picture.mp3')).toContainText('Not an audio file: it is a PNG image.');
  await expect(errorRow(page, 'empty.mp3')).toContainText('This file is empty (0 bytes).');
  await expect(errorRow(page, 'corrupt.mp3')).toHaveAttribute('data-error', 'corrupt');
  await expect(errorRow(page, 'corrupt.mp3')).toContainText('damaged');
  await expect(errorRow(page, 'windows-media.wma')).toHaveAttribute('data-error', 'unsupported-format');
  await expect(errorRow(page, 'windows-media.wma')).toContainText('Windows Media (WMA)');
  await expect(errorRow(page, 'notes.txt')).toContainText('it is a text file');
  await expect(errorRow(page, 'tagged.mp3')).toContainText('Already in your library as “Morning Light”');

  // The good files of the batch made it; the truncated one plays what it has, with a warning.
  await expect(readyRows(page)).toHaveCount(4);
  await expect(page.getByTestId('song-warning')).toContainText(/Only 0:1\d of 0:30 could be read/);
  expect(await dbCounts(page)).toEqual({ songs: 4, audio: 4, artwork: 1 });

  // Problems can be dismissed; nothing stored goes with them.
  await page.getByRole('button', { name: 'Dismiss all problems' }).click();
  await expect(page.locator('[data-testid="song-row"][data-status="error"]')).toHaveCount(0);
  expect(await songCount(page)).toBe(4);
});

test('the same file twice in one drop is one song', async ({ page }) => {
  await openApp(page);
  await pickFiles(page, [fixture('tagged.mp3'), fixture('wave-tone.wav')]);
  await waitForImportIdle(page);
  // Same bytes under another name are the same song.
  await page.getByTestId('song-input').setInputFiles([
    { name: 'copy of tagged.mp3', mimeType: 'audio/mpeg', buffer: readFileSync(fixture('tagged.mp3')) },
  ]);
  await waitForImportIdle(page);
  await expect(errorRow(page, 'copy of tagged.mp3')).toHaveAttribute('data-error', 'duplicate');
  expect(await songCount(page)).toBe(2);
});

test('a full disk fails each song that does not fit, with a clear message, and keeps what is stored', async ({ baseURL }, testInfo) => {
  // Chromium honours quota overrides only in on-disk profiles (not Playwright's in-memory
  // contexts), and only when set before the origin first writes data.
  const profile = mkdtempSync(join(tmpdir(), 'norae-quota-'));
  const context = await chromium.launchPersistentContext(profile, { ...testInfo.project.use.launchOptions, baseURL });
  try {
    const page = await context.newPage();
    await openApp(page);
    await waitForServiceWorker(page); // the precache counts towards usage too
    const usage = await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
    const cdp = await context.newCDPSession(page);
    // Room for 450 kB more: a 98 kB song fits, then a 9 kB one (≈ 19 kB stored with its records),
    // but not 481 kB or 265 kB ones. The small one is Vorbis, read by WebCodecs without loading
    // more code: since Opus went to the wasm libopus, the 26-kB Opus tone (its decoder a chunk of
    // its own, whose cached code likely counts as usage) no longer fitted in 2 of 3 runs on two
    // busy cores; with the Vorbis tone 4 of 4 passed. What the app caches meanwhile (the library worker and models
    // fetched in idle time) took 150–360 kB of it; with 400 kB, 4 kB decided whether the 26-kB
    // song fitted (a 7-kB larger worker script tipped it).
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(baseURL ?? '').origin, quotaSize: usage + 450_000 });

    await pickFiles(page, [fixture('tagged.mp3')]); // 98 kB
    await waitForImportIdle(page);
    await expect(readyRows(page)).toHaveCount(1);

    // Songs of a batch are stored as they finish, in any order (three lanes on two cores): the
    // 9-kB song and the one that can never fit share a batch; the 265-kB one comes after.
    await pickFiles(page, [fixture('long-road.mp3'), fixture('vorbis-tone.ogg')]);
    await waitForImportIdle(page);
    await expect(errorRow(page, 'long-road.mp3')).toHaveAttribute('data-error', 'quota');
    await expect(errorRow(page, 'long-road.mp3')).toContainText('Not enough storage space');
    // The small file still fit: one full write does not stop the batch.
    await expect(page.locator('[data-testid="song-row"][data-title="Vorbis Tone"]')).toHaveAttribute('data-status', 'ready');
    await pickFiles(page, [fixture('wave-tone.wav')]);
    await waitForImportIdle(page);
    await expect(errorRow(page, 'wave-tone.wav')).toHaveAttribute('data-error', 'quota');
    expect(await dbCounts(page)).toEqual({ songs: 2, audio: 2, artwork: 1 });
    await page.reload();
    await expect(readyRows(page)).toHaveCount(2);
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
});

test('a tab closed in the middle of an import leaves only whole songs', async ({ page, context }) => {
  test.setTimeout(180_000);
  await openApp(page);
  await page.getByTestId('folder-input').setInputFiles(fixture('big-folder'));
  // Let some songs land, then close the tab mid-import.
  await expect.poll(async () => (await dbCounts(page)).songs, { timeout: 60_000 }).toBeGreaterThan(20);
  await page.close({ runBeforeUnload: false });

  const next = await context.newPage();
  await openApp(next);
  const counts = (await dbRead(next, ['songs', 'audio', 'analyses'], 'count')) as { songs: number; audio: number; analyses: number };
  expect(counts.songs).toBeGreaterThan(20);
  expect(counts.songs).toBeLessThan(990);
  // Every stored song has its audio and its analysis (one transaction wrote them all, or none),
  // and the list shows exactly the stored songs.
  expect(counts.audio).toBe(counts.songs);
  expect(counts.analyses).toBe(counts.songs);
  expect(await songCount(next)).toBe(counts.songs);
  await expect(next.locator('[data-testid="song-row"][data-status="queued"], [data-testid="song-row"][data-status="importing"]')).toHaveCount(0);
});

test('cancelling an import keeps every finished song', async ({ page }) => {
  test.setTimeout(180_000);
  await openApp(page);
  await page.getByTestId('folder-input').setInputFiles(fixture('big-folder'));
  await expect.poll(async () => (await dbCounts(page)).songs, { timeout: 60_000 }).toBeGreaterThan(10);
  await page.getByTestId('cancel-import').click();
  await waitForImportIdle(page);
  await expect(page.getByTestId('toasts')).toContainText('Import cancelled');
  const counts = (await dbRead(page, ['songs', 'audio', 'analyses'], 'count')) as { songs: number; audio: number; analyses: number };
  expect(counts.songs).toBeLessThan(990);
  expect(counts.audio).toBe(counts.songs);
  expect(counts.analyses).toBe(counts.songs);
  expect(await songCount(page)).toBe(counts.songs);
});

test('check-ins, likes and a history deletion that storage refuses say so and keep what they can', async ({ page }) => {
  test.setTimeout(120_000);
  await openApp(page);
  await pickFiles(page, [fixture('tagged.mp3'), fixture('click-120.wav'), fixture('flac-tone.flac')]);
  await waitForImportIdle(page);
  await expect(readyRows(page)).toHaveCount(3, { timeout: 60_000 });
  // From now on the disk is full for the mood history and the song feedback.
  await page.evaluate(() => {
    const refuse = (store: IDBObjectStore) => store.name === 'checkins' || store.name === 'feedback';
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<IDBObjectStore['put']>) {
      if (refuse(this)) throw new DOMException('The disk is full', 'QuotaExceededError');
      return put.apply(this, args);
    };
    const clear = IDBObjectStore.prototype.clear;
    IDBObjectStore.prototype.clear = function (this: IDBObjectStore) {
      if (this.name === 'checkins') throw new DOMException('Refused', 'UnknownError');
      return clear.apply(this);
    };
  });
  await tapPlaneAwayFromSongs(page);
  const problem = page.getByTestId('save-problem');
  await expect(problem).toHaveAttribute('data-what', 'check-in');
  await expect(problem).toHaveAttribute('data-full', 'true');
  await expect(problem).toContainText('storage is full');
  // Kept for this visit: the check-in is in the history on screen, and the playlist is there.
  await expect(page.getByTestId('history-item')).toHaveCount(1);
  await page.getByTestId('playlist-item').first().getByRole('button', { name: /^Like/ }).click();
  await expect(problem).toHaveAttribute('data-what', 'feedback');
  await expect(page.getByTestId('playlist-item').first().getByRole('button', { name: /^Like/ })).toHaveAttribute('aria-pressed', 'true');
  // Deleting the history fails: it says so, and the history is still there.
  await page.getByTestId('clear-history').click();
  await page.getByTestId('confirm').click();
  await expect(page.locator('[data-testid="save-problem"][data-what="history-delete"]')).toBeVisible();
  await expect(page.getByTestId('history-item')).toHaveCount(1);
  // Nothing refused was stored: after a reload the history is empty.
  await page.reload();
  await page.getByTestId('nav-feel').click();
  await expect(page.getByTestId('history-empty')).toBeVisible();
});

test('an error no code handled is told to the user, once per burst, not only to the console', async ({ page }) => {
  await openApp(page);
  await page.evaluate(() => {
    for (let i = 0; i < 3; i++) void Promise.reject(new Error('the test broke something'));
  });
  const toast = page.getByTestId('toast').filter({ hasText: 'the test broke something' });
  await expect(toast).toHaveCount(1);
  await expect(toast).toContainText('Your library is safe');
});
