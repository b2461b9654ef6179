import { SvelteMap } from 'svelte/reactivity';
import { needsAnalysis, type AnalysisBody, type AnalysisTimings, type SongAnalysis } from '../core/library/analysis.ts';
import { isDecodableCodec } from '../core/library/codecs.ts';
import {
  ImportFailure,
  importFiles,
  type ImportItemUpdate,
  type ImportSource,
  type ImportSummary,
} from '../core/library/import-pipeline.ts';
import {
  MAX_LIBRARY_FILE_BYTES,
  parseLibraryFile,
  planLibraryMerge,
  toLibraryFile,
  type LibraryFileProblem,
  type LibraryMergePlan,
} from '../core/library/library-file.ts';
import type { ImportError, SongId, SongRecord } from '../core/library/song.ts';
import { LibraryDb, StorageFullError, openLibraryDb, type ArtworkRecord } from '../adapters/storage/library-db.ts';
import { readStorageEstimate, requestPersistentStorage, type StorageEstimateBytes } from '../adapters/storage/storage-estimate.ts';
import { ANALYSER_VERSION } from '../workers/analysis-contract.ts';
import type { ProbeReply } from '../workers/library-worker.ts';
import { createLibraryPool, type LibraryPool } from '../workers/library-client.ts';
import { UndecodableError, analyseSong } from './song-analyser.ts';

/** A file being imported (or that failed to import): shown above the songs until dismissed. */
export interface ImportRow {
  key: string;
  fileName: string;
  relativePath: string;
  status: 'queued' | 'importing' | 'analysing' | 'error';
  /** Analysis progress in [0, 1] while analysing. */
  progress: number;
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

/** A file handed to the library, with its path inside a dropped folder. */
export interface IncomingFile {
  file: File;
  relativePath: string;
}

let keyCounter = 0;

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
  #afterImports: (() => void) | null = null;

  #db: LibraryDb | null = null;
  #pool: LibraryPool | null = null;
  #controllers = new Set<AbortController>();
  #running = false;
  #pendingSongs: SongRecord[] = [];
  #pendingAnalyses: SongAnalysis[] = [];
  #flushTimer: ReturnType<typeof setTimeout> | null = null;
  #backgroundController: AbortController | null = null;

  /** Opens the database, loads every stored song, and analyses those that need it. */
  async open(): Promise<void> {
    try {
      this.#db = await openLibraryDb({
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
    this.#startBackgroundAnalysis();
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

  get #workers(): LibraryPool {
    this.#pool ??= createLibraryPool();
    return this.#pool;
  }

  async refreshStorage(): Promise<void> {
    this.storage = await readStorageEstimate();
  }

  /**
   * Imports files (a drop, a picker, a folder): each is probed, decoded and analysed in workers,
   * then stored with its analysis. Returns when the batch is done or cancelled; a batch started
   * while another runs waits its turn.
   */
  async importFiles(files: readonly IncomingFile[]): Promise<ImportSummary | null> {
    if (files.length === 0 || !this.#db) return null;
    const db = this.#db;
    const sources: ImportSource<File>[] = files.map(({ file, relativePath }) => ({
      key: `f${++keyCounter}`,
      file,
      fileName: file.name,
      relativePath: relativePath || file.name,
      // Read when the file's turn comes: a picked File's first `size` is a synchronous stat
      // (~0.3 ms each, measured), which for a 1,000-file folder would freeze the page at drop.
      get sizeBytes() {
        return file.size;
      },
    }));
    for (const s of sources) {
      this.rows.set(s.key, {
        key: s.key,
        fileName: s.fileName,
        relativePath: s.relativePath,
        status: 'queued',
        progress: 0,
        error: null,
      });
    }
    const controller = new AbortController();
    this.#controllers.add(controller);
    if (this.progress) this.progress.total += sources.length;
    else this.progress = { total: sources.length, done: 0, added: 0, failed: 0 };
    // The queued rows render in this task; workers start and files are posted in the next, so
    // a large drop is two shorter main-thread tasks instead of one long one (measured by bench).
    await sleep(0);
    // One batch at a time keeps the pool's lanes full without starving either batch.
    while (this.#running) await this.#waitForIdle();
    this.#running = true;
    void requestPersistentStorage().then(() => this.refreshStorage());
    const pool = this.#workers;
    const probes = new Map<string, ProbeReply>();

    try {
      return await importFiles<File, SongAnalysis>(
        sources,
        {
          probe: async (source, signal) => {
            const reply = await pool.run('probe', { file: source.file }, { signal: signal as AbortSignal });
            probes.set(source.key, reply);
            return reply;
          },
          findExisting: (id) => db.getSong(id),
          analyse: async (source, probe, signal) => {
            try {
              const outcome = await analyseSong(pool, source.file, probe.sniff.kind === 'audio' ? probe.sniff.format : '', {
                signal: signal as AbortSignal,
                onProgress: (fraction) => this.#setRowProgress(source.key, fraction),
              });
              return {
                durationSeconds: outcome.durationSeconds,
                sampleRateHz: probe.tags.sampleRateHz ?? 0,
                channelCount: probe.tags.channelCount ?? 0,
                analysis: this.#stamp(probe.id, outcome.analysis, outcome.timings && { decoder: outcome.decoder, ...outcome.timings }),
              };
            } catch (error) {
              if (!(error instanceof UndecodableError)) throw error;
              const code = isDecodableCodec(probe.tags.codec) ? 'corrupt' : 'unsupported-format';
              throw new ImportFailure({ code, detected: probe.tags.codec ?? undefined, detail: error.message });
            }
          },
          store: async (song, analysis, source) => {
            const reply = probes.get(source.key);
            const artwork: Omit<ArtworkRecord, 'id'> | null = reply?.artwork ?? null;
            // The worker made a memory-backed copy (see ProbeReply.audio).
            const audio = reply?.audio ?? new Blob([await source.file.arrayBuffer()], { type: song.mimeType });
            try {
              await db.putSong(song, audio, artwork, analysis);
            } catch (error) {
              if (error instanceof StorageFullError) throw new ImportFailure({ code: 'quota' });
              throw error;
            }
          },
          now: () => Date.now(),
        },
        { concurrency: pool.size, signal: controller.signal, onUpdate: (u) => this.#onUpdate(u, probes) },
      );
    } finally {
      this.#flush();
      this.#controllers.delete(controller);
      this.#running = false;
      if (this.#controllers.size === 0) this.progress = null;
      void this.refreshStorage();
      this.#notifyIdle();
      if (this.#controllers.size === 0) this.#afterImports?.();
    }
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

  async deleteSongs(ids: readonly SongId[]): Promise<void> {
    await this.db.deleteSongs(ids);
    const gone = new Set(ids);
    this.songs = this.songs.filter((s) => !gone.has(s.id));
    const analyses = new Map(this.analyses);
    for (const id of ids) analyses.delete(id);
    this.analyses = analyses;
    void this.refreshStorage();
  }

  getAudio(id: SongId): Promise<Blob | undefined> {
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

  #stamp(id: SongId, body: AnalysisBody, timings?: AnalysisTimings | null): SongAnalysis {
    return {
      ...body,
      analyserVersion: body.analyserVersion || ANALYSER_VERSION,
      id,
      analysedAt: Date.now(),
      ...(timings ? { timings } : {}),
    };
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
    const pool = this.#workers;
    for (const id of ids) this.activity.set(id, { status: 'queued', progress: 0 });
    if (background) this.analysisProgress = { total: ids.length, done: 0 };
    let next = 0;
    const lane = async (): Promise<void> => {
      while (next < ids.length && !signal.aborted) {
        const id = ids[next++];
        // Imports come first: a background lane waits while files are being added.
        while (background && this.#running && !signal.aborted) await sleep(250);
        const song = this.#songById(id);
        const blob = song ? await this.db.getAudio(id) : undefined;
        if (!song || !blob) {
          this.activity.delete(id);
          continue;
        }
        this.activity.set(id, { status: 'analysing', progress: 0 });
        let analysis: SongAnalysis;
        try {
          const outcome = await analyseSong(pool, blob, song.format, {
            signal,
            onProgress: (progress) => this.activity.set(id, { status: 'analysing', progress }),
          });
          analysis = this.#stamp(id, outcome.analysis, outcome.timings && { decoder: outcome.decoder, ...outcome.timings });
        } catch (error) {
          if ((error as Error)?.name === 'AbortError') break;
          const code = error instanceof UndecodableError ? 'decode-failed' : 'failed';
          analysis = this.#stamp(id, {
            analyserVersion: ANALYSER_VERSION,
            status: 'error',
            features: null,
            emotion: null,
            bpm: null,
            error: { code, detail: String((error as Error)?.message ?? error) },
          });
        }
        if (await this.db.putAnalysis(analysis)) {
          this.#pendingAnalyses.push(analysis);
          this.#scheduleFlush();
        }
        this.activity.delete(id);
        if (background && this.analysisProgress) this.analysisProgress.done++;
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(pool.size, ids.length) }, lane));
    } finally {
      for (const id of ids) this.activity.delete(id);
      if (background) this.analysisProgress = null;
      this.#flush();
    }
  }

  #songIndex: { songs: SongRecord[]; byId: Map<SongId, SongRecord> } | null = null;
  #songById(id: SongId): SongRecord | undefined {
    if (this.#songIndex?.songs !== this.songs) {
      this.#songIndex = { songs: this.songs, byId: new Map(this.songs.map((s) => [s.id, s])) };
    }
    return this.#songIndex.byId.get(id);
  }

  #setRowProgress(key: string, progress: number): void {
    const row = this.rows.get(key);
    if (row && row.status === 'analysing') this.rows.set(key, { ...row, progress });
  }

  #onUpdate(update: ImportItemUpdate<SongAnalysis>, probes: Map<string, ProbeReply>): void {
    const row = this.rows.get(update.key);
    // Rows are replaced, not mutated: SvelteMap tracks entries, not the objects inside them.
    switch (update.status) {
      case 'importing':
      case 'analysing':
        if (row) this.rows.set(update.key, { ...row, status: update.status, progress: 0 });
        return;
      case 'ready':
        this.rows.delete(update.key);
        probes.delete(update.key);
        this.#pendingSongs.push(update.song);
        this.#pendingAnalyses.push(update.analysis);
        this.#scheduleFlush();
        this.#count('added');
        return;
      case 'error':
        probes.delete(update.key);
        if (row) this.rows.set(update.key, { ...row, status: 'error', error: update.error });
        this.#count('failed');
        return;
      case 'cancelled':
        probes.delete(update.key);
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
