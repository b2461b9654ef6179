import type { EmotionLabel } from '../emotion/emotions.ts';
import { parseFaceCalibration, type FaceCalibration } from './calibration.ts';
import { FACE_API_EXPRESSIONS, FACE_CLASS_COUNT } from './face-expressions.ts';
import { logProbabilities, softmax } from './probabilities.ts';

/** Bump when the meaning of a field changes; the loader refuses any other version. */
export const FACE_EXPRESSION_CONTRACT_VERSION = 1;
export const FACE_EXPRESSION_FORMAT = 'norae-face-expression';

/**
 * `models/face-expression/metadata.json`, written by `npm run train:face`: the one description
 * of our own expression net that the crop code, the loader, the ensemble, the calibration and
 * fusion's face reliabilities all read.
 */
export interface FaceExpressionMetadata {
  format: typeof FACE_EXPRESSION_FORMAT;
  contractVersion: number;
  /** The net's input: `sizePx` square, 1 channel, Rec. 601 luma in [0, 1] (`greyFaceCrops`). */
  input: { sizePx: number; channels: 1 };
  /** Output order: face-api's (so the two nets' probabilities line up). */
  classes: string[];
  /**
   * How the app reads a face: p = softmax((ownWeight · log p_own + (1 − ownWeight) · log p_faceApi) / T + b),
   * each net's p averaged with its mirror image's. ownWeight 0 = face-api's net alone, 1 = ours alone.
   */
  ensemble: FaceEnsemble;
  /** The temperature T and biases b above, fitted on the tuning split. */
  calibration: FaceCalibration;
  /**
   * The ensemble's per-emotion recall and valence/arousal correlation on the tuning split (part of
   * the training images, never trained on; it also chose the epoch and the ensemble weight, so
   * these are optimistic; the model card reports the held-out figures). Fusion weighs the face with these.
   */
  reliability: { perEmotion: Partial<Record<EmotionLabel, number>>; valence: number; arousal: number };
}

/**
 * How the two nets' readings are combined. `faceApiTrustAbove` (optional, absent = never): a face
 * on which face-api's net is at least this sure of its top class is read by face-api's net alone —
 * a per-face rule chosen on in-the-wild and posed tuning faces (on clean posed faces face-api's
 * confident readings are right more often than the blend).
 */
export interface FaceEnsemble {
  ownWeight: number;
  faceApiTrustAbove?: number;
}

/** Thrown when metadata.json or the model it describes does not match this contract. */
export class FaceExpressionContractError extends Error {
  constructor(message: string) {
    super(`face expression model: ${message}`);
    this.name = 'FaceExpressionContractError';
  }
}

const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Validates parsed metadata.json; throws {@link FaceExpressionContractError} saying what is wrong. */
export function parseFaceExpressionMetadata(json: unknown): FaceExpressionMetadata {
  const fail = (message: string): never => {
    throw new FaceExpressionContractError(message);
  };
  if (typeof json !== 'object' || json === null) return fail('metadata is not an object');
  const m = json as Record<string, unknown>;
  if (m.format !== FACE_EXPRESSION_FORMAT) fail(`format is ${String(m.format)}, expected ${FACE_EXPRESSION_FORMAT}`);
  if (m.contractVersion !== FACE_EXPRESSION_CONTRACT_VERSION) fail(`contract version ${String(m.contractVersion)}, this app reads ${FACE_EXPRESSION_CONTRACT_VERSION}`);
  const input = m.input as Record<string, unknown> | undefined;
  if (!input || !isFiniteNumber(input.sizePx) || input.sizePx < 8 || input.channels !== 1) fail('input must be { sizePx ≥ 8, channels: 1 }');
  if (!Array.isArray(m.classes) || m.classes.join(',') !== FACE_API_EXPRESSIONS.join(',')) fail(`classes must be ${FACE_API_EXPRESSIONS.join(',')}`);
  const ensemble = m.ensemble as Record<string, unknown> | undefined;
  if (!ensemble || !isFiniteNumber(ensemble.ownWeight) || ensemble.ownWeight < 0 || ensemble.ownWeight > 1) fail('ensemble.ownWeight must be in [0, 1]');
  const trust = ensemble?.faceApiTrustAbove;
  if (trust !== undefined && !(isFiniteNumber(trust) && trust > 0 && trust <= 1)) fail('ensemble.faceApiTrustAbove must be in (0, 1] when present');
  const calibration = parseFaceCalibration(m.calibration);
  const reliability = m.reliability as Record<string, unknown> | undefined;
  if (!reliability || !isFiniteNumber(reliability.valence) || !isFiniteNumber(reliability.arousal) || typeof reliability.perEmotion !== 'object' || reliability.perEmotion === null) {
    fail('reliability must hold perEmotion, valence and arousal');
  }
  return { ...(m as unknown as FaceExpressionMetadata), calibration };
}

/**
 * The ensemble before calibration: softmax(w · log p_own + (1 − w) · log p_faceApi), both
 * 7-vectors in face-api's order. A weighted product of experts: a face both nets agree on stays
 * sure; where they disagree the result is softer than either. With `faceApiTrustAbove`, a face
 * whose face-api top probability reaches it gets face-api's reading alone (see {@link FaceEnsemble}).
 */
export function combineExpressionProbabilities(own: ArrayLike<number>, faceApi: ArrayLike<number>, ownWeight: number, faceApiTrustAbove?: number): number[] {
  if (own.length !== FACE_CLASS_COUNT || faceApi.length !== FACE_CLASS_COUNT) throw new RangeError(`expected ${FACE_CLASS_COUNT} probabilities from each net`);
  if (faceApiTrustAbove !== undefined && Math.max(...Array.from(faceApi)) >= faceApiTrustAbove) ownWeight = 0;
  const a = logProbabilities(own);
  const b = logProbabilities(faceApi);
  return softmax(a.map((z, i) => ownWeight * z + (1 - ownWeight) * b[i]));
}
