import type { AbortSignalLike } from '../../core/abort.ts';
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
