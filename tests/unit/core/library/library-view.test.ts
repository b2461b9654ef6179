import { describe, expect, it } from 'vitest';
import type { MoodId } from '../../../../src/core/emotion/circumplex.ts';
import type { SongAnalysis } from '../../../../src/core/library/analysis.ts';
import {
  emotionMatches,
  highlightedIds,
  moodCounts,
  problemCount,
  queueFrom,
  rowsForList,
  songPoints,
  totalSeconds,
  visibleSongs,
} from '../../../../src/core/library/library-view.ts';
import type { SongId } from '../../../../src/core/library/song.ts';
import { songRecord } from './song-fixture.ts';

const id = (n: number): SongId => String(n).repeat(64);
const compare = new Intl.Collator('en', { numeric: true, sensitivity: 'base' }).compare;

const songs = [
  songRecord({ id: id(1), title: 'Sunny', artist: 'Bright', durationSeconds: 200, addedAt: 1 }),
  songRecord({ id: id(2), title: 'Rain', artist: 'Grey', durationSeconds: 100, addedAt: 2 }),
  songRecord({ id: id(3), title: 'Storm', artist: 'Grey', durationSeconds: 50, addedAt: 3, hasAudio: false }),
  songRecord({ id: id(4), title: 'Not analysed', artist: 'Bright', durationSeconds: 10, addedAt: 4 }),
];

function analysed(songId: SongId, valence: number, arousal: number, mood: MoodId): SongAnalysis {
  return {
    id: songId,
    analyserVersion: 'v',
    analysedAt: 0,
    status: 'ok',
    features: {},
    emotion: { valence, arousal, mood, intensity: 1, contributions: { valence: [], arousal: [] } },
    bpm: null,
    error: null,
  };
}

const failed: SongAnalysis = { ...analysed(id(4), 0, 0, 'pleasure'), status: 'error', emotion: null, error: { code: 'failed' } };
const analyses = new Map([
  [id(1), analysed(id(1), 0.8, 0.3, 'pleasure')],
  [id(2), analysed(id(2), -0.6, -0.4, 'misery')],
  [id(3), analysed(id(3), -0.5, 0.7, 'distress')],
  [id(4), failed],
]);
const points = songPoints(songs, analyses);
/** A square around the plane's unpleasant half. */
const unpleasant = [
  { valence: -1, arousal: -1 },
  { valence: 0, arousal: -1 },
  { valence: 0, arousal: 1 },
  { valence: -1, arousal: 1 },
];

describe('the library view', () => {
  it('plots every song with an emotion, in library order, and counts each mood', () => {
    expect(points).toEqual([
      { id: id(1), valence: 0.8, arousal: 0.3, mood: 'pleasure' },
      { id: id(2), valence: -0.6, arousal: -0.4, mood: 'misery' },
      { id: id(3), valence: -0.5, arousal: 0.7, mood: 'distress' },
    ]);
    expect(moodCounts([...points, points[0]])).toEqual({ pleasure: 2, misery: 1, distress: 1 });
    expect(moodCounts([])).toEqual({});
  });

  it('filters by mood, by region, and by both; no filter is null (every song passes)', () => {
    expect(emotionMatches(points, { mood: null, region: null })).toBeNull();
    expect(emotionMatches(points, { mood: 'misery', region: null })).toEqual(new Set([id(2)]));
    expect(emotionMatches(points, { mood: null, region: unpleasant })).toEqual(new Set([id(2), id(3)]));
    expect(emotionMatches(points, { mood: 'pleasure', region: unpleasant })).toEqual(new Set());
  });

  it('lists the songs passing the filters and the search, sorted', () => {
    const query = { text: '', sortKey: 'added', sortDirection: 'desc' } as const;
    expect(visibleSongs(songs, null, query, compare).map((s) => s.title)).toEqual(['Not analysed', 'Storm', 'Rain', 'Sunny']);
    const grey = visibleSongs(songs, null, { ...query, text: 'grey', sortKey: 'title', sortDirection: 'asc' }, compare);
    expect(grey.map((s) => s.title)).toEqual(['Rain', 'Storm']);
    const matches = emotionMatches(points, { mood: null, region: unpleasant });
    expect(visibleSongs(songs, matches, { ...query, text: 'storm' }, compare).map((s) => s.title)).toEqual(['Storm']);
  });

  it('emphasises on the plane what the list shows, only when something narrows it', () => {
    expect(highlightedIds(songs, '', null)).toBeNull();
    expect(highlightedIds([songs[1]], 'rain', null)).toEqual(new Set([id(2)]));
    expect(highlightedIds([], '', new Set([id(3)]))).toEqual(new Set());
  });

  it('shows problem rows first, then work in progress, and counts the problems', () => {
    const rows = [
      { key: 'a', status: 'analysing' },
      { key: 'b', status: 'error' },
      { key: 'c', status: 'queued' },
      { key: 'd', status: 'error' },
    ];
    expect(rowsForList(rows).map((r) => r.key)).toEqual(['b', 'd', 'a', 'c']);
    expect(problemCount(rows)).toBe(2);
    expect(problemCount([])).toBe(0);
  });

  it('plays from a song through the listed songs that have audio', () => {
    const listed = [songs[2], songs[1], songs[0]];
    expect(queueFrom(listed, songs[0])).toEqual({ ids: [id(2), id(1)], index: 1 });
    // A song without audio starts the queue at its beginning.
    expect(queueFrom(listed, songs[2])).toEqual({ ids: [id(2), id(1)], index: 0 });
  });

  it('sums the library’s playing time', () => {
    expect(totalSeconds(songs)).toBe(360);
    expect(totalSeconds([])).toBe(0);
  });
});
