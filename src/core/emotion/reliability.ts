import { EMOTIONS, type EmotionLabel } from './emotions.ts';
import type { Modality, ModalityReliability } from './fusion.ts';

/**
 * How much each modality can be trusted, taken from the model cards' held-out figures
 * (models/speech-emotion/MODEL_CARD.md: per-class recall on actors never seen in training;
 * models/face/MODEL_CARD.md: per-class recall on FER2013 images, calibration cross-fitted).
 * Valence/arousal reliabilities follow the same evidence: faces separate pleasant from
 * unpleasant best (happy is their strongest class), voices separate calm from excited best
 * (angry/fearful/surprised vs sad/neutral). Contempt is 0: neither model can recognise it.
 */
export function reliabilityFrom(perEmotion: Partial<Record<EmotionLabel, number>>, valence: number, arousal: number): ModalityReliability {
  return {
    perEmotion: Object.fromEntries(EMOTIONS.map((label) => [label, perEmotion[label] ?? 0])) as Record<EmotionLabel, number>,
    valence,
    arousal,
  };
}

export const MODALITY_RELIABILITY: Record<Modality, ModalityReliability> = {
  voice: reliabilityFrom({ neutral: 0.6, happy: 0.55, sad: 0.6, angry: 0.75, fearful: 0.6, disgust: 0.55, surprised: 0.6 }, 0.55, 0.85),
  face: reliabilityFrom({ neutral: 0.65, happy: 0.9, sad: 0.55, angry: 0.6, fearful: 0.45, disgust: 0.55, surprised: 0.8 }, 0.85, 0.6),
};
