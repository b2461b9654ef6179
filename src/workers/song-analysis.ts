import type { AnalysisBody, AnalysisErrorCode } from '../core/library/analysis.ts';
import { downmixToMono } from '../core/audio/downmix.ts';
import { AnalysisError } from '../core/music/analysis-error.ts';
import { ANALYSER_VERSION, predictSongEmotion } from '../core/music/emotion-model.ts';
import { SHIPPED_MUSIC_EMOTION_MODEL } from '../core/music/shipped-model.ts';
import { analyseMono } from '../core/music/song-analyser.ts';
import type { SongFeatures } from '../core/music/song-features.ts';
import type { SongEmotion } from '../core/music/emotion-model.ts';
import { analyseEncodedAudio } from '../adapters/audio/analyse-encoded.ts';

export type { AnalysisBody };

/** What analysing a song returns to the page: the analysis to store, the decoded length, timings. */
export interface AnalyseReply {
  analysis: AnalysisBody;
  durationSeconds: number;
  timings: { decodeMs: number; featuresMs: number; tempoMs: number };
}

/** An error the page recognises by name: "our decoders cannot read this; try the browser's". */
class DecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecodeError';
  }
}

const ANALYSIS_CODES: Partial<Record<string, AnalysisErrorCode>> = {
  'too-short': 'too-short',
  'non-finite-samples': 'invalid-audio',
  'invalid-sample-rate': 'invalid-audio',
};

function ok(features: SongFeatures, emotion: SongEmotion): AnalysisBody {
  return {
    analyserVersion: ANALYSER_VERSION,
    status: 'ok',
    features: { ...features },
    emotion,
    bpm: features.tempoBpm > 0 ? features.tempoBpm : null,
    error: null,
  };
}

/** Turns the analyser's refusals into a stored failure (the song still plays) or a decode error. */
function failure(error: unknown, durationSeconds: number): AnalyseReply {
  if (error instanceof AnalysisError && (error.code === 'unsupported-format' || error.code === 'corrupt-data')) {
    throw new DecodeError(error.message);
  }
  if ((error as { name?: string } | null)?.name === 'AbortError') throw error;
  const code = error instanceof AnalysisError ? (ANALYSIS_CODES[error.code] ?? 'failed') : 'failed';
  return {
    analysis: {
      analyserVersion: ANALYSER_VERSION,
      status: 'error',
      features: null,
      emotion: null,
      bpm: null,
      error: { code, detail: (error as Error)?.message ?? String(error) },
    },
    durationSeconds,
    timings: { decodeMs: 0, featuresMs: 0, tempoMs: 0 },
  };
}

/** Decodes with our wasm decoders and analyses, streaming (a one-hour file stays small in memory). */
export async function analyseEncoded(bytes: Uint8Array, formatHint: string, onProgress: (f: number) => void): Promise<AnalyseReply> {
  try {
    const { features, emotion, timings } = await analyseEncodedAudio(bytes, { formatHint, onProgress });
    return {
      analysis: ok(features, emotion),
      durationSeconds: features.durationSeconds,
      timings: { decodeMs: timings.decodeMs + timings.resampleMs, featuresMs: timings.featuresMs, tempoMs: timings.tempoMs },
    };
  } catch (error) {
    if (error instanceof AnalysisError && error.code === 'too-short') {
      // Too short to analyse is not undecodable: let the page decode it to learn its length.
      throw new DecodeError(error.message);
    }
    return failure(error, 0);
  }
}

/** Analyses samples the browser decoded (M4A/AAC, WebM, or what our decoders rejected). */
export function analyseChannels(channels: Float32Array[], sampleRateHz: number, onProgress: (f: number) => void): AnalyseReply {
  const durationSeconds = channels[0] ? channels[0].length / sampleRateHz : 0;
  try {
    const start = performance.now();
    const features = analyseMono(downmixToMono(channels), sampleRateHz, { onProgress });
    const featuresMs = performance.now() - start;
    return {
      analysis: ok(features, predictSongEmotion(features, SHIPPED_MUSIC_EMOTION_MODEL)),
      durationSeconds,
      timings: { decodeMs: 0, featuresMs, tempoMs: 0 },
    };
  } catch (error) {
    return failure(error, durationSeconds);
  }
}
