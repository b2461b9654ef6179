import type { AffectPoint } from './circumplex.ts';

/**
 * The eight emotions Norae names, from the original project: the seven that voice and face
 * models are trained on, plus contempt (no public training data here has it).
 */
export const EMOTIONS = ['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgust', 'surprised', 'contempt'] as const;
export type EmotionLabel = (typeof EMOTIONS)[number];

/** A probability for each of the eight emotions (sums to 1). */
export type EmotionDistribution = Record<EmotionLabel, number>;

/** Distance from the centre at which a clearly expressed (prototypical) emotion is placed. */
export const PROTOTYPE_RADIUS = 0.8;

/**
 * Where each emotion sits on the circumplex, as an angle (degrees, 0° = pleasant, 90° = aroused).
 * Angles are Russell's (1980, "A circumplex model of affect", J. Pers. Soc. Psych. 39:1161–1178)
 * measured positions of the closest of his 28 affect words: happy 7.8°, astonished 69.8° (our
 * "surprised"), angry 99.8°, afraid 116.0° (our "fearful"), sad 207.5°. Russell's set has no
 * disgust or contempt: we place disgust at 138° (his "distressed", the unpleasant-aroused
 * diagonal) and contempt at 160° (unpleasant, mildly aroused). Those two are our choice, not a
 * measurement. Neutral is the centre.
 */
export const EMOTION_ANGLE_DEGREES: Record<Exclude<EmotionLabel, 'neutral'>, number> = {
  happy: 7.8,
  surprised: 69.8,
  angry: 99.8,
  fearful: 116.0,
  disgust: 138.0,
  contempt: 160.0,
  sad: 207.5,
};

/** Each emotion's prototypical point on the valence–arousal plane. */
export const EMOTION_COORDINATES: Record<EmotionLabel, AffectPoint> = Object.fromEntries(
  EMOTIONS.map((label) => {
    if (label === 'neutral') return [label, { valence: 0, arousal: 0 }];
    const radians = (EMOTION_ANGLE_DEGREES[label] * Math.PI) / 180;
    return [label, { valence: PROTOTYPE_RADIUS * Math.cos(radians), arousal: PROTOTYPE_RADIUS * Math.sin(radians) }];
  }),
) as Record<EmotionLabel, AffectPoint>;

/**
 * The expected point of a distribution: Σ p(emotion) × its coordinates. An unsure model spreads
 * its probability and lands nearer the centre, which is what "unsure" should look like.
 */
export function affectFromDistribution(distribution: Partial<EmotionDistribution>): AffectPoint {
  let valence = 0;
  let arousal = 0;
  let total = 0;
  for (const label of EMOTIONS) {
    const p = distribution[label] ?? 0;
    if (!(p > 0)) continue;
    valence += p * EMOTION_COORDINATES[label].valence;
    arousal += p * EMOTION_COORDINATES[label].arousal;
    total += p;
  }
  return total > 0 ? { valence: valence / total, arousal: arousal / total } : { valence: 0, arousal: 0 };
}

/** The most probable emotion (ties: the first in EMOTIONS order). */
export function topEmotion(distribution: Partial<EmotionDistribution>): EmotionLabel {
  let best: EmotionLabel = 'neutral';
  let bestP = -1;
  for (const label of EMOTIONS) {
    const p = distribution[label] ?? 0;
    if (p > bestP) {
      best = label;
      bestP = p;
    }
  }
  return best;
}

/** A full distribution from partial scores: missing labels are 0, the rest renormalised. */
export function normaliseDistribution(scores: Partial<Record<EmotionLabel, number>>): EmotionDistribution {
  const out = Object.fromEntries(EMOTIONS.map((l) => [l, Math.max(0, scores[l] ?? 0)])) as EmotionDistribution;
  const total = EMOTIONS.reduce((sum, l) => sum + (Number.isFinite(out[l]) ? out[l] : 0), 0);
  for (const l of EMOTIONS) out[l] = total > 0 && Number.isFinite(out[l]) ? out[l] / total : l === 'neutral' && total === 0 ? 1 : 0;
  return out;
}
