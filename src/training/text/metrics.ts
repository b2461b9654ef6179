import { EMOTIONS, type EmotionLabel } from '../../core/emotion/emotions.ts';
import { classificationReport, expectedCalibrationError, pearson } from '../metrics.ts';

/**
 * The text model's figures, shared by training (out-of-fold predictions) and `eval:text` (the
 * app's reader on any manifest), so both report the same quantities computed the same way.
 */

/** Ranks, 1-based, ties given their average rank. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1][0] === order[i][0]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) ranks[order[k][1]] = rank;
    i = j + 1;
  }
  return ranks;
}

/** Spearman's ρ: Pearson's r of the average ranks (exact with ties). */
export function spearman(a: readonly number[], b: readonly number[]): number {
  return pearson(averageRanks(a), averageRanks(b));
}

/** Pearson's r with a weight per pair (0 when either side is constant). */
export function weightedPearson(a: readonly number[], b: readonly number[], w: readonly number[]): number {
  let sw = 0;
  let ma = 0;
  let mb = 0;
  for (let i = 0; i < a.length; i++) {
    sw += w[i];
    ma += w[i] * a[i];
    mb += w[i] * b[i];
  }
  if (!(sw > 0)) return 0;
  ma /= sw;
  mb /= sw;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += w[i] * (a[i] - ma) * (b[i] - mb);
    saa += w[i] * (a[i] - ma) ** 2;
    sbb += w[i] * (b[i] - mb) ** 2;
  }
  return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
}

/** softmax(logits / T). */
export function softmax(logits: readonly number[], temperature = 1): number[] {
  const scaled = logits.map((l) => l / temperature);
  const max = Math.max(...scaled);
  const e = scaled.map((s) => Math.exp(s - max));
  const total = e.reduce((a, b) => a + b, 0);
  return e.map((x) => x / total);
}

/** Mean soft-target cross-entropy −Σ t·ln p of softmax(logits / T) (probabilities floored at 1e-7). */
export function softTargetNll(logits: readonly (readonly number[])[], targets: readonly (readonly number[])[], temperature: number): number {
  let total = 0;
  for (let i = 0; i < logits.length; i++) {
    const p = softmax(logits[i], temperature);
    for (let c = 0; c < p.length; c++) if (targets[i][c] > 0) total -= targets[i][c] * Math.log(Math.max(1e-7, p[c]));
  }
  return logits.length > 0 ? total / logits.length : NaN;
}

/**
 * The temperature that minimises {@link softTargetNll}: golden-section search over ln T in
 * [ln 0.05, ln 20] (the loss is smooth and unimodal in T for a fixed set of logits).
 */
export function fitTemperature(logits: readonly (readonly number[])[], targets: readonly (readonly number[])[]): number {
  let lo = Math.log(0.05);
  let hi = Math.log(20);
  const g = (Math.sqrt(5) - 1) / 2;
  const f = (x: number) => softTargetNll(logits, targets, Math.exp(x));
  let x1 = hi - g * (hi - lo);
  let x2 = lo + g * (hi - lo);
  let f1 = f(x1);
  let f2 = f(x2);
  for (let i = 0; i < 60; i++) {
    if (f1 < f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - g * (hi - lo);
      f1 = f(x1);
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + g * (hi - lo);
      f2 = f(x2);
    }
  }
  return Math.exp((lo + hi) / 2);
}

/** The rule for `unsureBelow` (the model card states it; the numbers are fixed before any fit). */
export const UNSURE_RULE = {
  /** A reading is unsure below the top probability where the valence sign stops being this reliable… */
  minSignAgreement: 0.7,
  /** …judged on at least this many clear KOTE comments below the threshold. */
  minCount: 50,
  /** Thresholds tried: 0.13, 0.14, …, 0.95 (8 classes: the top probability is never below 0.125). */
  grid: Array.from({ length: 83 }, (_, i) => Number((0.13 + i / 100).toFixed(2))),
};

/**
 * `unsureBelow`: the largest threshold t of the grid such that the readings whose top probability
 * is below t (at least `minCount` of them) get the valence sign right less than `minSignAgreement`
 * of the time; 0 when no threshold does (then only a text with too few features is unsure).
 */
export function fitUnsureBelow(
  readings: readonly { confidence: number; signRight: boolean }[],
  rule = UNSURE_RULE,
): { threshold: number; share: number; agreementBelow: number | null; lowest: { count: number; maxConfidence: number; agreement: number } | null } {
  let best = { threshold: 0, share: 0, agreementBelow: null as number | null };
  for (const t of rule.grid) {
    const below = readings.filter((r) => r.confidence < t);
    if (below.length < rule.minCount) continue;
    const agreement = below.filter((r) => r.signRight).length / below.length;
    if (agreement < rule.minSignAgreement) best = { threshold: t, share: below.length / readings.length, agreementBelow: agreement };
  }
  // For the record: how the least confident readings fare (whatever the threshold).
  const lowest = [...readings].sort((a, b) => a.confidence - b.confidence).slice(0, rule.minCount);
  return {
    ...best,
    lowest:
      lowest.length > 0
        ? { count: lowest.length, maxConfidence: lowest[lowest.length - 1].confidence, agreement: lowest.filter((r) => r.signRight).length / lowest.length }
        : null,
  };
}

/** The argmax of a vector (first on ties). */
export function argmax(values: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

/** One KOTE comment with what the model read (probabilities over EMOTIONS, calibrated). */
export interface KotePrediction {
  target: readonly number[];
  targetValence: number;
  targetArousal: number;
  polarity: 1 | -1 | null;
  probabilities: readonly number[];
  valence: number;
  arousal: number;
}

export interface KoteFigures {
  count: number;
  /** Emotion head, argmax of the prediction against the argmax of the soft target. */
  accuracy: number;
  uar: number;
  recall: Record<EmotionLabel, number>;
  /** Comments whose target's argmax is each emotion. */
  support: Record<EmotionLabel, number>;
  confusion: number[][];
  /** Mean soft-target cross-entropy −Σ t ln p, and the targets' own mean entropy (its floor). */
  softNll: number;
  targetEntropy: number;
  /** Mean −ln p(argmax of the target). */
  hardNll: number;
  /** ECE of the top probability against "argmax right", 10 bins. */
  ece: number;
  meanConfidence: number;
  arousalR: number;
  /** Valence r over every comment (the mixed ones too). */
  valenceR: number;
  /** Clear comments (kotePolarity ≠ null): how often the sign of valence matches. */
  clear: { count: number; positive: number; negative: number; signAgreement: number; valenceR: number };
}

export function koteFigures(rows: readonly KotePrediction[]): KoteFigures {
  const report = classificationReport(
    EMOTIONS,
    rows.map((r) => ({ label: EMOTIONS[argmax(r.target)], predicted: EMOTIONS[argmax(r.probabilities)] })),
  );
  let softNll = 0;
  let entropy = 0;
  let hardNll = 0;
  let confidence = 0;
  const readings: { confidence: number; correct: boolean }[] = [];
  for (const r of rows) {
    for (let c = 0; c < r.target.length; c++) {
      if (r.target[c] <= 0) continue;
      softNll -= r.target[c] * Math.log(Math.max(1e-7, r.probabilities[c]));
      entropy -= r.target[c] * Math.log(r.target[c]);
    }
    const t = argmax(r.target);
    const p = argmax(r.probabilities);
    hardNll -= Math.log(Math.max(1e-7, r.probabilities[t]));
    confidence += r.probabilities[p];
    readings.push({ confidence: r.probabilities[p], correct: t === p });
  }
  const clear = rows.filter((r) => r.polarity !== null);
  const n = Math.max(1, rows.length);
  return {
    count: rows.length,
    accuracy: report.accuracy,
    uar: report.uar,
    recall: Object.fromEntries(EMOTIONS.map((l, i) => [l, report.recall[i]])) as Record<EmotionLabel, number>,
    support: Object.fromEntries(EMOTIONS.map((l, i) => [l, report.confusion[i].reduce((a, b) => a + b, 0)])) as Record<EmotionLabel, number>,
    confusion: report.confusion,
    softNll: softNll / n,
    targetEntropy: entropy / n,
    hardNll: hardNll / n,
    ece: expectedCalibrationError(readings),
    meanConfidence: confidence / n,
    arousalR: pearson(
      rows.map((r) => r.arousal),
      rows.map((r) => r.targetArousal),
    ),
    valenceR: pearson(
      rows.map((r) => r.valence),
      rows.map((r) => r.targetValence),
    ),
    clear: {
      count: clear.length,
      positive: clear.filter((r) => r.polarity === 1).length,
      negative: clear.filter((r) => r.polarity === -1).length,
      signAgreement: clear.length > 0 ? clear.filter((r) => Math.sign(r.valence) === r.polarity).length / clear.length : 0,
      valenceR: pearson(
        clear.map((r) => r.valence),
        clear.map((r) => r.targetValence),
      ),
    },
  };
}

export interface RatingFigures {
  count: number;
  /** Reviews rated ≤ 4 or ≥ 7, and how often the sign of valence tells them apart (< 0 for ≤ 4, > 0 for ≥ 7). */
  polarCount: number;
  signAccuracy: number;
  /** Spearman's ρ and Pearson's r between valence and the rating, every review. */
  spearman: number;
  pearson: number;
  /** Mean predicted valence per rating 1…10. */
  meanValenceByRating: number[];
}

export function ratingFigures(rows: readonly { rating: number; valence: number }[]): RatingFigures {
  const polar = rows.filter((r) => r.rating <= 4 || r.rating >= 7);
  const right = polar.filter((r) => (r.rating <= 4 ? r.valence < 0 : r.valence > 0)).length;
  const byRating = Array.from({ length: 10 }, (_, i) => rows.filter((r) => r.rating === i + 1).map((r) => r.valence));
  return {
    count: rows.length,
    polarCount: polar.length,
    signAccuracy: polar.length > 0 ? right / polar.length : 0,
    spearman: spearman(
      rows.map((r) => r.valence),
      rows.map((r) => r.rating),
    ),
    pearson: pearson(
      rows.map((r) => r.valence),
      rows.map((r) => r.rating),
    ),
    meanValenceByRating: byRating.map((v) => (v.length > 0 ? v.reduce((a, b) => a + b, 0) / v.length : NaN)),
  };
}

/**
 * Valence reliability pooled over two corpora: Pearson's r of predicted with target valence
 * over KOTE's clear comments and every NSMC review together, each corpus weighing half (so the
 * 30,000 reviews do not drown the comments).
 */
export function pooledValenceR(kote: readonly { valence: number; target: number }[], nsmc: readonly { valence: number; target: number }[]): number {
  const all = [...kote, ...nsmc];
  const w = [...kote.map(() => 0.5 / Math.max(1, kote.length)), ...nsmc.map(() => 0.5 / Math.max(1, nsmc.length))];
  return weightedPearson(
    all.map((r) => r.valence),
    all.map((r) => r.target),
    w,
  );
}

/** Figures from out-of-fold predictions; the emotion head's temperature is cross-fitted (fold k's from the other folds' KOTE rows). */
export interface CvFigures {
  kote: KoteFigures;
  koteUncalibrated: { softNll: number; ece: number; meanConfidence: number };
  nsmc: RatingFigures;
  valenceReliability: number;
  crossFittedTemperatures: number[];
  perFold: { nsmcSignAccuracy: number; koteSignAgreement: number; koteUar: number; nsmcSpearman: number }[];
  score: number;
}
