import type { AnalysisErrorCode, SongAnalysis } from '../core/library/analysis.ts';
import { isDecodableCodec } from '../core/library/codecs.ts';
import { ImportFailure, type DecodeResult, type ImportSource, type ImportSteps } from '../core/library/import-pipeline.ts';
import type { LinkRecord, ScannedFile } from '../core/library/linked-folder.ts';
import type { SongId, SongRecord } from '../core/library/song.ts';
import { StorageFullError, type LibraryDb } from '../adapters/storage/library-db.ts';
import { ANALYSER_VERSION } from '../core/music/emotion-model.ts';
import type { ProbeReply } from '../workers/library-worker.ts';
import { UndecodableError, type AnalyseOutcome } from '../workers/song-analysis-client.ts';
import type { LibraryDeps } from './library-deps.ts';

/** A file handed to the library, with its path inside a dropped folder. */
export interface IncomingFile {
  file: File;
  relativePath: string;
}

let keyCounter = 0;

/** Files handed to the library as the import pipeline's sources, each with a key unique in this page. */
export function importSources(files: readonly IncomingFile[]): ImportSource<File>[] {
  return files.map(({ file, relativePath }) => ({
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
}

/** An analyser's outcome as stored: stamped with the song, the time and, when known, its timings. */
export function stampAnalysis(id: SongId, outcome: Pick<AnalyseOutcome, 'analysis' | 'decoder' | 'timings'>, now: number): SongAnalysis {
  const { analysis: body, timings } = outcome;
  return {
    ...body,
    analyserVersion: body.analyserVersion || ANALYSER_VERSION,
    id,
    analysedAt: now,
    ...(timings ? { timings: { decoder: outcome.decoder, ...timings } } : {}),
  };
}

/** The analysis stored for a song that could not be analysed: it stays, and can be retried. */
export function failedAnalysis(id: SongId, error: unknown, now: number): SongAnalysis {
  const code: AnalysisErrorCode = error instanceof UndecodableError ? 'decode-failed' : 'failed';
  return {
    analyserVersion: ANALYSER_VERSION,
    status: 'error',
    features: null,
    emotion: null,
    bpm: null,
    error: { code, detail: String((error as Error)?.message ?? error) },
    id,
    analysedAt: now,
  };
}

/**
 * The analyse step: decodes (proving the file plays) and analyses. A file nothing decodes fails
 * as `corrupt` when its codec is one we read, else as `unsupported-format`.
 */
async function analyseStep(
  deps: LibraryDeps,
  source: ImportSource<File>,
  probe: ProbeReply,
  signal: AbortSignal,
  onProgress: (fraction: number) => void,
): Promise<DecodeResult<SongAnalysis>> {
  let outcome: AnalyseOutcome;
  try {
    // The worker's memory-backed copy when there is one: its excerpts are read without touching the disk again.
    outcome = await deps.analyse(probe.audio ?? source.file, probe.sniff.kind === 'audio' ? probe.sniff.format : '', {
      signal,
      onProgress,
      durationHintSeconds: probe.tags.durationSeconds,
    });
  } catch (error) {
    if (!(error instanceof UndecodableError)) throw error;
    const code = isDecodableCodec(probe.tags.codec) ? 'corrupt' : 'unsupported-format';
    throw new ImportFailure({ code, detected: probe.tags.codec ?? undefined, detail: error.message });
  }
  return {
    durationSeconds: outcome.durationSeconds,
    sampleRateHz: probe.tags.sampleRateHz ?? 0,
    channelCount: probe.tags.channelCount ?? 0,
    analysis: stampAnalysis(probe.id, outcome, deps.now()),
  };
}

/** The store step: the song, its analysis, audio and cover in one transaction; a full disk is `quota`. */
async function storeStep(db: LibraryDb, song: SongRecord, analysis: SongAnalysis, source: ImportSource<File>, probe: ProbeReply): Promise<void> {
  // The worker made a memory-backed copy (see ProbeReply.audio).
  const audio = probe.audio ?? new Blob([await source.file.arrayBuffer()], { type: song.mimeType });
  try {
    await db.putSong(song, audio, probe.artwork, analysis);
  } catch (error) {
    if (error instanceof StorageFullError) throw new ImportFailure({ code: 'quota' });
    throw error;
  }
}

/**
 * The import pipeline's steps over the library's workers and database: probe in a worker, look
 * for the song in the database, analyse (reporting progress by source key), store.
 */
export function libraryImportSteps(
  deps: LibraryDeps,
  db: LibraryDb,
  onProgress: (key: string, fraction: number) => void,
): ImportSteps<File, SongAnalysis, ProbeReply> {
  return {
    probe: (source, signal) => deps.probe(source.file, signal as AbortSignal),
    findExisting: (id) => db.getSong(id),
    analyse: (source, probe, signal) => analyseStep(deps, source, probe, signal as AbortSignal, (f) => onProgress(source.key, f)),
    store: (song, analysis, source, probe) => storeStep(db, song, analysis, source, probe),
    now: () => deps.now(),
  };
}

/** A linked file's probe: the worker's reply and the file itself (analysed next, never copied). */
export interface LinkedProbe extends ProbeReply {
  file: File;
}

/**
 * The import pipeline's steps for a linked folder: the file is found by its path, probed without
 * a copy of its bytes, analysed by the same analysis as a copied song, and stored without audio,
 * with where it lives (one transaction that also takes it off the queue). `onLinked` hears each
 * stored link.
 */
export function linkedImportSteps(
  deps: LibraryDeps,
  db: LibraryDb,
  folder: { id: string; handle: FileSystemDirectoryHandle },
  onLinked: (link: LinkRecord) => void,
): ImportSteps<ScannedFile, SongAnalysis, LinkedProbe> {
  const folders = deps.folders;
  if (!folders) throw new Error('This browser cannot link folders');
  return {
    async probe(source, signal) {
      let file: File;
      try {
        file = await folders.file(folder.handle, source.file.relativePath);
      } catch (error) {
        throw new ImportFailure({ code: 'read-failed', detail: String((error as Error)?.message ?? error) });
      }
      return { ...(await deps.probe(file, signal as AbortSignal, { keepCopy: false })), file };
    },
    async findExisting(id, source) {
      const existing = await db.getSong(id);
      if (existing?.hasAudio) {
        // A song copied into Norae before the folder was linked: its file here is remembered as
        // an ignored link, so the song keeps playing from its copy (and stays if the folder is
        // unlinked) and rescans do not offer the file again. The import says "already there" once.
        const link: LinkRecord = { id, folderId: folder.id, ...source.file, ignored: true };
        await db.putLinks([link]);
        onLinked(link);
      }
      return existing;
    },
    analyse: (source, probe, signal) => analyseStep(deps, { ...source, file: probe.file }, probe, signal as AbortSignal, () => undefined),
    async store(song, analysis, source, probe) {
      const link: LinkRecord = { id: song.id, folderId: folder.id, ...source.file };
      try {
        await db.putLinkedSong(song, link, probe.artwork, analysis);
      } catch (error) {
        if (error instanceof StorageFullError) throw new ImportFailure({ code: 'quota' });
        throw error;
      }
      onLinked(link);
    },
    now: () => deps.now(),
  };
}
