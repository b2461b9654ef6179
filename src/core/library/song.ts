import type { AudioFormatId } from './audio-format.ts';

/**
 * A song's identity: the lowercase hex SHA-256 of its file's bytes, so the same file dropped
 * twice (or renamed) is one song, and an exported library can be matched to files again.
 */
export type SongId = string;

/** What the library knows about one song. Audio and artwork live in their own stores. */
export interface SongRecord {
  id: SongId;
  /** The file's name as imported (used for M3U export and as a title fallback). */
  fileName: string;
  /** Path inside a dropped folder, e.g. `Album/01 Song.mp3`; equals `fileName` for single files. */
  relativePath: string;
  format: AudioFormatId;
  mimeType: string;
  sizeBytes: number;
  title: string;
  artist: string;
  album: string;
  trackNumber: number | null;
  year: number | null;
  genre: string;
  /** Decoded duration; more trustworthy than the tag's. */
  durationSeconds: number;
  sampleRateHz: number | null;
  channelCount: number | null;
  hasArtwork: boolean;
  /** Epoch milliseconds. */
  addedAt: number;
  /** Set when only part of the file could be decoded (a truncated download, say). */
  warning: ImportWarning | null;
  /** False for a song known from an imported metadata file whose audio is not stored yet. */
  hasAudio: boolean;
}

export type ImportWarning = { code: 'truncated'; decodedSeconds: number; expectedSeconds: number };

/** Why a file could not be added; each maps to one specific, translated message. */
export type ImportErrorCode =
  | 'empty'
  | 'too-large'
  | 'not-audio'
  | 'unsupported-format'
  | 'corrupt'
  | 'too-short'
  | 'duplicate'
  | 'quota'
  | 'read-failed'
  | 'storage-failed';

export interface ImportError {
  code: ImportErrorCode;
  /** What the file turned out to be (`png`, `wma`, …) for `not-audio` / `unsupported-format`. */
  detected?: string;
  /** Title of the song already stored, for `duplicate`. */
  existingTitle?: string;
  /** Underlying error text, for logs and the details disclosure. */
  detail?: string;
  /** The file's size and the largest Norae imports, for `too-large`. */
  sizeBytes?: number;
  limitBytes?: number;
}

/** Tags as read from the file; every field may be missing. */
export interface SongTags {
  title?: string;
  artist?: string;
  album?: string;
  trackNumber?: number;
  year?: number;
  genre?: string;
  /** Duration the container claims (Xing header, stream info); may be absent or wrong. */
  durationSeconds?: number;
  /** Native stream format, as the container describes it. */
  sampleRateHz?: number;
  channelCount?: number;
  /** Codec name as the container reports it (`MPEG 1 Layer 3`, `AAC`, `ALAC`, …). */
  codec?: string;
}

const EXTENSION = /\.[a-z0-9]{1,5}$/i;
const TRACK_PREFIX = /^\s*(?:\d{1,3}(?:[.\s_-]+))(?=\D)/;

/**
 * Title and artist guessed from a file name, for files without tags:
 * `03 - Artist - Title.mp3` → { artist: 'Artist', title: 'Title' }, `my_song.flac` → { title: 'my song' }.
 */
export function tagsFromFileName(fileName: string): { title: string; artist?: string; trackNumber?: number } {
  let base = fileName.replace(EXTENSION, '');
  let trackNumber: number | undefined;
  const track = TRACK_PREFIX.exec(base);
  if (track) {
    trackNumber = Number.parseInt(track[0], 10);
    base = base.slice(track[0].length);
  }
  base = base.replace(/_/g, ' ').replace(/\s+/g, ' ').trim();
  const parts = base.split(/\s+-\s+/);
  if (parts.length >= 2 && parts[0] && parts.slice(1).join(' - ')) {
    return { artist: parts[0], title: parts.slice(1).join(' - '), trackNumber };
  }
  return { title: base || fileName, trackNumber };
}

function clean(value: string | undefined): string {
  // ID3v2.3 pads text with NULs; they would show as boxes.
  return (value ?? '').split('\u0000').join('').trim();
}

/** Merges tags with the file-name fallback: tags win where present and non-blank. */
export function resolveSongText(tags: SongTags, fileName: string): {
  title: string;
  artist: string;
  album: string;
  trackNumber: number | null;
  year: number | null;
  genre: string;
} {
  const fromName = tagsFromFileName(fileName);
  const title = clean(tags.title) || fromName.title;
  const artist = clean(tags.artist) || clean(fromName.artist);
  const trackNumber = tags.trackNumber ?? fromName.trackNumber ?? null;
  const year = tags.year && Number.isFinite(tags.year) ? tags.year : null;
  return { title, artist, album: clean(tags.album), trackNumber, year, genre: clean(tags.genre) };
}

/**
 * Decides whether a decoded stream is shorter than its container claims, i.e. the file was cut
 * off. Small differences (encoder padding, VBR estimates) are normal, so only a loss of more
 * than 5 % and over a second counts.
 */
export function truncationWarning(
  decodedSeconds: number,
  claimedSeconds: number | undefined,
): ImportWarning | null {
  if (!claimedSeconds || !Number.isFinite(claimedSeconds) || claimedSeconds <= 0) return null;
  const missingSeconds = claimedSeconds - decodedSeconds;
  if (missingSeconds > 1 && missingSeconds / claimedSeconds > 0.05) {
    return { code: 'truncated', decodedSeconds, expectedSeconds: claimedSeconds };
  }
  return null;
}

/** Shortest audio worth keeping as a song. */
export const MIN_SONG_SECONDS = 0.05;

/** Lowercase hex of a digest. */
export function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/** A valid song id: 64 lowercase hex digits. */
export function isSongId(value: unknown): value is SongId {
  return typeof value === 'string' && /^[0-9a-f]{64}$/.test(value);
}
