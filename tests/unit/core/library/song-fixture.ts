import type { SongRecord } from '../../../../src/core/library/song.ts';

/** A complete song record with sensible defaults, for tests. */
export function songRecord(overrides: Partial<SongRecord> = {}): SongRecord {
  return {
    id: 'f'.repeat(64),
    fileName: 'song.mp3',
    relativePath: 'song.mp3',
    format: 'mp3',
    mimeType: 'audio/mpeg',
    sizeBytes: 1000,
    title: 'Song',
    artist: '',
    album: '',
    trackNumber: null,
    year: null,
    genre: '',
    durationSeconds: 60,
    sampleRateHz: 44100,
    channelCount: 2,
    hasArtwork: false,
    addedAt: 0,
    warning: null,
    hasAudio: true,
    ...overrides,
  };
}
