import { affectFromDistribution, normaliseDistribution, topEmotion, type EmotionDistribution, type EmotionLabel } from '../emotion/emotions.ts';

/**
 * The seven expressions face-api's expression net outputs, in its output order (index i of the
 * net's 7-vector is `FACE_API_EXPRESSIONS[i]`). The net has no contempt class.
 */
export const FACE_API_EXPRESSIONS = ['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgusted', 'surprised'] as const;
export type FaceApiExpression = (typeof FACE_API_EXPRESSIONS)[number];

/** Number of classes the expression net outputs. */
export const FACE_CLASS_COUNT = FACE_API_EXPRESSIONS.length;

/** Our label for each face-api expression (only `disgusted` is renamed). */
export const LABEL_OF_EXPRESSION: Record<FaceApiExpression, EmotionLabel> = {
  neutral: 'neutral',
  happy: 'happy',
  sad: 'sad',
  angry: 'angry',
  fearful: 'fearful',
  disgusted: 'disgust',
  surprised: 'surprised',
};

/** Our eight labels the face model can output; contempt is never among them. */
export const FACE_RECOGNISED_LABELS: readonly EmotionLabel[] = FACE_API_EXPRESSIONS.map((e) => LABEL_OF_EXPRESSION[e]);

/** Labels the face model cannot output (always probability 0): contempt. */
export const FACE_UNSUPPORTED_LABELS: readonly EmotionLabel[] = ['contempt'];

/** A face reading in our vocabulary: the distribution and what it implies. */
export interface FaceEmotion {
  /** Probabilities over our eight labels; `contempt` is always 0 (the net has no such class). */
  distribution: EmotionDistribution;
  /** Circumplex valence in [−1, 1] (expected point of the distribution). */
  valence: number;
  /** Circumplex arousal in [−1, 1]. */
  arousal: number;
  /** The most probable label. */
  top: EmotionLabel;
  /** The top label's probability in [0, 1] (after calibration, so it means what it says). */
  confidence: number;
}

/**
 * Maps a 7-vector of face-api probabilities (its order, see {@link FACE_API_EXPRESSIONS}) onto our
 * eight labels with contempt 0, and derives valence/arousal from the same circumplex coordinates
 * the voice model uses. Non-finite or negative entries count as 0; an all-zero vector becomes
 * "neutral" (normaliseDistribution's rule), so the result is always a valid distribution.
 */
export function faceEmotionFromProbabilities(probabilities: ArrayLike<number>): FaceEmotion {
  if (probabilities.length !== FACE_CLASS_COUNT) {
    throw new RangeError(`expected ${FACE_CLASS_COUNT} face-api probabilities, got ${probabilities.length}`);
  }
  const scores: Partial<Record<EmotionLabel, number>> = { contempt: 0 };
  FACE_API_EXPRESSIONS.forEach((expression, i) => {
    const p = probabilities[i];
    scores[LABEL_OF_EXPRESSION[expression]] = Number.isFinite(p) && p > 0 ? p : 0;
  });
  return faceEmotionFromDistribution(scores);
}

/**
 * A face reading from a distribution over our labels (renormalised; contempt forced to 0, since
 * the face model never recognises it, e.g. after averaging several frames).
 */
export function faceEmotionFromDistribution(scores: Partial<EmotionDistribution>): FaceEmotion {
  const distribution = normaliseDistribution({ ...scores, contempt: 0 });
  const { valence, arousal } = affectFromDistribution(distribution);
  const top = topEmotion(distribution);
  return { distribution, valence, arousal, top, confidence: distribution[top] };
}

/** The face-api class index of one of our labels, or −1 for contempt (not recognised). */
export function expressionIndexOfLabel(label: EmotionLabel): number {
  return FACE_API_EXPRESSIONS.findIndex((e) => LABEL_OF_EXPRESSION[e] === label);
}
