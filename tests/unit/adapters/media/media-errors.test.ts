import { describe, expect, it } from 'vitest';
import { mediaErrorReason } from '../../../../src/adapters/media/media-errors.ts';

const rejection = (name: string): Error => Object.assign(new Error(name), { name });

describe('mediaErrorReason', () => {
  it('tells a denied permission, a missing device, a busy device and an insecure page apart', () => {
    expect(mediaErrorReason(rejection('NotAllowedError'))).toBe('denied');
    expect(mediaErrorReason(rejection('PermissionDeniedError'))).toBe('denied');
    // No camera or microphone at all (or none matching the constraints).
    expect(mediaErrorReason(rejection('NotFoundError'))).toBe('missing');
    expect(mediaErrorReason(rejection('OverconstrainedError'))).toBe('missing');
    // Held by another app.
    expect(mediaErrorReason(rejection('NotReadableError'))).toBe('busy');
    expect(mediaErrorReason(rejection('SecurityError'))).toBe('insecure');
  });

  it('calls anything else a plain failure, never throws', () => {
    expect(mediaErrorReason(rejection('TypeError'))).toBe('failed');
    expect(mediaErrorReason(null)).toBe('failed');
    expect(mediaErrorReason('nope')).toBe('failed');
  });
});
