import { describe, expect, it } from 'vitest';
import { KOTE_EMOTIONS, kotePolarity, koteTargets } from '../../../../src/core/text/kote-emotions.ts';

/** KOTE's 44 names (Jeon et al. 2022), as its data spells them. */
const KOTE_NAMES =
  '불평/불만 환영/호의 감동/감탄 지긋지긋 고마움 슬픔 화남/분노 존경 기대감 우쭐댐/무시함 안타까움/실망 비장함 의심/불신 뿌듯함 편안/쾌적 신기함/관심 아껴주는 부끄러움 공포/무서움 절망 한심함 역겨움/징그러움 짜증 어이없음 없음 패배/자기혐오 귀찮음 힘듦/지침 즐거움/신남 깨달음 죄책감 증오/혐오 흐뭇함(귀여움/예쁨) 당황/난처 경악 부담/안_내킴 서러움 재미없음 불쌍함/연민 놀람 행복 불안/걱정 기쁨 안심/신뢰'.split(' ');

describe('KOTE emotions on Norae\'s plane', () => {
  it('maps every one of KOTE\'s 44 names, each onto the plane and with shares summing to 1', () => {
    expect(KOTE_NAMES).toHaveLength(44);
    expect(Object.keys(KOTE_EMOTIONS).sort()).toEqual([...KOTE_NAMES].sort());
    for (const e of Object.values(KOTE_EMOTIONS)) {
      expect(Object.values(e.emotions).reduce((a, b) => a + (b ?? 0), 0)).toBeCloseTo(1, 9);
      expect(Math.hypot(e.valence, e.arousal)).toBeLessThanOrEqual(1);
      if (e.polarity !== 0) expect(Math.sign(e.valence)).toBe(e.polarity);
    }
  });

  it('a comment\'s targets are the mean of its names; tired reads unpleasant and low', () => {
    const tired = koteTargets(['힘듦/지침', '슬픔']);
    expect(tired?.distribution.sad).toBeCloseTo((0.8 + 1) / 2, 9);
    expect(tired?.point.valence).toBeCloseTo((-0.45 - 0.7) / 2, 9);
    expect(tired?.point.arousal).toBeLessThan(-0.5);
    expect(koteTargets(['기쁨', '모름'])?.unknown).toEqual(['모름']);
    expect(koteTargets(['모름'])).toBeNull();
  });

  it('keeps only clear comments for the sign check', () => {
    expect(kotePolarity(['기쁨', '감동/감탄', '놀람'])).toBe(1);
    expect(kotePolarity(['짜증', '불평/불만'])).toBe(-1);
    expect(kotePolarity(['기쁨', '슬픔'])).toBeNull();
    expect(kotePolarity(['없음', '놀람'])).toBeNull();
  });
});
