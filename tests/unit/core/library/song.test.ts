import { describe, expect, it } from 'vitest';
import { isSongId, resolveSongText, tagsFromFileName, toHex, truncationWarning } from '../../../../src/core/library/song.ts';

describe('tagsFromFileName', () => {
  it.each([
    ['03 - Artist Name - Song Title.mp3', { artist: 'Artist Name', title: 'Song Title', trackNumber: 3 }],
    ['Artist - Title - Live.flac', { artist: 'Artist', title: 'Title - Live' }],
    ['my_favourite_song.ogg', { title: 'my favourite song' }],
    ['12. 봄날.mp3', { title: '봄날', trackNumber: 12 }],
    ['1999.mp3', { title: '1999' }],
    ['.mp3', { title: '.mp3' }],
  ])('%s', (name, expected) => {
    expect(tagsFromFileName(name)).toMatchObject(expected);
  });
});

describe('resolveSongText', () => {
  it('prefers tags, falls back to the file name, and strips NUL padding', () => {
    expect(resolveSongText({ title: 'Tagged\u0000', artist: ' ', album: 'A' }, '01 - X - Y.mp3')).toEqual({
      title: 'Tagged',
      artist: 'X',
      album: 'A',
      trackNumber: 1,
      year: null,
      genre: '',
    });
  });
});

describe('truncationWarning', () => {
  it('flags a file that decodes much shorter than its header claims', () => {
    expect(truncationWarning(12, 30)).toEqual({ code: 'truncated', decodedSeconds: 12, expectedSeconds: 30 });
  });
  it('ignores encoder padding and missing claims', () => {
    expect(truncationWarning(29.9, 30)).toBeNull();
    expect(truncationWarning(0.5, 1.2)).toBeNull(); // under a second lost
    expect(truncationWarning(10, undefined)).toBeNull();
    expect(truncationWarning(10, Number.NaN)).toBeNull();
  });
});

describe('ids', () => {
  it('hex-encodes digests and validates ids', () => {
    expect(toHex(Uint8Array.from([0, 15, 255]))).toBe('000fff');
    expect(isSongId('a'.repeat(64))).toBe(true);
    expect(isSongId('A'.repeat(64))).toBe(false);
    expect(isSongId('a'.repeat(63))).toBe(false);
  });
});
