import { isAbortError, type AbortSignalLike } from '../abort.ts';
import { ByteBudget } from './byte-budget.ts';
import type { SniffResult } from './audio-format.ts';
import {
  MIN_SONG_SECONDS,
  resolveSongText,
  truncationWarning,
  type ImportError,
  type SongId,
  type SongRecord,
  type SongTags,
} from './song.ts';

/** A failure the pipeline knows how to explain; anything else is reported by stage. */
export class ImportFailure extends Error {
  readonly importError: ImportError;
  constructor(importError: ImportError) {
    super(importError.detail ?? importError.code);
    this.name = 'ImportFailure';
    this.importError = importError;
  }
}

/** What the probe step learns from a file's bytes (off the main thread). */
export interface ProbeResult {
  sniff: SniffResult;
  id: SongId;
  tags: SongTags;
  hasArtwork: boolean;
}

/**
 * What decoding and analysing a file learns. Decoding proves the browser can play it; `analysis`
 * is whatever the analyser produced (features and emotion, or why it could not), stored with
 * the song.
 */
export interface DecodeResult<A> {
  durationSeconds: number;
  sampleRateHz: number;
  channelCount: number;
  analysis: A;
}

export interface ImportSource<F> {
  /** Unique within the batch; identifies the row while the file has no song id yet. */
  key: string;
  file: F;
  fileName: string;
  relativePath: string;
  sizeBytes: number;
}

/**
 * The steps of an import, injected so the rules here are testable without a browser. `P` is what
 * the probe step returns: the pipeline reads its ProbeResult part and hands it on to `store`.
 */
export interface ImportSteps<F, A, P extends ProbeResult = ProbeResult> {
  probe(source: ImportSource<F>, signal: AbortSignalLike): Promise<P>;
  /** The song already stored with this id; one with audio stored makes this file a duplicate. */
  findExisting(id: SongId, source: ImportSource<F>): Promise<SongRecord | undefined>;
  /** Decodes (proving the file plays) and analyses; throws ImportFailure when it cannot decode. */
  analyse(source: ImportSource<F>, probe: P, signal: AbortSignalLike): Promise<DecodeResult<A>>;
  /** Must write the song, its analysis, audio and artwork atomically (all or nothing). */
  store(song: SongRecord, analysis: A, source: ImportSource<F>, probe: P, signal: AbortSignalLike): Promise<void>;
  now(): number;
}

export type ImportItemUpdate<A = unknown> =
  | { key: string; status: 'importing' }
  | { key: string; status: 'analysing' }
  | { key: string; status: 'ready'; song: SongRecord; analysis: A }
  | { key: string; status: 'error'; error: ImportError }
  | { key: string; status: 'cancelled' };

/**
 * The largest file Norae imports: the worker reads a file whole to hash it and keeps a copy to
 * store (500 MB is a 47-minute CD-quality WAV, or a whole album as one FLAC).
 */
export const MAX_IMPORT_FILE_BYTES = 500_000_000;

/**
 * Bytes of files in flight at once: each is held about three times while it is probed, copied
 * and analysed, so this bounds an import's memory to a few hundred MB whatever the files.
 */
export const IMPORT_BYTES_IN_FLIGHT = 128 * 1024 * 1024;

export interface ImportOptions<A> {
  /** How many files are in flight at once, at most. */
  concurrency: number;
  /** Bytes in flight at once, at most (a larger file runs alone). Default IMPORT_BYTES_IN_FLIGHT. */
  maxBytesInFlight?: number;
  /** Files above this size fail with `too-large` without being read. Default MAX_IMPORT_FILE_BYTES. */
  maxFileBytes?: number;
  signal: AbortSignalLike;
  onUpdate(update: ImportItemUpdate<A>): void;
}

export interface ImportSummary {
  added: number;
  failed: number;
  cancelled: number;
}

/** What the files of one batch share while they import. */
interface ImportBatch<F, A, P extends ProbeResult> {
  steps: ImportSteps<F, A, P>;
  options: ImportOptions<A>;
  maxFileBytes: number;
  summary: ImportSummary;
  /** Ids being imported in this batch (with their titles), so the same file twice in one drop is caught too. */
  inFlight: Map<SongId, string>;
}

/**
 * Imports a batch of files: probe (type, hash, tags) → duplicate check → decode and analyse →
 * one atomic store of the song, its analysis and its audio.
 * One bad file never stops the batch: each failure is reported on its own item and the rest
 * carry on. Aborting stops new work; songs already stored stay stored.
 */
export async function importFiles<F, A, P extends ProbeResult = ProbeResult>(
  sources: readonly ImportSource<F>[],
  steps: ImportSteps<F, A, P>,
  options: ImportOptions<A>,
): Promise<ImportSummary> {
  const batch: ImportBatch<F, A, P> = {
    steps,
    options,
    maxFileBytes: options.maxFileBytes ?? MAX_IMPORT_FILE_BYTES,
    summary: { added: 0, failed: 0, cancelled: 0 },
    inFlight: new Map(),
  };
  const budget = new ByteBudget(options.maxBytesInFlight ?? IMPORT_BYTES_IN_FLIGHT);
  let next = 0;
  const cancel = (source: ImportSource<F>): void => {
    batch.summary.cancelled++;
    options.onUpdate({ key: source.key, status: 'cancelled' });
  };
  const worker = async (): Promise<void> => {
    while (next < sources.length) {
      const source = sources[next++];
      if (options.signal.aborted) {
        cancel(source);
        continue;
      }
      // A file refused for its size is never read: it takes none of the budget.
      const release = await budget.acquire(source.sizeBytes > batch.maxFileBytes ? 0 : source.sizeBytes);
      try {
        if (options.signal.aborted) cancel(source);
        else await importOne(batch, source);
      } finally {
        release();
      }
    }
  };
  const lanes = Math.max(1, Math.min(options.concurrency, sources.length));
  await Promise.all(Array.from({ length: lanes }, worker));
  return batch.summary;
}

/** Imports one file of the batch, reporting its progress and its outcome (never throws). */
async function importOne<F, A, P extends ProbeResult>(batch: ImportBatch<F, A, P>, source: ImportSource<F>): Promise<void> {
  const { steps, options, inFlight } = batch;
  const { signal } = options;
  options.onUpdate({ key: source.key, status: 'importing' });
  let stage: 'read' | 'store' = 'read';
  let claimedId: SongId | null = null;
  try {
    refuseBySize(source.sizeBytes, batch.maxFileBytes);
    const probe = await steps.probe(source, signal);
    const sniff = playableAudio(probe.sniff);
    const existing = await steps.findExisting(probe.id, source);
    if (existing?.hasAudio) {
      throw new ImportFailure({ code: 'duplicate', existingTitle: existing.title });
    }
    const twin = inFlight.get(probe.id);
    if (twin !== undefined) throw new ImportFailure({ code: 'duplicate', existingTitle: twin });
    const text = resolveSongText(probe.tags, source.fileName);
    inFlight.set(probe.id, text.title);
    claimedId = probe.id;

    options.onUpdate({ key: source.key, status: 'analysing' });
    const decoded = await steps.analyse(source, probe, signal);
    if (!(decoded.durationSeconds >= MIN_SONG_SECONDS)) {
      throw new ImportFailure({ code: 'too-short' });
    }
    signal.throwIfAborted();
    const song = songRecord(source, { ...probe, sniff }, decoded, text, existing ?? null, () => steps.now());
    stage = 'store';
    await steps.store(song, decoded.analysis, source, probe, signal);
    batch.summary.added++;
    options.onUpdate({ key: source.key, status: 'ready', song, analysis: decoded.analysis });
  } catch (error) {
    if (claimedId) inFlight.delete(claimedId);
    reportFailure(batch, source.key, error, stage);
  }
}

/** Refuses a file by its size alone, before reading it: empty, or over the limit. */
function refuseBySize(sizeBytes: number, maxFileBytes: number): void {
  if (sizeBytes === 0) throw new ImportFailure({ code: 'empty' });
  if (sizeBytes > maxFileBytes) throw new ImportFailure({ code: 'too-large', sizeBytes, limitBytes: maxFileBytes });
}

type AudioSniff = Extract<SniffResult, { kind: 'audio' }>;

/** The sniffed audio format; refuses what is not playable audio: empty, not audio, or a format the browser cannot play. */
function playableAudio(sniff: SniffResult): AudioSniff {
  if (sniff.kind === 'empty') throw new ImportFailure({ code: 'empty' });
  if (sniff.kind === 'other') {
    throw new ImportFailure({ code: 'not-audio', detected: sniff.format });
  }
  if (!sniff.playable) {
    throw new ImportFailure({ code: 'unsupported-format', detected: sniff.format });
  }
  return sniff;
}

/** The song to store; a song known from an imported metadata file keeps the text the user exported. */
function songRecord<F>(
  source: ImportSource<F>,
  probe: ProbeResult & { sniff: AudioSniff },
  decoded: DecodeResult<unknown>,
  text: ReturnType<typeof resolveSongText>,
  base: SongRecord | null,
  now: () => number,
): SongRecord {
  return {
    id: probe.id,
    fileName: source.fileName,
    relativePath: source.relativePath,
    format: probe.sniff.format,
    mimeType: probe.sniff.mimeType,
    sizeBytes: source.sizeBytes,
    title: base?.title || text.title,
    artist: base?.artist || text.artist,
    album: base?.album || text.album,
    trackNumber: base?.trackNumber ?? text.trackNumber,
    year: base?.year ?? text.year,
    genre: base?.genre || text.genre,
    durationSeconds: decoded.durationSeconds,
    sampleRateHz: decoded.sampleRateHz,
    channelCount: decoded.channelCount,
    hasArtwork: probe.hasArtwork,
    addedAt: base?.addedAt || now(),
    warning: truncationWarning(decoded.durationSeconds, probe.tags.durationSeconds),
    hasAudio: true,
  };
}

/**
 * Reports a file that did not import: cancelled when the batch was aborted (and the failure is
 * not one the pipeline explains), else an error by stage (reading or storing).
 */
function reportFailure<F, A, P extends ProbeResult>(batch: ImportBatch<F, A, P>, key: string, error: unknown, stage: 'read' | 'store'): void {
  const { options, summary } = batch;
  if (isAbortError(error) || (options.signal.aborted && !(error instanceof ImportFailure))) {
    summary.cancelled++;
    options.onUpdate({ key, status: 'cancelled' });
    return;
  }
  summary.failed++;
  const importError: ImportError =
    error instanceof ImportFailure
      ? error.importError
      : { code: stage === 'store' ? 'storage-failed' : 'read-failed', detail: String(error) };
  options.onUpdate({ key, status: 'error', error: importError });
}
