import { describe, expect, it } from 'vitest';
import { pearson } from '../../../../src/training/metrics.ts';
import {
  averageRanks,
  fitTemperature,
  fitUnsureBelow,
  koteFigures,
  pooledValenceR,
  ratingFigures,
  softTargetNll,
  softmax,
  spearman,
  weightedPearson,
} from '../../../../src/training/text/metrics.ts';

describe('ranks and correlations', () => {
  it('gives ties their average rank', () => {
    expect(averageRanks([10, 20, 20, 5])).toEqual([2, 3.5, 3.5, 1]);
  });

  it('computes Spearman ρ: hand-computed values', () => {
    // No ties: Σd² = 4, ρ = 1 − 6·4 / (5·24) = 0.8.
    expect(spearman([1, 2, 3, 4, 5], [2, 1, 4, 3, 5])).toBeCloseTo(0.8, 12);
    // Ties: ranks [1, 2.5, 2.5, 4] and [1, 3, 2, 4] → r = 4.5 / √(4.5 · 5) = 3 / √10.
    expect(spearman([1, 2, 2, 3], [1, 3, 2, 4])).toBeCloseTo(3 / Math.sqrt(10), 12);
    expect(spearman([1, 2, 3], [30, 20, 10])).toBeCloseTo(-1, 12);
  });

  it('weighted Pearson equals Pearson with equal weights and with duplicated pairs', () => {
    const a = [1, 4, 2, 8, 5];
    const b = [2, 3, 1, 9, 4];
    expect(weightedPearson(a, b, [1, 1, 1, 1, 1])).toBeCloseTo(pearson(a, b), 12);
    expect(weightedPearson(a, b, [2, 1, 1, 1, 1])).toBeCloseTo(pearson([1, ...a], [2, ...b]), 12);
    expect(weightedPearson([1, 1], [1, 2], [1, 1])).toBe(0);
  });

  it('pools two corpora with half the weight each', () => {
    const kote = [{ valence: 0.5, target: 1 }, { valence: -0.5, target: -1 }];
    const nsmc = Array.from({ length: 6 }, (_, i) => ({ valence: i % 2 ? 0.5 : -0.5, target: i % 2 ? 1 : -1 }));
    // Every pair lies on one line (valence = target / 2) → r = 1 however they weigh.
    expect(pooledValenceR(kote, nsmc)).toBeCloseTo(1, 12);
    const noisy = [...nsmc.slice(0, 5), { valence: 0.5, target: -1 }];
    // Equal corpus weights: same as duplicating the two comments three times each beside the six reviews.
    const both = [...[0, 1, 2].flatMap(() => kote), ...noisy];
    expect(pooledValenceR(kote, noisy)).toBeCloseTo(pearson(both.map((r) => r.valence), both.map((r) => r.target)), 12);
  });
});

describe('temperature', () => {
  it('softmax divides the logits by T', () => {
    const q = softmax([Math.log(3), 0]);
    expect(q[0]).toBeCloseTo(0.75, 12);
    expect(q[1]).toBeCloseTo(0.25, 12);
    const p = softmax([2, 0], 2);
    expect(p[0]).toBeCloseTo(1 / (1 + Math.exp(-1)), 12);
  });

  it('fits the temperature that minimises the soft-target NLL: a hand-solved case', () => {
    // Logits [2, 0] and target [σ(1), 1 − σ(1)]: the optimum has 2 / T = 1, T = 2.
    const q = 1 / (1 + Math.exp(-1));
    expect(fitTemperature([[2, 0]], [[q, 1 - q]])).toBeCloseTo(2, 4);
    const nll = softTargetNll([[2, 0]], [[q, 1 - q]], 2);
    expect(nll).toBeCloseTo(-(q * Math.log(q) + (1 - q) * Math.log(1 - q)), 10);
  });
});

describe('fitUnsureBelow', () => {
  const rule = { minSignAgreement: 0.7, minCount: 4, grid: [0.2, 0.3, 0.4, 0.5, 0.6] };

  it('takes the largest threshold below which the sign is right less than 70 % of the time', () => {
    const readings = [
      ...[0.15, 0.16, 0.17, 0.18].map((c) => ({ confidence: c, signRight: false })),
      ...[0.25, 0.26, 0.27, 0.28].map((c) => ({ confidence: c, signRight: true })),
      ...[0.35, 0.36, 0.37, 0.38].map((c) => ({ confidence: c, signRight: true })),
      ...[0.55, 0.56].map((c) => ({ confidence: c, signRight: true })),
    ];
    // Below 0.2: 0/4; below 0.3: 4/8 = 0.5; below 0.4: 8/12 = 0.667; below 0.5: same; below 0.6: 10/14 = 0.714.
    const fit = fitUnsureBelow(readings, rule);
    expect(fit.threshold).toBe(0.5);
    expect(fit.agreementBelow).toBeCloseTo(8 / 12, 12);
    expect(fit.share).toBeCloseTo(12 / 14, 12);
    expect(fit.lowest).toEqual({ count: 4, maxConfidence: 0.18, agreement: 0 });
  });

  it('is 0 when low confidence is still right often enough, or too rare to judge', () => {
    expect(fitUnsureBelow([0.15, 0.25, 0.35, 0.45, 0.55].map((c) => ({ confidence: c, signRight: true })), rule).threshold).toBe(0);
    expect(fitUnsureBelow([{ confidence: 0.15, signRight: false }], rule).threshold).toBe(0);
  });
});

describe('figures', () => {
  it('scores KOTE comments: argmax UAR, clear-comment sign, NLL', () => {
    const t = (i: number) => Array.from({ length: 8 }, (_, j) => (j === i ? 1 : 0));
    const row = (target: number, predicted: number, polarity: 1 | -1 | null, valence: number) => ({
      target: t(target),
      targetValence: polarity ?? 0,
      targetArousal: target / 8,
      polarity,
      probabilities: t(predicted).map((x) => (x ? 0.5 : 0.5 / 7)),
      valence,
      arousal: target / 10,
    });
    const f = koteFigures([row(1, 1, 1, 0.4), row(1, 2, 1, -0.1), row(2, 2, -1, -0.5), row(3, 2, null, 0.2)]);
    expect(f.recall.happy).toBe(0.5);
    expect(f.recall.sad).toBe(1);
    expect(f.recall.angry).toBe(0);
    expect(f.uar).toBeCloseTo(0.5, 12);
    expect(f.accuracy).toBe(0.5);
    expect(f.support).toMatchObject({ happy: 2, sad: 1, angry: 1, neutral: 0 });
    expect(f.clear).toMatchObject({ count: 3, positive: 2, negative: 1 });
    expect(f.clear.signAgreement).toBeCloseTo(2 / 3, 12);
    expect(f.hardNll).toBeCloseTo((2 * -Math.log(0.5) + 2 * -Math.log(0.5 / 7)) / 4, 10);
    expect(f.targetEntropy).toBe(0);
    expect(f.arousalR).toBeCloseTo(1, 12);
  });

  it('scores ratings: sign accuracy on ≤ 4 vs ≥ 7 only, Spearman on all', () => {
    const f = ratingFigures([
      { rating: 1, valence: -0.9 },
      { rating: 4, valence: 0.1 },
      { rating: 5, valence: 0.3 },
      { rating: 7, valence: 0.2 },
      { rating: 10, valence: 0.8 },
    ]);
    expect(f.polarCount).toBe(4);
    expect(f.signAccuracy).toBe(0.75);
    expect(f.spearman).toBeCloseTo(0.9, 12);
    expect(f.meanValenceByRating[0]).toBe(-0.9);
    expect(f.meanValenceByRating[1]).toBeNaN();
  });
});
