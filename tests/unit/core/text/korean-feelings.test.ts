import { describe, expect, it } from 'vitest';
import { normaliseDistribution } from '../../../../src/core/emotion/emotions.ts';
import { feelingWordsReading, feelingWordsWeight, findFeelingWords } from '../../../../src/core/text/korean-feelings.ts';
import { normaliseText, tokenise } from '../../../../src/core/text/text-features.ts';
import { withFeelingWords, type TextReading } from '../../../../src/core/text/text-reading.ts';

const words = (text: string) => findFeelingWords(tokenise(normaliseText(text)));

describe('Korean feeling words', () => {
  it('finds the feeling in a word by its stem, the longest stem first', () => {
    expect(words('퇴근길, 너무 지쳤어')).toEqual([{ word: '지쳤어', stem: '지쳤', negated: false }]);
    expect(words('영화가 재미없어')[0].stem).toBe('재미없');
    expect(words('ㅠㅠㅠㅠ 너무 슬프다').map((w) => w.stem)).toEqual(['ㅠㅠ', '슬프']);
    expect(words('회의 끝')).toEqual([]);
  });

  it('reads negation before, after and beside the feeling', () => {
    for (const text of ['안 슬퍼', '슬프지 않아', '걱정 안 돼', '걱정 없어', '하나도 안 무서워']) expect(words(text).every((w) => w.negated), text).toBe(true);
    expect(words('걱정돼')[0].negated).toBe(false);
  });

  it('a negated unpleasant feeling reads as none, a negated pleasant one as mild disappointment', () => {
    const notSad = feelingWordsReading(words('안 슬퍼'));
    expect(notSad?.point).toEqual({ valence: 0, arousal: 0 });
    expect(notSad?.distribution.neutral).toBe(1);
    const notHappy = feelingWordsReading(words('안 행복해'));
    expect(notHappy?.point.valence).toBeLessThan(-0.3);
    const mixed = feelingWordsReading(words('좋은데 좀 불안해'));
    expect(mixed?.distribution.happy).toBeGreaterThan(0.3);
    expect(mixed?.distribution.fearful).toBeGreaterThan(0.3);
  });

  it('blends with the net: more feeling words, more say, never all of it', () => {
    expect([0, 1, 2, 5].map(feelingWordsWeight)).toEqual([0, 0.6, 0.75, 0.85]);
    const net: TextReading = {
      distribution: normaliseDistribution({ happy: 1 }),
      valence: 0.9,
      arousal: 0.2,
      confidence: 0.9,
      unsure: false,
      language: 'ko',
      reader: 'model',
      featureCount: 12,
      reliability: { perEmotion: {}, valence: 0.6, arousal: 0.4 },
      cues: [],
    };
    const blended = withFeelingWords(net, words('너무 슬프다'));
    expect(blended.valence).toBeCloseTo(0.4 * 0.9 + 0.6 * -0.7, 9);
    expect(blended.distribution.sad).toBeCloseTo(0.6, 9);
    expect(blended.cues).toEqual(['슬프다']);
    expect(withFeelingWords(net, [])).toBe(net);
  });
});
