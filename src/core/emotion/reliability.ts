import faceCalibration from '../../../models/face/face-calibration.json' with { type: 'json' };
import { EMOTIONS, type EmotionLabel } from './emotions.ts';
import type { Modality, ModalityReliability } from './fusion.ts';

/**
 * How much each modality can be trusted, from the model cards' held-out figures: per-emotion
 * recall, and the correlation of the predicted valence/arousal with the true emotion's point.
 * Contempt is 0: neither model can recognise it.
 */
export function reliabilityFrom(perEmotion: Partial<Record<EmotionLabel, number>>, valence: number, arousal: number): ModalityReliability {
  return {
    perEmotion: Object.fromEntries(EMOTIONS.map((label) => [label, perEmotion[label] ?? 0])) as Record<EmotionLabel, number>,
    valence,
    arousal,
  };
}

/**
 * Voice: per-class recall of the cold, pooled speaker-independent confusion matrix in
 * models/speech-emotion/MODEL_CARD.md; valence/arousal: Pearson r between the true and the
 * predicted class's circumplex point over that matrix (0.520 / 0.492).
 */
const VOICE = reliabilityFrom({ neutral: 0.53, happy: 0.45, sad: 0.38, angry: 0.78, fearful: 0.57, disgust: 0.69, surprised: 0.63 }, 0.520, 0.492);

/** Face: cross-validated on FER2013, written by `npm run eval:face` into face-calibration.json. */
const FACE = reliabilityFrom(
  faceCalibration.reliability.perEmotion as Partial<Record<EmotionLabel, number>>,
  faceCalibration.reliability.valence,
  faceCalibration.reliability.arousal,
);

export const MODALITY_RELIABILITY: Record<Modality, ModalityReliability> = { voice: VOICE, face: FACE };
