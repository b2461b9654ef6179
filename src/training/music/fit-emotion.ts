import {
  ANALYSER_VERSION,
  normaliseFeature,
  predictSongEmotion,
  type ModelFeature,
  type ModelHead,
  type MusicEmotionModel,
} from '../../core/music/emotion-model.ts';
import type { SongFeatureName, SongFeatures } from '../../core/music/song-features.ts';
import { groupKFold, quantile } from './cross-validation.ts';
import { fitLogistic, logit } from './logistic.ts';

/** A labelled clip: features plus ±1 signs and the artist (the CV group). */
export interface LabelledClip {
  file: string;
  artist: string;
  features: SongFeatures;
  valenceSign: number;
  arousalSign: number;
}

export interface FeatureSpec {
  name: SongFeatureName;
  transform?: 'log';
}

export interface FitOptions {
  features: readonly FeatureSpec[];
  arousalLambda: number;
  valenceLambda: number;
  /** Valence weights that vary with the predicted arousal. */
  gatedValence: boolean;
  /**
   * Temperatures folded into the heads (logit / T): calibration from out-of-fold predictions,
   * see {@link fitCalibratedModel}. Default 1 (raw logistic regression).
   */
  arousalTemperature?: number;
  valenceTemperature?: number;
}

/** Reference ranges from the training clips only: 5th and 95th percentile after the transform. */
export function referenceRanges(clips: readonly LabelledClip[], specs: readonly FeatureSpec[]): ModelFeature[] {
  return specs.map((spec) => {
    const values = clips.map((c) => {
      const v = c.features[spec.name];
      return spec.transform === 'log' ? Math.log(Math.max(v, 1e-6)) : v;
    });
    let referenceLow = quantile(values, 0.05);
    let referenceHigh = quantile(values, 0.95);
    if (!(referenceHigh > referenceLow)) {
      referenceLow -= 0.5;
      referenceHigh += 0.5;
    }
    const feature: ModelFeature = { name: spec.name, referenceLow, referenceHigh };
    if (spec.transform) feature.transform = spec.transform;
    return feature;
  });
}

function toHead(bias: number, names: readonly SongFeatureName[], weights: ArrayLike<number>, temperature = 1): ModelHead {
  const head: ModelHead = { bias: bias / temperature, weights: {} };
  names.forEach((name, i) => (head.weights[name] = weights[i] / temperature));
  return head;
}

/** Fits both heads on `clips` and returns a model in the shipped JSON shape. */
export function fitEmotionModel(clips: readonly LabelledClip[], opts: FitOptions, version = 1): MusicEmotionModel {
  const features = referenceRanges(clips, opts.features);
  const names = features.map((f) => f.name);
  const rows = clips.map((c) => features.map((f) => normaliseFeature(c.features[f.name], f)));
  const arousalFit = fitLogistic(rows, clips.map((c) => c.arousalSign), opts.arousalLambda);
  const arousalTemperature = opts.arousalTemperature ?? 1;
  const valenceTemperature = opts.valenceTemperature ?? 1;
  const arousal = toHead(arousalFit.bias, names, arousalFit.weights, arousalTemperature);
  let valence: ModelHead;
  if (opts.gatedValence) {
    // Columns: z (d) then z · â (d) then â, with â the (calibrated) arousal the app will see.
    const gatedRows = rows.map((row) => {
      const a = Math.tanh(logit(arousalFit, row) / arousalTemperature / 2);
      return [...row, ...row.map((z) => z * a), a];
    });
    const fit = fitLogistic(gatedRows, clips.map((c) => c.valenceSign), opts.valenceLambda);
    const d = names.length;
    valence = toHead(fit.bias, names, fit.weights.subarray(0, d), valenceTemperature);
    valence.arousalGatedWeights = {};
    names.forEach((name, i) => ((valence.arousalGatedWeights as Record<string, number>)[name] = fit.weights[d + i] / valenceTemperature));
    valence.arousalGatedBias = fit.weights[2 * d] / valenceTemperature;
  } else {
    const fit = fitLogistic(rows, clips.map((c) => c.valenceSign), opts.valenceLambda);
    valence = toHead(fit.bias, names, fit.weights, valenceTemperature);
  }
  return { format: 'norae-music-emotion', version, analyserVersion: ANALYSER_VERSION, features, valence, arousal };
}

export interface Scores {
  quadrant: number;
  valence: number;
  arousal: number;
  /** Mean log-likelihood per clip of the sign labels (higher is better), per head. */
  valenceLogLik: number;
  arousalLogLik: number;
}

/** Scores a model on clips with the app's own prediction code. */
export function score(model: MusicEmotionModel, clips: readonly LabelledClip[]): Scores {
  let quadrant = 0;
  let valence = 0;
  let arousal = 0;
  let valenceLogLik = 0;
  let arousalLogLik = 0;
  for (const clip of clips) {
    const e = predictSongEmotion(clip.features, model);
    const v = (e.valence >= 0 ? 1 : -1) === clip.valenceSign;
    const a = (e.arousal >= 0 ? 1 : -1) === clip.arousalSign;
    valence += v ? 1 : 0;
    arousal += a ? 1 : 0;
    quadrant += v && a ? 1 : 0;
    const pv = Math.min(1 - 1e-6, Math.max(1e-6, (1 + e.valence * clip.valenceSign) / 2));
    const pa = Math.min(1 - 1e-6, Math.max(1e-6, (1 + e.arousal * clip.arousalSign) / 2));
    valenceLogLik += Math.log(pv);
    arousalLogLik += Math.log(pa);
  }
  const n = clips.length;
  return { quadrant: quadrant / n, valence: valence / n, arousal: arousal / n, valenceLogLik: valenceLogLik / n, arousalLogLik: arousalLogLik / n };
}

export const LAMBDA_GRID = [0.0003, 0.001, 0.003, 0.01, 0.03, 0.1, 0.3, 1];

export interface Selection {
  /** Name of the chosen feature set (a key of the candidate sets). */
  featureSet: string;
  arousalLambda: number;
  valenceLambda: number;
  gatedValence: boolean;
}

/**
 * Chooses, by grouped inner CV on `clips` alone (repeated splits: one split's choice is noisy
 * with ~240 clips), the feature set, λ for each head and whether valence is arousal-gated.
 * Per feature set: λa maximises held-out arousal-sign accuracy, then (λv, gated) maximise
 * valence-sign accuracy; the set with the best held-out quadrant accuracy wins (ties: the
 * smaller set). Held-out log-likelihood, with a negligible weight, breaks accuracy ties.
 */
export function selectHyperParameters(
  clips: readonly LabelledClip[],
  featureSets: Readonly<Record<string, readonly FeatureSpec[]>>,
  opts: { folds: number; seed: number; allowGated: boolean; repeats?: number },
): Selection {
  const repeats = opts.repeats ?? 2;
  const splits: Array<{ train: LabelledClip[]; test: LabelledClip[] }> = [];
  for (let r = 0; r < repeats; r++) {
    const fold = groupKFold(clips.map((c) => c.artist), opts.folds, opts.seed + 7919 * r);
    for (let f = 0; f < opts.folds; f++) {
      splits.push({ train: clips.filter((_, i) => fold[i] !== f), test: clips.filter((_, i) => fold[i] === f) });
    }
  }
  const evaluate = (fit: FitOptions): Scores => {
    const total = { quadrant: 0, valence: 0, arousal: 0, valenceLogLik: 0, arousalLogLik: 0 };
    for (const { train, test } of splits) {
      const s = score(fitEmotionModel(train, fit), test);
      for (const k of Object.keys(total) as (keyof Scores)[]) total[k] += (s[k] * test.length) / (clips.length * repeats);
    }
    return total;
  };
  const tieBreak = 1e-4;
  let chosen: Selection | null = null;
  let chosenQuadrant = Number.NEGATIVE_INFINITY;
  let chosenSize = Number.POSITIVE_INFINITY;
  for (const [featureSet, features] of Object.entries(featureSets)) {
    let arousalLambda = LAMBDA_GRID[0];
    let best = Number.NEGATIVE_INFINITY;
    for (const lambda of LAMBDA_GRID) {
      const s = evaluate({ features, arousalLambda: lambda, valenceLambda: 0.1, gatedValence: false });
      const value = s.arousal + tieBreak * s.arousalLogLik;
      if (value > best) [best, arousalLambda] = [value, lambda];
    }
    let selection: Selection = { featureSet, arousalLambda, valenceLambda: LAMBDA_GRID[0], gatedValence: false };
    let quadrant = 0;
    best = Number.NEGATIVE_INFINITY;
    for (const gatedValence of opts.allowGated ? [false, true] : [false]) {
      for (const lambda of LAMBDA_GRID) {
        const s = evaluate({ features, arousalLambda, valenceLambda: lambda, gatedValence });
        const value = s.valence + tieBreak * s.valenceLogLik;
        if (value > best) {
          best = value;
          quadrant = s.quadrant;
          selection = { featureSet, arousalLambda, valenceLambda: lambda, gatedValence };
        }
      }
    }
    if (quadrant > chosenQuadrant || (quadrant === chosenQuadrant && features.length < chosenSize)) {
      chosen = selection;
      chosenQuadrant = quadrant;
      chosenSize = features.length;
    }
  }
  if (!chosen) throw new Error('no feature set to choose from');
  return chosen;
}

/**
 * The temperature T > 0 that maximises the likelihood of held-out sign labels under
 * P(sign) = σ(sign · logit / T): T > 1 means the raw model was over-confident (a weakly
 * regularised logistic regression is, on clips it never saw). Golden-section search on log T.
 */
export function fitTemperature(logits: readonly number[], signs: readonly number[]): number {
  const negLogLik = (logT: number): number => {
    const t = Math.exp(logT);
    let sum = 0;
    for (let i = 0; i < logits.length; i++) {
      const m = (signs[i] * logits[i]) / t;
      sum += m > 0 ? Math.log1p(Math.exp(-m)) : -m + Math.log1p(Math.exp(m));
    }
    return sum;
  };
  let lo = Math.log(0.25);
  let hi = Math.log(20);
  const ratio = (Math.sqrt(5) - 1) / 2;
  for (let i = 0; i < 60; i++) {
    const a = hi - ratio * (hi - lo);
    const b = lo + ratio * (hi - lo);
    if (negLogLik(a) < negLogLik(b)) hi = b;
    else lo = a;
  }
  return Math.exp((lo + hi) / 2);
}

/** Raw logits of both heads for one clip under a model (before the app's tanh). */
function headLogits(model: MusicEmotionModel, clip: LabelledClip): { arousal: number; valence: number } {
  const e = predictSongEmotion(clip.features, model);
  const inverse = (v: number): number => 2 * Math.atanh(Math.max(-1 + 1e-12, Math.min(1 - 1e-12, v)));
  return { arousal: inverse(e.arousal), valence: inverse(e.valence) };
}

/**
 * Fits on all `clips` with temperatures calibrated on out-of-fold predictions (grouped folds
 * inside `clips` only), so |valence| and |arousal| mean something: a song at 0.9 is one the
 * model is right about ~95 % of the time on clips it never saw, not merely far from the line.
 * Arousal is calibrated first, because the gated valence head reads the calibrated arousal.
 */
export function fitCalibratedModel(
  clips: readonly LabelledClip[],
  opts: FitOptions,
  split: { folds: number; seed: number },
): { model: MusicEmotionModel; arousalTemperature: number; valenceTemperature: number } {
  const fold = groupKFold(clips.map((c) => c.artist), split.folds, split.seed);
  const outOfFold = (fit: FitOptions, head: 'arousal' | 'valence'): number[] => {
    const logits = new Array<number>(clips.length).fill(0);
    for (let f = 0; f < split.folds; f++) {
      const model = fitEmotionModel(clips.filter((_, i) => fold[i] !== f), fit);
      clips.forEach((clip, i) => {
        if (fold[i] === f) logits[i] = headLogits(model, clip)[head];
      });
    }
    return logits;
  };
  const base = { ...opts, arousalTemperature: 1, valenceTemperature: 1 };
  const arousalTemperature = fitTemperature(outOfFold(base, 'arousal'), clips.map((c) => c.arousalSign));
  const withArousal = { ...base, arousalTemperature };
  const valenceTemperature = fitTemperature(outOfFold(withArousal, 'valence'), clips.map((c) => c.valenceSign));
  const model = fitEmotionModel(clips, { ...withArousal, valenceTemperature });
  return { model, arousalTemperature, valenceTemperature };
}
