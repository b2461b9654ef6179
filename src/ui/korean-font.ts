/** How long a Korean first paint may wait for the UI's Korean glyphs (they come from the precache). */
const FIRST_PAINT_WAIT_MS = 1500;

/** The build's subset of Noto Sans KR (app.css's font stack names it before the full font). */
const UI_FAMILY = 'Noto Sans KR UI';
/** The subset's characters (src/ui/ui-font-text.ts), put here by the build (vite.config.ts, `define`). */
const COVERED: ReadonlySet<string> = new Set(import.meta.env.NORAE_UI_FONT_TEXT as string);

/**
 * Korean glyphs where the system has none (Debian's Chromium, many Linux desktops: without a web
 * font, every Korean word — the app's name 노래 included — shows as empty boxes), in two parts:
 *
 * - The UI's own words: one build-time subset of Noto Sans KR per weight (400 and 700; 500
 *   resolves to 400, 600 to 700), about 50 KB each, declared in the main stylesheet under the
 *   family "Noto Sans KR UI" with a `unicode-range` of exactly its characters (vite.config.ts,
 *   `koreanUiFont`), and precached by the service worker.
 * - Everything else (song titles, the words a user types): Fontsource's ~120 `unicode-range`
 *   slices per weight of the full font, whose two 75 KB stylesheets load only once the page shows
 *   a Korean character that the subset lacks (`watchForKoreanText`). Slices are cached by the
 *   service worker as they are fetched.
 *
 * Chromium can keep drawing a text run with the fallback's empty boxes when the face it waited for
 * arrives after the run was laid out (seen with the nav's 보관함), which never happens when the
 * faces are ready first: so a Korean first paint, and a switch to Korean, wait for the UI faces.
 */
let uiFaces: Promise<void> | undefined;

/** Loads both weights of the UI subset (once); resolves when they are ready, or failed. */
export function loadKoreanUiFont(): Promise<void> {
  uiFaces ??= Promise.all(['400', '700'].map((weight) => document.fonts.load(`${weight} 1em "${UI_FAMILY}"`, '노래')))
    .then(() => undefined)
    .catch((error: unknown) =>
      console.error('Norae: the Korean font could not be loaded; Korean text may show as boxes where the system has no Korean font.', error),
    );
  return uiFaces;
}

/** Waits for the UI's Korean glyphs before Korean text is drawn, but never longer than a short while. */
export async function readyForKorean(): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([loadKoreanUiFont(), new Promise((resolve) => (timer = setTimeout(resolve, FIRST_PAINT_WAIT_MS)))]);
  clearTimeout(timer);
}

let fullFont: Promise<void> | undefined;

/** Loads the full font's slice stylesheets (once); the browser then fetches only the slices it draws. */
export function loadFullKoreanFont(): Promise<void> {
  fullFont ??= Promise.all([import('@fontsource/noto-sans-kr/400.css'), import('@fontsource/noto-sans-kr/700.css')])
    .then(() => undefined)
    .catch((error: unknown) => console.error('Norae: the full Korean font could not be loaded; some Korean text may show as boxes.', error));
  return fullFont;
}

/**
 * Loads the full font as soon as the page shows, or the user types, a Korean character the UI
 * subset does not have; until then it costs nothing. Returns a function that stops watching.
 */
export function watchForKoreanText(root: Node = document.body): () => void {
  const needs = (text: string | null | undefined): boolean => !!text && needsFullKoreanFont(text);
  const found = (): void => {
    stop();
    void loadFullKoreanFont();
  };
  const observer = new MutationObserver((records) => {
    for (const record of records) {
      const texts = record.type === 'characterData' ? [record.target.nodeValue] : [...record.addedNodes].map((node) => node.textContent);
      if (texts.some(needs)) return found();
    }
  });
  const onInput = (event: Event): void => {
    const field = event.target;
    if ((field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) && needs(field.value)) found();
  };
  const stop = (): void => {
    observer.disconnect();
    document.removeEventListener('input', onInput, true);
  };
  observer.observe(root, { subtree: true, childList: true, characterData: true });
  document.addEventListener('input', onInput, true);
  if (needs(root.textContent)) found();
  return stop;
}

/** Scripts drawn from Noto Sans KR: Hangul (syllables, jamo, compatibility jamo) and CJK ideographs, symbols, fullwidth forms. */
const KOREAN_FONT_SCRIPT = /[\u1100-\u11ff\u3000-\u303f\u3130-\u318f\u3200-\u32ff\u3400-\u4dbf\u4e00-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff00-\uffef]/gu;

/** Whether a text has a Korean-font character that the UI subset lacks (so the full font's slices are needed). */
export function needsFullKoreanFont(text: string, covered: ReadonlySet<string> = COVERED): boolean {
  for (const [char] of text.matchAll(KOREAN_FONT_SCRIPT)) if (!covered.has(char)) return true;
  return false;
}
