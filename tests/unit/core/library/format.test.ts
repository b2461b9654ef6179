import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration } from '../../../../src/core/library/format.ts';

describe('formatDuration', () => {
  it.each([
    [0, '0:00'],
    [5.9, '0:05'],
    [198, '3:18'],
    [3600 + 62, '1:01:02'],
    [Number.NaN, '--:--'],
    [-1, '--:--'],
  ])('%s s → %s', (seconds, text) => expect(formatDuration(seconds)).toBe(text));
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1_234_567, '1.2 MB'],
    [250_000_000, '250 MB'],
    [10_700_000_000, '10.7 GB'],
  ])('%s → %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));
});
