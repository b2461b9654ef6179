import { canLinkFolders, pickFolder, queryFolderPermission, requestFolderPermission, type FolderPermission } from '../adapters/files/folder-access.ts';
import { fileInFolder } from '../adapters/files/folder-walk.ts';
import type { ScannedFile } from '../core/library/linked-folder.ts';
import { openLibraryDb, type LibraryDb, type OpenLibraryOptions } from '../adapters/storage/library-db.ts';
import { readStorageEstimate, requestPersistentStorage, type StorageEstimateBytes } from '../adapters/storage/storage-estimate.ts';
import type { ProbeReply } from '../workers/library-worker.ts';
import { createLibraryPool, type LibraryPool } from '../workers/library-client.ts';
import type { AnalyseOutcome } from '../workers/song-analysis-client.ts';
import { analyseSong } from './analyse-song.ts';

/** What the database tells the library about other tabs and the browser. */
export type LibraryDbEvents = Required<Pick<OpenLibraryOptions, 'onBlocked' | 'onVersionChange' | 'onTerminated'>>;

/** How an analysis is stopped and how it reports its progress (a fraction in [0, 1]). */
export interface AnalyseOptions {
  signal: AbortSignal;
  onProgress?: (fraction: number) => void;
  /** The length the tags claim, s, when known (plans the excerpts of formats read as one stream). */
  durationHintSeconds?: number;
}

/**
 * Everything LibraryState reaches outside itself: the database, the workers that probe and
 * analyse files, the browser's storage figures and the clock. The app passes
 * browserLibraryDeps(); unit tests pass fakes.
 */
export interface LibraryDeps {
  openDb(events: LibraryDbEvents): Promise<LibraryDb>;
  /**
   * Reads a file once, off the page: its type, hash, tags and cover, and a copy of its bytes to
   * store (none with `keepCopy: false`: a linked song plays from its file).
   */
  probe(file: Blob, signal: AbortSignal, options?: { keepCopy: boolean }): Promise<ProbeReply>;
  /** Decodes and analyses audio; throws UndecodableError when nothing can decode it. */
  analyse(blob: Blob, formatHint: string, options: AnalyseOptions): Promise<AnalyseOutcome>;
  /** How many files or songs are worked on at once. */
  readonly concurrency: number;
  readStorageEstimate(): Promise<StorageEstimateBytes | null>;
  /** The folder-linking side of the browser (File System Access API); null where it is missing. */
  readonly folders: FolderDeps | null;
  /** Asks the browser not to evict the library under storage pressure. */
  requestPersistentStorage(): Promise<boolean>;
  now(): number;
}

/** What linking a folder needs from the browser and the workers. */
export interface FolderDeps {
  /** Opens the folder picker (in a click handler); null when the user closed it. */
  pick(): Promise<FileSystemDirectoryHandle | null>;
  queryPermission(root: FileSystemDirectoryHandle): Promise<FolderPermission>;
  /** Asks the user (in a click handler). */
  requestPermission(root: FileSystemDirectoryHandle): Promise<FolderPermission>;
  /** Walks the folder in a worker: every file that may be a song, with its size and time. */
  scan(root: FileSystemDirectoryHandle, signal: AbortSignal): Promise<ScannedFile[]>;
  /** The song id (SHA-256 of the bytes) of a file, hashed in a worker. */
  hash(file: Blob, signal: AbortSignal): Promise<string>;
  /** The file at a path inside the folder; throws NotFoundError when it is gone. */
  file(root: FileSystemDirectoryHandle, relativePath: string): Promise<File>;
}

/** The real dependencies: IndexedDB, the library's worker pool (started on first use), the browser's storage APIs. */
export function browserLibraryDeps(): LibraryDeps {
  let pool: LibraryPool | null = null;
  const workers = (): LibraryPool => (pool ??= createLibraryPool());
  return {
    openDb: (events) => openLibraryDb(events),
    probe: (file, signal, options) => workers().run('probe', { file, keepCopy: options?.keepCopy }, { signal }),
    analyse: (blob, formatHint, options) => analyseSong(workers(), blob, formatHint, options),
    get concurrency() {
      return workers().size;
    },
    readStorageEstimate,
    requestPersistentStorage,
    folders: canLinkFolders()
      ? {
          pick: pickFolder,
          queryPermission: queryFolderPermission,
          requestPermission: requestFolderPermission,
          scan: (root, signal) => workers().run('scanFolder', { root }, { signal }),
          hash: (file, signal) => workers().run('hashFile', { file }, { signal }),
          file: fileInFolder,
        }
      : null,
    now: () => Date.now(),
  };
}
