import type { SongId } from '../core/library/song.ts';
import { library } from '../state/app-state.ts';

/** Thumbnail object URLs kept while scrolling; the oldest are revoked past this many. */
const MAX_ENTRIES = 400;
const cache = new Map<SongId, Promise<string | null>>();

/** Object URL of a song's list thumbnail (or its full cover), or null when it has none. */
export function thumbnailUrl(id: SongId): Promise<string | null> {
  const hit = cache.get(id);
  if (hit) {
    // Refresh its place in the insertion order (LRU).
    cache.delete(id);
    cache.set(id, hit);
    return hit;
  }
  const url = library.getArtwork(id).then((art) => {
    const blob = art?.thumb ?? art?.full;
    return blob ? URL.createObjectURL(blob) : null;
  });
  cache.set(id, url);
  while (cache.size > MAX_ENTRIES) {
    const [oldestId, oldest] = cache.entries().next().value as [SongId, Promise<string | null>];
    cache.delete(oldestId);
    void oldest.then((u) => u && URL.revokeObjectURL(u));
  }
  return url;
}
