import type { AffectPoint } from '../emotion/circumplex.ts';
import { EMOTIONS, EMOTION_COORDINATES, normaliseDistribution, type EmotionLabel } from '../emotion/emotions.ts';
import type { ModalityReading } from '../emotion/fusion.ts';
import { feelingWordsReading, feelingWordsWeight, type FeelingWord } from './korean-feelings.ts';
import { hangulShare } from './text-features.ts';
import type { TextModelMetadata, TextModelOutput } from './text-model.ts';

/** Which language a text is read as: Korean by Norae's net, English by a lexicon, anything else not at all. */
export type TextLanguage = 'ko' | 'en' | 'other';

/** What a few typed words said: the same reading the voice and face give, and how it was made. */
export interface TextReading extends ModalityReading {
  language: TextLanguage;
  /** `model`: Norae's Korean net; `lexicon`: the English word lists; `none`: nothing readable. */
  reader: 'model' | 'lexicon' | 'none';
  /** Features (net) or emotion words (lexicon) the text gave; 0 means it said nothing we can read. */
  featureCount: number;
  /** How far this reader can be trusted: what fusion weighs the words by. */
  reliability: TextReliability;
  /** The feeling words that shaped the reading, as written (shown as the reading's "why"). */
  cues: string[];
}

/** Per-emotion recall and the valence/arousal correlations of a reader (metadata `reliability`). */
export interface TextReliability {
  perEmotion: Partial<Record<EmotionLabel, number>>;
  valence: number;
  arousal: number;
}

/**
 * The English lexicon's reliability, as a share of the Korean net's measured one. A guess, not a
 * measurement (no English text with feelings is in the shared data): half, because a lexicon
 * reads words, not how they are meant. The model card says so.
 */
export const LEXICON_RELIABILITY_FACTOR = 0.5;

const NO_RELIABILITY: TextReliability = { perEmotion: {}, valence: 0, arousal: 0 };

/**
 * Korean when at least 30 % of the letters are Hangul (a Korean sentence with an English word
 * stays Korean), English when most letters are Latin, otherwise none we read.
 */
export function languageOf(text: string): TextLanguage {
  if (hangulShare(text) >= 0.3) return 'ko';
  const letters = text.match(/\p{L}/gu) ?? [];
  const latin = letters.filter((c) => /[a-z]/i.test(c)).length;
  return letters.length > 0 && latin / letters.length >= 0.5 ? 'en' : 'other';
}

/** Fewer features than this (a letter or two) is too little to read with any confidence. */
const MIN_MODEL_FEATURES = 4;

/** The net's output as a reading: its calibrated distribution, its own valence and arousal. */
export function readingFromModel(meta: Pick<TextModelMetadata, 'classes' | 'unsureBelow' | 'reliability'>, out: TextModelOutput): TextReading {
  const scores: Partial<Record<EmotionLabel, number>> = {};
  meta.classes.forEach((label, i) => (scores[label] = out.probabilities[i]));
  const distribution = normaliseDistribution(scores);
  const confidence = Math.max(...EMOTIONS.map((l) => distribution[l]));
  return {
    distribution,
    valence: out.valence,
    arousal: out.arousal,
    confidence,
    unsure: confidence < meta.unsureBelow || out.featureCount < MIN_MODEL_FEATURES,
    language: 'ko',
    reader: 'model',
    featureCount: out.featureCount,
    reliability: meta.reliability,
    cues: [],
  };
}

/**
 * The net's reading with the feeling words' (korean-feelings.ts) blended in: each axis and each
 * emotion's share is (1 − w) × the net's + w × the words', w growing with the words found (0.6
 * for one, at most 0.85). Without feeling words the net's reading is returned as it is.
 */
export function withFeelingWords(reading: TextReading, words: readonly FeelingWord[]): TextReading {
  const lexicon = feelingWordsReading(words);
  if (!lexicon) return reading;
  const w = feelingWordsWeight(words.length);
  const scores: Partial<Record<EmotionLabel, number>> = {};
  for (const label of EMOTIONS) scores[label] = (1 - w) * reading.distribution[label] + w * lexicon.distribution[label];
  const distribution = normaliseDistribution(scores);
  return {
    ...reading,
    distribution,
    valence: (1 - w) * reading.valence + w * lexicon.point.valence,
    arousal: (1 - w) * reading.arousal + w * lexicon.point.arousal,
    confidence: Math.max(...EMOTIONS.map((l) => distribution[l])),
    unsure: false,
    cues: words.map((word) => word.word),
  };
}

/** One English emotion word the lexicon found, with what it says (after negation). */
export interface LexiconHit {
  word: string;
  /** AFINN-165 score, −5…5 (sign flipped when negated). */
  valence?: number;
  /** Norae's arousal word list, −1…1 (0 when negated: "not tired" is not "energetic"). */
  arousal?: number;
}

/** Spread of the distribution a lexicon point implies, in plane units. */
const LEXICON_SPREAD = 0.35;

/**
 * An English reading from word lists: valence from the AFINN sum (tanh(sum / 5): one "happy"
 * reads 0.54, two strong words saturate), arousal from the mean of the arousal words plus a
 * little for exclamation marks, emotions from the point (a soft nearest-emotion vote; the
 * lexicon has no contempt). Confidence grows with the words found and stays low: a lexicon
 * reads words, not how they are meant.
 */
export function readingFromLexicon(hits: readonly LexiconHit[], exclamations: number, modelReliability: TextReliability): TextReading {
  const valenceHits = hits.filter((h) => h.valence !== undefined);
  const arousalHits = hits.filter((h) => h.arousal !== undefined);
  if (valenceHits.length === 0 && arousalHits.length === 0) {
    return emptyTextReading('en');
  }
  const sum = valenceHits.reduce((s, h) => s + (h.valence ?? 0), 0);
  const valence = Math.tanh(sum / 5);
  const meanArousal = arousalHits.length > 0 ? arousalHits.reduce((s, h) => s + (h.arousal ?? 0), 0) / arousalHits.length : 0;
  const arousal = Math.max(-1, Math.min(1, meanArousal + 0.1 * Math.min(3, exclamations)));
  const distribution = distributionNear({ valence, arousal });
  const count = valenceHits.length + arousalHits.length;
  const confidence = Math.min(0.6, 0.25 + 0.1 * count);
  const f = LEXICON_RELIABILITY_FACTOR;
  const reliability: TextReliability = {
    perEmotion: Object.fromEntries(Object.entries(modelReliability.perEmotion).map(([label, r]) => [label, r * f])),
    valence: modelReliability.valence * f,
    arousal: modelReliability.arousal * f,
  };
  const cues = [...new Set(hits.map((h) => h.word))];
  return { distribution, valence, arousal, confidence, unsure: count < 2, language: 'en', reader: 'lexicon', featureCount: count, reliability, cues };
}

/** Emotions weighted by closeness to a point (Gaussian in plane units); contempt excluded. */
export function distributionNear(point: AffectPoint): Record<EmotionLabel, number> {
  const scores: Partial<Record<EmotionLabel, number>> = {};
  for (const label of EMOTIONS) {
    if (label === 'contempt') continue;
    const c = EMOTION_COORDINATES[label];
    const d2 = (c.valence - point.valence) ** 2 + (c.arousal - point.arousal) ** 2;
    scores[label] = Math.exp(-d2 / (2 * LEXICON_SPREAD ** 2));
  }
  return normaliseDistribution(scores);
}

/** A reading for text that could not be read (no letters, another language). */
export function emptyTextReading(language: TextLanguage): TextReading {
  return { distribution: normaliseDistribution({ neutral: 1 }), valence: 0, arousal: 0, confidence: 0, unsure: true, language, reader: 'none', featureCount: 0, reliability: NO_RELIABILITY, cues: [] };
}
