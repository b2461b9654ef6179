import { expect, test } from '@playwright/test';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openApp, readyRows, waitForImportIdle, waitForServiceWorker } from '../e2e/helpers.ts';

/**
 * Import speed on the real songs in ../shared/songs, time to interactive offline, and the longest
 * main-thread task during an import. Prints figures and writes test-results/bench-import.json.
 * Figures from this shared 2-core machine are noisy: compare ratios from one run.
 */
const SONGS_DIR = process.env.NORAE_SONGS ?? resolve(import.meta.dirname, '../../../shared/songs');

test('import ../shared/songs', async ({ page }) => {
  test.skip(!existsSync(SONGS_DIR), `no songs at ${SONGS_DIR}`);
  const files = readdirSync(SONGS_DIR).filter((f) => f.endsWith('.mp3')).map((f) => join(SONGS_DIR, f));
  const totalBytes = files.reduce((sum, f) => sum + statSync(f).size, 0);

  await page.addInitScript(() => {
    const w = window as unknown as { __longTasksMs: number[] };
    w.__longTasksMs = [];
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__longTasksMs.push(entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  await openApp(page);
  await waitForServiceWorker(page);
  await page.evaluate(() => ((window as unknown as { __longTasksMs: number[] }).__longTasksMs = []));

  const started = Date.now();
  await page.getByTestId('song-input').setInputFiles(files);
  await waitForImportIdle(page);
  const importSeconds = (Date.now() - started) / 1000;
  await expect(readyRows(page)).toHaveCount(files.length);
  // Total decoded duration, as the library summary shows it ("12 songs · 39:48").
  const summary = await page.getByTestId('library-summary').innerText();
  const hms = /· (?:(\d+):)?(\d+):(\d+)/.exec(summary);
  const audioSeconds = hms ? Number(hms[1] ?? 0) * 3600 + Number(hms[2]) * 60 + Number(hms[3]) : 0;
  const longTasksMs = await page.evaluate(() => (window as unknown as { __longTasksMs: number[] }).__longTasksMs);

  // Time to interactive offline: a cold navigation with the network off until the songs are listed.
  await page.context().setOffline(true);
  const offlineStart = Date.now();
  await page.reload();
  await expect(readyRows(page).first()).toBeVisible();
  const offlineInteractiveMs = Date.now() - offlineStart;
  await page.context().setOffline(false);

  const result = {
    songs: files.length,
    megabytes: +(totalBytes / 1e6).toFixed(1),
    audioMinutes: +(audioSeconds / 60).toFixed(1),
    importSeconds: +importSeconds.toFixed(2),
    secondsPerSong: +(importSeconds / files.length).toFixed(3),
    realTimeFactor: +(audioSeconds / importSeconds).toFixed(0),
    songsPerMinute: +((files.length / importSeconds) * 60).toFixed(0),
    longestMainThreadTaskMs: Math.round(Math.max(0, ...longTasksMs)),
    longTasksOver50Ms: longTasksMs.length,
    offlineTimeToInteractiveMs: offlineInteractiveMs,
  };
  console.log(JSON.stringify(result, null, 2));
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/bench-import.json', JSON.stringify(result, null, 2));
});
