import { describe, expect, it } from 'vitest';
import { classificationReport, formatConfusion, markdownConfusion } from '../../../src/training/metrics.ts';

describe('classificationReport', () => {
  it('computes accuracy, UAR and the confusion matrix, skipping unknown labels', () => {
    const pairs = [
      ...Array.from({ length: 8 }, () => ({ label: 'a', predicted: 'a' })),
      ...Array.from({ length: 2 }, () => ({ label: 'a', predicted: 'b' })),
      { label: 'b', predicted: 'b' },
      { label: 'b', predicted: 'c' },
      { label: 'calm', predicted: 'a' },
    ];
    const r = classificationReport(['a', 'b', 'c'], pairs);
    expect(r.count).toBe(12);
    expect(r.confusion).toEqual([
      [8, 2, 0],
      [0, 1, 1],
      [0, 0, 0],
    ]);
    expect(r.accuracy).toBeCloseTo(9 / 12, 12);
    // UAR averages the recalls of classes present (a 0.8, b 0.5); c has no clips.
    expect(r.uar).toBeCloseTo(0.65, 12);
    expect(formatConfusion(r)).toContain('0.80');
    expect(markdownConfusion(r).split('\n')).toHaveLength(5);
  });
});
