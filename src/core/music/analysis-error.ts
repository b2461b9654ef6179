/** Why analysis refused an input. Stable strings: the app maps them to messages. */
export type AnalysisErrorCode =
  | 'too-short'
  | 'non-finite-samples'
  | 'unsupported-format'
  | 'corrupt-data'
  | 'invalid-sample-rate'
  | 'invalid-model';

/** A clear, typed failure of song analysis (never a NaN result). */
export class AnalysisError extends Error {
  readonly code: AnalysisErrorCode;
  constructor(code: AnalysisErrorCode, message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'AnalysisError';
    this.code = code;
  }
}
