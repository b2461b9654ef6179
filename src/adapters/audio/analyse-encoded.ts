import type { AbortSignalLike } from '../../core/abort.ts';
import { downmixToMono } from '../../core/audio/downmix.ts';
import { StreamingResampler } from '../../core/audio/resample.ts';
import { AnalysisError } from '../../core/music/analysis-error.ts';
import { ANALYSIS_SAMPLE_RATE_HZ, SongAnalyser } from '../../core/music/song-analyser.ts';
import { predictSongEmotion, type MusicEmotionModel, type SongEmotion } from '../../core/music/emotion-model.ts';
import { SHIPPED_MUSIC_EMOTION_MODEL } from '../../core/music/shipped-model.ts';
import type { SongFeatures } from '../../core/music/song-features.ts';
import { extractEncodedFeatures, type AnalysisTimings } from './encoded-features.ts';

export interface AnalyseEncodedOptions {
  /** File extension or MIME type (only used when the magic bytes are ambiguous). */
  formatHint?: string;
  signal?: AbortSignalLike;
  /** Fraction of the input consumed, 0 … 1. */
  onProgress?: (fraction: number) => void;
  /** Defaults to the shipped model. */
  model?: MusicEmotionModel;
}

export interface AnalyseEncodedResult {
  features: SongFeatures;
  emotion: SongEmotion;
  /** Milliseconds per stage, measured with `performance.now()` (see {@link AnalysisTimings}). */
  timings: AnalysisTimings;
}

/**
 * Decodes (MP3, FLAC, Ogg Vorbis/Opus, WAV; streaming, bounded memory), analyses and places a
 * song on the valence–arousal plane. The one code path for the app's analysis worker and the
 * Node evaluation command. Throws `AnalysisError` (`unsupported-format` for M4A/AAC and
 * others — decode those with the browser and call `analyseMono` — or `corrupt-data`,
 * `too-short`, `non-finite-samples`) and `AbortError` when the signal fires between chunks.
 */
export async function analyseEncodedAudio(bytes: Uint8Array, opts: AnalyseEncodedOptions = {}): Promise<AnalyseEncodedResult> {
  const result = await extractEncodedFeatures(bytes, { formatHint: opts.formatHint, signal: opts.signal, onProgress: opts.onProgress });
  const emotion = predictSongEmotion(result.features, opts.model ?? SHIPPED_MUSIC_EMOTION_MODEL);
  return { features: result.features, emotion, timings: result.timings };
}

/** Frames per step of {@link analysePcm}: bounded scratch memory whatever the song length. */
const PCM_CHUNK_FRAMES = 1 << 16;

/**
 * The same analysis for PCM decoded elsewhere (the browser's `decodeAudioData` for M4A/AAC):
 * channels at any rate are mixed down and resampled chunk by chunk (no full-length mono copy)
 * and analysed with the same analyser and model as {@link analyseEncodedAudio}. `timings.decodeMs`
 * is 0 here (the caller decoded); `decodeMs` of the caller's own decode can be added to it.
 */
export function analysePcm(
  channels: readonly Float32Array[],
  sampleRateHz: number,
  opts: Omit<AnalyseEncodedOptions, 'formatHint'> = {},
): AnalyseEncodedResult {
  if (channels.length === 0) throw new AnalysisError('too-short', 'no audio channels');
  if (!(sampleRateHz >= 1000 && sampleRateHz <= 768_000)) throw new AnalysisError('invalid-sample-rate', `unsupported sample rate ${sampleRateHz} Hz`);
  const now = (): number => performance.now();
  const analyser = new SongAnalyser({ now });
  const resampler = new StreamingResampler({ inputRateHz: sampleRateHz, outputRateHz: ANALYSIS_SAMPLE_RATE_HZ });
  const frames = Math.min(...channels.map((c) => c.length));
  const mono = new Float32Array(Math.min(PCM_CHUNK_FRAMES, Math.max(1, frames)));
  let resampleMs = 0;
  let featuresMs = 0;
  for (let offset = 0; offset < frames; offset += PCM_CHUNK_FRAMES) {
    opts.signal?.throwIfAborted();
    const count = Math.min(PCM_CHUNK_FRAMES, frames - offset);
    const t0 = now();
    const mixed = downmixToMono(channels.map((c) => c.subarray(offset, offset + count)), count, mono);
    const resampled = resampler.push(mixed);
    const t1 = now();
    analyser.push(resampled);
    const t2 = now();
    resampleMs += t1 - t0;
    featuresMs += t2 - t1;
    opts.onProgress?.(Math.min(1, (offset + count) / frames));
  }
  const t3 = now();
  const tail = resampler.flush();
  const t4 = now();
  analyser.push(tail);
  const features = analyser.finish();
  const t5 = now();
  resampleMs += t4 - t3;
  featuresMs += t5 - t4 - analyser.tempoMs;
  const emotion = predictSongEmotion(features, opts.model ?? SHIPPED_MUSIC_EMOTION_MODEL);
  opts.onProgress?.(1);
  return { features, emotion, timings: { decodeMs: 0, resampleMs, featuresMs, tempoMs: analyser.tempoMs } };
}
