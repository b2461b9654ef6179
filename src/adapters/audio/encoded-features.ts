import type { AbortSignalLike } from '../../core/abort.ts';
import { SongAnalyser } from '../../core/music/song-analyser.ts';
import type { SongFeatures } from '../../core/music/song-features.ts';
import { decodeToAnalysisRate, type EncodedFormat } from './compressed-decode.ts';

export interface EncodedFeaturesOptions {
  formatHint?: string;
  signal?: AbortSignalLike;
  onProgress?: (fraction: number) => void;
}

/**
 * Wall-clock milliseconds per stage (`performance.now()`), stages interleaved chunk by chunk:
 * `decodeMs` codec + mix-down, `resampleMs` to the analysis rate, `featuresMs` the analyser
 * (frames, spectra, loudness, key, HPSS…) without tempo, `tempoMs` the tempo estimate.
 */
export interface AnalysisTimings {
  decodeMs: number;
  resampleMs: number;
  featuresMs: number;
  tempoMs: number;
}

export interface EncodedFeaturesResult {
  features: SongFeatures;
  format: EncodedFormat;
  sourceSampleRateHz: number;
  channelCount: number;
  timings: AnalysisTimings;
}

/** Decodes and analyses encoded bytes in one streaming pass (bounded memory); no emotion model. */
export async function extractEncodedFeatures(bytes: Uint8Array, opts: EncodedFeaturesOptions = {}): Promise<EncodedFeaturesResult> {
  const now = (): number => performance.now();
  const analyser = new SongAnalyser({ now });
  let featuresMs = 0;
  const decoded = await decodeToAnalysisRate(
    bytes,
    (mono) => {
      const t = now();
      analyser.push(mono);
      featuresMs += now() - t;
    },
    { formatHint: opts.formatHint, signal: opts.signal, onProgress: opts.onProgress, now },
  );
  opts.signal?.throwIfAborted();
  const t = now();
  const features = analyser.finish();
  featuresMs += now() - t - analyser.tempoMs;
  return {
    features,
    format: decoded.format,
    sourceSampleRateHz: decoded.sourceSampleRateHz,
    channelCount: decoded.channelCount,
    timings: { decodeMs: decoded.decodeMs, resampleMs: decoded.resampleMs, featuresMs, tempoMs: analyser.tempoMs },
  };
}
