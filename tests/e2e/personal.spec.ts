import { expect } from '@playwright/test';
import { fakeMedia, fixture, makeFixtures } from './fixtures.ts';
import { dbRead, openApp, pageWithFlags, tapPlaneAt } from './helpers.ts';
import { test } from './test.ts';

makeFixtures();

const SAD_LOW = { valence: -0.6, arousal: -0.5 };

test('Norae learns you: three corrections toward "sad, low energy" move the fourth reading of the same voice toward it, and it says so', async ({}, testInfo) => {
  test.setTimeout(240_000);
  const { page, close } = await pageWithFlags(testInfo, fakeMedia({ audio: fixture('speech.wav') }));
  try {
    await openApp(page);
    await page.getByTestId('nav-feel').click();
    const current = page.getByTestId('current-emotion');
    const plane = page.locator('section.feel .plane [data-testid="emotion-plane"] canvas').first();
    const voicePoint = async () => ({ valence: Number(await current.getAttribute('data-voice-valence')), arousal: Number(await current.getAttribute('data-voice-arousal')) });
    const distance = (p: { valence: number; arousal: number }) => Math.hypot(p.valence - SAD_LOW.valence, p.arousal - SAD_LOW.arousal);

    let first: { valence: number; arousal: number } | null = null;
    for (let i = 0; i < 3; i++) {
      await page.getByTestId('check-in').click();
      await expect(current).toHaveAttribute('data-voice-valence', /\d/, { timeout: 90_000 });
      await expect(current).not.toHaveAttribute('data-source', 'correction');
      if (i === 0) {
        first = await voicePoint();
        // Untuned at first: nothing to say yet.
        await expect(page.getByTestId('personal-tuning')).toHaveCount(0);
      }
      // "Not right": the listener taps where they really are.
      await tapPlaneAt(page, plane, SAD_LOW);
      await expect(current).toHaveAttribute('data-source', 'correction');
    }
    // Stored a moment after the screen shows it.
    await expect.poll(async () => (await dbRead(page, ['answers'], 'count')).answers).toBe(3);

    await page.getByTestId('check-in').click();
    await expect(current).not.toHaveAttribute('data-source', 'correction', { timeout: 90_000 });
    await expect(current).toHaveAttribute('data-voice-valence', /\d/);
    const fourth = await voicePoint();
    // The same voice now reads closer to what the listener said, by a clear margin.
    expect(distance(fourth)).toBeLessThan(distance(first as { valence: number; arousal: number }) - 0.2);
    const tuning = page.getByTestId('personal-tuning');
    await expect(tuning).toHaveAttribute('data-voice', '3');
    await expect(tuning).toContainText('Tuned to you from 3 of your answers');

    // A reset forgets the answers: they are gone from the device and the line goes.
    await page.getByTestId('personal-reset').click();
    await expect(tuning).toHaveCount(0);
    expect((await dbRead(page, ['answers'], 'count')).answers).toBe(0);
  } finally {
    await close();
  }
});
