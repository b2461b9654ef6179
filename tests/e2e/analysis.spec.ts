import { expect, type Page } from '@playwright/test';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { analyseBlobExcerpts } from '../../src/adapters/audio/analyse-excerpts.ts';
import type { MoodId } from '../../src/core/emotion/circumplex.ts';
import { ANALYSER_VERSION } from '../../src/core/music/emotion-model.ts';
import { MOOD_COLOURS } from '../../src/ui/mood-colours.ts';
import { fixture } from './fixtures.ts';
import { openApp, pickFiles, readyRows, waitForImportIdle } from './helpers.ts';
import { test } from './test.ts';

const SONGS_DIR = resolve(import.meta.dirname, '../../../shared/songs');
const SHARED_SONG = resolve(SONGS_DIR, '12_xmoto_batcave.mp3');

const row = (page: Page, title: string) => page.locator(`[data-testid="song-row"][data-title="${title}"]`);

async function waitForAnalysed(page: Page): Promise<void> {
  await waitForImportIdle(page);
  await expect(page.locator('[data-testid="song-row"][data-status="analysing"], [data-testid="song-row"][data-status="queued"]')).toHaveCount(0, {
    timeout: 120_000,
  });
}

/** Rewrites stored analyses in IndexedDB, as an older Norae (or a failure) would have left them. */
async function rewriteAnalyses(page: Page, patch: Record<string, unknown>): Promise<void> {
  await page.evaluate(
    (patch) =>
      new Promise<void>((resolve, reject) => {
        const open = indexedDB.open('norae');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const tx = db.transaction('analyses', 'readwrite');
          const store = tx.objectStore('analyses');
          const all = store.getAll();
          all.onsuccess = () => {
            for (const a of all.result) store.put({ ...a, ...patch });
          };
          tx.oncomplete = () => {
            db.close();
            resolve();
          };
          tx.onerror = () => reject(tx.error);
        };
      }),
    patch,
  );
}

test('every imported song is analysed and placed on the plane', async ({ page }) => {
  await openApp(page);
  await pickFiles(page, [fixture('long-road.mp3'), fixture('tagged.mp3'), fixture('click-120.wav'), fixture('flac-tone.flac'), fixture('aac-tone.m4a')]);
  await waitForAnalysed(page);
  await expect(readyRows(page)).toHaveCount(5);
  for (const title of ['Long Road', 'Morning Light', 'Click 120', 'Flac Tone', 'Aac Tone']) {
    const r = row(page, title);
    await expect(r).toHaveAttribute('data-mood', /^(pleasure|excitement|arousal|distress|misery|depression|sleepiness|contentment)$/);
    const valence = Number(await r.getAttribute('data-valence'));
    const arousal = Number(await r.getAttribute('data-arousal'));
    expect(Math.abs(valence)).toBeLessThanOrEqual(1);
    expect(Math.abs(arousal)).toBeLessThanOrEqual(1);
  }
  // A click track at 120 BPM is found within 4 %.
  const bpm = Number(await row(page, 'Click 120').getAttribute('data-bpm'));
  expect(Math.abs(bpm - 120) / 120).toBeLessThan(0.04);
  await expect(page.getByTestId('emotion-plane')).toHaveAttribute('data-points', '5');
});

test('the plane explains a dot on hover, plays it on click, and filters by mood and region', async ({ page }) => {
  await openApp(page);
  await pickFiles(page, [fixture('long-road.mp3'), fixture('tagged.mp3'), fixture('click-120.wav'), fixture('flac-tone.flac')]);
  await waitForAnalysed(page);
  const canvas = page.locator('[data-testid="emotion-plane"] canvas');
  const box = await canvas.boundingBox();
  if (!box) throw new Error('no plane');

  // Find the screen position of "Click 120" from its stored coordinates and the plane's view.
  const valence = Number(await row(page, 'Click 120').getAttribute('data-valence'));
  const arousal = Number(await row(page, 'Click 120').getAttribute('data-arousal'));
  const side = Math.min(box.width, box.height);
  const k = side / (2 * 1.08);
  const x = box.x + box.width / 2 + valence * k;
  const y = box.y + box.height / 2 - arousal * k;
  // Its dot is drawn there, in its mood's colour.
  const mood = (await row(page, 'Click 120').getAttribute('data-mood')) as MoodId;
  const drawn = await canvas.evaluate((c: HTMLCanvasElement, at) => {
    const scale = c.width / c.getBoundingClientRect().width;
    return [...(c.getContext('2d') as CanvasRenderingContext2D).getImageData(Math.round(at.x * scale), Math.round(at.y * scale), 1, 1).data];
  }, { x: x - box.x, y: y - box.y });
  const colour = MOOD_COLOURS[mood].match(/[0-9a-f]{2}/gi)!.map((h) => parseInt(h, 16));
  for (let i = 0; i < 3; i++) expect(Math.abs(drawn[i] - colour[i]), `channel ${i} of ${drawn} vs ${colour}`).toBeLessThan(40);
  await page.mouse.move(x, y);
  const tip = page.getByTestId('plane-tooltip');
  await expect(tip).toBeVisible();
  await expect(tip).toContainText('Why here');
  await page.mouse.click(x, y);
  await expect(page.getByTestId('now-playing')).toHaveText(/.+/);

  // Filter by the mood of one song: the list shows only songs of that mood.
  await page.locator(`[data-testid="mood-filter"] [data-mood="${mood}"]`).click();
  const moods = await readyRows(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-mood')));
  expect(moods.length).toBeGreaterThan(0);
  expect(new Set(moods)).toEqual(new Set([mood]));
  await page.getByRole('button', { name: 'All moods' }).click();

  // Draw a small region around that dot: only songs inside it stay listed.
  await page.getByTestId('plane-lasso').click();
  await page.mouse.move(x - 12, y - 12);
  await page.mouse.down();
  for (const [dx, dy] of [[12, -12], [12, 12], [-12, 12], [-12, -12]] as const) await page.mouse.move(x + dx, y + dy, { steps: 4 });
  await page.mouse.up();
  await expect(page.getByTestId('clear-region')).toBeVisible();
  const inside = await readyRows(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-title')));
  expect(inside).toContain('Click 120');
  expect(inside.length).toBeLessThan(4);
  await page.getByTestId('clear-region').click();
  await expect(readyRows(page)).toHaveCount(4);
});

test('songs from an older analyser are re-analysed in the background; a failed analysis can be retried', async ({ page }) => {
  await openApp(page);
  await pickFiles(page, [fixture('long-road.mp3'), fixture('tagged.mp3')]);
  await waitForAnalysed(page);
  const before = await row(page, 'Long Road').getAttribute('data-valence');

  await rewriteAnalyses(page, { analyserVersion: 'an-older-analyser', emotion: null, status: 'ok', features: null, bpm: null });
  await page.reload();
  await waitForAnalysed(page);
  await expect(row(page, 'Long Road')).toHaveAttribute('data-valence', before ?? '');
  const versions = await page.evaluate(
    () =>
      new Promise<string[]>((resolve) => {
        const open = indexedDB.open('norae');
        open.onsuccess = () => {
          const all = open.result.transaction('analyses').objectStore('analyses').getAll();
          all.onsuccess = () => resolve(all.result.map((a: { analyserVersion: string }) => a.analyserVersion));
        };
      }),
  );
  expect(versions).toEqual([ANALYSER_VERSION, ANALYSER_VERSION]);

  await rewriteAnalyses(page, { status: 'error', emotion: null, features: null, bpm: null, error: { code: 'failed', detail: 'test' } });
  await page.reload();
  await expect(row(page, 'Long Road')).toHaveAttribute('data-status', 'error');
  await expect(row(page, 'Long Road').getByTestId('analysis-error')).toContainText('Analysis failed');
  await row(page, 'Long Road').getByTestId('retry-analysis').click();
  await expect(row(page, 'Long Road')).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await expect(row(page, 'Long Road')).toHaveAttribute('data-valence', before ?? '');
});

// The same excerpts, decoded by the browser's WebCodecs MP3 decoder in the app's worker and by
// the wasm mpg123 in Node: the placements agree.
test('the browser and Node give the same valence and arousal for the same file', async ({ page }) => {
  const files = [fixture('long-road.mp3'), ...(existsSync(SHARED_SONG) ? [SHARED_SONG] : [])];
  await openApp(page);
  await pickFiles(page, files);
  await waitForAnalysed(page);
  for (const file of files) {
    const node = await analyseBlobExcerpts(new Blob([readFileSync(file)]), { formatHint: 'mp3' });
    const id = await page.evaluate(async (bytes) => {
      const digest = await crypto.subtle.digest('SHA-256', Uint8Array.from(atob(bytes), (c) => c.charCodeAt(0)));
      return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
    }, readFileSync(file).toString('base64'));
    const r = page.locator(`[data-testid="song-row"][data-song-id="${id}"]`);
    // Every excerpt analysed whole in the browser too (its decoder is stopped a few frames
    // past each excerpt's end): the same windows as Node's, to the sample.
    const browserExcerpts = await page.evaluate(
      (songId) =>
        new Promise<unknown>((resolve, reject) => {
          const open = indexedDB.open('norae');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const get = open.result.transaction('analyses').objectStore('analyses').get(songId);
            get.onsuccess = () => resolve((get.result as { excerpts?: unknown }).excerpts);
          };
        }),
      id,
    );
    expect(browserExcerpts).toEqual(node.excerpts);
    expect(Math.abs(Number(await r.getAttribute('data-valence')) - node.emotion.valence)).toBeLessThanOrEqual(0.02);
    expect(Math.abs(Number(await r.getAttribute('data-arousal')) - node.emotion.arousal)).toBeLessThanOrEqual(0.02);
  }
});
