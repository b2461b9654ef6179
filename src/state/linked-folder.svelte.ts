import type { SongAnalysis } from '../core/library/analysis.ts';
import { importFiles, type ImportItemUpdate, type ImportSource } from '../core/library/import-pipeline.ts';
import { planRescan, secondsLeft, settleRescan, type LinkRecord, type RescanOutcome, type ScannedFile } from '../core/library/linked-folder.ts';
import type { SongId, SongRecord } from '../core/library/song.ts';
import type { FolderPermission } from '../adapters/files/folder-access.ts';
import type { FolderRecord, LibraryDb } from '../adapters/storage/library-db.ts';
import type { FolderDeps, LibraryDeps } from './library-deps.ts';
import { linkedImportSteps, type LinkedProbe } from './library-import.ts';

/** The one folder id: Norae links one music folder (linking another replaces it). */
const FOLDER_ID = 'music';

/** A linked folder's import as the UI shows it. */
export interface LinkedImportProgress {
  /** Songs this import has finished (added, already here, or failed). */
  done: number;
  left: number;
  failed: number;
  /** Estimated from this run's pace; null until a song is done. */
  secondsLeft: number | null;
  paused: boolean;
}

/** What the last rescan found, for its one-line summary. */
export interface RescanSummary {
  queued: number;
  moved: number;
  /** Titles of the songs whose file is gone (removed from the library). */
  vanished: string[];
}

/** Why linking or reading the folder failed, as the UI explains it. */
export type FolderProblem = 'denied' | 'scan-failed' | 'file-missing' | 'storage-failed';

/** What LinkedFolderState needs of the library: its database, its songs and how to add and remove them. */
export interface LibraryForFolder {
  readonly db: LibraryDb;
  readonly songs: readonly SongRecord[];
  /** `now`: shown at once rather than with the next batch. */
  acceptSongs(songs: readonly SongRecord[], analyses: readonly SongAnalysis[], now?: boolean): void;
  deleteSongs(ids: readonly SongId[], options: { fileGone: boolean }): Promise<void>;
  showImportFailure(key: string, relativePath: string, update: Extract<ImportItemUpdate, { status: 'error' }>): void;
}

/**
 * A music folder linked in place (Chromium's File System Access API): its handle and where each
 * song's file is live in IndexedDB; the songs play from the files. A rescan finds new, changed,
 * moved and vanished files; the import of new ones runs in the library's workers, can be paused,
 * resumes after a reload (the queue is in IndexedDB) and, cancelled, keeps the songs it finished.
 */
export class LinkedFolderState {
  /** False where the browser cannot link folders (Firefox, Safari): copying is offered instead. */
  readonly supported: boolean;
  folder = $state.raw<FolderRecord | null>(null);
  /** Whether the folder can be read now; `prompt` waits for one tap (allow()). */
  permission = $state<FolderPermission | null>(null);
  scanning = $state(false);
  progress = $state<LinkedImportProgress | null>(null);
  lastRescan = $state.raw<RescanSummary | null>(null);
  problem = $state<{ code: FolderProblem; detail: string } | null>(null);
  /** The folder last unlinked and how many songs left with it (said until another is linked). */
  unlinked = $state<{ name: string; songs: number } | null>(null);

  readonly #deps: LibraryDeps;
  readonly #library: LibraryForFolder;
  #links = new Map<SongId, LinkRecord>();
  #controller: AbortController | null = null;
  /** The run the user stopped: its last updates no longer move the progress. */
  #cancelled: AbortController | null = null;
  /** Settles when the last import run has stopped storing songs (unlink and cancel wait for it). */
  #settled: Promise<void> = Promise.resolve();

  constructor(library: LibraryForFolder, deps: LibraryDeps) {
    this.#library = library;
    this.#deps = deps;
    this.supported = deps.folders !== null;
  }

  get #fs(): FolderDeps {
    if (!this.#deps.folders) throw new Error('This browser cannot link folders');
    return this.#deps.folders;
  }

  /** True for a song that plays from the linked folder. */
  isLinked(id: SongId): boolean {
    const link = this.#links.get(id);
    return link !== undefined && !link.ignored;
  }

  /** Loads the linked folder, where its songs are and any import left waiting; resumes one that was running. */
  async open(): Promise<void> {
    const db = this.#library.db;
    const [folders, links] = await Promise.all([db.listFolders(), db.listLinks()]);
    this.#links = new Map(links.map((l) => [l.id, l]));
    const folder = folders.find((f) => f.id === FOLDER_ID) ?? null;
    this.folder = folder;
    if (!folder || !this.supported) return;
    this.permission = await this.#fs.queryPermission(folder.handle);
    const queued = await db.listQueue(folder.id);
    // Each visit notices what changed in the folder since (as players that link folders do).
    if (!folder.importState || queued.length === 0) {
      if (this.permission === 'granted' && !folder.stopped) void this.rescan();
      return;
    }
    const { total, paused } = folder.importState;
    this.progress = { done: total - queued.length, left: queued.length, failed: 0, secondsLeft: null, paused: true };
    // An import the tab was closed on carries on by itself once the folder may be read.
    if (!paused && this.permission === 'granted') void this.resume();
  }

  /** Opens the folder picker (call in a click handler), keeps the folder and scans it. */
  async link(): Promise<void> {
    const handle = await this.#fs.pick();
    if (!handle) return;
    this.#controller?.abort();
    const folder: FolderRecord = { id: FOLDER_ID, handle, name: handle.name, linkedAt: this.#deps.now(), importState: null };
    this.unlinked = null;
    await this.#library.db.putFolder(folder);
    this.folder = folder;
    this.permission = 'granted';
    await this.rescan();
  }

  /** Asks again for permission to read the folder (one tap, in a click handler); resumes a waiting import. */
  async allow(): Promise<void> {
    const folder = this.folder;
    if (!folder) return;
    this.permission = await this.#fs.requestPermission(folder.handle);
    if (this.permission !== 'granted') {
      this.problem = { code: 'denied', detail: folder.name };
      return;
    }
    this.problem = null;
    if (this.progress?.paused) await this.resume();
  }

  /**
   * Walks the folder (in a worker) and brings the library up to date: moved songs follow their
   * file, vanished ones are removed, new and changed files are queued and imported.
   */
  async rescan(): Promise<void> {
    const folder = this.folder;
    if (!folder || this.scanning || !(await this.#mayRead(folder))) return;
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.scanning = true;
    this.problem = null;
    let outcome: RescanOutcome;
    try {
      outcome = await this.#diff(folder, controller.signal);
      await this.#applyMoves(outcome);
    } catch (error) {
      if ((error as Error)?.name !== 'AbortError') this.#fail('scan-failed', error);
      return;
    } finally {
      this.scanning = false;
    }
    const titles = new Map(this.#library.songs.map((s) => [s.id, s.title]));
    const vanishedIds = outcome.vanished.map((l) => l.id);
    if (vanishedIds.length > 0) await this.#library.deleteSongs(vanishedIds, { fileGone: true });
    // Songs the user had deleted already are not news.
    const vanishedTitles = outcome.vanished.filter((l) => !l.ignored).map((l) => titles.get(l.id) ?? l.relativePath);
    this.lastRescan = { queued: outcome.toImport.length, moved: outcome.moved.length, vanished: vanishedTitles };
    const state = outcome.toImport.length > 0 ? { total: outcome.toImport.length, paused: false } : null;
    await this.#saveFolder({ ...folder, importState: state, stopped: false }, outcome.toImport);
    if (state) await this.#run(outcome.toImport, 0, controller);
  }

  /** Scans the folder and settles what changed, hashing only files that may have moved or changed. */
  async #diff(folder: FolderRecord, signal: AbortSignal): Promise<RescanOutcome> {
    const previous = [...this.#links.values()].filter((l) => l.folderId === folder.id);
    const scanned = await this.#fs.scan(folder.handle, signal);
    // An empty walk of a folder that had songs is far likelier a drive not mounted than a user
    // who deleted every song: nothing is removed on its word.
    if (scanned.length === 0 && previous.length > 0) throw new Error(`no songs found in “${folder.name}” (is its drive connected?)`);
    const plan = planRescan(previous, scanned);
    const hashes = new Map<string, SongId>();
    for (const file of plan.toHash) {
      try {
        hashes.set(file.relativePath, await this.#fs.hash(await this.#fs.file(folder.handle, file.relativePath), signal));
      } catch (error) {
        if ((error as Error)?.name === 'AbortError') throw error;
        // Unreadable now (locked, gone since the walk): treated as new; its import will say why.
        console.warn(`Norae: could not hash ${file.relativePath}; importing it as new`, error);
      }
    }
    return settleRescan(plan, previous, hashes);
  }

  /** Points moved and touched songs at their files' new paths; the songs, likes and history stay. */
  async #applyMoves(outcome: RescanOutcome): Promise<void> {
    const updated = [...outcome.moved, ...outcome.touched].map(({ link, to }) => ({ ...link, ...to }));
    await this.#library.db.putLinks(updated);
    for (const link of updated) this.#links.set(link.id, link);
  }

  /** Stops the import; what is left stays queued (in IndexedDB) for resume(), after a reload too. */
  async pause(): Promise<void> {
    this.#controller?.abort();
    this.#controller = null;
    if (this.progress) this.progress = { ...this.progress, paused: true, secondsLeft: null };
    const folder = this.folder;
    if (folder?.importState) await this.#saveFolder({ ...folder, importState: { ...folder.importState, paused: true } });
  }

  /** Carries on with the queued files (after pause(), or a reload). */
  async resume(): Promise<void> {
    const folder = this.folder;
    if (!folder?.importState || this.#controller || !(await this.#mayRead(folder))) return;
    const queued = await this.#library.db.listQueue(folder.id);
    const controller = new AbortController();
    this.#controller = controller;
    await this.#saveFolder({ ...folder, importState: { ...folder.importState, paused: false } });
    await this.#run(queued, folder.importState.total - queued.length, controller);
  }

  /** Stops the import and forgets what is left; every song it finished stays. */
  async cancel(): Promise<void> {
    const controller = this.#controller;
    this.#cancelled = controller;
    controller?.abort();
    this.#controller = null;
    // Songs already being stored finish and are listed before the progress goes, so the list
    // then shows exactly what was kept (their late updates leave the progress alone).
    await this.#settled;
    this.progress = null;
    // Stopped means "not these": the next visit does not start them again by itself (Rescan does).
    if (this.folder) await this.#saveFolder({ ...this.folder, importState: null, stopped: true }, []);
  }

  /**
   * Unlinks the folder: stops its import, removes its songs from Norae (with their likes and
   * history: they cannot play without the folder) and forgets the folder, its queue and links.
   * The files themselves are never touched; linking the folder again imports them anew.
   * Resolves with how many songs were removed (0, with `problem` set, when the database failed).
   */
  async unlink(): Promise<number> {
    const folder = this.folder;
    if (!folder) return 0;
    this.#controller?.abort();
    this.#controller = null;
    // A song being stored as the import stops would otherwise outlive its folder.
    await this.#settled;
    const ids = [...this.#links.values()].filter((l) => !l.ignored).map((l) => l.id);
    try {
      await this.#library.deleteSongs(ids, { fileGone: true });
      await this.#library.db.deleteFolder(folder.id);
    } catch (error) {
      // The folder stays linked (its panel says why); a second try finishes what is left.
      this.#fail('storage-failed', error);
      return 0;
    }
    this.#links.clear();
    this.folder = null;
    this.permission = null;
    this.progress = null;
    this.lastRescan = null;
    this.problem = null;
    this.unlinked = { name: folder.name, songs: ids.length };
    return ids.length;
  }

  /** The file of a linked song, to play or analyse; undefined (with the reason in `problem` or `permission`) when it cannot be read. */
  async audioFor(id: SongId): Promise<Blob | undefined> {
    const link = this.#links.get(id);
    const folder = this.folder;
    if (!link || !folder || !this.supported) return undefined;
    if ((await this.#fs.queryPermission(folder.handle)) !== 'granted') {
      this.permission = 'prompt';
      return undefined;
    }
    try {
      return await this.#fs.file(folder.handle, link.relativePath);
    } catch (error) {
      this.#fail('file-missing', error, link.relativePath);
      return undefined;
    }
  }

  /** Follows the database after songs were deleted: links forgotten (file gone) or kept as ignored. */
  forget(ids: readonly SongId[], fileGone: boolean): void {
    for (const id of ids) {
      const link = this.#links.get(id);
      if (!link) continue;
      if (fileGone) this.#links.delete(id);
      else this.#links.set(id, { ...link, ignored: true });
    }
  }

  async #mayRead(folder: FolderRecord): Promise<boolean> {
    this.permission = await this.#fs.queryPermission(folder.handle);
    return this.permission === 'granted';
  }

  async #saveFolder(folder: FolderRecord, queue?: readonly ScannedFile[]): Promise<void> {
    try {
      if (queue) await this.#library.db.setQueue(folder, queue);
      else await this.#library.db.putFolder(folder);
      this.folder = folder;
    } catch (error) {
      this.#fail('storage-failed', error);
    }
  }

  #fail(code: FolderProblem, error: unknown, detail = ''): void {
    console.error(`Norae: linked folder: ${code}`, error);
    this.problem = { code, detail: detail || String((error as Error)?.message ?? error) };
  }

  /** Imports `files` through the library's pipeline and workers, counting from `doneBefore`. */
  #run(files: readonly ScannedFile[], doneBefore: number, controller: AbortController): Promise<void> {
    const run = this.#runImport(files, doneBefore, controller);
    this.#settled = run.catch(() => undefined);
    return run;
  }

  async #runImport(files: readonly ScannedFile[], doneBefore: number, controller: AbortController): Promise<void> {
    const folder = this.folder;
    if (!folder) return;
    const startedMs = this.#deps.now();
    let doneThisRun = 0;
    let failed = 0;
    const tick = (failure: boolean): void => {
      if (this.#cancelled === controller) return;
      doneThisRun++;
      if (failure) failed++;
      const left = files.length - doneThisRun;
      const paused = controller.signal.aborted;
      this.progress = { done: doneBefore + doneThisRun, left, failed, secondsLeft: paused ? null : secondsLeft(doneThisRun, this.#deps.now() - startedMs, left), paused };
    };
    this.progress = { done: doneBefore, left: files.length, failed: 0, secondsLeft: null, paused: false };
    const sources: ImportSource<ScannedFile>[] = files.map((f, i) => ({
      key: `link:${i}:${f.relativePath}`,
      file: f,
      fileName: f.relativePath.split('/').pop() ?? f.relativePath,
      relativePath: f.relativePath,
      sizeBytes: f.sizeBytes,
    }));
    const byKey = new Map(sources.map((s) => [s.key, s]));
    const steps = linkedImportSteps(this.#deps, this.#library.db, folder, (link) => this.#links.set(link.id, link));
    await importFiles<ScannedFile, SongAnalysis, LinkedProbe>(sources, steps, {
      concurrency: this.#deps.concurrency,
      signal: controller.signal,
      onUpdate: (update) => this.#onUpdate(update, byKey, tick),
    });
    // The songs of the last batch show before the progress goes (not 150 ms after it).
    this.#library.acceptSongs([], [], true);
    if (this.#controller !== controller) return;
    this.#controller = null;
    if (!controller.signal.aborted) {
      this.progress = null;
      await this.#saveFolder({ ...folder, importState: null }, []);
    }
  }

  #onUpdate(update: ImportItemUpdate<SongAnalysis>, sources: ReadonlyMap<string, ImportSource<ScannedFile>>, tick: (failure: boolean) => void): void {
    if (update.status === 'ready') {
      this.#library.acceptSongs([update.song], [update.analysis]);
      tick(false);
    } else if (update.status === 'error') {
      const source = sources.get(update.key);
      if (source) {
        this.#library.showImportFailure(update.key, source.relativePath, update);
        // A file that failed is not tried again on resume; a rescan tries it again.
        void this.#library.db.dequeue(source.relativePath).catch((error: unknown) => console.error('Norae: could not update the import queue', error));
      }
      tick(true);
    }
  }
}
