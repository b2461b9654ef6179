import { describe, expect, it } from 'vitest';
import { MIN_PROBABILITY, averageProbabilities, logProbabilities, softmax } from '../../../../src/core/face/probabilities.ts';

describe('probability helpers', () => {
  it('softmax matches hand-computed values and survives huge logits', () => {
    const p = softmax([1, 2, 3]);
    expect(p[0]).toBeCloseTo(0.09003057, 7);
    expect(p[1]).toBeCloseTo(0.24472847, 7);
    expect(p[2]).toBeCloseTo(0.66524096, 7);
    const big = softmax([1000, 1000]);
    expect(big).toEqual([0.5, 0.5]);
    expect(softmax([Number.NaN, 1])).toEqual([0, 1]);
    expect(softmax([Number.NaN, Number.NaN])).toEqual([0.5, 0.5]);
    expect(softmax([Infinity, 0])).toEqual([1, 0]);
  });

  it('floors log(0) at ln(MIN_PROBABILITY)', () => {
    expect(logProbabilities([1, 0])).toEqual([0, Math.log(MIN_PROBABILITY)]);
  });

  it('averages a face with its mirror element-wise', () => {
    expect(averageProbabilities([[0.2, 0.8], [0.6, 0.4]])).toEqual([0.4, 0.6000000000000001]);
    expect(() => averageProbabilities([])).toThrow(RangeError);
    expect(() => averageProbabilities([[1], [0.5, 0.5]])).toThrow(RangeError);
  });
});
