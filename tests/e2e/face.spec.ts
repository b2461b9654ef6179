import { expect, type Page } from '@playwright/test';
import { fakeMedia, fixture, makeFixtures } from './fixtures.ts';
import { openApp, pageWithFlags } from './helpers.ts';
import { test } from './test.ts';

const EMOTION = /^(neutral|happy|sad|angry|fearful|disgust|surprised)$/;

makeFixtures();

/**
 * The face nets run in the face worker: their weights, tfjs's wasm and the code that runs them
 * (face-api, the model loader, the analysis) were fetched there, never by the page itself, and
 * the worker is running.
 */
async function expectFaceNetsInWorker(page: Page): Promise<void> {
  const pageFetched = await page.evaluate(() => performance.getEntriesByType('resource').map((e) => e.name));
  expect(pageFetched.filter((url) => /\/models\/face(-expression)?\/|\/tfjs\/|\/assets\/(face-api|face-models|analyse-image)[.-]/.test(url))).toEqual([]);
  expect(page.workers().map((w) => w.url()).some((url) => url.includes('face-worker'))).toBe(true);
}

test('photos: every face boxed, the largest chosen, another can be picked; bad pictures explained', async ({ page }) => {
  test.setTimeout(180_000);
  await openApp(page);
  await page.getByTestId('nav-feel').click();
  const input = page.getByTestId('face-input');
  await input.setInputFiles(fixture('five-people.jpg'));
  const result = page.getByTestId('face-result');
  await expect(result).toHaveAttribute('data-emotion', EMOTION, { timeout: 90_000 });
  const faces = Number(await result.getAttribute('data-faces'));
  expect(faces).toBeGreaterThanOrEqual(3);
  await expect(page.getByTestId('photo-face')).toHaveCount(faces);
  await expect(page.getByTestId('photo-face').first()).toHaveAttribute('aria-pressed', 'true');
  await page.getByTestId('photo-face').nth(1).click();
  await expect(page.getByTestId('photo-face').nth(1)).toHaveAttribute('aria-pressed', 'true');
  await expectFaceNetsInWorker(page);

  await input.setInputFiles(fixture('fifty-megapixels.jpg'));
  await expect(result).toHaveAttribute('data-faces', /[1-9]/, { timeout: 90_000 });

  await input.setInputFiles(fixture('black.png'));
  await expect(page.getByTestId('face-error')).toHaveAttribute('data-code', /blank-image|no-face/);
  await input.setInputFiles(fixture('cartoon.png'));
  await expect(page.getByTestId('face-error')).toHaveAttribute('data-code', /no-face|blank-image/);
  await input.setInputFiles(fixture('notes.txt'));
  await expect(page.getByTestId('face-error')).toHaveAttribute('data-code', 'unusable-image');
});

test('camera: live boxes and expressions, "use this moment", the camera stops when leaving', async ({}, testInfo) => {
  test.setTimeout(120_000);
  const { page, close } = await pageWithFlags(testInfo, fakeMedia({ video: fixture('happy-face.y4m') }));
  try {
    await openApp(page);
    await page.getByTestId('nav-feel').click();
    await page.getByTestId('face-camera').click();
    await expect(page.getByTestId('live-face').first()).toBeVisible({ timeout: 60_000 });
    // The live label (smoothed, with hysteresis) reads the fake camera's smile as happy.
    await expect(page.getByTestId('live-face').first()).toHaveAttribute('data-emotion', 'happy', { timeout: 10_000 });
    await expectFaceNetsInWorker(page);
    await page.waitForTimeout(1200);
    await page.getByTestId('face-moment').click();
    const result = page.getByTestId('face-result');
    await expect(result).toHaveAttribute('data-emotion', 'happy');
    expect(Number(await result.getAttribute('data-valence'))).toBeGreaterThan(0);
    const liveTracks = () =>
      page.evaluate(() => [...document.querySelectorAll('video')].filter((v) => (v.srcObject as MediaStream | null)?.getVideoTracks().some((t) => t.readyState === 'live')).length);
    expect(await liveTracks()).toBe(1);
    // Turning it off stops the stream (the camera light goes off).
    await page.getByTestId('face-camera').click();
    expect(await liveTracks()).toBe(0);

    // Unplugged mid-stream (the track ends under us): a clear message, and the camera is off.
    await page.getByTestId('face-camera').click();
    await expect(page.getByTestId('live-face').first()).toBeVisible({ timeout: 60_000 });
    await page.evaluate(() => {
      const video = [...document.querySelectorAll('video')].find((v) => v.srcObject);
      (video?.srcObject as MediaStream).getVideoTracks()[0].dispatchEvent(new Event('ended'));
    });
    await expect(page.getByTestId('face-error')).toHaveAttribute('data-code', 'camera-lost');
    await expect(page.getByTestId('face-error')).toContainText('The camera went away');
    expect(await liveTracks()).toBe(0);
  } finally {
    await close();
  }
});

test('a denied camera gets a clear message', async ({}, testInfo) => {
  const { page, close } = await pageWithFlags(testInfo, ['--use-fake-device-for-media-stream', '--deny-permission-prompts']);
  try {
    await openApp(page);
    await page.getByTestId('nav-feel').click();
    await page.getByTestId('face-camera').click();
    await expect(page.getByTestId('face-error')).toHaveAttribute('data-code', 'denied');
    await expect(page.getByTestId('face-error')).toContainText('Camera access was denied');
  } finally {
    await close();
  }
});
