/** Why a camera or microphone could not be opened; each gets its own message in the UI. */
export type MediaErrorReason = 'denied' | 'missing' | 'busy' | 'insecure' | 'failed';

/**
 * Reads a `getUserMedia` (or `play()`) rejection: the DOMException names browsers use for a
 * denied permission, a missing device, a device another app holds, or an insecure page.
 */
export function mediaErrorReason(error: unknown): MediaErrorReason {
  switch ((error as { name?: string } | null)?.name) {
    case 'NotAllowedError':
    case 'PermissionDeniedError':
      return 'denied';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'missing';
    case 'NotReadableError':
    case 'AbortError':
      return 'busy';
    case 'SecurityError':
      return 'insecure';
    default:
      return 'failed';
  }
}
