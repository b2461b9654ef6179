import { AUDIO_FORMAT_IDS, type AudioFormatId } from './audio-format.ts';
import { isSongId, type SongRecord } from './song.ts';

/** Identifies a Norae library export; bump `LIBRARY_FILE_VERSION` when the shape changes. */
export const LIBRARY_FILE_FORMAT = 'norae-library';
export const LIBRARY_FILE_VERSION = 1;

/** The metadata of one song as exported: everything but the audio and artwork bytes. */
export type ExportedSong = Omit<SongRecord, 'hasAudio' | 'hasArtwork' | 'warning'>;

export interface LibraryFile {
  format: typeof LIBRARY_FILE_FORMAT;
  version: number;
  /** ISO 8601. */
  exportedAt: string;
  songs: ExportedSong[];
}

/** Builds the export document for the given songs (audio is never included). */
export function toLibraryFile(songs: readonly SongRecord[], now: Date): LibraryFile {
  return {
    format: LIBRARY_FILE_FORMAT,
    version: LIBRARY_FILE_VERSION,
    exportedAt: now.toISOString(),
    songs: songs.map((s) => ({
      id: s.id,
      fileName: s.fileName,
      relativePath: s.relativePath,
      format: s.format,
      mimeType: s.mimeType,
      sizeBytes: s.sizeBytes,
      title: s.title,
      artist: s.artist,
      album: s.album,
      trackNumber: s.trackNumber,
      year: s.year,
      genre: s.genre,
      durationSeconds: s.durationSeconds,
      sampleRateHz: s.sampleRateHz,
      channelCount: s.channelCount,
      addedAt: s.addedAt,
    })),
  };
}

/**
 * The largest library file read: an export of 10,000 songs is about 5 MB, so this leaves room
 * for any real library while a wrong multi-gigabyte pick is refused before it is read.
 */
export const MAX_LIBRARY_FILE_BYTES = 25_000_000;

/** Songs read from one file at most (the 25 MB cap holds about 50,000). */
export const MAX_LIBRARY_FILE_SONGS = 100_000;

export type LibraryFileProblem =
  | { code: 'too-large'; sizeBytes: number; limitBytes: number }
  | { code: 'not-json' }
  | { code: 'wrong-format' }
  | { code: 'newer-version'; version: number };

export type ParsedLibraryFile =
  | { ok: true; songs: ExportedSong[]; skipped: number }
  | { ok: false; problem: LibraryFileProblem };

const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const num = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
const intOrNull = (v: unknown): number | null => (typeof v === 'number' && Number.isInteger(v) ? v : null);

function parseSong(raw: unknown): ExportedSong | null {
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  if (!isSongId(r.id)) return null;
  const fileName = str(r.fileName);
  const title = str(r.title) || fileName;
  if (!title) return null;
  const format = AUDIO_FORMAT_IDS.includes(r.format as AudioFormatId) ? (r.format as AudioFormatId) : 'mp3';
  return {
    id: r.id,
    fileName,
    relativePath: str(r.relativePath, fileName),
    format,
    mimeType: str(r.mimeType, 'audio/mpeg'),
    sizeBytes: Math.max(0, num(r.sizeBytes, 0)),
    title,
    artist: str(r.artist),
    album: str(r.album),
    trackNumber: intOrNull(r.trackNumber),
    year: intOrNull(r.year),
    genre: str(r.genre),
    durationSeconds: Math.max(0, num(r.durationSeconds, 0)),
    sampleRateHz: intOrNull(r.sampleRateHz),
    channelCount: intOrNull(r.channelCount),
    addedAt: num(r.addedAt, 0),
  };
}

/**
 * Reads an exported library. Malformed song entries are skipped and counted rather than
 * failing the whole file; a file from a newer Norae is refused so nothing is misread.
 */
export function parseLibraryFile(text: string): ParsedLibraryFile {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return { ok: false, problem: { code: 'not-json' } };
  }
  if (typeof doc !== 'object' || doc === null) return { ok: false, problem: { code: 'wrong-format' } };
  const d = doc as Record<string, unknown>;
  if (d.format !== LIBRARY_FILE_FORMAT || !Array.isArray(d.songs)) {
    return { ok: false, problem: { code: 'wrong-format' } };
  }
  const version = num(d.version, 0);
  if (version > LIBRARY_FILE_VERSION) return { ok: false, problem: { code: 'newer-version', version } };
  const songs: ExportedSong[] = [];
  let skipped = 0;
  const seen = new Set<string>();
  skipped += Math.max(0, d.songs.length - MAX_LIBRARY_FILE_SONGS);
  for (const raw of d.songs.slice(0, MAX_LIBRARY_FILE_SONGS)) {
    const song = parseSong(raw);
    if (!song || seen.has(song.id)) {
      skipped++;
      continue;
    }
    seen.add(song.id);
    songs.push(song);
  }
  return { ok: true, songs, skipped };
}

/** The text a library file can change on a song already here. */
export const MERGEABLE_FIELDS = ['title', 'artist', 'album', 'trackNumber', 'year', 'genre'] as const;
export type MergeableField = (typeof MERGEABLE_FIELDS)[number];
export type SongText = Pick<SongRecord, MergeableField>;

/** What merging a library file would do, shown to the user before anything is written. */
export interface LibraryMergePlan {
  /** Songs not on this device: listed without audio until their files are added. */
  additions: ExportedSong[];
  /** Songs here whose text the file would change, with both versions. */
  changes: { id: string; before: SongText; after: SongText }[];
  /** Songs here that the file describes exactly as they are. */
  unchanged: number;
  /** Malformed or duplicate entries the file held. */
  skipped: number;
}

const textOf = (song: SongText): SongText =>
  Object.fromEntries(MERGEABLE_FIELDS.map((field) => [field, song[field]])) as unknown as SongText;

/** Compares a parsed library file with the songs here: nothing is changed without the user's say. */
export function planLibraryMerge(current: ReadonlyMap<string, SongRecord>, incoming: readonly ExportedSong[], skipped: number): LibraryMergePlan {
  const plan: LibraryMergePlan = { additions: [], changes: [], unchanged: 0, skipped };
  for (const song of incoming) {
    const here = current.get(song.id);
    if (!here) plan.additions.push(song);
    else if (MERGEABLE_FIELDS.some((field) => here[field] !== song[field])) plan.changes.push({ id: song.id, before: textOf(here), after: textOf(song) });
    else plan.unchanged++;
  }
  return plan;
}
