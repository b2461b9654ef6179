import type { SongRecord } from '../library/song.ts';

/** A song as a playlist file needs it. */
export interface PlaylistSong {
  id: string;
  title: string;
  artist: string;
  fileName: string;
  relativePath: string;
  durationSeconds: number;
  valence: number | null;
  arousal: number | null;
  /** Plain-language reason it was chosen, in the UI language. */
  reason: string;
}

/** A playlist entry as the export needs it: which song, and where it sits on the plane. */
export interface PlaylistPlace {
  id: string;
  valence: number | null;
  arousal: number | null;
}

/** The song fields a playlist file carries. */
export type PlaylistSongText = Pick<SongRecord, 'title' | 'artist' | 'fileName' | 'relativePath' | 'durationSeconds'>;

/**
 * The playlist joined with the library, ready to export: each entry with its song's text and
 * path (blank for a song no longer in the library) and `reason`'s words for why it was chosen.
 */
export function playlistSongs<E extends PlaylistPlace>(
  entries: readonly E[],
  songs: ReadonlyMap<string, PlaylistSongText>,
  reason: (entry: E) => string,
): PlaylistSong[] {
  return entries.map((e) => {
    const s = songs.get(e.id);
    return {
      id: e.id,
      title: s?.title ?? '',
      artist: s?.artist ?? '',
      fileName: s?.fileName ?? '',
      relativePath: s?.relativePath ?? '',
      durationSeconds: s?.durationSeconds ?? 0,
      valence: e.valence,
      arousal: e.arousal,
      reason: reason(e),
    };
  });
}

const clean = (text: string): string => text.replace(/[\r\n]+/g, ' ').trim();

/**
 * An extended M3U playlist (UTF-8, `.m3u8`), with each song's path as it was imported, so a
 * player next to the original files finds them.
 */
export function toM3U8(songs: readonly PlaylistSong[], name: string): string {
  const lines = ['#EXTM3U', `#PLAYLIST:${clean(name)}`];
  for (const s of songs) {
    const label = s.artist ? `${clean(s.artist)} - ${clean(s.title)}` : clean(s.title);
    lines.push(`#EXTINF:${Math.round(s.durationSeconds)},${label}`, clean(s.relativePath || s.fileName));
  }
  return `${lines.join('\n')}\n`;
}

/** The playlist as JSON: songs, where they sit, why they were chosen, and the journey's ends. */
export function toPlaylistJson(
  songs: readonly PlaylistSong[],
  meta: { name: string; mode: string; from: { valence: number; arousal: number } | null; to: { valence: number; arousal: number } | null; createdAt: Date },
): string {
  return JSON.stringify(
    {
      format: 'norae-playlist',
      version: 1,
      name: meta.name,
      mode: meta.mode,
      createdAt: meta.createdAt.toISOString(),
      from: meta.from,
      to: meta.to,
      songs: songs.map((s) => ({
        id: s.id,
        title: s.title,
        artist: s.artist,
        fileName: s.fileName,
        relativePath: s.relativePath,
        durationSeconds: s.durationSeconds,
        valence: s.valence,
        arousal: s.arousal,
        reason: s.reason,
      })),
    },
    null,
    2,
  );
}
