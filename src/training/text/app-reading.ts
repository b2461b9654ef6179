import { EMOTIONS, type EmotionLabel } from '../../core/emotion/emotions.ts';
import { findFeelingWords } from '../../core/text/korean-feelings.ts';
import { normaliseText, tokenise } from '../../core/text/text-features.ts';
import type { TextModelMetadata } from '../../core/text/text-model.ts';
import { readingFromModel, withFeelingWords, type TextReading, type TextReliability } from '../../core/text/text-reading.ts';
import { koteFigures, pooledValenceR, ratingFigures, softmax, type KoteFigures, type KotePrediction, type RatingFigures } from './metrics.ts';

/**
 * What the app reads from a Korean text, rebuilt from the net's raw output: the app no longer
 * reads Korean with the net alone — `TextEmotionReader.read` blends the net's reading with the
 * feeling words it finds (`withFeelingWords`, src/core/text/korean-feelings.ts). Training scores
 * this "app reading" on out-of-fold net outputs beside the net's own, and fusion's reliabilities
 * (metadata.json) come from it, since it is what fusion weighs.
 */

/** The net's raw output for one text, as train_text.py writes it (8 logits, tanh'd valence and arousal). */
export interface NetOutput {
  logits: readonly number[];
  valence: number;
  arousal: number;
}

/**
 * The net's reading and the app's, from a raw output: probabilities = softmax(logits / T) in
 * float32 (as `runTextModel` makes them), then the core's own `readingFromModel` and
 * `withFeelingWords(…, findFeelingWords(tokenise(normaliseText(text))))` — the two steps of
 * `TextEmotionReader.read` for Korean text.
 */
export function appReading(
  meta: Pick<TextModelMetadata, 'classes' | 'unsureBelow' | 'reliability'>,
  out: NetOutput,
  temperature: number,
  text: string,
  featureCount: number,
): { net: TextReading; app: TextReading } {
  const net = readingFromModel(meta, { probabilities: Float32Array.from(softmax(out.logits, temperature)), valence: out.valence, arousal: out.arousal, featureCount });
  return { net, app: withFeelingWords(net, findFeelingWords(tokenise(normaliseText(text)))) };
}

/** What the figures need of a reading (the app's `TextReading`). */
export interface ReadingLike {
  distribution: Record<EmotionLabel, number>;
  valence: number;
  arousal: number;
  confidence: number;
  /** Feeling words found (empty: the net's reading as it is). */
  cues: readonly string[];
}

/** A KOTE comment's targets (as `koteFigures` takes them). */
export type KoteTarget = Pick<KotePrediction, 'target' | 'targetValence' | 'targetArousal' | 'polarity'>;

export interface ReadingFigures {
  kote: KoteFigures;
  nsmc: RatingFigures;
  /** Valence r pooled over KOTE's clear comments and NSMC, each corpus half (`pooledValenceR`). */
  valenceReliability: number;
  /** Texts with at least one feeling word, per corpus (and per KOTE polarity). */
  feelingWords: {
    kote: { texts: number; of: number; share: number; clear: { texts: number; of: number }; positive: { texts: number; of: number }; negative: { texts: number; of: number } };
    nsmc: { texts: number; of: number; share: number };
  };
}

/** The corpus figures of any set of readings — the same quantities as the net's out-of-fold figures. */
export function readingFigures(kote: readonly { target: KoteTarget; reading: ReadingLike }[], nsmc: readonly { rating: number; targetValence: number; reading: ReadingLike }[]): ReadingFigures {
  const koteF = koteFigures(
    kote.map(({ target, reading }) => ({ ...target, probabilities: EMOTIONS.map((l) => reading.distribution[l]), valence: reading.valence, arousal: reading.arousal })),
  );
  const nsmcF = ratingFigures(nsmc.map((r) => ({ rating: r.rating, valence: r.reading.valence })));
  const valenceReliability = pooledValenceR(
    kote.filter((r) => r.target.polarity !== null).map((r) => ({ valence: r.reading.valence, target: r.target.targetValence })),
    nsmc.map((r) => ({ valence: r.reading.valence, target: r.targetValence })),
  );
  const found = (rows: readonly { reading: ReadingLike }[]) => ({ texts: rows.filter((r) => r.reading.cues.length > 0).length, of: rows.length });
  const share = (c: { texts: number; of: number }) => ({ ...c, share: c.of > 0 ? c.texts / c.of : 0 });
  return {
    kote: koteF,
    nsmc: nsmcF,
    valenceReliability,
    feelingWords: {
      kote: {
        ...share(found(kote)),
        clear: found(kote.filter((r) => r.target.polarity !== null)),
        positive: found(kote.filter((r) => r.target.polarity === 1)),
        negative: found(kote.filter((r) => r.target.polarity === -1)),
      },
      nsmc: share(found(nsmc)),
    },
  };
}

const r4 = (x: number) => Number(x.toFixed(4));

/**
 * metadata.json `reliability` from a reader's figures: per emotion its KOTE recall (0 below
 * `minSupport` comments), valence the pooled r, arousal KOTE's arousal r; rounded to 4 places.
 */
export function textReliability(kote: Pick<KoteFigures, 'recall' | 'support' | 'arousalR'>, valenceReliability: number, minSupport: number): TextReliability {
  const perEmotion = Object.fromEntries(EMOTIONS.map((l) => [l, kote.support[l] >= minSupport ? r4(kote.recall[l]) : 0])) as Partial<Record<EmotionLabel, number>>;
  return { perEmotion, valence: r4(valenceReliability), arousal: r4(kote.arousalR) };
}

/**
 * The readings `unsureBelow`'s rule is fitted on, for the app reading: its top probability and
 * whether its valence sign is right. A reading with feeling words is never unsure in the app
 * (`withFeelingWords`), so no threshold can flag it: its confidence counts as +∞.
 */
export function unsureCandidates(rows: readonly { polarity: 1 | -1 | null; reading: ReadingLike }[]): { confidence: number; signRight: boolean }[] {
  return rows
    .filter((r) => r.polarity !== null)
    .map((r) => ({ confidence: r.reading.cues.length > 0 ? Infinity : r.reading.confidence, signRight: Math.sign(r.reading.valence) === r.polarity }));
}

/** One feeling-word stem's effect on a corpus: texts holding it, and how many of them have the valence sign right, net alone and app reading. */
export interface StemEffect {
  stem: string;
  texts: number;
  /** Of those texts, how many have an unpleasant target (−1). */
  negative: number;
  netRight: number;
  appRight: number;
}

/**
 * What each stem does to the valence sign on a corpus: for every text with a target sign, the
 * stems found in it (a text with two stems counts for both), the net's and the app's valence.
 * Sorted by what the stem costs (netRight − appRight, largest first), then by stem.
 */
export function stemEffects(rows: readonly { stems: readonly string[]; sign: 1 | -1; net: number; app: number }[]): StemEffect[] {
  const by = new Map<string, StemEffect>();
  for (const r of rows) {
    for (const stem of new Set(r.stems)) {
      const e = by.get(stem) ?? { stem, texts: 0, negative: 0, netRight: 0, appRight: 0 };
      e.texts++;
      if (r.sign === -1) e.negative++;
      if (Math.sign(r.net) === r.sign) e.netRight++;
      if (Math.sign(r.app) === r.sign) e.appRight++;
      by.set(stem, e);
    }
  }
  return [...by.values()].sort((a, b) => b.netRight - b.appRight - (a.netRight - a.appRight) || (a.stem < b.stem ? -1 : a.stem > b.stem ? 1 : 0));
}
