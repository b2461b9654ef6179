import type { EmotionLabel } from '../../core/emotion/emotions.ts';
import type { SpeechFeatureConfig } from '../../core/speech/speech-contract.ts';

/**
 * The feature settings training writes into `models/speech-emotion/metadata.json`. This is the
 * only place they are chosen; everything else (the app, eval, CI) reads them from the metadata.
 * 16 kHz and 64 mel bands up to 8 kHz: the datasets are 16 kHz and emotion cues (pitch,
 * formants, effort, breathiness) lie below 8 kHz. 32 ms frames / 10 ms hop: the usual speech
 * analysis grid; the 512-sample frame resolves pitch harmonics in the lower bands.
 */
export const SPEECH_FEATURES: SpeechFeatureConfig = {
  sampleRateHz: 16000,
  frameSizeSamples: 512,
  hopSizeSamples: 160,
  melBandCount: 64,
  minFrequencyHz: 50,
  maxFrequencyHz: 8000,
  melScale: 'slaney',
  logFloorDb: -80,
  trimRelativeDb: 40,
  silenceFloorDbfs: -65,
  trimNoiseMarginDb: 10,
  trimPaddingSeconds: 0.1,
  minSpeechSeconds: 0.4,
  targetLoudnessDbfs: -23,
  pitchMinHz: 60,
  pitchMaxHz: 500,
  voicingThreshold: 0.5,
  windowFrames: 192,
  windowHopFrames: 96,
  segmentMaxFrames: 800,
};

/** The classes the voice model outputs (our taxonomy minus contempt, which no corpus here has). */
export const SPEECH_LABELS: EmotionLabel[] = ['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgust', 'surprised'];

/**
 * RAVDESS actors never used for training or model selection: the shipped model's honest
 * held-out figure, and what CI re-checks. Two male (odd), two female (even).
 */
export const HELD_OUT_ACTORS = [17, 18, 19, 20];

/** Cross-validation folds over the 16 development actors: 2 male + 2 female each. */
export const CV_FOLDS: number[][] = [
  [1, 2, 9, 10],
  [3, 4, 11, 12],
  [5, 6, 13, 14],
  [7, 8, 15, 16],
];

/** RAVDESS speaker id (`ravdess_07`) → actor number, or null for other corpora. */
export function ravdessActor(speaker: string): number | null {
  const match = /^ravdess_(\d+)$/.exec(speaker);
  return match ? Number(match[1]) : null;
}
