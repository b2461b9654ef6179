import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fontSubsetsCovering } from '../../../../src/adapters/pwa/font-subsets.ts';

const CSS = `
@font-face { font-family: 'X'; src: url(./files/x-0-400-normal.woff2) format('woff2'); unicode-range: U+ac00-ac10,U+b798; }
@font-face { font-family: 'X'; src: url(./files/x-1-400-normal.woff2) format('woff2'); unicode-range: U+b178; }
@font-face { font-family: 'X'; src: url(./files/x-latin-400-normal.woff2) format('woff2'); unicode-range: U+00??; }
`;

describe('fontSubsetsCovering', () => {
  it('finds the subsets that hold each character, once each', () => {
    // 노 U+B178, 래 U+B798, 가 U+AC00.
    expect(fontSubsetsCovering(CSS, '노래 가')).toEqual(['x-0-400-normal', 'x-1-400-normal', 'x-latin-400-normal']);
    expect(fontSubsetsCovering(CSS, '래래')).toEqual(['x-0-400-normal']);
  });

  it('reads wildcard ranges and ignores characters no subset holds', () => {
    expect(fontSubsetsCovering(CSS, 'A')).toEqual(['x-latin-400-normal']);
    expect(fontSubsetsCovering(CSS, '😀')).toEqual([]);
  });

  it('covers the app name with the real Noto Sans KR stylesheet', () => {
    const css = readFileSync('node_modules/@fontsource/noto-sans-kr/400.css', 'utf8');
    const subsets = fontSubsetsCovering(css, '노래');
    expect(subsets.length).toBeGreaterThanOrEqual(1);
    expect(subsets.every((s) => /^noto-sans-kr-\d+-400-normal$/.test(s))).toBe(true);
  });
});
