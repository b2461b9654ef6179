import { describe, expect, it } from 'vitest';
import { isSkippedInFolder } from '../../../../src/core/library/folder-filter.ts';
import { isDecodableCodec } from '../../../../src/core/library/codecs.ts';

describe('isSkippedInFolder', () => {
  it.each([
    ['Album/cover.jpg', true],
    ['Album/folder.PNG', true],
    ['Album/rip.log', true],
    ['Album/album.cue', true],
    ['Album/.DS_Store', true],
    ['Album/._01 Song.mp3', true],
    ['Album/01 Song.mp3', false],
    ['Album/01 Song.flac', false],
    ['Album/README', false], // unknown: try it, and explain if it is not music
  ])('%s → %s', (path, skipped) => expect(isSkippedInFolder(path)).toBe(skipped));
});

describe('isDecodableCodec', () => {
  it('knows what Chromium decodes', () => {
    for (const codec of ['MPEG 1 Layer 3', 'AAC', 'MPEG-4/AAC', 'Opus', 'Vorbis I 20050304', 'FLAC', 'PCM', undefined]) {
      expect(isDecodableCodec(codec)).toBe(true);
    }
    for (const codec of ['ALAC', 'AC-3', 'DTS', 'WMA v2']) expect(isDecodableCodec(codec)).toBe(false);
  });
});
