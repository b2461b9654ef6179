import type { AffectPoint, MoodId } from '../emotion/circumplex.ts';
import { pointInPolygon } from '../emotion/plane.ts';
import type { SongAnalysis } from './analysis.ts';
import { filterSongs, sortSongs, type SortDirection, type SortKey } from './query.ts';
import type { SongId, SongRecord } from './song.ts';

/** An analysed song as a dot on the valence–arousal plane. */
export interface SongPoint {
  id: SongId;
  valence: number;
  arousal: number;
  mood: MoodId;
}

/** Every song with an emotion as a dot on the plane, in library order; songs not (yet) analysed have none. */
export function songPoints(songs: readonly SongRecord[], analyses: ReadonlyMap<SongId, SongAnalysis>): SongPoint[] {
  const points: SongPoint[] = [];
  for (const song of songs) {
    const emotion = analyses.get(song.id)?.emotion;
    if (emotion) points.push({ id: song.id, valence: emotion.valence, arousal: emotion.arousal, mood: emotion.mood });
  }
  return points;
}

/** How many dots each mood has; a mood with none is absent. */
export function moodCounts(points: readonly SongPoint[]): Partial<Record<MoodId, number>> {
  const counts: Partial<Record<MoodId, number>> = {};
  for (const p of points) counts[p.mood] = (counts[p.mood] ?? 0) + 1;
  return counts;
}

/** The plane's filters: one mood, a region drawn on the plane, or both. */
export interface EmotionFilter {
  mood: MoodId | null;
  region: readonly AffectPoint[] | null;
}

/** Ids of the songs that pass the plane's filters; null when neither is set (every song passes). */
export function emotionMatches(points: readonly SongPoint[], { mood, region }: EmotionFilter): Set<SongId> | null {
  if (!mood && !region) return null;
  return new Set(points.filter((p) => (!mood || p.mood === mood) && (!region || pointInPolygon(p, region))).map((p) => p.id));
}

/** The list's search text and order. */
export interface SongListQuery {
  text: string;
  sortKey: SortKey;
  sortDirection: SortDirection;
}

/**
 * The songs the list shows, in order: those passing the plane's filters (`matches`, null for all)
 * and the search text. `compareText` is a collator for the UI language.
 */
export function visibleSongs(
  songs: readonly SongRecord[],
  matches: ReadonlySet<SongId> | null,
  query: SongListQuery,
  compareText: (a: string, b: string) => number,
): SongRecord[] {
  const candidates = matches ? songs.filter((s) => matches.has(s.id)) : songs;
  return sortSongs(filterSongs(candidates, query.text), query.sortKey, query.sortDirection, compareText);
}

/**
 * The dots to emphasise on the plane: the songs the list shows, when a search or a plane filter
 * narrows it; null (none faded) when nothing does.
 */
export function highlightedIds(visible: readonly SongRecord[], searchText: string, matches: ReadonlySet<SongId> | null): Set<SongId> | null {
  return searchText || matches ? new Set(visible.map((s) => s.id)) : null;
}

/** Import rows as the list shows them: problems first (they need attention), then work in progress. */
export function rowsForList<R extends { status: string }>(rows: Iterable<R>): R[] {
  const all = [...rows];
  return [...all.filter((r) => r.status === 'error'), ...all.filter((r) => r.status !== 'error')];
}

/** How many import rows are problems waiting to be read. */
export function problemCount(rows: Iterable<{ status: string }>): number {
  let count = 0;
  for (const row of rows) if (row.status === 'error') count++;
  return count;
}

/** Playing from a song in the list plays the listed songs that have audio, starting at that song. */
export function queueFrom(visible: readonly SongRecord[], song: SongRecord): { ids: SongId[]; index: number } {
  const ids = visible.filter((s) => s.hasAudio).map((s) => s.id);
  return { ids, index: Math.max(0, ids.indexOf(song.id)) };
}

/** How long the whole library plays, in seconds. */
export function totalSeconds(songs: readonly SongRecord[]): number {
  return songs.reduce((sum, s) => sum + s.durationSeconds, 0);
}
