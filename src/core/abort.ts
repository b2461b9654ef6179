/**
 * The part of the platform's `AbortSignal` that core code uses. Core is compiled without DOM or
 * Node typings (so it stays portable); real `AbortSignal`s satisfy this structurally.
 */
export interface AbortSignalLike {
  readonly aborted: boolean;
  readonly reason?: unknown;
  throwIfAborted(): void;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** The error thrown when work is cancelled; `name` matches the platform's `AbortError`. */
export class AbortError extends Error {
  constructor(message = 'The operation was aborted') {
    super(message);
    this.name = 'AbortError';
  }
}

/** True for any abort-shaped error (ours, the platform's DOMException, or a signal's reason). */
export function isAbortError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'AbortError';
}
