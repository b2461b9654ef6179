import { SvelteMap } from 'svelte/reactivity';
import { needsAnalysis, type SongAnalysis } from '../core/library/analysis.ts';
import { importFiles, type ImportItemUpdate, type ImportSource, type ImportSummary } from '../core/library/import-pipeline.ts';
import {
  MAX_LIBRARY_FILE_BYTES,
  parseLibraryFile,
  planLibraryMerge,
  toLibraryFile,
  type LibraryFileProblem,
  type LibraryMergePlan,
} from '../core/library/library-file.ts';
import type { ImportError, SongId, SongRecord } from '../core/library/song.ts';
import type { ArtworkRecord, LibraryDb } from '../adapters/storage/library-db.ts';
import type { StorageEstimateBytes } from '../adapters/storage/storage-estimate.ts';
import { collectDroppedFiles, collectPickedFiles, type CollectedFiles } from '../adapters/files/dropped-files.ts';
import { ANALYSER_VERSION } from '../core/music/emotion-model.ts';
import type { LibraryDeps } from './library-deps.ts';
import { LinkedFolderState } from './linked-folder.svelte.ts';
import { failedAnalysis, importSources, libraryImportSteps, stampAnalysis, type IncomingFile } from './library-import.ts';

export type { CollectedFiles, IncomingFile };

/** A file being imported (or that failed to import): shown above the songs until dismissed. */
export interface ImportRow {
  key: string;
  fileName: string;
  relativePath: string;
  status: 'queued' | 'importing' | 'analysing' | 'error';
  error: ImportError | null;
}

/** What is happening to a stored song right now (re-analysis, retry). */
export interface SongActivity {
  status: 'queued' | 'analysing';
  progress: number;
}

export interface ImportProgress {
  total: number;
  done: number;
  added: number;
  failed: number;
}

/** A library file merged: what it did, and how to take it back. */
export interface AppliedMerge {
  added: number;
  updated: number;
  /** Entries of the file that were malformed or repeated. */
  skipped: number;
  /** Whether the file's titles and tags replaced those here. */
  usedFileText: boolean;
  /** Takes the merge back (songs whose audio was added since stay). */
  undo(): Promise<void>;
}

/**
 * What opening a library file came to: a problem with the file, a failure to read or write it,
 * nothing to do, a question for the user (`pendingMerge`), or a merge done.
 */
export type LibraryFileOutcome =
  | { kind: 'problem'; problem: LibraryFileProblem }
  | { kind: 'failed'; error: unknown }
  | { kind: 'nothing' }
  | { kind: 'asking' }
  | { kind: 'merged'; merge: AppliedMerge };

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The music library as the UI sees it: stored songs and their analyses, files being imported,
 * songs being (re-)analysed, storage figures. Songs and analyses are `$state.raw` values
 * replaced wholesale: 10,000 deep proxies would cost more than they give.
 */
export class LibraryState {
  songs = $state.raw<SongRecord[]>([]);
  analyses = $state.raw<ReadonlyMap<SongId, SongAnalysis>>(new Map());
  rows = new SvelteMap<string, ImportRow>();
  /**
   * Analysis progress in [0, 1] of the rows being analysed, by row key. Kept apart from `rows`:
   * a change of `rows` rebuilds the list's items (every song of the library as well), and
   * progress changes a hundred times a song; here it re-renders that row's words only.
   */
  rowProgress = new SvelteMap<string, number>();
  activity = new SvelteMap<SongId, SongActivity>();
  progress = $state<ImportProgress | null>(null);
  /** Background (re-)analysis of stored songs: how far it got. */
  analysisProgress = $state<{ total: number; done: number } | null>(null);
  /** The storage figures: `undefined` until first read, `null` where the browser gives none. */
  storage = $state.raw<StorageEstimateBytes | null | undefined>(undefined);
  loaded = $state(false);
  /** Set when the database cannot be opened at all (private mode quirks, disabled storage). */
  fatal = $state<string | null>(null);
  /**
   * The database connection as other tabs and the browser left it: `blocked`, opening waits for
   * a tab with an older Norae; `upgrade-waiting`, a newer Norae in another tab waits for this
   * tab's import to finish; `outdated`, this tab gave the database to it and must be reloaded;
   * `lost`, the browser closed the database.
   */
  connection = $state<'ok' | 'blocked' | 'upgrade-waiting' | 'outdated' | 'lost'>('ok');
  /** A library file that would change songs here, waiting for the user's choice (see answerMerge). */
  pendingMerge = $state.raw<LibraryMergePlan | null>(null);
  /** The music folder linked in place (songs that play from their files). */
  readonly linked: LinkedFolderState;
  #deletedListeners = new Set<(ids: readonly SongId[]) => void>();
  #afterImports: (() => void) | null = null;

  readonly #deps: LibraryDeps;
  #db: LibraryDb | null = null;
  #controllers = new Set<AbortController>();
  #running = false;
  #pendingSongs: SongRecord[] = [];
  #pendingAnalyses: SongAnalysis[] = [];
  #flushTimer: ReturnType<typeof setTimeout> | null = null;
  #backgroundController: AbortController | null = null;

  /** `deps`: the database, workers and browser APIs the library uses (browserLibraryDeps() in the app). */
  constructor(deps: LibraryDeps) {
    this.#deps = deps;
    this.linked = new LinkedFolderState(this, deps);
  }

  /** Opens the database, loads every stored song, and analyses those that need it. */
  async open(): Promise<void> {
    try {
      this.#db = await this.#deps.openDb({
        onBlocked: () => (this.connection = 'blocked'),
        onVersionChange: (close) => this.#yieldToNewerTab(close),
        onTerminated: () => {
          console.error('Norae: the browser closed the library database');
          this.connection = 'lost';
        },
      });
      if (this.connection === 'blocked') this.connection = 'ok';
      const [songs, analyses] = await Promise.all([this.#db.listSongs(), this.#db.listAnalyses()]);
      this.songs = songs;
      this.analyses = new Map(analyses.map((a) => [a.id, a]));
    } catch (error) {
      this.fatal = (error as Error)?.message ?? String(error);
    } finally {
      this.loaded = true;
    }
    void this.refreshStorage();
    if (this.#db) await this.#openLinked();
    this.#startBackgroundAnalysis();
  }

  async #openLinked(): Promise<void> {
    try {
      await this.linked.open();
    } catch (error) {
      console.error('Norae: the linked folder could not be opened', error);
      this.linked.problem = { code: 'storage-failed', detail: String((error as Error)?.message ?? error) };
    }
  }

  /**
   * Songs stored by someone else (the linked folder's import): shown with the next flush
   * (batched, 150 ms), or at once with `now` — the last ones of an import, so that the list is
   * whole when its progress goes away.
   */
  acceptSongs(songs: readonly SongRecord[], analyses: readonly SongAnalysis[], now = false): void {
    this.#pendingSongs.push(...songs);
    this.#pendingAnalyses.push(...analyses);
    if (now) this.#flush();
    else this.#scheduleFlush();
  }

  /** Shows a file of the linked folder that did not import, with the same words as a dropped one. */
  showImportFailure(key: string, relativePath: string, update: { error: ImportError }): void {
    const fileName = relativePath.split('/').pop() ?? relativePath;
    this.rows.set(key, { key, fileName, relativePath, status: 'error', error: update.error });
  }

  get db(): LibraryDb {
    if (!this.#db) throw new Error(this.connection === 'outdated' ? 'Norae was updated in another tab: reload this one' : 'Library not open');
    return this.#db;
  }

  /**
   * A newer Norae in another tab needs the database. Never mid-import: imports in progress finish
   * first (the other tab says it waits); background analysis stops (it resumes on reload). Then
   * this tab lets go and asks to be reloaded — it does not reload by itself, so nothing on screen
   * is lost without a word.
   */
  #yieldToNewerTab(close: () => void): void {
    const handOver = (): void => {
      this.#afterImports = null;
      this.#backgroundController?.abort();
      close();
      this.#db = null;
      this.connection = 'outdated';
    };
    if (this.#controllers.size === 0) handOver();
    else {
      this.connection = 'upgrade-waiting';
      this.#afterImports = handOver;
    }
  }

  /** Reads how much storage the library uses and how much the browser allows. */
  async refreshStorage(): Promise<void> {
    this.storage = await this.#deps.readStorageEstimate();
  }

  /**
   * Everything dropped, with the files inside dropped folders. Call it inside the `drop` handler:
   * the browser empties the DataTransfer when the handler returns.
   */
  collectDropped(data: DataTransfer): Promise<CollectedFiles> {
    return collectDroppedFiles(data);
  }

  /** Files picked with a file input, with their folder paths when a folder was picked. */
  collectPicked(list: FileList, fromFolder: boolean): CollectedFiles {
    return collectPickedFiles(list, fromFolder);
  }

  /**
   * Imports files (a drop, a picker, a folder): each is probed, decoded and analysed in workers,
   * then stored with its analysis. Returns when the batch is done or cancelled; a batch started
   * while another runs waits its turn.
   */
  async importFiles(files: readonly IncomingFile[]): Promise<ImportSummary | null> {
    if (files.length === 0 || !this.#db) return null;
    const db = this.#db;
    const sources = importSources(files);
    // Three main-thread tasks, not one: the browser's `change` or `drop` task (for a picked file
    // list it already spends ≈ 0.4 ms a file making the File objects: 42 ms for 100 files), then
    // the queued rows' render (≈ 40 ms when the first rows replace an empty library), then the
    // workers' start and the first files posted. A 100-file pick was one 62–110-ms task with the
    // rows rendered inside the picker's task (Chromium trace of the 100-song import bench).
    // The batch counts as an import from the start: a newer tab waits for it (#yieldToNewerTab).
    const controller = new AbortController();
    this.#controllers.add(controller);
    await sleep(0);
    this.#enqueue(sources);
    await sleep(0);
    // One batch at a time keeps the pool's lanes full without starving either batch.
    while (this.#running) await this.#waitForIdle();
    this.#running = true;
    void this.#deps.requestPersistentStorage().then(() => this.refreshStorage());
    try {
      const steps = libraryImportSteps(this.#deps, db, (key, fraction) => this.#setRowProgress(key, fraction));
      return await importFiles(sources, steps, {
        concurrency: this.#deps.concurrency,
        signal: controller.signal,
        onUpdate: (update) => this.#onUpdate(update),
      });
    } finally {
      this.#endBatch(controller);
    }
  }

  /** Shows a batch's files as queued rows and counts them in the progress. */
  #enqueue(sources: readonly ImportSource<File>[]): void {
    for (const s of sources) {
      this.rows.set(s.key, { key: s.key, fileName: s.fileName, relativePath: s.relativePath, status: 'queued', error: null });
    }
    if (this.progress) this.progress.total += sources.length;
    else this.progress = { total: sources.length, done: 0, added: 0, failed: 0 };
  }

  /** After a batch: shows what it added, lets the next batch run, and hands over to a newer tab once the last one ends. */
  #endBatch(controller: AbortController): void {
    this.#flush();
    this.#controllers.delete(controller);
    this.#running = false;
    if (this.#controllers.size === 0) this.progress = null;
    void this.refreshStorage();
    this.#notifyIdle();
    if (this.#controllers.size === 0) this.#afterImports?.();
  }

  /** Stops every running and waiting import; songs already stored stay, queued files are dropped. */
  cancelImport(): void {
    for (const controller of this.#controllers) controller.abort();
  }

  /** Forgets the error rows of past imports. */
  dismissErrors(): void {
    for (const [key, row] of this.rows) if (row.status === 'error') this.rows.delete(key);
  }

  dismissRow(key: string): void {
    this.rows.delete(key);
  }

  /** Analyses a stored song again (after a failure, or on request). */
  async retryAnalysis(id: SongId): Promise<void> {
    await this.#analyseStored([id], new AbortController().signal);
  }

  /** Stops background re-analysis; songs keep their previous analysis. */
  cancelAnalysis(): void {
    this.#backgroundController?.abort();
  }

  /**
   * Deletes songs with their audio, cover and analysis, then tells those listening (the player
   * forgets them). A linked song's file stays in its folder and is not added again by a rescan;
   * `fileGone` (a rescan found the file deleted) forgets where it was too.
   */
  async deleteSongs(ids: readonly SongId[], { fileGone = false }: { fileGone?: boolean } = {}): Promise<void> {
    await this.db.deleteSongs(ids, { fileGone });
    this.linked.forget(ids, fileGone);
    const gone = new Set(ids);
    this.songs = this.songs.filter((s) => !gone.has(s.id));
    const analyses = new Map(this.analyses);
    for (const id of ids) analyses.delete(id);
    this.analyses = analyses;
    for (const listener of this.#deletedListeners) listener(ids);
    void this.refreshStorage();
  }

  /** Calls `listener` with the ids of songs the user deleted; returns a function that stops it. */
  onSongsDeleted(listener: (ids: readonly SongId[]) => void): () => void {
    this.#deletedListeners.add(listener);
    return () => this.#deletedListeners.delete(listener);
  }

  /** A song's audio: its file in the linked folder, or the copy stored in IndexedDB. */
  getAudio(id: SongId): Promise<Blob | undefined> {
    if (this.linked.isLinked(id)) return this.linked.audioFor(id);
    return this.db.getAudio(id);
  }

  getArtwork(id: SongId): Promise<ArtworkRecord | undefined> {
    return this.db.getArtwork(id);
  }

  /** The library's metadata as a JSON document (never the audio). */
  exportJson(now = new Date()): string {
    return JSON.stringify(toLibraryFile(this.songs, now), null, 2);
  }

  /**
   * Reads an exported library file and says what merging it would do; writes nothing. A file
   * over MAX_LIBRARY_FILE_BYTES is refused before it is read.
   */
  async readLibraryFile(file: Blob): Promise<{ ok: true; plan: LibraryMergePlan } | { ok: false; problem: LibraryFileProblem }> {
    if (file.size > MAX_LIBRARY_FILE_BYTES) {
      return { ok: false, problem: { code: 'too-large', sizeBytes: file.size, limitBytes: MAX_LIBRARY_FILE_BYTES } };
    }
    const parsed = parseLibraryFile(await file.text());
    if (!parsed.ok) return parsed;
    return { ok: true, plan: planLibraryMerge(new Map(this.songs.map((s) => [s.id, s])), parsed.songs, parsed.skipped) };
  }

  /**
   * Opens an exported library file: a file that only adds songs is merged at once; one that
   * would change songs here waits in `pendingMerge` for the user's choice.
   */
  async openLibraryFile(file: Blob): Promise<LibraryFileOutcome> {
    let read: Awaited<ReturnType<LibraryState['readLibraryFile']>>;
    try {
      read = await this.readLibraryFile(file);
    } catch (error) {
      return { kind: 'failed', error };
    }
    if (!read.ok) return { kind: 'problem', problem: read.problem };
    const { plan } = read;
    if (plan.changes.length > 0) {
      this.pendingMerge = plan;
      return { kind: 'asking' };
    }
    if (plan.additions.length > 0) return this.#merge(plan, { useFileText: false });
    return { kind: 'nothing' };
  }

  /** The user's answer to `pendingMerge`: merge, with or without the file's text, or (null) leave it. */
  async answerMerge(choice: { useFileText: boolean } | null): Promise<LibraryFileOutcome | null> {
    const plan = this.pendingMerge;
    this.pendingMerge = null;
    if (!plan || !choice) return null;
    return this.#merge(plan, choice);
  }

  async #merge(plan: LibraryMergePlan, choice: { useFileText: boolean }): Promise<LibraryFileOutcome> {
    try {
      const { added, updated, undo } = await this.applyLibraryMerge(plan, choice);
      return { kind: 'merged', merge: { added, updated, skipped: plan.skipped, usedFileText: choice.useFileText, undo } };
    } catch (error) {
      return { kind: 'failed', error };
    }
  }

  /**
   * Applies a merge the user chose: the file's songs not here are listed without audio; the text
   * of songs here changes only with `useFileText`. Returns what it did and how to undo it.
   */
  async applyLibraryMerge(
    plan: LibraryMergePlan,
    { useFileText }: { useFileText: boolean },
  ): Promise<{ added: number; updated: number; undo: () => Promise<void> }> {
    const additions: SongRecord[] = plan.additions.map((s) => ({ ...s, hasArtwork: false, warning: null, hasAudio: false }));
    const changes = useFileText ? plan.changes : [];
    const { added, updated } = await this.db.mergeMetadata(additions, changes.map((c) => ({ id: c.id, ...c.after })));
    this.songs = await this.db.listSongs();
    const undo = async (): Promise<void> => {
      await this.db.mergeMetadata([], changes.map((c) => ({ id: c.id, ...c.before })));
      // Songs whose audio has been added since stay: undoing a list must not delete music.
      const stillWithoutAudio = new Set(this.songs.filter((s) => !s.hasAudio).map((s) => s.id));
      await this.db.deleteSongs(additions.map((a) => a.id).filter((id) => stillWithoutAudio.has(id)));
      this.songs = await this.db.listSongs();
    };
    return { added, updated, undo };
  }

  /** Re-analyses, in the background, every song analysed by an older analyser (or never). */
  #startBackgroundAnalysis(): void {
    if (!this.#db || this.#backgroundController) return;
    const ids = this.songs.filter((s) => s.hasAudio && needsAnalysis(this.analyses.get(s.id), ANALYSER_VERSION)).map((s) => s.id);
    if (ids.length === 0) return;
    const controller = new AbortController();
    this.#backgroundController = controller;
    void this.#analyseStored(ids, controller.signal, true).finally(() => {
      this.#backgroundController = null;
    });
  }

  async #analyseStored(ids: readonly SongId[], signal: AbortSignal, background = false): Promise<void> {
    for (const id of ids) this.activity.set(id, { status: 'queued', progress: 0 });
    if (background) this.analysisProgress = { total: ids.length, done: 0 };
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < ids.length && !signal.aborted) {
        const id = ids[next++];
        // Imports come first: a background lane waits while files are being added.
        while (background && this.#running && !signal.aborted) await sleep(250);
        const outcome = await this.#analyseOne(id, signal);
        if (outcome === 'aborted') break;
        this.activity.delete(id);
        if (outcome === 'done' && background && this.analysisProgress) this.analysisProgress.done++;
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(this.#deps.concurrency, ids.length) }, lane));
    } finally {
      for (const id of ids) this.activity.delete(id);
      if (background) this.analysisProgress = null;
      this.#flush();
    }
  }

  /**
   * Analyses one stored song and stores the result; a failure is stored too (the song keeps
   * playing and offers a retry). A song deleted meanwhile, or without audio, is skipped.
   */
  async #analyseOne(id: SongId, signal: AbortSignal): Promise<'done' | 'skipped' | 'aborted'> {
    const song = this.#songById(id);
    const blob = song ? await this.getAudio(id) : undefined;
    if (!song || !blob) return 'skipped';
    this.activity.set(id, { status: 'analysing', progress: 0 });
    let analysis: SongAnalysis;
    try {
      const outcome = await this.#deps.analyse(blob, song.format, {
        signal,
        onProgress: (progress) => this.activity.set(id, { status: 'analysing', progress }),
      });
      analysis = stampAnalysis(id, outcome, this.#deps.now());
    } catch (error) {
      if ((error as Error)?.name === 'AbortError') return 'aborted';
      analysis = failedAnalysis(id, error, this.#deps.now());
    }
    if (await this.db.putAnalysis(analysis)) {
      this.#pendingAnalyses.push(analysis);
      this.#scheduleFlush();
    }
    return 'done';
  }

  #songIndex: { songs: SongRecord[]; byId: Map<SongId, SongRecord> } | null = null;
  #songById(id: SongId): SongRecord | undefined {
    if (this.#songIndex?.songs !== this.songs) {
      this.#songIndex = { songs: this.songs, byId: new Map(this.songs.map((s) => [s.id, s])) };
    }
    return this.#songIndex.byId.get(id);
  }

  #setRowProgress(key: string, progress: number): void {
    if (this.rows.get(key)?.status === 'analysing') this.rowProgress.set(key, progress);
  }

  #onUpdate(update: ImportItemUpdate<SongAnalysis>): void {
    const row = this.rows.get(update.key);
    // Rows are replaced, not mutated: SvelteMap tracks entries, not the objects inside them.
    this.rowProgress.delete(update.key);
    switch (update.status) {
      case 'importing':
      case 'analysing':
        if (row) this.rows.set(update.key, { ...row, status: update.status });
        return;
      case 'ready':
        this.rows.delete(update.key);
        this.#pendingSongs.push(update.song);
        this.#pendingAnalyses.push(update.analysis);
        this.#scheduleFlush();
        this.#count('added');
        return;
      case 'error':
        if (row) this.rows.set(update.key, { ...row, status: 'error', error: update.error });
        this.#count('failed');
        return;
      case 'cancelled':
        this.rows.delete(update.key);
        this.#count(null);
        return;
    }
  }

  #count(field: 'added' | 'failed' | null): void {
    if (!this.progress) return;
    this.progress.done++;
    if (field) this.progress[field]++;
  }

  // New songs and analyses arrive in bursts; merging them a few times a second keeps sorting
  // and re-plotting 10,000 songs off the per-file path.
  #scheduleFlush(): void {
    this.#flushTimer ??= setTimeout(() => this.#flush(), 150);
  }

  #flush(): void {
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    this.#flushTimer = null;
    if (this.#pendingAnalyses.length > 0) {
      const analyses = new Map(this.analyses);
      for (const a of this.#pendingAnalyses) analyses.set(a.id, a);
      this.#pendingAnalyses = [];
      this.analyses = analyses;
    }
    if (this.#pendingSongs.length > 0) {
      const incoming = new Map(this.#pendingSongs.map((s) => [s.id, s]));
      this.#pendingSongs = [];
      this.songs = [...this.songs.filter((s) => !incoming.has(s.id)), ...incoming.values()];
    }
  }

  #idleWaiters: Array<() => void> = [];
  #waitForIdle(): Promise<void> {
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }
  #notifyIdle(): void {
    const waiter = this.#idleWaiters.shift();
    waiter?.();
  }
}
