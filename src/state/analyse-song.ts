import { DecodeError, decodeAudio, mediaDurationSeconds } from '../adapters/audio/decode.ts';
import { SNIFF_HEADER_BYTES, id3v2SizeBytes, sniffAudioFormat } from '../core/library/audio-format.ts';
import type { LibraryPool } from '../workers/library-client.ts';
import {
  UndecodableError,
  analyseSongWith,
  type AnalyseOutcome,
  type DecoderChoice,
  type PageDecoders,
} from '../workers/song-analysis-client.ts';

export { UndecodableError };

/** Bytes read to recognise a file's format (an ID3v2 tag only needs its 10-byte header here). */
const SNIFF_BYTES = 4096;

/**
 * The browser's decoder, measured faster end to end by `npm run bench` on the 12 shared songs in
 * one run: import 8.1 s against 18.3 s with the worker's wasm decoders (decode 269× vs 100× real
 * time), with no main-thread task over 50 ms either way (decoding runs on the browser's own
 * thread and the samples move to the worker without a copy).
 */
const DEFAULT_DECODER: DecoderChoice = 'browser';

/** The decoder to use; `localStorage['norae.decoder']` overrides it (benchmarks, troubleshooting). */
export function preferredDecoder(): DecoderChoice {
  try {
    const forced = localStorage.getItem('norae.decoder');
    if (forced === 'wasm' || forced === 'browser') return forced;
  } catch {
    // Storage blocked: use the default.
  }
  return DEFAULT_DECODER;
}

/** The browser's own decoding, telling "cannot read this file" apart from every other failure. */
const PAGE_DECODERS: PageDecoders = {
  decode: (bytes, sampleRateHz) => undecodableOnDecodeError(decodeAudio(bytes, sampleRateHz)),
  durationSeconds: (blob) => undecodableOnDecodeError(mediaDurationSeconds(blob)),
};

async function undecodableOnDecodeError<T>(pending: Promise<T>): Promise<T> {
  try {
    return await pending;
  } catch (error) {
    if (error instanceof DecodeError) throw new UndecodableError(error.message, error);
    throw error;
  }
}

export interface AnalyseSongFileOptions {
  signal: AbortSignal;
  /** Fraction of this song done, 0 … 1. */
  onProgress?: (fraction: number) => void;
  /** Forces a decoder (else {@link preferredDecoder}). */
  decoder?: DecoderChoice;
  /** The length the tags claim, s, when known: plans the excerpts of Ogg, WAV and a FLAC without a stated length. */
  durationHintSeconds?: number;
}

/**
 * Analyses a song with the worker client, lending it the page's decoders (DOM APIs the workers
 * layer cannot reach) and the preferred decoder unless one is given; see {@link analyseSongWith}.
 */
export function analyseSong(pool: LibraryPool, blob: Blob, formatHint: string, options: AnalyseSongFileOptions): Promise<AnalyseOutcome> {
  return analyseSongWith(PAGE_DECODERS, pool, blob, formatHint, { ...options, decoder: options.decoder ?? preferredDecoder() });
}

/**
 * The analysis of one song file for any import (dropped, picked or linked `File`, or any Blob):
 * what it is is read from its first bytes, then {@link analyseSong} analyses its excerpts in
 * the pool's workers. An MP3 or a FLAC file is read range by range in the worker (≈ 1.5 MB of a
 * 4-minute 128 kbit/s MP3: its head, three 30-s excerpts; ≈ 40 % of a FLAC), so a linked file is
 * never copied whole into memory; other formats are read whole once. Rejects with `UndecodableError` when nothing
 * decodes the file, `AbortError` when `signal` fires; a song that decodes but cannot be
 * analysed resolves with an analysis of status "error".
 */
export async function analyseSongFile(pool: LibraryPool, file: Blob, options: AnalyseSongFileOptions): Promise<AnalyseOutcome> {
  const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
  const id3 = id3v2SizeBytes(head);
  // A large ID3v2 tag (a cover) hides the first frame: read just past it.
  const afterId3 = id3 > head.length ? new Uint8Array(await file.slice(id3, id3 + SNIFF_HEADER_BYTES).arrayBuffer()) : undefined;
  const sniff = sniffAudioFormat(head, afterId3);
  options.signal.throwIfAborted();
  const formatHint = sniff.kind === 'audio' ? sniff.format : (file as Partial<File>).name?.split('.').pop()?.toLowerCase() ?? '';
  return analyseSong(pool, file, formatHint, options);
}
