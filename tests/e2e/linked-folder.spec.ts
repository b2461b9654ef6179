import { expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { fixture } from './fixtures.ts';
import { test } from './test.ts';
import { dbCounts, dbRead, openApp, readyRows, waitForServiceWorker } from './helpers.ts';

/**
 * The folder picker cannot be driven, so `showDirectoryPicker` hands the app a folder of the
 * origin-private file system (a real FileSystemDirectoryHandle, stored in IndexedDB and read by
 * the workers like a picked one). `norae-test.permission` in localStorage makes the handles'
 * queryPermission answer as a browser that forgot the grant would; `norae-test.answer` is the
 * user's answer to requestPermission. Both are test-only: the app itself is not changed.
 */
async function withOpfsPicker(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const proto = FileSystemHandle.prototype as unknown as Record<string, (d: unknown) => Promise<string>>;
    const query = proto.queryPermission;
    proto.queryPermission = async function (this: unknown, descriptor: unknown) {
      return localStorage.getItem('norae-test.permission') ?? (query ? query.call(this, descriptor) : 'granted');
    };
    proto.requestPermission = async function () {
      const answer = localStorage.getItem('norae-test.answer') ?? 'granted';
      if (answer === 'granted') localStorage.removeItem('norae-test.permission');
      else localStorage.setItem('norae-test.permission', answer);
      return answer;
    };
    (window as unknown as { showDirectoryPicker: () => Promise<FileSystemDirectoryHandle> }).showDirectoryPicker = async () =>
      (await navigator.storage.getDirectory()).getDirectoryHandle('Music', { create: true });
  });
}

/** Writes a file (from the fixtures) at `path` inside the OPFS folder `Music`. */
async function putFile(page: Page, path: string, source: string): Promise<void> {
  const base64 = readFileSync(source).toString('base64');
  await page.evaluate(
    async ({ path, base64 }) => {
      let dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('Music', { create: true });
      const parts = path.split('/');
      for (const name of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(name, { create: true });
      const writable = await (await dir.getFileHandle(parts[parts.length - 1], { create: true })).createWritable();
      await writable.write(Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
      await writable.close();
    },
    { path, base64 },
  );
}

async function removeFile(page: Page, path: string): Promise<void> {
  await page.evaluate(async (path) => {
    let dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('Music');
    const parts = path.split('/');
    for (const name of parts.slice(0, -1)) dir = await dir.getDirectoryHandle(name);
    await dir.removeEntry(parts[parts.length - 1]);
  }, path);
}

/** Writes `count` tone WAVs of `seconds` each (different pitches, so different songs), made in the page. */
async function putTones(page: Page, count: number, seconds: number): Promise<void> {
  await page.evaluate(
    async ({ count, seconds }) => {
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('Music', { create: true });
      const rateHz = 16_000;
      for (let n = 0; n < count; n++) {
        const samples = rateHz * seconds;
        const view = new DataView(new ArrayBuffer(44 + samples * 2));
        const text = (at: number, s: string): void => [...s].forEach((c, i) => view.setUint8(at + i, c.charCodeAt(0)));
        text(0, 'RIFF');
        view.setUint32(4, 36 + samples * 2, true);
        text(8, 'WAVEfmt ');
        view.setUint32(16, 16, true);
        view.setUint16(20, 1, true);
        view.setUint16(22, 1, true);
        view.setUint32(24, rateHz, true);
        view.setUint32(28, rateHz * 2, true);
        view.setUint16(32, 2, true);
        view.setUint16(34, 16, true);
        text(36, 'data');
        view.setUint32(40, samples * 2, true);
        const hz = 220 + 40 * n;
        for (let i = 0; i < samples; i++) view.setInt16(44 + i * 2, Math.round(Math.sin((2 * Math.PI * hz * i) / rateHz) * 8000 * (1 + (i % 7) / 10)), true);
        const writable = await (await dir.getFileHandle(`Tone ${n + 1}.wav`, { create: true })).createWritable();
        await writable.write(view.buffer);
        await writable.close();
      }
    },
    { count, seconds },
  );
}

const row = (page: Page, title: string) => page.locator(`[data-testid="song-row"][data-title="${title}"]`);

async function playAndHear(page: Page, title: string): Promise<void> {
  await row(page, title).locator('.row-main').click();
  await expect(page.getByTestId('now-playing')).toHaveText(title);
  const audio = page.getByTestId('audio');
  await expect.poll(() => audio.evaluate((a: HTMLAudioElement) => a.currentTime), { timeout: 15_000 }).toBeGreaterThan(0.3);
}

/** Likes a song the way the check-in's like button stores it (the feedback store, by song id). */
async function like(page: Page, id: string): Promise<void> {
  await page.evaluate(
    (id) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('norae');
        open.onsuccess = () => {
          const tx = open.result.transaction('feedback', 'readwrite');
          tx.objectStore('feedback').put({ id, liked: true, skips: 0, placement: null, updatedAt: Date.now() });
          tx.oncomplete = () => (open.result.close(), resolve());
          tx.onerror = () => reject(tx.error);
        };
        open.onerror = () => reject(open.error);
      }),
    id,
  );
}

async function linkedFolderIdle(page: Page): Promise<void> {
  await expect(page.getByTestId('folder-progress')).toHaveCount(0, { timeout: 60_000 });
  await expect(page.getByTestId('folder-scanning')).toHaveCount(0);
}

test('links a folder in place, plays from it, and a rescan finds added, renamed and deleted files', async ({ page }) => {
  await withOpfsPicker(page);
  await openApp(page);
  await putFile(page, 'tagged.mp3', fixture('tagged.mp3'));
  await putFile(page, 'Album/long-road.mp3', fixture('long-road.mp3'));
  await putFile(page, 'Album/cover.jpg', fixture('tagged.mp3'));
  await page.getByTestId('link-folder').click();
  await expect(page.getByTestId('linked-folder')).toContainText('Music');
  await linkedFolderIdle(page);
  await expect(readyRows(page)).toHaveCount(2);
  // Nothing copied: the songs, their covers and analyses are stored, the audio is not.
  expect(await dbCounts(page)).toEqual({ songs: 2, audio: 0, artwork: 1 });
  await playAndHear(page, 'Long Road');
  expect(await page.getByTestId('audio').evaluate((a: HTMLAudioElement) => a.src)).toMatch(/^blob:/);

  const likedId = await row(page, 'Morning Light').getAttribute('data-song-id');
  expect(likedId).toMatch(/^[0-9a-f]{64}$/);
  await like(page, likedId as string);

  // Add one, rename one (to another folder), delete one; then rescan.
  await putFile(page, '02 - Fixture Artist - Evening Song.mp3', fixture('02 - Fixture Artist - Evening Song.mp3'));
  await putFile(page, 'Moved/Morning renamed.mp3', fixture('tagged.mp3'));
  await removeFile(page, 'tagged.mp3');
  await removeFile(page, 'Album/long-road.mp3');
  await page.getByTestId('folder-rescan').click();
  await linkedFolderIdle(page);
  await expect(page.getByTestId('folder-vanished')).toContainText('Long Road');
  await expect(page.getByTestId('folder-rescanned')).toContainText('1 new or changed, 1 moved');
  await expect(readyRows(page)).toHaveCount(2);
  await expect(row(page, 'Evening Song')).toHaveCount(1);
  await expect(row(page, 'Long Road')).toHaveCount(0);
  // The renamed file is the same song: same id, its like kept, and it plays from its new path.
  await expect(row(page, 'Morning Light')).toHaveAttribute('data-song-id', likedId as string);
  const { feedback, links } = (await dbRead(page, ['feedback', 'links'], 'getAll')) as {
    feedback: { id: string; liked: boolean }[];
    links: { id: string; relativePath: string }[];
  };
  expect(feedback).toEqual([expect.objectContaining({ id: likedId, liked: true })]);
  expect(links.find((l) => l.id === likedId)?.relativePath).toBe('Moved/Morning renamed.mp3');
  await playAndHear(page, 'Morning Light');

  // Deleting a linked song leaves its file alone, and the next visit's rescan does not add it again.
  await page.getByRole('button', { name: 'Delete Evening Song' }).click();
  await expect(page.getByRole('dialog')).toContainText('its file stays in your linked folder');
  await page.getByTestId('confirm').click();
  await expect(readyRows(page)).toHaveCount(1);
  await page.reload();
  await expect(page.getByTestId('folder-rescanned')).toContainText('0 new or changed, 0 moved');
  await expect(readyRows(page)).toHaveCount(1);
  await expect(row(page, 'Evening Song')).toHaveCount(0);

  // Unlinking takes the folder's songs out of Norae and leaves its files where they are.
  await page.getByTestId('folder-unlink').click();
  await expect(page.getByRole('dialog')).toContainText('The files themselves stay where they are');
  await page.getByTestId('confirm').click();
  await expect(page.getByTestId('folder-unlinked')).toContainText('Unlinked “Music”: 1 song removed from Norae');
  await expect(page.getByTestId('linked-folder')).toHaveCount(0);
  await expect(readyRows(page)).toHaveCount(0);
  expect(await dbCounts(page)).toEqual({ songs: 0, audio: 0, artwork: 0 });
  const stillThere = await page.evaluate(async () => {
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('Music');
    return (await (await (await dir.getDirectoryHandle('Moved')).getFileHandle('Morning renamed.mp3')).getFile()).size;
  });
  expect(stillThere).toBeGreaterThan(0);
});

test('a folder whose permission was withdrawn: the app asks with one tap, says a refusal plainly, and loses nothing', async ({ page }) => {
  await withOpfsPicker(page);
  await openApp(page);
  await putFile(page, 'tagged.mp3', fixture('tagged.mp3'));
  await page.getByTestId('link-folder').click();
  await linkedFolderIdle(page);
  await expect(readyRows(page)).toHaveCount(1);

  // A later visit: the browser no longer grants reading the folder.
  await page.evaluate(() => localStorage.setItem('norae-test.permission', 'prompt'));
  await page.reload();
  await expect(page.getByTestId('folder-permission')).toContainText('needs your permission again');
  await expect(readyRows(page)).toHaveCount(1);
  await expect(page.getByTestId('folder-rescan')).toHaveCount(0);
  // Playing meanwhile says why it cannot, instead of "not stored".
  await row(page, 'Morning Light').locator('.row-main').click();
  await expect(page.getByRole('alert').filter({ hasText: 'plays from your linked folder' })).toBeVisible();

  await page.evaluate(() => localStorage.setItem('norae-test.answer', 'denied'));
  await page.getByTestId('folder-allow').click();
  await expect(page.getByTestId('folder-permission')).toContainText('was not allowed to read');
  await expect(readyRows(page)).toHaveCount(1);

  await page.evaluate(() => localStorage.setItem('norae-test.answer', 'granted'));
  await page.getByTestId('folder-allow').click();
  await expect(page.getByTestId('folder-permission')).toHaveCount(0);
  await playAndHear(page, 'Morning Light');
  expect(await dbCounts(page)).toEqual({ songs: 1, audio: 0, artwork: 1 });
});

test('a linked import shows songs done and left, pauses, resumes after a reload, and a stop keeps finished songs', async ({ page }) => {
  test.setTimeout(180_000);
  await withOpfsPicker(page);
  await openApp(page);
  await putTones(page, 8, 240);
  await page.getByTestId('link-folder').click();
  const progress = page.getByTestId('folder-progress');
  await expect(progress).toHaveAttribute('data-left', '8', { timeout: 30_000 });
  await expect(progress).toContainText('songs done');
  await page.getByTestId('folder-pause').click();
  await expect(progress).toHaveAttribute('data-paused', 'true');
  const doneBefore = Number(await progress.getAttribute('data-done'));
  expect(doneBefore).toBeLessThan(8);

  await page.reload();
  await expect(progress).toHaveAttribute('data-paused', 'true');
  await expect(progress).toHaveAttribute('data-done', String(doneBefore));
  await expect(progress).toHaveAttribute('data-left', String(8 - doneBefore));
  await page.getByTestId('folder-resume').click();
  await expect(progress).toHaveAttribute('data-paused', 'false');
  // Time left appears once a song of this run is done.
  await expect(progress).toContainText(/about \d+:\d\d left/, { timeout: 60_000 });
  const doneAtStop = Number(await progress.getAttribute('data-done'));
  expect(doneAtStop).toBeGreaterThan(doneBefore);
  await page.getByTestId('folder-cancel').click();
  await expect(progress).toHaveCount(0);
  await expect.poll(() => readyRows(page).count(), { timeout: 20_000 }).toBeGreaterThanOrEqual(doneAtStop);
  const kept = await readyRows(page).count();
  expect(kept).toBeLessThan(8);

  await page.reload();
  await expect(readyRows(page)).toHaveCount(kept);
  await expect(progress).toHaveCount(0);
});

test('linked songs play offline: the files are on this device', async ({ page, context }) => {
  await withOpfsPicker(page);
  await openApp(page);
  await waitForServiceWorker(page);
  await putFile(page, 'long-road.mp3', fixture('long-road.mp3'));
  await page.getByTestId('link-folder').click();
  await linkedFolderIdle(page);
  await context.setOffline(true);
  await page.reload();
  await expect(readyRows(page)).toHaveCount(1);
  await playAndHear(page, 'Long Road');
  await context.setOffline(false);
});

test('where folders cannot be linked (Firefox, Safari), the app says so and the copy import still works', async ({ page }) => {
  await page.addInitScript(() => {
    delete (window as unknown as { showDirectoryPicker?: unknown }).showDirectoryPicker;
  });
  await openApp(page);
  await expect(page.getByTestId('folder-unsupported')).toContainText('cannot link a music folder in place');
  await expect(page.getByTestId('link-folder')).toHaveCount(0);
  await page.getByTestId('song-input').setInputFiles([fixture('tagged.mp3')]);
  await expect(readyRows(page)).toHaveCount(1, { timeout: 60_000 });
});
