import { expect, test } from '@playwright/test';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { openApp } from '../e2e/helpers.ts';
import { longTasks, resetLongTasks, trackLongTasks } from './long-tasks.ts';
import { waitUntilNone } from './precise-wait.ts';
import { trackWorkerHeap } from './worker-heap.ts';

/**
 * A linked folder's import in Chromium: the real songs of ../shared/songs (or the MP3, FLAC, M4A, Ogg and Opus files of `NORAE_SONGS`), each written `COPIES`
 * times into a folder of the origin-private file system (every copy with its own trailing ID3v1
 * comment: other bytes, so other songs), linked as a picked folder would be. Figures: audio
 * analysed per second of wall time (× real time, end to end: walk, probe, decode, analyse, store),
 * the page's main-thread long tasks, the page's peak JS heap, and the library workers' peak heaps
 * (one and all together, ArrayBuffers included: `trackWorkerHeap`). Then a rescan of the unchanged folder.
 * Writes test-results/bench-linked.json.
 */
const SONGS_DIR = process.env.NORAE_SONGS ?? resolve(import.meta.dirname, '../../../shared/songs');
const COPIES = Number(process.env.NORAE_LINKED_COPIES ?? 3);

test('a linked folder of real songs: import speed, main-thread tasks, rescan', async ({ page }) => {
  test.setTimeout(900_000);
  const files = existsSync(SONGS_DIR) ? readdirSync(SONGS_DIR).filter((f) => /\.(mp3|flac|m4a|ogg|opus)$/i.test(f)).sort() : [];
  test.skip(files.length === 0, `no songs at ${SONGS_DIR}`);
  await page.addInitScript(() => {
    (window as unknown as { showDirectoryPicker: () => Promise<FileSystemDirectoryHandle> }).showDirectoryPicker = async () =>
      (await navigator.storage.getDirectory()).getDirectoryHandle('Music', { create: true });
    const w = window as unknown as { __peakHeapBytes: number };
    w.__peakHeapBytes = 0;
    setInterval(() => {
      const used = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0;
      w.__peakHeapBytes = Math.max(w.__peakHeapBytes, used);
    }, 250);
  });
  await trackLongTasks(page);
  await page.route('**/bench-song/*', (route) => route.fulfill({ body: readFileSync(join(SONGS_DIR, decodeURIComponent(basename(route.request().url())))) }));
  await openApp(page);
  // The folder is written from the page (fetching each song once), not sent through the test runner.
  await page.evaluate(
    async ({ files, copies }) => {
      const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('Music', { create: true });
      for (const name of files) {
        const bytes = new Uint8Array(await (await fetch(`/bench-song/${encodeURIComponent(name)}`)).arrayBuffer());
        for (let c = 0; c < copies; c++) {
          const tag = new Uint8Array(128);
          tag.set([0x54, 0x41, 0x47], 0); // "TAG"
          tag.set(new TextEncoder().encode(`copy ${c}`), 3);
          const sub = await dir.getDirectoryHandle(`Copy ${c}`, { create: true });
          const writable = await (await sub.getFileHandle(name, { create: true })).createWritable();
          await writable.write(bytes);
          await writable.write(tag);
          await writable.close();
        }
      }
    },
    { files, copies: COPIES },
  );

  await resetLongTasks(page);
  const workerHeap = await trackWorkerHeap(page);
  const started = Date.now();
  await page.getByTestId('link-folder').click();
  await expect(page.getByTestId('folder-progress')).toBeVisible();
  await waitUntilNone(page, '[data-testid="folder-progress"]', 880_000);
  const importSeconds = (Date.now() - started) / 1000;
  const workerPeaks = await workerHeap.stop();
  const tasks = await longTasks(page);
  const songs = Number(await page.getByTestId('song-list').getAttribute('data-song-count'));
  expect(songs).toBe(files.length * COPIES);
  const audioSeconds = await page.evaluate(
    () =>
      new Promise<number>((resolveSum, reject) => {
        const open = indexedDB.open('norae');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const all = open.result.transaction('songs').objectStore('songs').getAll();
          all.onsuccess = () => resolveSum(all.result.reduce((s: number, x: { durationSeconds: number }) => s + x.durationSeconds, 0));
        };
      }),
  );

  await resetLongTasks(page);
  const rescanStarted = Date.now();
  await page.getByTestId('folder-rescan').click();
  await expect(page.getByTestId('folder-rescanned')).toContainText('0 new or changed, 0 moved');
  await expect(page.getByTestId('folder-scanning')).toHaveCount(0);
  const rescanMs = Date.now() - rescanStarted;
  const rescanTasks = await longTasks(page);

  const result = {
    songs,
    audioMinutes: +(audioSeconds / 60).toFixed(1),
    importSeconds: +importSeconds.toFixed(1),
    linkedImportRealTime: Math.round(audioSeconds / importSeconds),
    workers: await page.evaluate(() => navigator.hardwareConcurrency),
    longestMainThreadTaskMs: Math.round(Math.max(0, ...tasks)),
    longTasksOver50Ms: tasks.length,
    peakPageHeapMegabytes: Math.round((await page.evaluate(() => (window as unknown as { __peakHeapBytes: number }).__peakHeapBytes)) / 1e6),
    ...workerPeaks,
    rescanUnchangedMs: rescanMs,
    longestMainThreadTaskMsDuringRescan: Math.round(Math.max(0, ...rescanTasks)),
  };
  console.log(JSON.stringify(result, null, 2));
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/bench-linked.json', JSON.stringify(result, null, 2));
});
