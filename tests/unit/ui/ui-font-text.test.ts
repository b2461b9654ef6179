import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ko } from '../../../src/ui/i18n/ko.ts';
import { needsFullKoreanFont } from '../../../src/ui/korean-font.ts';
import { UI_FONT_TEXT, uniqueCharacters, unicodeRange } from '../../../src/ui/ui-font-text.ts';

const covered = new Set(UI_FONT_TEXT);

describe('UI_FONT_TEXT (the characters of the Korean UI font subset)', () => {
  it('holds every character of the Korean catalogue, digits and ASCII punctuation', () => {
    const missing = [...new Set(Object.values(ko).join('') + '0123456789.,:;!?()[]{}%+-/\'"')].filter((c) => !covered.has(c));
    expect(missing).toEqual([]);
  });

  it('holds every Hangul character written anywhere in src/ui (a literal in a component, the language names)', () => {
    const root = 'src/ui';
    const text = readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((name) => /\.(ts|svelte)$/.test(name))
      .map((name) => readFileSync(join(root, name), 'utf8'))
      .join('');
    const missing = [...new Set(text.match(/\p{Script=Hangul}/gu) ?? [])].filter((c) => !covered.has(c));
    expect(missing).toEqual([]);
  });

  it('is each character once, in code point order', () => {
    expect(uniqueCharacters('래노래a')).toBe('a노래');
    expect(uniqueCharacters(UI_FONT_TEXT)).toBe(UI_FONT_TEXT);
  });
});

describe('unicodeRange', () => {
  it('lists single code points and merges runs', () => {
    // 노 U+B178, 래 U+B798.
    expect(unicodeRange('래노abcx')).toBe('U+61-63,U+78,U+B178,U+B798');
  });

  it('covers exactly the UI text', () => {
    const ranges = unicodeRange(UI_FONT_TEXT)
      .split(',')
      .map((r) => r.replace('U+', '').split('-').map((h) => parseInt(h, 16)));
    const count = ranges.reduce((n, [first, last = first]) => n + last - first + 1, 0);
    expect(count).toBe([...UI_FONT_TEXT].length);
  });
});

describe('needsFullKoreanFont', () => {
  it('is false for the UI’s own Korean words and for text in other scripts', () => {
    expect(needsFullKoreanFont(Object.values(ko).join(' '), covered)).toBe(false);
    expect(needsFullKoreanFont('Yesterday — The Beatles (1965)', covered)).toBe(false);
    expect(needsFullKoreanFont('Ça va, ¿qué tal? Привет', covered)).toBe(false);
  });

  it('knows the subset’s characters from the build', () => {
    expect(needsFullKoreanFont('노래 보관함')).toBe(false);
    expect(needsFullKoreanFont('뷁')).toBe(true);
  });

  it('is true for a Korean character (or a Hanja) the subset lacks', () => {
    const uncommon = [...'뷁똠봤궯'].find((c) => !covered.has(c));
    expect(uncommon).toBeDefined();
    expect(needsFullKoreanFont(`노래 ${uncommon}`, covered)).toBe(true);
    expect(needsFullKoreanFont('春夏秋冬', covered)).toBe(true);
  });
});
