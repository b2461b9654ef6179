import { SvelteMap } from 'svelte/reactivity';
import { isDecodableCodec } from '../core/library/codecs.ts';
import {
  ImportFailure,
  importFiles,
  type ImportItemUpdate,
  type ImportSource,
  type ImportSummary,
} from '../core/library/import-pipeline.ts';
import { parseLibraryFile, toLibraryFile, type LibraryFileProblem } from '../core/library/library-file.ts';
import type { ImportError, SongId, SongRecord } from '../core/library/song.ts';
import { DecodeError, probeDecode } from '../adapters/audio/decode.ts';
import { LibraryDb, StorageFullError, openLibraryDb, type ArtworkRecord } from '../adapters/storage/library-db.ts';
import { readStorageEstimate, requestPersistentStorage, type StorageEstimateBytes } from '../adapters/storage/storage-estimate.ts';
import type { ProbeReply } from '../workers/import-worker.ts';
import { createImportPool, type ImportPool } from '../workers/import-client.ts';

/** A file being imported (or that failed to import): shown above the songs until dismissed. */
export interface ImportRow {
  key: string;
  fileName: string;
  relativePath: string;
  status: 'queued' | 'importing' | 'error';
  error: ImportError | null;
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

/**
 * The music library as the UI sees it: stored songs, files being imported, storage figures.
 * Songs are `$state.raw` arrays replaced wholesale: 10,000 deep proxies would cost more than
 * they give.
 */
export class LibraryState {
  songs = $state.raw<SongRecord[]>([]);
  rows = new SvelteMap<string, ImportRow>();
  progress = $state<ImportProgress | null>(null);
  storage = $state.raw<StorageEstimateBytes | null>(null);
  loaded = $state(false);
  /** Set when the database cannot be opened at all (private mode quirks, disabled storage). */
  fatal = $state<string | null>(null);

  #db: LibraryDb | null = null;
  #pool: ImportPool | null = null;
  #controllers = new Set<AbortController>();
  #running = false;
  #pendingSongs: SongRecord[] = [];
  #flushTimer: ReturnType<typeof setTimeout> | null = null;

  /** Opens the database and loads every stored song. */
  async open(): Promise<void> {
    try {
      this.#db = await openLibraryDb({ onVersionChange: () => location.reload() });
      this.songs = await this.#db.listSongs();
    } catch (error) {
      this.fatal = (error as Error)?.message ?? String(error);
    } finally {
      this.loaded = true;
    }
    void this.refreshStorage();
  }

  get db(): LibraryDb {
    if (!this.#db) throw new Error('Library not open');
    return this.#db;
  }

  async refreshStorage(): Promise<void> {
    this.storage = await readStorageEstimate();
  }

  /**
   * Imports files (a drop, a picker, a folder). Returns when the batch is done or cancelled;
   * calling again while a batch runs queues the files into a new batch after it.
   */
  async importFiles(files: readonly IncomingFile[]): Promise<ImportSummary | null> {
    if (files.length === 0 || !this.#db) return null;
    const db = this.#db;
    const sources: ImportSource<File>[] = files.map(({ file, relativePath }) => ({
      key: `f${++keyCounter}`,
      file,
      fileName: file.name,
      relativePath: relativePath || file.name,
      sizeBytes: file.size,
    }));
    for (const s of sources) {
      this.rows.set(s.key, { key: s.key, fileName: s.fileName, relativePath: s.relativePath, status: 'queued', error: null });
    }
    const controller = new AbortController();
    this.#controllers.add(controller);
    if (this.progress) this.progress.total += sources.length;
    else this.progress = { total: sources.length, done: 0, added: 0, failed: 0 };
    // One batch at a time keeps the pool's lanes full without starving either batch.
    while (this.#running) await this.#waitForIdle();
    this.#running = true;
    void requestPersistentStorage().then(() => this.refreshStorage());
    this.#pool ??= createImportPool();
    const pool = this.#pool;
    const probes = new Map<string, ProbeReply>();

    try {
      return await importFiles(
        sources,
        {
          probe: async (source, signal) => {
            const reply = await pool.run('probe', { file: source.file }, { signal: signal as AbortSignal });
            probes.set(source.key, reply);
            return reply;
          },
          findExisting: (id) => db.getSong(id),
          decode: async (source, probe, signal) => {
            const bytes = await source.file.arrayBuffer();
            signal.throwIfAborted();
            try {
              return await probeDecode(bytes, probe.tags.sampleRateHz);
            } catch (error) {
              if (!(error instanceof DecodeError)) throw error;
              const code = isDecodableCodec(probe.tags.codec) ? 'corrupt' : 'unsupported-format';
              throw new ImportFailure({ code, detected: probe.tags.codec ?? probe.sniff.kind, detail: error.message });
            }
          },
          store: async (song, source) => {
            const reply = probes.get(source.key);
            const artwork: Omit<ArtworkRecord, 'id'> | null = reply?.artwork ?? null;
            // A memory-backed copy, not a reference to the picked file: Chromium checks quota
            // (and so reports a full disk) only for bytes it is handed, and the stored song
            // must not depend on the original file staying where it was.
            const audio = new Blob([await source.file.arrayBuffer()], { type: song.mimeType });
            try {
              await db.putSong(song, audio, artwork);
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
      this.#flushSongs();
      this.#controllers.delete(controller);
      this.#running = false;
      if (this.#controllers.size === 0) this.progress = null;
      void this.refreshStorage();
      this.#notifyIdle();
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

  async deleteSongs(ids: readonly SongId[]): Promise<void> {
    await this.db.deleteSongs(ids);
    const gone = new Set(ids);
    this.songs = this.songs.filter((s) => !gone.has(s.id));
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

  /** Merges an exported library file; songs without audio here are listed as missing. */
  async importJson(
    text: string,
  ): Promise<{ ok: true; updated: number; added: number; skipped: number } | { ok: false; problem: LibraryFileProblem }> {
    const parsed = parseLibraryFile(text);
    if (!parsed.ok) return parsed;
    const records: SongRecord[] = parsed.songs.map((s) => ({ ...s, hasArtwork: false, warning: null, hasAudio: false }));
    const { updated, added } = await this.db.mergeMetadata(records);
    this.songs = await this.db.listSongs();
    return { ok: true, updated, added, skipped: parsed.skipped };
  }

  #onUpdate(update: ImportItemUpdate, probes: Map<string, ProbeReply>): void {
    const row = this.rows.get(update.key);
    // Rows are replaced, not mutated: SvelteMap tracks entries, not the objects inside them.
    switch (update.status) {
      case 'importing':
        if (row) this.rows.set(update.key, { ...row, status: 'importing' });
        return;
      case 'ready':
        this.rows.delete(update.key);
        probes.delete(update.key);
        this.#pendingSongs.push(update.song);
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

  // New songs arrive in bursts; merging them a few times a second keeps sorting 10,000 songs
  // off the per-file path.
  #scheduleFlush(): void {
    this.#flushTimer ??= setTimeout(() => this.#flushSongs(), 150);
  }

  #flushSongs(): void {
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    this.#flushTimer = null;
    if (this.#pendingSongs.length === 0) return;
    const incoming = new Map(this.#pendingSongs.map((s) => [s.id, s]));
    this.#pendingSongs = [];
    this.songs = [...this.songs.filter((s) => !incoming.has(s.id)), ...incoming.values()];
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
