import { describe, expect, it } from 'vitest';
import { moodOf } from '../../../../src/core/emotion/circumplex.ts';
import {
  EMOTIONS,
  EMOTION_COORDINATES,
  affectFromDistribution,
  normaliseDistribution,
  topEmotion,
} from '../../../../src/core/emotion/emotions.ts';

describe('emotion coordinates', () => {
  it('puts each emotion in the quadrant psychology expects', () => {
    const sign = (label: (typeof EMOTIONS)[number]) => [Math.sign(EMOTION_COORDINATES[label].valence), Math.sign(EMOTION_COORDINATES[label].arousal)];
    expect(sign('happy')).toEqual([1, 1]);
    expect(sign('surprised')).toEqual([1, 1]);
    expect(sign('angry')).toEqual([-1, 1]);
    expect(sign('fearful')).toEqual([-1, 1]);
    expect(sign('disgust')).toEqual([-1, 1]);
    expect(sign('sad')).toEqual([-1, -1]);
    expect(EMOTION_COORDINATES.neutral).toEqual({ valence: 0, arousal: 0 });
    expect(moodOf(EMOTION_COORDINATES.happy).mood).toBe('pleasure');
    // Russell measured "sad" at 207.5°, beside "gloomy" and "depressed".
    expect(moodOf(EMOTION_COORDINATES.sad).mood).toBe('depression');
    expect(Math.hypot(EMOTION_COORDINATES.angry.valence, EMOTION_COORDINATES.angry.arousal)).toBeCloseTo(0.8, 10);
  });

  it('places a distribution at its expected point', () => {
    expect(affectFromDistribution({ happy: 1 })).toEqual(EMOTION_COORDINATES.happy);
    const halfHappySad = affectFromDistribution({ happy: 0.5, sad: 0.5 });
    expect(halfHappySad.valence).toBeCloseTo((EMOTION_COORDINATES.happy.valence + EMOTION_COORDINATES.sad.valence) / 2, 10);
    expect(affectFromDistribution({})).toEqual({ valence: 0, arousal: 0 });
    // Unnormalised input is normalised.
    expect(affectFromDistribution({ angry: 4 })).toEqual(EMOTION_COORDINATES.angry);
  });

  it('normalises and picks the top emotion', () => {
    const d = normaliseDistribution({ happy: 2, sad: 1, angry: Number.NaN });
    expect(d.happy).toBeCloseTo(2 / 3, 10);
    expect(d.contempt).toBe(0);
    expect(d.angry).toBe(0);
    expect(topEmotion(d)).toBe('happy');
    expect(normaliseDistribution({}).neutral).toBe(1);
  });
});
