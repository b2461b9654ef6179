import { en } from './i18n/en.ts';
import { ko } from './i18n/ko.ts';

/**
 * Every character the app itself may show in Korean glyphs: both catalogues (the Korean one, and
 * the Korean example in the English one), the words written into the components (the app name
 * 노래, the language name 한국어), printable ASCII and the punctuation the catalogues use. The
 * build subsets Noto Sans KR to exactly these characters (vite.config.ts, `koreanUiFont`): one
 * small file per weight, precached, that draws the whole Korean UI. Any other Korean character
 * (a song title, words the user types) comes from the full font's unicode-range slices, loaded
 * only once such a character is shown (korean-font.ts, which gets this text from the build as
 * `import.meta.env.NORAE_UI_FONT_TEXT` rather than import this module: making it from the
 * catalogues costs tens of milliseconds at start).
 *
 * A Hangul literal added to a component must be added here too (a unit test reads src/ui for them).
 */
const IN_COMPONENTS = '노래한국어';
const ASCII = Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)).join('');
const PUNCTUATION = '·…—–−‘’“”→←↑↓×•';

export const UI_FONT_TEXT: string = uniqueCharacters(
  ASCII + PUNCTUATION + IN_COMPONENTS + Object.values(ko).join('') + Object.values(en).join(''),
);

/** The distinct characters of a text, sorted by code point. */
export function uniqueCharacters(text: string): string {
  return [...new Set(text)].sort((a, b) => (a.codePointAt(0) ?? 0) - (b.codePointAt(0) ?? 0)).join('');
}

/** A CSS `unicode-range` that covers exactly the characters of a text: `U+20-7E,U+B178,…`. */
export function unicodeRange(text: string): string {
  const codePoints = [...new Set([...text].map((c) => c.codePointAt(0) ?? 0))].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < codePoints.length; ) {
    let j = i;
    while (j + 1 < codePoints.length && codePoints[j + 1] === codePoints[j] + 1) j++;
    const hex = (n: number): string => n.toString(16).toUpperCase();
    ranges.push(j > i ? `U+${hex(codePoints[i])}-${hex(codePoints[j])}` : `U+${hex(codePoints[i])}`);
    i = j + 1;
  }
  return ranges.join(',');
}
