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
  spectralSubtractionFactor: 2,
  spectralFloorDb: -15,
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
 * The valence and arousal the voice model's two regression outputs are trained toward, per
 * corpus label (−1…1). Arousal is the voice's activation: positive for the aroused emotions
 * (angry, happy, fearful, surprised, and mildly disgust), negative for the relaxed ones (neutral,
 * sad, calm, bored), so its sign answers "high or low arousal" — the split the cross-corpus
 * speech-emotion literature scores (Schuller et al. 2010, "Cross-corpus acoustic emotion
 * recognition"). Valence: pleasant (happy, surprised, calm) positive, unpleasant negative,
 * neutral 0. Acted happy speech is excited, so it sits higher in arousal than Russell's
 * "happy" (emotions.ts), which describes a feeling, not a voice.
 * RAVDESS "calm" and EmoDB "boredom" are not among our emotions, but they are exactly the
 * low-arousal voices the other corpora lack: they teach the plane (see EXTRA_LABELS).
 */
export const AFFECT_TARGETS: Record<string, [number, number]> = {
  neutral: [0, -0.25],
  calm: [0.35, -0.55],
  boredom: [-0.35, -0.55],
  happy: [0.7, 0.45],
  surprised: [0.35, 0.7],
  angry: [-0.6, 0.7],
  fearful: [-0.6, 0.5],
  disgust: [-0.6, 0.25],
  sad: [-0.6, -0.45],
};

/**
 * Corpus labels that are not one of the model's emotions, and what training does with them:
 * `affect` (valence/arousal targets only, no class), `drop`, or an emotion to train them as.
 */
export const EXTRA_LABELS: Record<string, string> = { calm: 'affect', boredom: 'affect' };

/** The corpora training reads from the data folder (each `<name>/manifest.csv`), all required. */
export const SPEECH_CORPORA = ['ravdess', 'emodb', 'korean'] as const;

/** Speaker-grouped cross-validation folds. */
export const CV_FOLD_COUNT = 5;

/**
 * Which sentence a clip reads, from the corpus's file naming: RAVDESS's statement field (2
 * sentences), EmoDB's text code (10), the Korean clip number within its emotion block (5 news
 * sentences, the same for every speaker and emotion). '' when unknown.
 */
export function sentenceOf(corpus: string, file: string): string {
  const name = file.split('/').pop() ?? '';
  if (corpus === 'ravdess') return name.split('-')[4] ?? '';
  if (corpus === 'emodb') return name.slice(2, 5);
  if (corpus === 'korean') {
    const number = /(\d+)\.\w+$/.exec(name);
    return number ? String(Number(number[1]) % 100) : '';
  }
  return '';
}

/**
 * Sentences each cross-validation fold also keeps out of training, for corpora with enough of them
 * (EmoDB's 10, the Korean 5; RAVDESS has only 2): `corpus:sentence` keys, dealt round-robin. A
 * fold's model then never heard its test speakers, nor these sentences from anyone, so part of
 * each test speaker's clips are both an unseen voice and an unseen sentence.
 */
export function sentenceFolds(clips: readonly { corpus: string; sentence: string }[], foldCount = CV_FOLD_COUNT): string[][] {
  const folds: string[][] = Array.from({ length: foldCount }, () => []);
  const corpora = [...new Set(clips.map((c) => c.corpus))].sort();
  for (const corpus of corpora) {
    const sentences = [...new Set(clips.filter((c) => c.corpus === corpus && c.sentence).map((c) => c.sentence))].sort();
    if (sentences.length < foldCount) continue;
    sentences.forEach((sentence, i) => folds[i % foldCount].push(`${corpus}:${sentence}`));
  }
  return folds;
}

/**
 * Speaker-grouped folds over every corpus: within each corpus, speakers sorted by gender then
 * id are dealt round-robin, so each fold holds out speakers of every corpus and both genders
 * (with 5 folds: 4 RAVDESS actors, 2 EmoDB speakers and 1 Korean speaker per fold).
 */
export function speakerFolds(speakers: readonly { speaker: string; corpus: string; gender: string }[], foldCount = CV_FOLD_COUNT): string[][] {
  const folds: string[][] = Array.from({ length: foldCount }, () => []);
  const unique = new Map(speakers.map((s) => [s.speaker, s]));
  const corpora = [...new Set([...unique.values()].map((s) => s.corpus))].sort();
  for (const corpus of corpora) {
    const list = [...unique.values()].filter((s) => s.corpus === corpus).sort((a, b) => a.gender.localeCompare(b.gender) || a.speaker.localeCompare(b.speaker));
    list.forEach((s, i) => folds[i % foldCount].push(s.speaker));
  }
  return folds;
}
