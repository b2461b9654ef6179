import { describe, expect, it } from 'vitest';
import { normaliseDistribution, type EmotionLabel } from '../../../../src/core/emotion/emotions.ts';
import { faceMetrics, type FaceEvalRow } from '../../../../src/training/face/metrics.ts';

const row = (label: EmotionLabel, predicted: EmotionLabel | null, pTop = 1): FaceEvalRow => ({
  label,
  predicted,
  distribution: predicted ? normaliseDistribution(predicted === label ? { [label]: pTop, neutral: label === 'neutral' ? pTop : 1 - pTop } : { [predicted]: pTop, [label]: 1 - pTop }) : null,
  valence: null,
  arousal: null,
});

describe('faceMetrics', () => {
  it('accuracy, UAR and confusion with a miss counted as wrong (golden)', () => {
    // happy: 3 of 4 right; sad: 1 of 2 right, one row without a reading.
    const rows = [row('happy', 'happy'), row('happy', 'happy'), row('happy', 'happy'), row('happy', 'sad'), row('sad', 'sad'), row('sad', null)];
    const m = faceMetrics(rows);
    expect(m.labels).toEqual(['happy', 'sad']);
    expect(m.accuracy).toBeCloseTo(4 / 6, 12);
    expect(m.recall).toEqual({ happy: 0.75, sad: 0.5 });
    expect(m.uar).toBeCloseTo(0.625, 12);
    expect(m.confusion.sad.none).toBe(1);
    expect(m.confusion.happy.sad).toBe(1);
  });

  it('mean NLL and ECE (golden)', () => {
    // Two rows, top probability 0.8: one right (p(true) 0.8), one wrong (p(true) 0.2).
    const m = faceMetrics([row('happy', 'happy', 0.8), row('sad', 'happy', 0.8)]);
    expect(m.meanNll).toBeCloseTo((-Math.log(0.8) - Math.log(0.2)) / 2, 9);
    // One bin (0.8): confidence 0.8, accuracy 0.5 → ECE 0.3.
    expect(m.ece).toBeCloseTo(0.3, 9);
  });

  it('correlates predicted valence/arousal with the true label’s point', () => {
    const rows: FaceEvalRow[] = [
      { label: 'happy', predicted: 'happy', distribution: null, valence: 0.7, arousal: 0.1 },
      { label: 'sad', predicted: 'sad', distribution: null, valence: -0.6, arousal: -0.3 },
      { label: 'angry', predicted: 'angry', distribution: null, valence: -0.1, arousal: 0.7 },
    ];
    const m = faceMetrics(rows);
    expect(m.valenceCorrelation).toBeGreaterThan(0.95);
    expect(m.arousalCorrelation).toBeGreaterThan(0.95);
  });
});
