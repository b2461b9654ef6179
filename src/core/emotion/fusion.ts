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

export type Modality = 'voice' | 'face';

export interface FusionInput {
  voice?: ModalityReading | null;
  face?: ModalityReading | null;
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
  /** Set when both modalities spoke and told different stories. */
  disagreement: { voiceTop: EmotionLabel; faceTop: EmotionLabel; distance: number } | null;
  source: 'fused' | 'voice' | 'face' | 'correction' | 'none';
  /** True when a correction outside the plane was pulled back onto it. */
  correctionClamped: boolean;
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
 * Combines voice and face into one emotion. Each modality's vote for an emotion is weighted by
 * its confidence times its known recall for that emotion (linear opinion pool); each axis of the
 * point is weighted by confidence times that axis's reliability. Either modality may be missing.
 * A correction from the person replaces the point (and the mood) outright.
 */
export function fuseEmotions(input: FusionInput): FusedEmotion {
  const readings = (['voice', 'face'] as const).filter((m) => usable(input[m]));
  const scores: Partial<Record<EmotionLabel, number>> = {};
  let vSum = 0;
  let vWeight = 0;
  let aSum = 0;
  let aWeight = 0;
  const axisWeights: Record<Modality, { valence: number; arousal: number }> = {
    voice: { valence: 0, arousal: 0 },
    face: { valence: 0, arousal: 0 },
  };
  for (const m of readings) {
    const r = input[m] as ModalityReading;
    const rel = input.reliability[m];
    if (!rel) throw new RangeError(`fuseEmotions: a ${m} reading without its reliability`);
    const c = Math.min(1, Math.max(0, r.confidence)) * (r.unsure ? UNSURE_WEIGHT : 1);
    for (const label of EMOTIONS) scores[label] = (scores[label] ?? 0) + c * rel.perEmotion[label] * (r.distribution[label] ?? 0);
    const wv = c * rel.valence;
    const wa = c * rel.arousal;
    axisWeights[m] = { valence: wv, arousal: wa };
    vSum += wv * r.valence;
    vWeight += wv;
    aSum += wa * r.arousal;
    aWeight += wa;
  }

  const distribution = normaliseDistribution(scores);
  let point: AffectPoint = {
    valence: vWeight > 0 ? vSum / vWeight : 0,
    arousal: aWeight > 0 ? aSum / aWeight : 0,
  };
  const contributions: Record<Modality, { valence: number; arousal: number }> = {
    voice: { valence: vWeight > 0 ? axisWeights.voice.valence / vWeight : 0, arousal: aWeight > 0 ? axisWeights.voice.arousal / aWeight : 0 },
    face: { valence: vWeight > 0 ? axisWeights.face.valence / vWeight : 0, arousal: aWeight > 0 ? axisWeights.face.arousal / aWeight : 0 },
  };

  let disagreement: FusedEmotion['disagreement'] = null;
  let confidence = 0;
  if (readings.length === 2) {
    const v = input.voice as ModalityReading;
    const f = input.face as ModalityReading;
    const distance = Math.hypot(v.valence - f.valence, v.arousal - f.arousal);
    const voiceTop = topEmotion(v.distribution);
    const faceTop = topEmotion(f.distribution);
    if (distance > DISAGREEMENT_DISTANCE || (voiceTop !== faceTop && distance > DISAGREEMENT_DISTANCE / 2)) {
      disagreement = { voiceTop, faceTop, distance };
    }
    // Two independent readings that agree are more convincing than either; disagreement costs.
    const either = 1 - (1 - v.confidence) * (1 - f.confidence);
    confidence = either * Math.max(0.3, 1 - distance / 2);
  } else if (readings.length === 1) {
    confidence = (input[readings[0]] as ModalityReading).confidence;
  }

  let source: FusedEmotion['source'] = readings.length === 2 ? 'fused' : readings.length === 1 ? readings[0] : 'none';
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
