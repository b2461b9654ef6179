import type { SongRecord } from './song.ts';

export type SortKey = 'title' | 'artist' | 'album' | 'duration' | 'added';
export type SortDirection = 'asc' | 'desc';

/** Lowercased, accent-free text for matching: "Beyoncé" matches "beyonce". Hangul is untouched. */
export function foldForSearch(text: string): string {
  return text.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase();
}

/**
 * Songs whose title, artist, album, genre or file name contain every word of the query
 * (in any order). An empty query keeps everything.
 */
export function filterSongs<T extends SongRecord>(songs: readonly T[], query: string): T[] {
  const words = foldForSearch(query).split(/\s+/).filter(Boolean);
  if (words.length === 0) return songs.slice();
  return songs.filter((song) => {
    const haystack = searchTextOf(song);
    return words.every((w) => haystack.includes(w));
  });
}

/**
 * A song's searched text, folded, kept per record: typing a query re-filters every song on each
 * key, and folding 10,000 songs' text each time was most of the search's main-thread time.
 * Song records are replaced, never changed in place, so a kept text never goes stale.
 */
const searchTexts = new WeakMap<SongRecord, string>();

function searchTextOf(song: SongRecord): string {
  let text = searchTexts.get(song);
  if (text === undefined) {
    text = foldForSearch(`${song.title}\u0000${song.artist}\u0000${song.album}\u0000${song.genre}\u0000${song.relativePath}`);
    searchTexts.set(song, text);
  }
  return text;
}

/**
 * Sorts a copy of `songs`. Text compares with the given collator (pass one built for the UI
 * language so Korean and English titles sort naturally); ties fall back to album order, then
 * id, so the order is stable and deterministic.
 */
export function sortSongs<T extends SongRecord>(
  songs: readonly T[],
  key: SortKey,
  direction: SortDirection,
  compareText: (a: string, b: string) => number,
): T[] {
  const sign = direction === 'asc' ? 1 : -1;
  const byAlbumOrder = (a: T, b: T): number =>
    compareText(a.album, b.album) ||
    (a.trackNumber ?? Number.MAX_SAFE_INTEGER) - (b.trackNumber ?? Number.MAX_SAFE_INTEGER) ||
    compareText(a.title, b.title);
  const primary = (a: T, b: T): number => {
    switch (key) {
      case 'title':
        return compareText(a.title, b.title);
      case 'artist':
        return compareText(a.artist, b.artist);
      case 'album':
        return compareText(a.album, b.album);
      case 'duration':
        return a.durationSeconds - b.durationSeconds;
      case 'added':
        return a.addedAt - b.addedAt;
    }
  };
  return songs
    .slice()
    .sort((a, b) => sign * primary(a, b) || byAlbumOrder(a, b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
