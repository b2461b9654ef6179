import { expect, type Page } from '@playwright/test';
import { fakeMedia, fixture, makeFixtures } from './fixtures.ts';
import { openApp, pageWithFlags, pickFiles, waitForImportIdle, waitForServiceWorker } from './helpers.ts';
import { test } from './test.ts';

makeFixtures();

const PHONE = { width: 390, height: 844 };
const SONGS = ['tagged.mp3', '02 - Fixture Artist - Evening Song.mp3', 'long-road.mp3', 'click-120.wav', 'flac-tone.flac', 'vorbis-tone.ogg'].map(fixture);

/**
 * Every visible element that runs past the screen's right or left edge, or past the box of an
 * ancestor that clips it (overflow other than visible): what a user cannot see or reach. Text
 * shortened with an ellipsis ("Long Road · Norae Te…") is not an overflow: the user sees that it
 * goes on, and the element that shortens it fits.
 */
async function offScreen(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const screenWidth = document.documentElement.clientWidth;
    const describe = (el: Element): string =>
      `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}${el.getAttribute('data-testid') ? `[data-testid=${el.getAttribute('data-testid')}]` : ''}.${[...el.classList].join('.')} "${(el.textContent ?? '').trim().slice(0, 30)}"`;
    const problems: string[] = [];
    if (document.documentElement.scrollWidth > screenWidth + 1) problems.push(`page scrolls sideways: ${document.documentElement.scrollWidth} > ${screenWidth}`);
    for (const el of document.querySelectorAll('body *')) {
      const box = el.getBoundingClientRect();
      if (box.width <= 1 || box.height <= 1) continue; // visually-hidden helpers and empty boxes
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.position === 'fixed' && box.bottom < 0) continue;
      if (box.right > screenWidth + 1 || box.left < -1) {
        problems.push(`${describe(el)} spans ${Math.round(box.left)}–${Math.round(box.right)} of ${screenWidth}`);
        continue;
      }
      for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
        const upStyle = getComputedStyle(up);
        if (upStyle.overflowX === 'visible') continue;
        if (upStyle.textOverflow === 'ellipsis') break;
        const clip = up.getBoundingClientRect();
        if (box.right > clip.right + 1 || box.left < clip.left - 1) problems.push(`${describe(el)} clipped by ${describe(up).slice(0, 60)}`);
        break;
      }
    }
    return problems;
  });
}

async function useLanguage(page: Page, locale: 'en' | 'ko'): Promise<void> {
  await page.getByTestId('language').selectOption(locale);
  await expect(page.locator('html')).toHaveAttribute('lang', locale);
}

for (const locale of ['en', 'ko'] as const) {
  test(`at phone width (${locale}) nothing runs past the screen: library, a dialog, "how I feel" after a check-in, "how do you feel now?", insights`, async ({}, testInfo) => {
    test.setTimeout(240_000);
    const { page, close } = await pageWithFlags(testInfo, fakeMedia({ audio: fixture('speech.wav'), video: fixture('happy-face.y4m') }));
    try {
      await page.setViewportSize(PHONE);
      await openApp(page);
      await useLanguage(page, locale);
      await pickFiles(page, SONGS);
      await waitForImportIdle(page);
      await expect(page.locator('[data-testid="song-row"][data-status="ready"]')).toHaveCount(SONGS.length, { timeout: 60_000 });
      expect(await offScreen(page), 'library').toEqual([]);

      await page.locator('[data-testid="song-row"] .delete').first().click();
      await expect(page.getByTestId('confirm-dialog')).toBeVisible();
      expect(await offScreen(page), 'dialog').toEqual([]);
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('confirm-dialog')).toHaveCount(0);

      await page.getByTestId('nav-feel').click();
      await page.getByTestId('check-in').click();
      await expect(page.getByTestId('current-emotion')).toHaveAttribute('data-source', 'fused', { timeout: 90_000 });
      await expect(page.getByTestId('playlist-item').first()).toBeVisible();
      expect(await offScreen(page), 'feel after a check-in').toEqual([]);
      await testInfo.attach(`feel-${locale}-390px.png`, { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });

      // "How do you feel now?" and the insights screen.
      await page.getByTestId('end-session').click();
      await expect(page.getByTestId('outcome')).toBeVisible();
      expect(await offScreen(page), 'how do you feel now').toEqual([]);
      await testInfo.attach(`outcome-${locale}-390px.png`, { body: await page.screenshot(), contentType: 'image/png' });
      await page.getByTestId('outcome-save').click();
      await page.getByTestId('nav-insights').click();
      await expect(page.getByTestId('session-item')).toHaveCount(1);
      expect(await offScreen(page), 'insights').toEqual([]);
      await testInfo.attach(`insights-${locale}-390px.png`, { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
    } finally {
      await close();
    }
  });
}

/**
 * For each element, how many Hangul characters its own text has and how many glyphs Chromium drew
 * with a web font named Noto Sans KR (DevTools' "Rendered fonts"): equal when no Hangul is an
 * empty box from a system font.
 */
async function hangulGlyphs(page: Page, selectors: string[]): Promise<Record<string, { hangul: number; noto: number }>> {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: -1 });
    const result: Record<string, { hangul: number; noto: number }> = {};
    for (const selector of selectors) {
      const { nodeId } = await cdp.send('DOM.querySelector', { nodeId: root.nodeId, selector });
      const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
      const text = await page.locator(selector).first().innerText();
      result[selector] = {
        hangul: [...text].filter((c) => /\p{Script=Hangul}/u.test(c)).length,
        noto: fonts.filter((f) => f.isCustomFont && f.familyName.startsWith('Noto Sans KR')).reduce((n, f) => n + f.glyphCount, 0),
      };
    }
    return result;
  } finally {
    await cdp.detach();
  }
}

const KOREAN_TEXT = ['[data-testid="app-name"]', '[data-testid="nav-library"]', '[data-testid="nav-feel"]', '#library-heading'];

async function expectRealHangul(page: Page): Promise<void> {
  await expect
    .poll(async () => Object.entries(await hangulGlyphs(page, KOREAN_TEXT)).filter(([, { hangul, noto }]) => hangul === 0 || noto < hangul), { timeout: 15_000 })
    .toEqual([]);
}

test('Korean renders in real glyphs where the system has no Korean font, offline too', async ({ page, context }, testInfo) => {
  // A Korean user's first visit: the page starts in Korean.
  await page.addInitScript(() => localStorage.setItem('norae.locale', 'ko'));
  await page.setViewportSize(PHONE);
  await openApp(page);
  await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
  await expect(page.getByTestId('nav-library')).toHaveText('보관함');
  await expectRealHangul(page);
  await testInfo.attach('library-ko-390px.png', { body: await page.screenshot(), contentType: 'image/png' });

  // Offline, the glyphs come from the service worker's precache.
  await waitForServiceWorker(page);
  await context.setOffline(true);
  await page.reload();
  await expect(page.getByTestId('nav-library')).toHaveText('보관함');
  await expectRealHangul(page);
  await context.setOffline(false);
});

test('switching to Korean draws every word in real glyphs', async ({ page }) => {
  await page.setViewportSize(PHONE);
  await openApp(page);
  await useLanguage(page, 'ko');
  await expectRealHangul(page);
});
