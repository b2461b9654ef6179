import type { AnalysisBody, AnalysisTimings, SongAnalysis } from '../core/library/analysis.ts';
import { ANALYSIS_SAMPLE_RATE_HZ } from '../core/music/analysis-frame.ts';
import { ANALYSER_VERSION } from '../core/music/emotion-model.ts';
import type { LibraryPool } from './library-client.ts';
import { WorkerTaskError } from './worker-pool.ts';

export interface AnalyseOutcome {
  /** Decoded duration: the truth about how long the song plays. */
  durationSeconds: number;
  analysis: AnalysisBody;
  /** Which decoder produced the samples. */
  decoder: 'wasm-worker' | 'browser';
  timings: Omit<AnalysisTimings, 'decoder'> | null;
}

/** Neither our decoders nor the browser's could decode the file. */
export class UndecodableError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'UndecodableError';
  }
}

/**
 * Which decoder analyses a song: our wasm decoders in the worker, or the browser's own
 * (decodeAudioData on the page; for MP3 excerpts, WebCodecs in the worker).
 */
export type DecoderChoice = 'wasm' | 'browser';

/**
 * What only the page can do, lent by the state layer: the browser's decoder and its media
 * element are DOM APIs, which this layer's `lib` (WebWorker) leaves out. Both reject with
 * {@link UndecodableError} when the browser cannot read the file.
 */
export interface PageDecoders {
  /** Decodes a whole file, resampled to `sampleRateHz`: one Float32Array per channel. */
  decode(bytes: ArrayBuffer, sampleRateHz: number): Promise<{ sampleRateHz: number; channels: Float32Array[]; durationSeconds: number }>;
  /** A file's playing length in seconds, read by a media element from its header (never decoded). */
  durationSeconds(blob: Blob): Promise<number>;
}

export interface AnalyseSongOptions {
  signal: AbortSignal;
  onProgress?: (fraction: number) => void;
  decoder: DecoderChoice;
  /** The length the tags claim, s: plans the excerpts of formats our decoders read as one stream. */
  durationHintSeconds?: number;
}

/**
 * Formats the worker reads excerpt by excerpt (byte ranges): they always go to the worker first,
 * whatever the decoder preference, since the browser's decoder would decode the whole file (and
 * hold all of it, decoded, in the page: ≈ 70 MB for a 4-minute FLAC).
 */
const SLICED_IN_WORKER = new Set(['mp3', 'flac', 'm4a', 'ogg-vorbis', 'ogg-opus']);

/**
 * Above this size a file is only ever decoded by the worker's streaming decoders: the browser's
 * decoder holds the whole file and the whole decoded song in the page's memory (an hour at
 * 11 kHz stereo is ~320 MB), so it never runs on one, not even as a fallback.
 */
export const BROWSER_DECODE_MAX_BYTES = 60 * 1024 * 1024;

const isAbort = (error: unknown): boolean => (error as { name?: string } | null)?.name === 'AbortError';
/** Errors from the worker that mean "these bytes are not audio we can decode there". */
const DECODER_ERRORS = new Set(['UnsupportedFormatError', 'DecodeError', 'CompressedDecodeError']);

/**
 * Analyses a song's excerpts (up to three 30-s parts; see core/music/excerpts.ts): an MP3, FLAC,
 * M4A or Ogg Vorbis/Opus file is read range by range and decoded in a worker (WebCodecs or our
 * wasm decoders; an M4A the worker cannot decode, or a short one, goes to the browser's decoder
 * as before); other formats by the preferred decoder (our wasm decoders in the worker for WAV; the browser's own for
 * M4A/AAC, WebM and what ours reject, its samples going to the worker). The page never blocks.
 * A file neither decodes is `UndecodableError`; a file that decodes but cannot be analysed gets
 * an analysis with status "error" (it still plays).
 */
export async function analyseSongWith(
  page: PageDecoders,
  pool: LibraryPool,
  blob: Blob,
  formatHint: string,
  options: AnalyseSongOptions,
): Promise<AnalyseOutcome> {
  const { signal, onProgress, decoder, durationHintSeconds } = options;
  const browserMayDecode = blob.size <= BROWSER_DECODE_MAX_BYTES;
  if (decoder === 'browser' && browserMayDecode && !SLICED_IN_WORKER.has(formatHint)) {
    try {
      return await analyseWithBrowserDecoder(page, pool, blob, options);
    } catch (error) {
      if (!(error instanceof UndecodableError)) throw error;
      // Our own decoders sometimes read what the browser's refuses; try them before giving up.
    }
  }
  try {
    // "wasm" keeps every decode in our wasm decoders; "browser" lets the worker use the browser's WebCodecs MP3 decoder.
    const webCodecs = decoder === 'browser';
    const reply = await pool.run('analyseFile', { file: blob, formatHint, durationHintSeconds, webCodecs }, { signal, onProgress });
    return { durationSeconds: reply.durationSeconds, analysis: reply.analysis, decoder: 'wasm-worker', timings: reply.timings };
  } catch (error) {
    if (isAbort(error)) throw error;
    if (!(error instanceof WorkerTaskError)) throw error;
    if (DECODER_ERRORS.has(error.name)) {
      if (browserMayDecode) return analyseWithBrowserDecoder(page, pool, blob, options);
      // Too large for the browser's decoder and not a format our streaming decoders read (a long
      // M4A, say): kept if it plays, marked as not analysed.
      return playableButNotAnalysed(page, blob, 'too-large', error.message);
    }
    // The worker died (out of memory), stalled or answered garbage: prove the song plays without
    // decoding it here, keep it, and record why so the user can retry.
    const code = error.name === 'WorkerError' ? 'worker-crashed' : error.name === 'WorkerTimeout' ? 'timed-out' : 'failed';
    return playableButNotAnalysed(page, blob, code, error.message);
  }
}

async function playableButNotAnalysed(
  page: PageDecoders,
  blob: Blob,
  code: NonNullable<SongAnalysis['error']>['code'],
  detail: string,
): Promise<AnalyseOutcome> {
  const durationSeconds = await page.durationSeconds(blob);
  return { durationSeconds, analysis: failedAnalysis(code, detail), decoder: 'browser', timings: null };
}

async function analyseWithBrowserDecoder(
  page: PageDecoders,
  pool: LibraryPool,
  blob: Blob,
  { signal, onProgress }: { signal: AbortSignal; onProgress?: (fraction: number) => void },
): Promise<AnalyseOutcome> {
  const decodeStart = performance.now();
  const decoded = await page.decode(await blob.arrayBuffer(), ANALYSIS_SAMPLE_RATE_HZ);
  // The decoded channels move to the worker without a copy (their buffers are transferable);
  // the worker mixes them down, so the page does no per-sample work at all.
  const channels = decoded.channels;
  const decodeMs = performance.now() - decodeStart;
  signal.throwIfAborted();
  const reply = await pool.run(
    'analysePcm',
    { channels, sampleRateHz: decoded.sampleRateHz },
    { signal, onProgress, transfer: channels.map((c) => c.buffer) },
  );
  return {
    durationSeconds: decoded.durationSeconds,
    analysis: reply.analysis,
    decoder: 'browser',
    timings: { ...reply.timings, decodeMs },
  };
}

function failedAnalysis(code: NonNullable<SongAnalysis['error']>['code'], detail: string): AnalysisBody {
  return { analyserVersion: ANALYSER_VERSION, status: 'error', features: null, emotion: null, bpm: null, error: { code, detail } };
}
