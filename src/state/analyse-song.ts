import { DecodeError, decodeAudio, mediaDurationSeconds } from '../adapters/audio/decode.ts';
import type { LibraryPool } from '../workers/library-client.ts';
import {
  UndecodableError,
  analyseSongWith,
  type AnalyseOutcome,
  type DecoderChoice,
  type PageDecoders,
} from '../workers/song-analysis-client.ts';

export { UndecodableError };

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

/**
 * Analyses a song with the worker client, lending it the page's decoders (DOM APIs the workers
 * layer cannot reach) and the preferred decoder unless one is given; see {@link analyseSongWith}.
 */
export function analyseSong(
  pool: LibraryPool,
  blob: Blob,
  formatHint: string,
  options: { signal: AbortSignal; onProgress?: (fraction: number) => void; decoder?: DecoderChoice },
): Promise<AnalyseOutcome> {
  return analyseSongWith(PAGE_DECODERS, pool, blob, formatHint, { ...options, decoder: options.decoder ?? preferredDecoder() });
}
