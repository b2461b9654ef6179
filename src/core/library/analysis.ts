import type { MoodId } from '../emotion/circumplex.ts';
import type { SongId } from './song.ts';

/** How much one feature pushed a song along one axis (signed, in the model's score units). */
export interface FeatureContribution {
  feature: string;
  value: number;
}

/** Where a song sits on the valence–arousal plane, and why. */
export interface SongEmotionRecord {
  valence: number;
  arousal: number;
  mood: MoodId;
  intensity: number;
  contributions: { valence: FeatureContribution[]; arousal: FeatureContribution[] };
}

/** Why analysis failed; the song stays in the library and can be retried. */
export type AnalysisErrorCode =
  | 'silent'
  | 'too-short'
  | 'decode-failed'
  | 'invalid-audio'
  | 'worker-crashed'
  | 'timed-out'
  | 'too-large'
  | 'failed';

/**
 * The stored result of analysing one song with one analyser version. When the app's analyser
 * version differs, the song is re-analysed in the background.
 */
export interface SongAnalysis {
  id: SongId;
  analyserVersion: string;
  /** Epoch milliseconds. */
  analysedAt: number;
  status: 'ok' | 'error';
  /** Named feature values with units in their names (see the music model card). */
  features: Record<string, number> | null;
  emotion: SongEmotionRecord | null;
  bpm: number | null;
  error: { code: AnalysisErrorCode; detail?: string } | null;
  /** How long each stage took and which decoder ran (diagnostics and the benchmark). */
  timings?: AnalysisTimings;
  /**
   * The parts of the song that were analysed, in seconds from its start (up to three 30-s
   * excerpts, or the whole of a short song); absent on analyses from before excerpts.
   */
  excerpts?: Array<{ startSeconds: number; durationSeconds: number }>;
}

export interface AnalysisTimings {
  decoder: 'wasm-worker' | 'browser';
  decodeMs: number;
  featuresMs: number;
  tempoMs: number;
}

/** An analysis as produced by the analyser, before the library stamps it with song id and time. */
export type AnalysisBody = Omit<SongAnalysis, 'id' | 'analysedAt'>;

/**
 * True when a song should be (re-)analysed in the background: never analysed, or analysed by
 * another analyser version. A failure with this version waits for the user's "retry".
 */
export function needsAnalysis(analysis: SongAnalysis | undefined, analyserVersion: string): boolean {
  return !analysis || analysis.analyserVersion !== analyserVersion;
}
