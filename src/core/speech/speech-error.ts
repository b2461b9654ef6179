/**
 * Why an utterance could not be analysed. Callers (the voice panel, the eval command) switch on
 * `code` to show their own message; `message` is an English explanation for logs.
 * - `silent`: no sample rises above the silence floor (a muted or disconnected microphone).
 * - `too-short`: there is speech, but less of it than the model needs.
 * - `invalid-audio`: not audio we can use (empty, NaN/∞ samples, a bad sample rate).
 */
export type SpeechInputErrorCode = 'silent' | 'too-short' | 'invalid-audio';

/** A typed, expected failure of speech analysis (never a crash): see {@link SpeechInputErrorCode}. */
export class SpeechInputError extends Error {
  readonly code: SpeechInputErrorCode;
  constructor(code: SpeechInputErrorCode, message: string) {
    super(message);
    this.name = 'SpeechInputError';
    this.code = code;
  }
}

/** True for a {@link SpeechInputError} (also across realms/workers, where `instanceof` fails). */
export function isSpeechInputError(error: unknown): error is SpeechInputError {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'SpeechInputError' && typeof (error as { code?: unknown }).code === 'string';
}
