import { describe, expect, it } from 'vitest';
import { MOODS, MOOD_ANGLE_DEGREES, angleDegrees, clampToPlane, moodOf } from '../../../../src/core/emotion/circumplex.ts';

describe('moodOf', () => {
  it('puts each octant centre in its own mood', () => {
    for (const mood of MOODS) {
      const radians = (MOOD_ANGLE_DEGREES[mood] * Math.PI) / 180;
      expect(moodOf({ valence: 0.8 * Math.cos(radians), arousal: 0.8 * Math.sin(radians) })).toEqual({
        mood,
        intensity: expect.closeTo(0.8, 9),
      });
    }
  });

  it('splits octants at ±22.5°', () => {
    const at = (deg: number) => moodOf({ valence: Math.cos((deg * Math.PI) / 180), arousal: Math.sin((deg * Math.PI) / 180) }).mood;
    expect(at(22.4)).toBe('pleasure');
    expect(at(22.6)).toBe('excitement');
    expect(at(337.6)).toBe('pleasure');
    expect(at(337.4)).toBe('contentment');
    expect(at(180)).toBe('misery');
    expect(at(269)).toBe('sleepiness');
  });

  it('caps intensity at 1 and tolerates bad input', () => {
    expect(moodOf({ valence: 1, arousal: 1 })).toEqual({ mood: 'excitement', intensity: 1 });
    expect(moodOf({ valence: Number.NaN, arousal: 5 })).toEqual({ mood: 'arousal', intensity: 1 });
    expect(moodOf({ valence: 0, arousal: 0 }).intensity).toBe(0);
    expect(clampToPlane({ valence: -3, arousal: 0.5 })).toEqual({ valence: -1, arousal: 0.5 });
    expect(angleDegrees({ valence: 0, arousal: -1 })).toBe(270);
  });
});
