import { expect, test, type Page } from '@playwright/test';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { openApp, waitForImportIdle, waitForServiceWorker } from '../e2e/helpers.ts';
import { longTasks, resetLongTasks, trackLongTasks } from './long-tasks.ts';
import { waitUntilNone } from './precise-wait.ts';

/**
 * Import and analysis speed in Chromium on the real songs in ../shared/songs: per song and per
 * stage (decode, features, tempo) as × real time, the browser's own decoder for comparison,
 * songs per minute for a 100-song import with every worker, the longest main-thread task, and
 * time to interactive offline. Figures from this shared 2-core machine are noisy: compare
 * ratios from one run. Writes test-results/bench-import.json.
 */
const SONGS_DIR = process.env.NORAE_SONGS ?? resolve(import.meta.dirname, '../../../shared/songs');
const songFiles = (): string[] =>
  existsSync(SONGS_DIR) ? readdirSync(SONGS_DIR).filter((f) => /\.(mp3|flac|m4a|ogg|opus)$/i.test(f)).sort().map((f) => join(SONGS_DIR, f)) : [];

interface StoredTimings {
  id: string;
  durationSeconds: number;
  title: string;
  timings?: { decoder: string; decodeMs: number; featuresMs: number; tempoMs: number };
  /** Where the song was placed (to compare decoders and read paths on the same files). */
  emotion?: { valence: number; arousal: number };
}

async function storedTimings(page: Page): Promise<StoredTimings[]> {
  return page.evaluate(
    () =>
      new Promise<StoredTimings[]>((resolveAll, reject) => {
        const open = indexedDB.open('norae');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const tx = open.result.transaction(['songs', 'analyses']);
          const songs = tx.objectStore('songs').getAll();
          const analyses = tx.objectStore('analyses').getAll();
          tx.oncomplete = () => {
            const byId = new Map(analyses.result.map((a: { id: string }) => [a.id, a]));
            resolveAll(
              songs.result.map((s: { id: string; durationSeconds: number; title: string }) => ({
                id: s.id,
                durationSeconds: s.durationSeconds,
                title: s.title,
                timings: (byId.get(s.id) as { timings?: StoredTimings['timings'] } | undefined)?.timings,
                emotion: (byId.get(s.id) as { emotion?: StoredTimings['emotion'] } | undefined)?.emotion,
              })),
            );
          };
        };
      }),
  );
}


const round = (x: number, digits = 2): number => +x.toFixed(digits);

/**
 * CPU seconds used so far by every process this test started (the browser and its renderer,
 * GPU and utility processes), from /proc on Linux; null elsewhere. On a machine shared with
 * other work, wall time measures the neighbours too; CPU time measures what the import costs,
 * and audio seconds / (CPU seconds / cores) says what an otherwise idle machine would reach.
 */
function cpuSecondsOfChildren(): Record<string, number> | null {
  if (!existsSync('/proc/self/stat')) return null;
  const parents = new Map<number, number>();
  const ticks = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): state ppid … utime(14) stime(15).
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(entry), Number(fields[1]));
      ticks.set(Number(entry), Number(fields[11]) + Number(fields[12]));
    } catch {
      // The process ended while we looked.
    }
  }
  const isOurs = (pid: number): boolean => {
    for (let p = parents.get(pid); p !== undefined && p > 1; p = parents.get(p)) if (p === process.pid) return true;
    return false;
  };
  // By Chromium process type (renderer: the page and its workers; browser; gpu-process; utility…).
  const byType: Record<string, number> = { total: 0 };
  for (const [pid, t] of ticks) {
    if (!isOurs(pid)) continue;
    let type = 'other';
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      type = /--type=([\w-]+)/.exec(cmdline)?.[1] ?? (/chrom/.test(cmdline) ? 'browser' : 'other');
    } catch {
      // Ended.
    }
    // USER_HZ is 100 on Linux.
    byType[type] = (byType[type] ?? 0) + t / 100;
    byType.total += t / 100;
  }
  return byType;
}

for (const decoder of ['wasm', 'browser'] as const) test(`per-song analysis speed (${decoder} decoder), offline start`, async ({ browser }) => {
  const files = songFiles();
  test.skip(files.length === 0, `no songs at ${SONGS_DIR}`);
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript((d) => localStorage.setItem('norae.decoder', d), decoder);
  await trackLongTasks(page);
  await openApp(page);
  await waitForServiceWorker(page);

  // The browser's own decoder on the same files, straight to the analysis rate, for comparison.
  await page.route('**/bench-song/*', (route) => route.fulfill({ body: readFileSync(join(SONGS_DIR, decodeURIComponent(basename(route.request().url())))) }));
  const browserDecode: Record<string, number> = {};
  for (const file of files) {
    browserDecode[basename(file)] = await page.evaluate(async (name) => {
      const bytes = await (await fetch(`/bench-song/${encodeURIComponent(name)}`)).arrayBuffer();
      const start = performance.now();
      await new OfflineAudioContext(1, 1, 11025).decodeAudioData(bytes);
      return performance.now() - start;
    }, basename(file));
  }

  await resetLongTasks(page);
  const cpuBefore = cpuSecondsOfChildren();
  const started = Date.now();
  await page.getByTestId('song-input').setInputFiles(files);
  await expect(page.getByTestId('library-progress')).toBeVisible();
  await waitUntilNone(page, '[data-testid="library-progress"], [data-testid="song-row"][data-status="queued"], [data-testid="song-row"][data-status="importing"]', 120_000);
  const importSeconds = (Date.now() - started) / 1000;
  await waitForImportIdle(page);
  const cpuAfter = cpuSecondsOfChildren();
  const importCpu = cpuBefore && cpuAfter ? Object.fromEntries(Object.entries(cpuAfter).map(([k, v]) => [k, round(v - (cpuBefore[k] ?? 0))])) : null;
  const importCpuSeconds = importCpu?.total ?? null;
  const tasks = await longTasks(page);
  const stored = await storedTimings(page);
  expect(stored.length).toBe(files.length);

  const perSong = stored.map((s) => {
    const t = s.timings;
    const total = t ? (t.decodeMs + t.featuresMs + t.tempoMs) / 1000 : Number.NaN;
    return {
      title: s.title,
      durationSeconds: Math.round(s.durationSeconds),
      decoder: t?.decoder,
      analysisSeconds: round(total),
      realTime: Math.round(s.durationSeconds / total),
      decodeRealTime: t ? Math.round(s.durationSeconds / (t.decodeMs / 1000)) : null,
      featuresRealTime: t ? Math.round(s.durationSeconds / (t.featuresMs / 1000)) : null,
      tempoRealTime: t ? Math.round(s.durationSeconds / (t.tempoMs / 1000)) : null,
      valence: s.emotion ? round(s.emotion.valence, 3) : null,
      arousal: s.emotion ? round(s.emotion.arousal, 3) : null,
    };
  });
  const audioSeconds = stored.reduce((sum, s) => sum + s.durationSeconds, 0);
  const sum = (k: 'decodeMs' | 'featuresMs' | 'tempoMs') => stored.reduce((acc, s) => acc + (s.timings?.[k] ?? 0), 0) / 1000;
  const browserDecodeSeconds = Object.values(browserDecode).reduce((a, b) => a + b, 0) / 1000;

  // Time to interactive offline: a cold navigation with the network off until songs are listed.
  await page.context().setOffline(true);
  const offlineStart = Date.now();
  await page.reload();
  await expect(page.locator('[data-testid="song-row"]').first()).toBeVisible();
  const offlineInteractiveMs = Date.now() - offlineStart;
  await page.context().setOffline(false);

  await context.close();
  const result = {
    decoder,
    songs: files.length,
    audioMinutes: round(audioSeconds / 60, 1),
    perSong,
    wholeLibrary: {
      analysisRealTime: Math.round(audioSeconds / (sum('decodeMs') + sum('featuresMs') + sum('tempoMs'))),
      decodeRealTime: Math.round(audioSeconds / sum('decodeMs')),
      featuresRealTime: Math.round(audioSeconds / sum('featuresMs')),
      tempoRealTime: Math.round(audioSeconds / sum('tempoMs')),
      browserDecodeAudioDataRealTime: Math.round(audioSeconds / browserDecodeSeconds),
    },
    importSeconds: round(importSeconds),
    // End to end: audio seconds imported (probe, analysis, storage) per wall second.
    importRealTime: Math.round(audioSeconds / importSeconds),
    // CPU seconds of all the browser's processes during the import, and what that makes on two
    // otherwise idle cores (the import's work spread over both; the page waits on the workers).
    importCpuSeconds: importCpuSeconds === null ? null : round(importCpuSeconds),
    importCpuSecondsByProcess: importCpu,
    importRealTimeOnTwoIdleCores: importCpuSeconds ? Math.round(audioSeconds / (importCpuSeconds / 2)) : null,
    loadAverage: existsSync('/proc/loadavg') ? readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ') : null,
    songsPerMinute: Math.round((files.length / importSeconds) * 60),
    longestMainThreadTaskMs: Math.round(Math.max(0, ...tasks)),
    longTasksOver50Ms: tasks.length,
    offlineTimeToInteractiveMs: offlineInteractiveMs,
  };
  console.log(JSON.stringify(result, null, 2));
  mkdirSync('test-results', { recursive: true });
  writeFileSync(`test-results/bench-import-${decoder}.json`, JSON.stringify(result, null, 2));
});

test('a 100-song import with every worker', async ({ page }) => {
  test.setTimeout(600_000);
  const files = songFiles();
  test.skip(files.length === 0, `no songs at ${SONGS_DIR}`);
  // 100 distinct files: the real songs, each copy with a different trailing ID3v1 comment (other
  // bytes, so other ids; the same audio).
  const dir = join(tmpdir(), 'norae-bench-100');
  mkdirSync(dir, { recursive: true });
  const hundred: string[] = [];
  for (let i = 0; i < 100; i++) {
    const source = files[i % files.length];
    const target = join(dir, `${String(i).padStart(3, '0')}-${basename(source)}`);
    if (!existsSync(target)) {
      const tag = Buffer.alloc(128);
      tag.write('TAG', 0, 'latin1');
      tag.write(`copy ${i}`, 3, 'latin1');
      writeFileSync(target, Buffer.concat([readFileSync(source), tag]));
    }
    hundred.push(target);
  }
  const megabytes = hundred.reduce((s, f) => s + statSync(f).size, 0) / 1e6;
  await trackLongTasks(page);
  await openApp(page);
  await resetLongTasks(page);
  const started = Date.now();
  await page.getByTestId('song-input').setInputFiles(hundred);
  await waitForImportIdle(page, 540_000);
  const seconds = (Date.now() - started) / 1000;
  const tasks = await longTasks(page);
  const stored = await storedTimings(page);
  expect(stored.length).toBe(100);
  const result = {
    songs: 100,
    megabytes: round(megabytes, 1),
    audioHours: round(stored.reduce((s, x) => s + x.durationSeconds, 0) / 3600),
    importSeconds: round(seconds, 1),
    songsPerMinute: Math.round((100 / seconds) * 60),
    workers: await page.evaluate(() => navigator.hardwareConcurrency),
    longestMainThreadTaskMs: Math.round(Math.max(0, ...tasks)),
    longTasksOver50Ms: tasks.length,
  };
  console.log(JSON.stringify(result, null, 2));
  writeFileSync('test-results/bench-import-100.json', JSON.stringify(result, null, 2));
});
