import { describe, expect, it } from 'vitest';
import { stratifiedGroupFolds } from '../../../../src/training/face/folds.ts';

describe('stratifiedGroupFolds', () => {
  it('spreads every label evenly over the folds and is reproducible', () => {
    const labels = [...Array(300).fill('happy'), ...Array(79).fill('disgust'), ...Array(300).fill('sad')] as string[];
    const groups = labels.map((_, i) => `img${i}`);
    const folds = stratifiedGroupFolds(labels, groups, 5, 1);
    expect(stratifiedGroupFolds(labels, groups, 5, 1)).toEqual(folds);
    expect(stratifiedGroupFolds(labels, groups, 5, 2)).not.toEqual(folds);
    for (const label of ['happy', 'disgust', 'sad']) {
      const counts = [0, 0, 0, 0, 0];
      labels.forEach((l, i) => l === label && counts[folds[i]]++);
      expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    }
  });

  it('keeps each group (subject) in one fold', () => {
    const labels = Array.from({ length: 60 }, (_, i) => (i % 2 ? 'happy' : 'sad'));
    const groups = labels.map((_, i) => `subject${Math.floor(i / 6)}`);
    const folds = stratifiedGroupFolds(labels, groups, 3, 7);
    for (let s = 0; s < 10; s++) expect(new Set(folds.filter((_, i) => groups[i] === `subject${s}`)).size).toBe(1);
    expect(() => stratifiedGroupFolds(['a'], ['g', 'h'], 2, 1)).toThrow(RangeError);
  });
});
