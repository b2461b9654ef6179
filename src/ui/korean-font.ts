import { ko } from './i18n/ko.ts';

/** How long a Korean first paint may wait for the UI's Korean glyphs (they come from the precache). */
const FIRST_PAINT_WAIT_MS = 1500;

/**
 * Korean glyphs where the system has none (Debian's Chromium, many Linux desktops: without this,
 * every Korean word — the app's name 노래 included — shows as empty boxes). Noto Sans KR (OFL,
 * via Fontsource) comes as ~120 `unicode-range` subsets per weight, so the browser fetches only
 * the subsets of the characters it draws; the stylesheets load after the app's own code, so the
 * initial bundle does not grow. The service worker precaches the subsets of the UI's own words
 * and caches any other once fetched (vite.config.ts), so Korean renders offline too. 400 and 700
 * cover the app's weights (500 resolves to 400, 600 to 700).
 *
 * The UI's Korean glyphs are loaded up front: Chromium can keep drawing a text run with the
 * fallback's empty boxes when the subset it waited for arrives after the run was laid out (seen
 * with the nav's 보관함), which never happens when the faces are ready first. Resolves when they
 * are, or after a short wait when `waitForFirstPaint` (the page is about to show Korean).
 */
export async function loadKoreanFont(waitForFirstPaint: boolean): Promise<void> {
  const ready = (async () => {
    await Promise.all([import('@fontsource/noto-sans-kr/400.css'), import('@fontsource/noto-sans-kr/700.css')]);
    const uiText = [...new Set(Object.values(ko).join(''))].join('');
    await Promise.all([document.fonts.load(`400 1em "Noto Sans KR"`, uiText), document.fonts.load(`700 1em "Noto Sans KR"`, uiText)]);
  })().catch((error: unknown) =>
    console.error('Norae: the Korean font could not be loaded; Korean text may show as boxes where the system has no Korean font.', error),
  );
  if (waitForFirstPaint) await Promise.race([ready, new Promise((resolve) => setTimeout(resolve, FIRST_PAINT_WAIT_MS))]);
}
