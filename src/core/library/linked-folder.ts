import type { SongId } from './song.ts';

/**
 * A file as a folder walk sees it: its path inside the linked folder and the two facts the
 * file system gives without reading it.
 */
export interface ScannedFile {
  /** `Album/01 Song.mp3`, '/'-separated, relative to the linked folder. */
  relativePath: string;
  sizeBytes: number;
  /** The file's modification time, epoch milliseconds. */
  lastModifiedMs: number;
}

/** Where a linked song's file is: stored per song, so a rescan can tell what changed. */
export interface LinkRecord extends ScannedFile {
  /** The song (SHA-256 of the file's bytes, as for copied songs). */
  id: SongId;
  folderId: string;
  /** The user deleted the song: its file stays in the folder, and rescans do not add it again. */
  ignored?: boolean;
}

/** A file of the folder whose path is new, or whose size or time changed. */
export interface RescanPlan {
  /** Links whose file is still there with the same size and time: nothing to do. */
  unchanged: LinkRecord[];
  /** Files that must be hashed before the plan can be settled (changed in place, or maybe moved). */
  toHash: ScannedFile[];
  /** New paths whose size matches no vanished file: certainly new songs, imported without a separate hash. */
  added: ScannedFile[];
  /** Links whose path is no longer in the folder (moved, renamed or deleted). */
  missing: LinkRecord[];
}

/** What a rescan does once the candidates are hashed. */
export interface RescanOutcome {
  /** Songs whose file moved or was renamed: same bytes, new path (the song, its likes and history stay). */
  moved: { link: LinkRecord; to: ScannedFile }[];
  /** Same path and bytes, only the time (or nothing) changed: the link is refreshed. */
  touched: { link: LinkRecord; to: ScannedFile }[];
  /** Files to import (probe, analyse, store): new songs, or files whose bytes changed. */
  toImport: ScannedFile[];
  /** Songs whose file is gone from the folder. */
  vanished: LinkRecord[];
}

/**
 * First half of a rescan: compares the links stored for a folder with a fresh walk of it, by path,
 * size and time alone (nothing read). A new path whose size equals a missing file's may be that
 * file moved, so it is hashed; so is a file whose size or time changed in place.
 */
export function planRescan(previous: readonly LinkRecord[], scanned: readonly ScannedFile[]): RescanPlan {
  const byPath = new Map(previous.map((link) => [link.relativePath, link]));
  const seen = new Set<string>();
  const unchanged: LinkRecord[] = [];
  const changed: ScannedFile[] = [];
  const fresh: ScannedFile[] = [];
  for (const file of scanned) {
    seen.add(file.relativePath);
    const link = byPath.get(file.relativePath);
    if (!link) fresh.push(file);
    else if (link.sizeBytes === file.sizeBytes && link.lastModifiedMs === file.lastModifiedMs) unchanged.push(link);
    else changed.push(file);
  }
  const missing = previous.filter((link) => !seen.has(link.relativePath));
  const missingSizes = new Set(missing.map((link) => link.sizeBytes));
  const toHash = [...changed];
  const added: ScannedFile[] = [];
  for (const file of fresh) (missingSizes.has(file.sizeBytes) ? toHash : added).push(file);
  return { unchanged, toHash, added, missing };
}

/**
 * Second half: with the hashes of `plan.toHash` (path → song id), decides which songs moved,
 * which files only had their time touched, what to import and which songs vanished. A missing
 * song whose bytes turn up at a new path moved; one whose bytes turn up nowhere vanished.
 */
export function settleRescan(plan: RescanPlan, previous: readonly LinkRecord[], hashes: ReadonlyMap<string, SongId>): RescanOutcome {
  const byPath = new Map(previous.map((link) => [link.relativePath, link]));
  const missingById = new Map<SongId, LinkRecord>();
  for (const link of plan.missing) missingById.set(link.id, link);
  const moved: RescanOutcome['moved'] = [];
  const touched: RescanOutcome['touched'] = [];
  const toImport: ScannedFile[] = [...plan.added];
  for (const file of plan.toHash) {
    const id = hashes.get(file.relativePath);
    const here = byPath.get(file.relativePath);
    if (id === undefined) toImport.push(file);
    else if (here && here.id === id) touched.push({ link: here, to: file });
    else if (missingById.has(id)) {
      moved.push({ link: missingById.get(id) as LinkRecord, to: file });
      missingById.delete(id);
    } else toImport.push(file);
  }
  const vanished = plan.missing.filter((link) => missingById.get(link.id) === link);
  // A file that changed in place is a new song; the old one's file is gone.
  for (const file of plan.toHash) {
    const here = byPath.get(file.relativePath);
    if (here && hashes.get(file.relativePath) !== here.id) vanished.push(here);
  }
  return { moved, touched, toImport, vanished };
}

/** A linked folder's import, as kept in IndexedDB so it can be paused and resumed after a reload. */
export interface LinkQueue {
  folderId: string;
  /** Paths still to import, in order. */
  pending: string[];
  /** How many songs this import has finished (added or failed) so far, across reloads. */
  done: number;
  /** Epoch ms the import was started. */
  startedAt: number;
  paused: boolean;
}

/**
 * Time left, from the pace of this run: the seconds the songs done so far took each, times the
 * songs left. Null until a song is done (no pace yet).
 */
export function secondsLeft(doneThisRun: number, elapsedMs: number, left: number): number | null {
  if (doneThisRun <= 0 || elapsedMs <= 0) return null;
  return Math.round((elapsedMs / 1000 / doneThisRun) * left);
}
