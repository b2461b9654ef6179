import faceExpression from '../../../models/face-expression/metadata.json' with { type: 'json' };
import { EMOTIONS, type EmotionLabel } from './emotions.ts';
import type { ModalityReliability } from './fusion.ts';

/**
 * How much a modality can be trusted, from its model's measured figures: per-emotion recall,
 * and the correlation of its valence/arousal with the true emotion's point. Emotions missing
 * from `perEmotion` are 0: contempt, which neither model can recognise.
 */
export function reliabilityFrom(perEmotion: Partial<Record<EmotionLabel, number>>, valence: number, arousal: number): ModalityReliability {
  return {
    perEmotion: Object.fromEntries(EMOTIONS.map((label) => [label, perEmotion[label] ?? 0])) as Record<EmotionLabel, number>,
    valence,
    arousal,
  };
}

/**
 * Face: the shipped ensemble's figures on its tuning split (FER2013 training images it was not
 * trained on), written by `npm run train:face` into models/face-expression/metadata.json.
 */
export const FACE_RELIABILITY: ModalityReliability = reliabilityFrom(
  faceExpression.reliability.perEmotion as Partial<Record<EmotionLabel, number>>,
  faceExpression.reliability.valence,
  faceExpression.reliability.arousal,
);

/**
 * Words: like the voice, each reading carries its reader's reliability (the Korean net's
 * cross-validated figures from models/text-emotion/metadata.json, or the English lexicon's share).
 */
export function textReliability(measured: { perEmotion: Partial<Record<EmotionLabel, number>>; valence: number; arousal: number }): ModalityReliability {
  return reliabilityFrom(measured.perEmotion, measured.valence, measured.arousal);
}

/**
 * Voice: no numbers here. Each reading carries its model's cross-validated reliability for the
 * mode it was read in (cold, or adapted to the speaker), from the shipped metadata.json that
 * training writes; this turns it into fusion's shape.
 */
export function voiceReliability(measured: { perEmotion: Partial<Record<EmotionLabel, number>>; valence: number; arousal: number }): ModalityReliability {
  return reliabilityFrom(measured.perEmotion, measured.valence, measured.arousal);
}
