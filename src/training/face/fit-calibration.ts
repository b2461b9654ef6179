import { applyCalibration, type FaceCalibration } from '../../core/face/calibration.ts';
import { FACE_CLASS_COUNT } from '../../core/face/face-expressions.ts';
import { logProbabilities, softmax } from '../../core/face/probabilities.ts';
import { stratifiedGroupFolds } from './folds.ts';

/** What to fit: a temperature only (keeps every decision, fixes confidence) or also per-class biases. */
export type CalibrationKind = 'temperature' | 'temperature+bias';

export interface FitCalibrationOptions {
  kind: CalibrationKind;
  /** Adam steps (full batch). */
  iterations?: number;
  learningRate?: number;
  /** L2 penalty on the biases (per class, per unit of mean loss), keeping rare-class biases modest. */
  biasPenalty?: number;
  /**
   * Weigh each class equally (default true, matching UAR): the fit then ignores how common
   * each class is in the fitting data. False: plain mean NLL (biases also absorb class priors).
   */
  classBalanced?: boolean;
}

/**
 * Fits p' = softmax(log p / T + b) to labelled examples by minimising the class-balanced mean
 * negative log-likelihood (each class weighs the same, matching UAR; see `classBalanced`), with
 * Adam on (ln T, b).
 * `probabilities` are the net's 7-vectors (face-api order, already mirror-averaged);
 * `targets` the true face-api class index of each. Deterministic.
 */
export function fitCalibration(probabilities: readonly (readonly number[])[], targets: readonly number[], options: FitCalibrationOptions): FaceCalibration {
  const n = probabilities.length;
  if (n === 0 || n !== targets.length) throw new RangeError('fitCalibration needs as many targets as examples, at least one');
  const K = FACE_CLASS_COUNT;
  const logs = probabilities.map((p) => logProbabilities(p));
  const classCounts = new Array<number>(K).fill(0);
  for (const t of targets) classCounts[t]++;
  const present = classCounts.filter((c) => c > 0).length;
  const balanced = options.classBalanced ?? true;
  const weight = targets.map((t) => (balanced ? 1 / (classCounts[t] * present) : 1 / n));
  const iterations = options.iterations ?? 1500;
  const lr = options.learningRate ?? 0.02;
  const penalty = options.biasPenalty ?? 1e-3;
  const fitBias = options.kind === 'temperature+bias';
  // Parameters: [ln(1/T), b0..b6].
  const theta = new Array<number>(K + 1).fill(0);
  const m = new Array<number>(K + 1).fill(0);
  const v = new Array<number>(K + 1).fill(0);
  for (let step = 1; step <= iterations; step++) {
    const grad = new Array<number>(K + 1).fill(0);
    const invT = Math.exp(theta[0]);
    for (let i = 0; i < n; i++) {
      const z = logs[i];
      const p = softmax(z.map((zi, k) => zi * invT + theta[k + 1]));
      for (let k = 0; k < K; k++) {
        const g = weight[i] * (p[k] - (k === targets[i] ? 1 : 0));
        grad[0] += g * z[k] * invT;
        if (fitBias) grad[k + 1] += g;
      }
    }
    if (fitBias) for (let k = 0; k < K; k++) grad[k + 1] += 2 * penalty * theta[k + 1];
    for (let j = 0; j < theta.length; j++) {
      m[j] = 0.9 * m[j] + 0.1 * grad[j];
      v[j] = 0.999 * v[j] + 0.001 * grad[j] * grad[j];
      theta[j] -= (lr * (m[j] / (1 - 0.9 ** step))) / (Math.sqrt(v[j] / (1 - 0.999 ** step)) + 1e-8);
    }
  }
  const biasLogit = theta.slice(1);
  const meanBias = biasLogit.reduce((a, b) => a + b, 0) / K; // softmax ignores a common shift
  return { temperature: Math.exp(-theta[0]), biasLogit: biasLogit.map((b) => b - meanBias) };
}

/**
 * Cross-fitted calibration: each example is calibrated by a fit on the folds that do not
 * contain it (stratified by label, grouped by `groups`), so the returned probabilities are
 * honest held-out figures. Also returns each fold's fitted parameters.
 */
export function crossFitCalibration(
  probabilities: readonly (readonly number[])[],
  targets: readonly number[],
  groups: readonly string[],
  options: FitCalibrationOptions & { folds: number; seed: number },
): { calibrated: number[][]; perFold: FaceCalibration[] } {
  const fold = stratifiedGroupFolds(targets.map(String), groups, options.folds, options.seed);
  const calibrated: number[][] = probabilities.map((p) => [...p]);
  const perFold: FaceCalibration[] = [];
  for (let f = 0; f < options.folds; f++) {
    const train = fold.map((x, i) => (x !== f ? i : -1)).filter((i) => i >= 0);
    if (train.length === 0) continue;
    const calibration = fitCalibration(
      train.map((i) => probabilities[i]),
      train.map((i) => targets[i]),
      options,
    );
    perFold.push(calibration);
    fold.forEach((x, i) => {
      if (x === f) calibrated[i] = applyCalibration(probabilities[i], calibration);
    });
  }
  return { calibrated, perFold };
}
