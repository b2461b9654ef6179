/**
 * Why a face analysis gave no reading. Each code gets its own message in the UI; none is a crash.
 * - `no-face`: the image was fine but no detector found a face (also: most cartoons).
 * - `blank-image`: a uniform image (black frame, covered lens, white page).
 * - `unusable-image`: not an image we can read: zero or tiny size, wrong tensor shape, a
 *   source that is not loaded yet, a file the browser cannot decode.
 * - `models-not-loaded`: `analyseImage` before `loadFaceModels` resolved.
 * - `model-load-failed`: the weights could not be fetched or parsed, or no tfjs backend started.
 * - `analysis-failed`: anything else went wrong inside tfjs (e.g. a lost WebGL context); the
 *   original error is the `cause`.
 */
export type FaceErrorCode = 'no-face' | 'blank-image' | 'unusable-image' | 'models-not-loaded' | 'model-load-failed' | 'analysis-failed';

/** The typed error face analysis throws (aborts throw the platform's or core's AbortError instead). */
export class FaceAnalysisError extends Error {
  readonly code: FaceErrorCode;
  constructor(code: FaceErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FaceAnalysisError';
    this.code = code;
  }
}

/** True for a {@link FaceAnalysisError} (optionally with a given code). */
export function isFaceAnalysisError(error: unknown, code?: FaceErrorCode): error is FaceAnalysisError {
  return error instanceof FaceAnalysisError && (code === undefined || error.code === code);
}
