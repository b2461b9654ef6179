import { expect, type Page } from '@playwright/test';
import { fixture } from './fixtures.ts';
import { dbRead, openApp, pickFiles, waitForImportIdle } from './helpers.ts';
import { test } from './test.ts';

const row = (page: Page, title: string) => page.locator(`[data-testid="song-row"][data-title="${title}"]`);

test('silence, short clips, odd rates, clipping and NaN samples: a sensible result or a clear error, never a stuck queue', async ({ page }) => {
  await openApp(page);
  await pickFiles(page, [
    fixture('silence.wav'),
    fixture('two-seconds.mp3'),
    fixture('8khz-mono.wav'),
    fixture('96khz-stereo.flac'),
    fixture('clipping.wav'),
    fixture('nan.wav'),
  ]);
  await waitForImportIdle(page);
  await expect(page.locator('[data-testid="song-row"][data-status="analysing"]')).toHaveCount(0);
  const rows = await page.getByTestId('song-row').evaluateAll((els) =>
    els.map((e) => ({
      title: e.getAttribute('data-title') ?? e.getAttribute('data-file'),
      status: e.getAttribute('data-status'),
      valence: e.getAttribute('data-valence'),
      error: e.getAttribute('data-error'),
      text: e.textContent,
    })),
  );
  expect(rows).toHaveLength(6);
  for (const r of rows) {
    // Either placed on the plane with finite numbers, or a stated reason.
    if (r.status === 'ready') expect(Number.isFinite(Number(r.valence))).toBe(true);
    else expect(r.status).toBe('error');
  }
  for (const title of ['Two Seconds', 'Eight Kilohertz', 'Ninety-six Kilohertz', 'Clipping']) {
    await expect(row(page, title)).toHaveAttribute('data-status', 'ready');
  }
  // The NaN file is kept and explained, never shown at NaN: its row must be there.
  const nan = rows.find((r) => r.title === 'nan' || r.text?.includes('nan.wav'));
  expect(nan, 'the row of nan.wav').toBeDefined();
  if (nan?.status === 'ready') expect(Number.isFinite(Number(nan.valence))).toBe(true);
  else expect(nan?.error).toBeTruthy();
});

/** What the app stored for a song analysed from excerpts. */
interface StoredAnalysis {
  excerpts?: { startSeconds: number; durationSeconds: number }[];
  features: Record<string, number>;
  timings?: { decoder?: string };
}

/**
 * Imports one long fixture into a fresh app, waits until its row is ready and shows `length`,
 * and returns its stored analysis, straight from IndexedDB.
 */
async function importLongSong(page: Page, file: string, title: string, length: string, readyTimeoutMs: number): Promise<StoredAnalysis> {
  await openApp(page);
  await pickFiles(page, [fixture(file)]);
  await waitForImportIdle(page);
  await expect(row(page, title)).toHaveAttribute('data-status', 'ready', { timeout: readyTimeoutMs });
  await expect(row(page, title)).toContainText(length);
  const { analyses } = (await dbRead(page, ['analyses'], 'getAll')) as { analyses: StoredAnalysis[] };
  expect(analyses).toHaveLength(1);
  return analyses[0];
}

test('an hour-long MP3 is analysed from three 30-s excerpts, its length read from its headers', async ({ page }) => {
  test.setTimeout(300_000);
  const analysis = await importLongSong(page, 'one-hour.mp3', 'One Hour', '1:00:00', 240_000);
  // Equal gaps of (3600 − 90) / 4 s around three 30-s excerpts; 90 s analysed, not an hour.
  expect(analysis.excerpts?.map((e) => Math.round(e.startSeconds))).toEqual([878, 1785, 2693]);
  expect(analysis.excerpts?.map((e) => e.durationSeconds)).toEqual([30, 30, 30]);
  expect(analysis.features.analysedSeconds).toBe(90);
});

test('a 10-minute FLAC is analysed from three 30-s excerpts in the worker, never decoded on the page', async ({ page }) => {
  test.setTimeout(120_000);
  const analysis = await importLongSong(page, 'ten-minutes.flac', 'Ten Minutes Flac', '10:00', 60_000);
  // Equal gaps of (600 − 90) / 4 s: 127.5, 285 and 442.5 s.
  expect(analysis.excerpts?.map((e) => e.startSeconds)).toEqual([127.5, 285, 442.5]);
  expect(analysis.features.analysedSeconds).toBeCloseTo(90, 1);
  expect(analysis.timings?.decoder).toBe('wasm-worker');
});

test('a 10-minute M4A is analysed from three 30-s excerpts in the worker (Vorbis by WebCodecs, Opus by the wasm libopus at 12 kHz), never decoded on the page', async ({ page }) => {
  test.setTimeout(120_000);
  const analysis = await importLongSong(page, 'ten-minutes.m4a', 'Ten Minutes Aac', '10:00', 60_000);
  // Equal gaps of (600 − 90) / 4 s; the length from the sample table (600.02 s with the encoder's priming).
  expect(analysis.excerpts?.map((e) => Math.round(e.startSeconds))).toEqual([128, 285, 443]);
  expect(analysis.features.analysedSeconds).toBeCloseTo(90, 0);
  expect(analysis.timings?.decoder).toBe('wasm-worker');
  // A 311-Hz tone crosses zero 622 times a second: the right audio, decoded whole.
  expect((analysis.features.zeroCrossingRate * 11_025) / 2).toBeGreaterThan(300);
  expect((analysis.features.zeroCrossingRate * 11_025) / 2).toBeLessThan(322);
});

for (const [file, title, toneHz] of [['ten-minutes.ogg', 'Ten Minutes Vorbis', 277], ['ten-minutes.opus', 'Ten Minutes Opus', 262]] as const) {
  test(`a 10-minute ${file.endsWith('.ogg') ? 'Ogg Vorbis' : 'Ogg Opus'} file is analysed from three 30-s excerpts in the worker (Vorbis by WebCodecs, Opus by the wasm libopus at 12 kHz), never decoded on the page`, async ({ page }) => {
    test.setTimeout(120_000);
    const analysis = await importLongSong(page, file, title, '10:00', 60_000);
    // Equal gaps of (600 − 90) / 4 s; the length from the last page's granule position.
    expect(analysis.excerpts?.map((e) => e.startSeconds)).toEqual([127.5, 285, 442.5]);
    expect(analysis.features.analysedSeconds).toBeCloseTo(90, 1);
    expect(analysis.timings?.decoder).toBe('wasm-worker');
    // The tone crosses zero twice a cycle: the right audio came out of the pages read.
    expect((analysis.features.zeroCrossingRate * 11_025) / 2).toBeGreaterThan(toneHz * 0.97);
    expect((analysis.features.zeroCrossingRate * 11_025) / 2).toBeLessThan(toneHz * 1.03);
  });
}

/** Which decoder analysed each stored song, straight from IndexedDB. */
async function decoders(page: Page): Promise<(string | null)[]> {
  const { analyses } = (await dbRead(page, ['analyses'], 'getAll')) as { analyses: { timings?: { decoder?: string } }[] };
  return analyses.map((a) => a.timings?.decoder ?? null);
}

test('a 70 MB WAV imports by streaming in the worker, never decoded whole on the page', async ({ page }) => {
  test.setTimeout(240_000);
  await openApp(page);
  await pickFiles(page, [fixture('seventy-mb.wav')]);
  await waitForImportIdle(page, 200_000);
  await expect(row(page, 'Seventy Megabytes')).toHaveAttribute('data-status', 'ready', { timeout: 200_000 });
  await expect(row(page, 'Seventy Megabytes')).toContainText('13:20');
  expect(Number.isFinite(Number(await row(page, 'Seventy Megabytes').getAttribute('data-valence')))).toBe(true);
  expect(await decoders(page)).toEqual(['wasm-worker']);
});

test('a file over the size cap is refused with its own message, and the rest of the batch imports', async ({ page }) => {
  await openApp(page);
  await pickFiles(page, [fixture('too-large.wav'), fixture('wave-tone.wav')]);
  await waitForImportIdle(page);
  const refused = page.locator('[data-testid="song-row"][data-status="error"][data-file="too-large.wav"]');
  await expect(refused).toHaveAttribute('data-error', 'too-large');
  await expect(refused).toContainText('This file is 501 MB; Norae imports files up to 500 MB.');
  await expect(row(page, 'Wave Tone')).toHaveAttribute('data-status', 'ready');
});
