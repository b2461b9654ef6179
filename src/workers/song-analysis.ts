import type { AnalysisBody, AnalysisErrorCode } from '../core/library/analysis.ts';
import { AnalysisError } from '../core/music/analysis-error.ts';
import { ANALYSER_VERSION } from '../core/music/emotion-model.ts';
import type { SongFeatures } from '../core/music/song-features.ts';
import type { SongEmotion } from '../core/music/emotion-model.ts';
import { analyseBlobExcerpts, analysePcmExcerpts, type AnalyseExcerptsResult } from '../adapters/audio/analyse-excerpts.ts';

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

function ok(features: SongFeatures, emotion: SongEmotion, excerpts: AnalyseExcerptsResult['excerpts']): AnalysisBody {
  return {
    analyserVersion: ANALYSER_VERSION,
    status: 'ok',
    features: { ...features },
    emotion,
    bpm: features.tempoBpm > 0 ? features.tempoBpm : null,
    error: null,
    excerpts,
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

/**
 * Decodes with our wasm decoders and analyses the song's excerpts, reading from the Blob only
 * what the format needs (an MP3's excerpts are byte ranges; see `analyseBlobExcerpts`).
 * `durationHintSeconds` (the tags' claim) plans the excerpts of formats decoded as one stream;
 * `webCodecs: false` keeps MP3 on the wasm decoder (the "wasm" decoder choice).
 */
export async function analyseEncoded(
  file: Blob,
  formatHint: string,
  options: { durationHintSeconds?: number; webCodecs?: boolean },
  onProgress: (f: number) => void,
): Promise<AnalyseReply> {
  try {
    const result = await analyseBlobExcerpts(file, { formatHint, ...options, onProgress });
    const { timings } = result;
    return {
      analysis: ok(result.features, result.emotion, result.excerpts),
      durationSeconds: result.durationSeconds,
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

/** Analyses the excerpts of samples the browser decoded (M4A/AAC, WebM, or what our decoders rejected). */
export function analyseChannels(channels: Float32Array[], sampleRateHz: number, onProgress: (f: number) => void): AnalyseReply {
  const durationSeconds = channels[0] ? channels[0].length / sampleRateHz : 0;
  try {
    const result = analysePcmExcerpts(channels, sampleRateHz, { onProgress });
    const { timings } = result;
    return {
      analysis: ok(result.features, result.emotion, result.excerpts),
      durationSeconds,
      timings: { decodeMs: 0, featuresMs: timings.resampleMs + timings.featuresMs, tempoMs: timings.tempoMs },
    };
  } catch (error) {
    return failure(error, durationSeconds);
  }
}
