import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { fixture } from './fixtures.ts';
import { openApp, pickFiles, readyRows, waitForImportIdle } from './helpers.ts';
import { test } from './test.ts';

async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test('no serious accessibility violations: empty, filled, with problems, in a dialog', async ({ page }) => {
  await openApp(page);
  expect(await seriousViolations(page)).toEqual([]);
  await pickFiles(page, [fixture('tagged.mp3'), fixture('wave-tone.wav'), fixture('picture.mp3'), fixture('truncated.mp3')]);
  await waitForImportIdle(page);
  await page.locator('[data-testid="song-row"][data-title="Morning Light"] .row-main').click();
  expect(await seriousViolations(page)).toEqual([]);
  await page.getByRole('button', { name: 'Delete Wave Tone' }).click();
  await expect(page.getByTestId('confirm-dialog')).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('confirm-dialog')).toHaveCount(0);
});

test('the library works from the keyboard alone', async ({ page }) => {
  await openApp(page);
  await pickFiles(page, [fixture('tagged.mp3'), fixture('wave-tone.wav'), fixture('flac-tone.flac')]);
  await waitForImportIdle(page);
  await page.getByTestId('sort').selectOption('title');
  await page.getByTestId('sort-direction').click();

  // Tab reaches the first song (past the mood filters and the plane); arrows move between songs.
  await page.getByTestId('sort-direction').focus();
  const first = page.getByRole('button', { name: 'Play Flac Tone' });
  for (let i = 0; i < 25 && !(await first.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(first).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(page.getByRole('button', { name: 'Play Morning Light' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('now-playing')).toHaveText('Morning Light');
  // The focused control shows a visible focus ring.
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement as Element).outlineStyle);
  expect(outline).not.toBe('none');
  await page.getByTestId('play-pause').focus();
  await page.keyboard.press('Space');
  await expect(page.getByTestId('play-pause')).toHaveAttribute('aria-label', 'Play');

  // Delete with the keyboard, confirm with Enter.
  await page.getByRole('button', { name: 'Delete Wave Tone' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('confirm')).toBeVisible();
  await page.getByTestId('confirm').focus();
  await page.keyboard.press('Enter');
  await expect(readyRows(page)).toHaveCount(2);
});

test.describe('in Korean', () => {
  test.use({ locale: 'ko-KR' });

  test('follows the browser language and switches back and forth', async ({ page }) => {
    await openApp(page);
    await expect(page.locator('html')).toHaveAttribute('lang', 'ko');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('보관함');
    await expect(page.getByRole('button', { name: '파일 추가' })).toBeVisible();
    await pickFiles(page, [fixture('picture.mp3'), fixture('tagged.mp3')]);
    await waitForImportIdle(page);
    await expect(page.locator('[data-testid="song-row"][data-status="error"]')).toContainText('오디오 파일이 아닙니다: PNG 이미지입니다.');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByTestId('language').selectOption('en');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Library');
    await expect(page.locator('[data-testid="song-row"][data-status="error"]')).toContainText('Not an audio file: it is a PNG image.');
    await page.reload();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Library'); // the choice is remembered
  });
});
