import { FACE_API_EXPRESSIONS, FACE_CLASS_COUNT } from './face-expressions.ts';
import { logProbabilities, softmax } from './probabilities.ts';

/**
 * A post-hoc calibration of the expression net: p' = softmax(log p / temperature + bias), applied
 * to the (mirror-averaged) 7-class probabilities p in face-api's order. Temperature > 1 softens an
 * over-confident net (so `confidence` and valence/arousal reflect how sure it really is); a
 * per-class bias shifts decisions between classes. Fitted in `src/training/face` with
 * on the tuning split of the training images; shipped in `models/face-expression/metadata.json`.
 */
export interface FaceCalibration {
  /** Divides the log-probabilities; 1 = unchanged. Must be > 0. */
  temperature: number;
  /** Added to each class's scaled log-probability, face-api order (7 numbers); zeros = none. */
  biasLogit: number[];
}

/** The calibration that changes nothing. */
export const IDENTITY_CALIBRATION: FaceCalibration = Object.freeze({
  temperature: 1,
  biasLogit: Object.freeze(new Array<number>(FACE_CLASS_COUNT).fill(0)) as number[],
});

/** Applies a calibration to a 7-vector of probabilities (face-api order); returns probabilities. */
export function applyCalibration(probabilities: ArrayLike<number>, calibration: FaceCalibration): number[] {
  const logs = logProbabilities(probabilities);
  return softmax(logs.map((z, i) => z / calibration.temperature + (calibration.biasLogit[i] ?? 0)));
}

/** Thrown when a calibration file does not have the expected shape. */
export class FaceCalibrationError extends Error {
  constructor(message: string) {
    super(`face calibration: ${message}`);
    this.name = 'FaceCalibrationError';
  }
}

/**
 * Validates a parsed calibration JSON (`{ temperature, biasLogit, labels? }`; other fields such
 * as fitting provenance are ignored). `labels`, when present, must be face-api's order.
 */
export function parseFaceCalibration(json: unknown): FaceCalibration {
  if (typeof json !== 'object' || json === null) throw new FaceCalibrationError('not an object');
  const { temperature, biasLogit, labels } = json as Record<string, unknown>;
  if (typeof temperature !== 'number' || !Number.isFinite(temperature) || temperature <= 0) {
    throw new FaceCalibrationError('temperature must be a finite number > 0');
  }
  if (!Array.isArray(biasLogit) || biasLogit.length !== FACE_CLASS_COUNT || !biasLogit.every((b) => typeof b === 'number' && Number.isFinite(b))) {
    throw new FaceCalibrationError(`biasLogit must be ${FACE_CLASS_COUNT} finite numbers`);
  }
  if (labels !== undefined && (!Array.isArray(labels) || labels.join(',') !== FACE_API_EXPRESSIONS.join(','))) {
    throw new FaceCalibrationError(`labels must be ${FACE_API_EXPRESSIONS.join(',')}`);
  }
  return { temperature, biasLogit: [...(biasLogit as number[])] };
}
