import { describe, expect, it } from 'vitest';
import { DEFAULT_TEXT_FEATURES, hangulShare, hashString, normaliseText, textFeatureIndices, textFeatureStrings, tokenise } from '../../../../src/core/text/text-features.ts';
import { languageOf } from '../../../../src/core/text/text-reading.ts';

const spec = DEFAULT_TEXT_FEATURES;
const negated = (text: string): string[] => tokenise(normaliseText(text)).filter((t) => t.negated).map((t) => t.word);

describe('text features', () => {
  it('normalises stretched laughter, crying, case, links and digits, and keeps compatibility jamo', () => {
    expect(normaliseText('  ㅋㅋㅋㅋㅋㅋ  진짜 ㅠㅠㅠㅠㅠ  WOW!!!!! 2024 https://x.y/z ')).toBe('ㅋㅋㅋ 진짜 ㅠㅠㅠ wow!!! 000'); // digits fold to 0, then a run is cut to three
    expect(normaliseText('ㅋ')).toBe('\u314b');
  });

  it('reads the same letters whether or not the words are spaced', () => {
    const chars = (text: string) => textFeatureStrings(text, spec).filter((f) => f.startsWith('c:')).sort();
    expect(chars('너무지쳤어')).toEqual(chars('너무 지쳤어'));
    expect(chars('퇴근길,너무 지쳤어')).toEqual(chars('퇴근길, 너무지쳤어'));
  });

  it('marks Korean negation before and after the verb, and inside one word', () => {
    expect(negated('안 피곤해')).toEqual(['피곤해']);
    expect(negated('오늘은 못 자겠어')).toEqual(['자겠어']);
    expect(negated('피곤하지 않아')).toEqual(['피곤하지']);
    expect(negated('피곤하지않아')).toEqual(['피곤하지않아']);
    expect(negated('불안해')).toEqual([]);
    expect(negated('좋은데 좀 불안해')).toEqual([]);
  });

  it('marks English negation until the clause ends', () => {
    expect(negated("I'm not tired, but sad")).toEqual(['tired']);
    expect(negated("don't feel great at all")).toEqual(['feel', 'great', 'at', 'all']);
  });

  it('a negator gives no features of its own: its meaning is the mark on what it negates', () => {
    expect(textFeatureStrings('안 피곤해', spec)).toEqual(['w:¬피곤해', 'c:¬피', 'c:¬곤', 'c:¬해', 'c:¬피곤', 'c:¬곤해', 'c:¬피곤해']);
    expect(textFeatureStrings('피곤하지 않아', spec).some((f) => f.includes('않'))).toBe(false);
    expect(textFeatureStrings('not tired', spec).some((f) => f.includes('not'))).toBe(false);
    // A negator with nothing to negate is an ordinary word ("별로" alone is a verdict: meh).
    expect(textFeatureStrings('별로', spec)).toContain('w:별로');
  });

  it('hashes negated words apart from plain ones', () => {
    const plain = new Set(textFeatureIndices('피곤해', spec));
    const notTired = textFeatureIndices('안 피곤해', spec);
    const shared = [...notTired].filter((i) => plain.has(i));
    // Only collisions could share a row; the plain word's letters are not read as such.
    expect(shared.length).toBeLessThanOrEqual(1);
  });

  it('hashes with 32-bit FNV-1a (the golden values of the reference implementation)', () => {
    expect(hashString('')).toBe(0x811c9dc5);
    expect(hashString('a')).toBe(0xe40c292c);
    expect(hashString('foobar')).toBe(0xbf9cf968);
    expect(Math.max(...textFeatureIndices('아주 긴 문장 '.repeat(200), spec))).toBeLessThan(spec.buckets);
  });

  it('reads at most 500 characters, so any paste holds bounded memory', () => {
    expect(textFeatureIndices('가'.repeat(100_000), spec).length).toBeLessThan(3 * 500 + 10);
  });

  it('tells Korean, English and other languages apart', () => {
    expect(hangulShare('퇴근길 OK')).toBeCloseTo(3 / 5, 10);
    expect(languageOf('퇴근길, 너무 지쳤어')).toBe('ko');
    expect(languageOf('오늘 meeting 너무 길었어')).toBe('ko');
    expect(languageOf('need to wake up')).toBe('en');
    expect(languageOf('とても疲れた')).toBe('other');
    expect(languageOf('!!! 123')).toBe('other');
  });
});
