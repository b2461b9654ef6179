import { expect, test } from '@playwright/test';
import { mkdirSync, writeFileSync } from 'node:fs';
import { ANALYSER_VERSION } from '../../src/core/music/emotion-model.ts';
import { openApp } from '../e2e/helpers.ts';

/**
 * The plane with 10,000 songs: time to show them after a reload, and frame times while zooming
 * and panning (rAF intervals and long tasks). Songs are written straight into IndexedDB.
 */
test('plane with 10,000 songs', async ({ page }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { __frames: number[]; __longTasks: number[] };
    w.__frames = [];
    w.__longTasks = [];
    let last = performance.now();
    const tick = (now: number): void => {
      w.__frames.push(now - last);
      last = now;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push(e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  await openApp(page);
  await page.evaluate(async (analyserVersion) => {
    const moods = ['pleasure', 'excitement', 'arousal', 'distress', 'misery', 'depression', 'sleepiness', 'contentment'];
    const open = indexedDB.open('norae');
    const db: IDBDatabase = await new Promise((resolve, reject) => {
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    const tx = db.transaction(['songs', 'analyses'], 'readwrite');
    let seed = 1;
    const random = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    for (let i = 0; i < 10_000; i++) {
      const id = i.toString(16).padStart(64, '0');
      const valence = random() * 0.9;
      const arousal = random() * 0.9;
      const angle = ((Math.atan2(arousal, valence) * 180) / Math.PI + 360) % 360;
      const mood = moods[Math.floor(((angle + 22.5) % 360) / 45)];
      tx.objectStore('songs').put({
        id, fileName: `song ${i}.mp3`, relativePath: `song ${i}.mp3`, format: 'mp3', mimeType: 'audio/mpeg', sizeBytes: 1,
        title: `Song ${i}`, artist: `Artist ${i % 97}`, album: `Album ${i % 31}`, trackNumber: null, year: null, genre: '',
        durationSeconds: 180, sampleRateHz: 44100, channelCount: 2, hasArtwork: false, addedAt: i, warning: null, hasAudio: true,
      });
      tx.objectStore('analyses').put({
        id, analyserVersion, analysedAt: 0, status: 'ok', features: {}, bpm: 120, error: null,
        emotion: { valence, arousal, mood, intensity: Math.hypot(valence, arousal), contributions: { valence: [], arousal: [] } },
      });
    }
    await new Promise((resolve) => (tx.oncomplete = resolve));
    db.close();
  }, ANALYSER_VERSION);
  const loadStart = Date.now();
  await page.reload();
  await expect(page.getByTestId('emotion-plane')).toHaveAttribute('data-points', '10000', { timeout: 60_000 });
  const loadMs = Date.now() - loadStart;
  await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __longTasks: number[] };
    w.__frames = [];
    w.__longTasks = [];
  });
  const box = await page.locator('[data-testid="emotion-plane"] canvas').boundingBox();
  if (!box) throw new Error('no plane');
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  await page.mouse.move(cx, cy);
  for (let i = 0; i < 15; i++) {
    await page.mouse.wheel(0, -120);
    await page.waitForTimeout(30);
  }
  await page.mouse.down();
  for (let i = 0; i < 30; i++) await page.mouse.move(cx + i * 5, cy + i * 3);
  await page.mouse.up();
  for (let i = 0; i < 15; i++) {
    await page.mouse.wheel(0, 120);
    await page.waitForTimeout(30);
  }
  const { frames, longTasks } = await page.evaluate(() => {
    const w = window as unknown as { __frames: number[]; __longTasks: number[] };
    return { frames: w.__frames.slice(1), longTasks: w.__longTasks };
  });
  const sorted = [...frames].sort((a, b) => a - b);
  const result = {
    songs: 10_000,
    reloadToPlaneMs: loadMs,
    frames: frames.length,
    medianFrameMs: +sorted[Math.floor(sorted.length / 2)].toFixed(1),
    p95FrameMs: +sorted[Math.floor(sorted.length * 0.95)].toFixed(1),
    maxFrameMs: +sorted[sorted.length - 1].toFixed(1),
    longTasksOver50Ms: longTasks.length,
    longestTaskMs: Math.round(Math.max(0, ...longTasks)),
  };
  console.log(JSON.stringify(result, null, 2));
  mkdirSync('test-results', { recursive: true });
  writeFileSync('test-results/bench-plane.json', JSON.stringify(result, null, 2));
});
