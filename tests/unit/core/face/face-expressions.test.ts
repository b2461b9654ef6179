import { describe, expect, it } from 'vitest';
import { EMOTION_COORDINATES, EMOTIONS, affectFromDistribution } from '../../../../src/core/emotion/emotions.ts';
import {
  FACE_API_EXPRESSIONS,
  FACE_RECOGNISED_LABELS,
  FACE_UNSUPPORTED_LABELS,
  expressionIndexOfLabel,
  faceEmotionFromDistribution,
  faceEmotionFromProbabilities,
} from '../../../../src/core/face/face-expressions.ts';

describe('face-api expressions → our eight labels', () => {
  it('keeps face-api order, renames disgusted, and never recognises contempt', () => {
    expect(FACE_API_EXPRESSIONS).toEqual(['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgusted', 'surprised']);
    expect(FACE_RECOGNISED_LABELS).toEqual(['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgust', 'surprised']);
    expect(FACE_UNSUPPORTED_LABELS).toEqual(['contempt']);
    expect(expressionIndexOfLabel('disgust')).toBe(5);
    expect(expressionIndexOfLabel('contempt')).toBe(-1);
  });

  it('maps each one-hot vector to its label at that label’s circumplex point (golden)', () => {
    FACE_RECOGNISED_LABELS.forEach((label, i) => {
      const p = FACE_API_EXPRESSIONS.map((_, j) => (i === j ? 1 : 0));
      const e = faceEmotionFromProbabilities(p);
      expect(e.top).toBe(label);
      expect(e.confidence).toBe(1);
      expect(e.distribution.contempt).toBe(0);
      expect(e.valence).toBeCloseTo(EMOTION_COORDINATES[label].valence, 12);
      expect(e.arousal).toBeCloseTo(EMOTION_COORDINATES[label].arousal, 12);
    });
    // happy sits at 7.8° on radius 0.8: valence 0.8·cos 7.8° = 0.79260, arousal 0.8·sin 7.8° = 0.10858.
    const happy = faceEmotionFromProbabilities([0, 1, 0, 0, 0, 0, 0]);
    expect(happy.valence).toBeCloseTo(0.7926, 4);
    expect(happy.arousal).toBeCloseTo(0.10858, 4);
  });

  it('derives valence/arousal with affectFromDistribution and sums to 1 over all eight labels', () => {
    const e = faceEmotionFromProbabilities([0.1, 0.5, 0.05, 0.05, 0.1, 0.1, 0.1]);
    expect(EMOTIONS.reduce((s, l) => s + e.distribution[l], 0)).toBeCloseTo(1, 12);
    expect(e.distribution.disgust).toBeCloseTo(0.1, 12);
    const affect = affectFromDistribution(e.distribution);
    expect(e.valence).toBeCloseTo(affect.valence, 12);
    expect(e.arousal).toBeCloseTo(affect.arousal, 12);
    expect(e.top).toBe('happy');
    expect(e.confidence).toBeCloseTo(0.5, 12);
  });

  it('renormalises, treats NaN/negative as 0, and rejects a wrong length', () => {
    const e = faceEmotionFromProbabilities([2, 2, Number.NaN, -1, 0, 0, 0]);
    expect(e.distribution.neutral).toBeCloseTo(0.5, 12);
    expect(e.distribution.happy).toBeCloseTo(0.5, 12);
    expect(e.distribution.sad).toBe(0);
    expect(faceEmotionFromProbabilities([0, 0, 0, 0, 0, 0, 0]).top).toBe('neutral');
    expect(() => faceEmotionFromProbabilities([1, 0])).toThrow(RangeError);
  });

  it('forces contempt to 0 when reading an averaged distribution', () => {
    const e = faceEmotionFromDistribution({ happy: 1, contempt: 1 });
    expect(e.distribution.contempt).toBe(0);
    expect(e.distribution.happy).toBe(1);
  });
});
