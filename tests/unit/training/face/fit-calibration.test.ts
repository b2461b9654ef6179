import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../../src/training/music/cross-validation.ts';
import { softmax } from '../../../../src/core/face/probabilities.ts';
import { crossFitCalibration, fitCalibration } from '../../../../src/training/face/fit-calibration.ts';

/**
 * A synthetic over-confident net with a known answer: true class scores s (Gaussian), labels
 * drawn from the calibrated model softmax(s + shift), and the "net" reporting softmax(3·s) —
 * three times too sharp and blind to `shift`. The best calibration is then T = 3, b = shift
 * (up to a common constant).
 */
function synthetic(n: number, seed: number, shift: number[] = [0, 0, 0, 0, 0, 0, 0]) {
  const random = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(random() + 1e-12)) * Math.cos(2 * Math.PI * random());
  const probabilities: number[][] = [];
  const targets: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = Array.from({ length: 7 }, () => 1.5 * gauss());
    const truth = softmax(s.map((v, k) => v + shift[k]));
    let u = random();
    let y = 0;
    while (y < 6 && u > truth[y]) u -= truth[y++];
    probabilities.push(softmax(s.map((v) => 3 * v)));
    targets.push(y);
  }
  return { probabilities, targets };
}

describe('fitCalibration', { timeout: 30_000 }, () => {
  it('finds the temperature (≈ 3) of an over-confident model and lowers its NLL on new data', () => {
    const train = synthetic(700, 1);
    const test = synthetic(700, 2);
    const fitted = fitCalibration(train.probabilities, train.targets, { kind: 'temperature', iterations: 400, learningRate: 0.05 });
    expect(fitted.temperature).toBeGreaterThan(2.4);
    expect(fitted.temperature).toBeLessThan(3.6);
    expect(fitted.biasLogit.every((b) => b === 0)).toBe(true);
    const nll = (temperature: number) =>
      test.probabilities.reduce((s, p, i) => s - Math.log(softmax(p.map((q) => Math.log(Math.max(q, 1e-7)) / temperature))[test.targets[i]]), 0) / test.probabilities.length;
    expect(nll(fitted.temperature)).toBeLessThan(nll(1));
  });

  it('recovers the bias of a class that the model systematically under-scores', () => {
    const shift = [0, 0, 0, 0, 1.5, 0, 0]; // the net scores "fearful" 1.5 too low
    const data = synthetic(1400, 3, shift);
    const fitted = fitCalibration(data.probabilities, data.targets, { kind: 'temperature+bias', classBalanced: false, iterations: 600, learningRate: 0.05 });
    expect(fitted.biasLogit.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 9);
    // b is shift minus its mean (1.5/7): fearful ≈ +1.29, the others ≈ −0.21.
    expect(fitted.biasLogit[4]).toBeGreaterThan(0.9);
    expect(fitted.biasLogit[4]).toBeLessThan(1.7);
    expect(fitted.temperature).toBeGreaterThan(2.4);
    // Class-balanced (the default) discounts how common fearful is, so its bias comes out smaller.
    const balanced = fitCalibration(data.probabilities, data.targets, { kind: 'temperature+bias', iterations: 600, learningRate: 0.05 });
    expect(balanced.biasLogit[4]).toBeLessThan(fitted.biasLogit[4]);
  });

  it('cross-fits: every example is calibrated by a fit that never saw it', () => {
    const data = synthetic(140, 4);
    const groups = data.targets.map((_, i) => `g${i}`);
    const { calibrated, perFold } = crossFitCalibration(data.probabilities, data.targets, groups, { kind: 'temperature', folds: 5, seed: 1, iterations: 200 });
    expect(perFold).toHaveLength(5);
    expect(calibrated).toHaveLength(140);
    // Temperature scaling keeps each example's argmax.
    calibrated.forEach((p, i) => expect(p.indexOf(Math.max(...p))).toBe(data.probabilities[i].indexOf(Math.max(...data.probabilities[i]))));
    expect(() => fitCalibration([], [], { kind: 'temperature' })).toThrow(RangeError);
  });
});
