import { clampToPlane, moodOf, type AffectPoint, type MoodId } from './circumplex.ts';
import { EMOTIONS, normaliseDistribution, topEmotion, type EmotionDistribution, type EmotionLabel } from './emotions.ts';

/** One modality's reading: what a voice or face model said, and how sure it was. */
export interface ModalityReading {
  distribution: EmotionDistribution;
  valence: number;
  arousal: number;
  /** The model's own confidence in [0, 1] (e.g. its top probability, or a detection score). */
  confidence: number;
  /** The model said it is unsure of this reading: it weighs {@link UNSURE_WEIGHT} as much. */
  unsure?: boolean;
}

/**
 * Weight factor of a reading its model flagged unsure (on top of its lower confidence): an unsure
 * voice should not outvote a clear face, nor move the plane much on its own.
 */
export const UNSURE_WEIGHT = 0.5;

/**
 * How far a modality can be trusted, from its model card: per-emotion recall on held-out data
 * (0 for emotions it cannot recognise) and how well its valence/arousal track the truth. Faces
 * read happiness best; voices read arousal best.
 */
export interface ModalityReliability {
  perEmotion: Record<EmotionLabel, number>;
  valence: number;
  arousal: number;
}

export type Modality = 'voice' | 'face' | 'text';
/** Every sense Norae reads, in the order it names them. */
export const MODALITIES: readonly Modality[] = ['voice', 'face', 'text'];

export interface FusionInput {
  voice?: ModalityReading | null;
  face?: ModalityReading | null;
  /** A few typed words (Korean by Norae's net, English by a lexicon). */
  text?: ModalityReading | null;
  /** Each modality's reliability; needed for every modality that has a reading. */
  reliability: Partial<Record<Modality, ModalityReliability>>;
  /** Where the person says they really are; it overrides the models. */
  correction?: AffectPoint | null;
}

export interface FusedEmotion {
  distribution: EmotionDistribution;
  top: EmotionLabel;
  valence: number;
  arousal: number;
  mood: MoodId;
  intensity: number;
  /** Overall confidence in [0, 1]; 1 for a correction. */
  confidence: number;
  /** Share of each modality in the fused valence and arousal (each axis sums to 1). */
  contributions: Record<Modality, { valence: number; arousal: number }>;
  /** Set when two senses told different stories: the two furthest apart, in {@link MODALITIES} order. */
  disagreement: Disagreement | null;
  source: 'fused' | Modality | 'correction' | 'none';
  /** True when a correction outside the plane was pulled back onto it. */
  correctionClamped: boolean;
}

/** Two senses that read different emotions, and how far apart their points are (plane units). */
export interface Disagreement {
  first: Modality;
  firstTop: EmotionLabel;
  second: Modality;
  secondTop: EmotionLabel;
  distance: number;
}

/** Points further apart than this (plane units) count as disagreeing. */
const DISAGREEMENT_DISTANCE = 0.6;

function usable(reading: ModalityReading | null | undefined): reading is ModalityReading {
  return (
    !!reading &&
    Number.isFinite(reading.valence) &&
    Number.isFinite(reading.arousal) &&
    Number.isFinite(reading.confidence) &&
    reading.confidence > 0
  );
}

/**
 * Combines the senses into one emotion. Each sense's vote for an emotion is weighted by its
 * confidence times its known recall for that emotion (linear opinion pool); each axis of the
 * point is weighted by confidence times that axis's reliability. Any sense may be missing.
 * A correction from the person replaces the point (and the mood) outright.
 */
export function fuseEmotions(input: FusionInput): FusedEmotion {
  const readings = MODALITIES.filter((m) => usable(input[m]));
  const scores: Partial<Record<EmotionLabel, number>> = {};
  const axisWeights = Object.fromEntries(MODALITIES.map((m) => [m, { valence: 0, arousal: 0 }])) as Record<Modality, { valence: number; arousal: number }>;
  let vSum = 0;
  let aSum = 0;
  for (const m of readings) {
    const r = input[m] as ModalityReading;
    const rel = input.reliability[m];
    if (!rel) throw new RangeError(`fuseEmotions: a ${m} reading without its reliability`);
    const c = Math.min(1, Math.max(0, r.confidence)) * (r.unsure ? UNSURE_WEIGHT : 1);
    for (const label of EMOTIONS) scores[label] = (scores[label] ?? 0) + c * rel.perEmotion[label] * (r.distribution[label] ?? 0);
    axisWeights[m] = { valence: c * rel.valence, arousal: c * rel.arousal };
    vSum += c * rel.valence * r.valence;
    aSum += c * rel.arousal * r.arousal;
  }
  const vWeight = readings.reduce((s, m) => s + axisWeights[m].valence, 0);
  const aWeight = readings.reduce((s, m) => s + axisWeights[m].arousal, 0);
  const distribution = normaliseDistribution(scores);
  let point: AffectPoint = { valence: vWeight > 0 ? vSum / vWeight : 0, arousal: aWeight > 0 ? aSum / aWeight : 0 };
  const contributions = Object.fromEntries(
    MODALITIES.map((m) => [m, { valence: vWeight > 0 ? axisWeights[m].valence / vWeight : 0, arousal: aWeight > 0 ? axisWeights[m].arousal / aWeight : 0 }]),
  ) as Record<Modality, { valence: number; arousal: number }>;

  const present = readings.map((m) => [m, input[m] as ModalityReading] as const);
  const disagreement = disagreementOf(present);
  let confidence = 0;
  if (present.length > 0) {
    // Independent readings that agree are more convincing than any one; disagreement costs.
    const either = 1 - present.reduce((p, [, r]) => p * (1 - r.confidence), 1);
    confidence = present.length === 1 ? present[0][1].confidence : either * Math.max(0.3, 1 - widestDistance(present) / 2);
  }

  let source: FusedEmotion['source'] = readings.length >= 2 ? 'fused' : readings.length === 1 ? readings[0] : 'none';
  let correctionClamped = false;
  if (input.correction && Number.isFinite(input.correction.valence) && Number.isFinite(input.correction.arousal)) {
    const clamped = clampToPlane(input.correction);
    correctionClamped = clamped.valence !== input.correction.valence || clamped.arousal !== input.correction.arousal;
    point = clamped;
    confidence = 1;
    source = 'correction';
  }
  const { mood, intensity } = moodOf(point);
  return {
    distribution,
    top: topEmotion(distribution),
    valence: point.valence,
    arousal: point.arousal,
    mood,
    intensity,
    confidence: Math.min(1, Math.max(0, confidence)),
    contributions,
    disagreement,
    source,
    correctionClamped,
  };
}

type Present = readonly (readonly [Modality, ModalityReading])[];

const distanceOf = (a: ModalityReading, b: ModalityReading): number => Math.hypot(a.valence - b.valence, a.arousal - b.arousal);

/** The largest distance between two senses' points (0 with fewer than two). */
function widestDistance(present: Present): number {
  let widest = 0;
  for (let i = 0; i < present.length; i++) for (let j = i + 1; j < present.length; j++) widest = Math.max(widest, distanceOf(present[i][1], present[j][1]));
  return widest;
}

/**
 * The pair of senses furthest apart, when they disagree: points further than
 * {@link DISAGREEMENT_DISTANCE}, or different top emotions at half that.
 */
function disagreementOf(present: Present): Disagreement | null {
  let found: Disagreement | null = null;
  for (let i = 0; i < present.length; i++) {
    for (let j = i + 1; j < present.length; j++) {
      const [first, a] = present[i];
      const [second, b] = present[j];
      const distance = distanceOf(a, b);
      const firstTop = topEmotion(a.distribution);
      const secondTop = topEmotion(b.distribution);
      const disagree = distance > DISAGREEMENT_DISTANCE || (firstTop !== secondTop && distance > DISAGREEMENT_DISTANCE / 2);
      if (disagree && (!found || distance > found.distance)) found = { first, firstTop, second, secondTop, distance };
    }
  }
  return found;
}
