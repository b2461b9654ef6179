import type { Modality, ModalityReliability } from './fusion.ts';

/** How far one sense's (calibrated) readings were from what this listener said, per axis. */
export interface SenseErrors {
  /** Reading − answer, plane units, one per answer. */
  valence: readonly number[];
  arousal: readonly number[];
}

/** Per-listener weight factors of each sense in fusion, per axis (1 = the population's weighting). */
export type PersonalWeights = Partial<Record<Modality, { valence: number; arousal: number; count: number }>>;

/** Pseudo-answers of prior: a sense's factor moves away from 1 only as its answers accumulate. */
export const PERSONAL_WEIGHT_PRIOR_ANSWERS = 4;
/** Factors stay within [1/4, 4]: a few answers may tilt the senses, never silence one. */
const MAX_FACTOR = 4;

/**
 * Fusion weights learned from this listener's history: each sense's mean squared error against
 * their answers, shrunk toward the listener's pooled error over both senses (so with few answers
 * both factors stay near 1), and the factor = pooled / own (inverse-variance weighting relative
 * to the other sense). A sense whose readings this listener keeps correcting counts for less
 * for them; one that agrees with them counts for more. No absolute error level is assumed.
 */
export function personalWeights(errors: Partial<Record<Modality, SenseErrors>>): PersonalWeights {
  const out: PersonalWeights = {};
  const senses = (Object.keys(errors) as Modality[]).filter((m) => (errors[m]?.valence.length ?? 0) > 0);
  if (senses.length === 0) return out;
  const n0 = PERSONAL_WEIGHT_PRIOR_ANSWERS;
  for (const axis of ['valence', 'arousal'] as const) {
    let pooledSum = 0;
    let pooledCount = 0;
    for (const m of senses) {
      for (const e of (errors[m] as SenseErrors)[axis]) {
        pooledSum += e * e;
        pooledCount++;
      }
    }
    const pooled = Math.max(1e-3, pooledSum / pooledCount);
    for (const m of senses) {
      const own = (errors[m] as SenseErrors)[axis];
      const variance = (n0 * pooled + own.reduce((s, e) => s + e * e, 0)) / (n0 + own.length);
      const factor = Math.min(MAX_FACTOR, Math.max(1 / MAX_FACTOR, pooled / Math.max(1e-3, variance)));
      out[m] = { ...(out[m] ?? { valence: 1, arousal: 1, count: own.length }), [axis]: factor, count: own.length };
    }
  }
  return out;
}

/** A sense's reliability with this listener's factors applied (emotions by the axes' geometric mean). */
export function personalReliability(base: ModalityReliability, factor: { valence: number; arousal: number } | undefined): ModalityReliability {
  if (!factor) return base;
  const emotions = Math.sqrt(factor.valence * factor.arousal);
  return {
    perEmotion: Object.fromEntries(Object.entries(base.perEmotion).map(([label, r]) => [label, r * emotions])) as ModalityReliability['perEmotion'],
    valence: base.valence * factor.valence,
    arousal: base.arousal * factor.arousal,
  };
}
