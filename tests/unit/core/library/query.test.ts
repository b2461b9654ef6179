import { describe, expect, it } from 'vitest';
import { filterSongs, foldForSearch, sortSongs } from '../../../../src/core/library/query.ts';
import { songRecord } from './song-fixture.ts';

const songs = [
  songRecord({ id: '1'.repeat(64), title: 'Beyoncé Halo', artist: 'Beyoncé', album: 'I Am', durationSeconds: 260, addedAt: 3, trackNumber: 2 }),
  songRecord({ id: '2'.repeat(64), title: '봄날', artist: 'BTS', album: 'You Never Walk Alone', durationSeconds: 274, addedAt: 1 }),
  songRecord({ id: '3'.repeat(64), title: 'apple', artist: 'Z', album: 'I Am', durationSeconds: 100, addedAt: 2, trackNumber: 1 }),
];
const compare = new Intl.Collator('en', { numeric: true, sensitivity: 'base' }).compare;

describe('filterSongs', () => {
  it('matches every word, accent-insensitively, across fields', () => {
    expect(foldForSearch('Beyoncé')).toBe('beyonce');
    expect(filterSongs(songs, 'beyonce halo').map((s) => s.id)).toEqual(['1'.repeat(64)]);
    expect(filterSongs(songs, 'i am').length).toBe(2);
    expect(filterSongs(songs, '봄').length).toBe(1);
    expect(filterSongs(songs, '  ').length).toBe(3);
    expect(filterSongs(songs, 'nothing here')).toEqual([]);
  });

  it('finds a song whose record was replaced (new tags) by its new text, not its old', () => {
    expect(filterSongs(songs, 'halo')).toHaveLength(1); // the old record's text is now kept
    const renamed = [{ ...songs[0], title: 'Crazy in Love' }, songs[1], songs[2]];
    expect(filterSongs(renamed, 'halo')).toEqual([]);
    expect(filterSongs(renamed, 'crazy love').map((s) => s.id)).toEqual(['1'.repeat(64)]);
  });
});

describe('sortSongs', () => {
  it('sorts by each key in both directions without touching the input', () => {
    const before = songs.map((s) => s.id);
    expect(sortSongs(songs, 'title', 'asc', compare).map((s) => s.title)).toEqual(['apple', 'Beyoncé Halo', '봄날']);
    expect(sortSongs(songs, 'duration', 'desc', compare).map((s) => s.durationSeconds)).toEqual([274, 260, 100]);
    expect(sortSongs(songs, 'added', 'asc', compare).map((s) => s.addedAt)).toEqual([1, 2, 3]);
    // Same album: track order breaks the tie.
    expect(sortSongs(songs, 'album', 'asc', compare).map((s) => s.title)).toEqual(['apple', 'Beyoncé Halo', '봄날']);
    expect(songs.map((s) => s.id)).toEqual(before);
  });
});
