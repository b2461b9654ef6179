import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { EMOTIONS, type EmotionLabel } from '../../core/emotion/emotions.ts';
import { koteTargets } from '../../core/text/kote-emotions.ts';
import { normaliseText, tokenise } from '../../core/text/text-features.ts';
import { parseCsvRecords } from '../music/csv.ts';
import { argmax } from './metrics.ts';

/**
 * Norae's own first-person phrases — what a listener types at a check-in, which neither corpus
 * holds (KOTE comments react to others' posts, NSMC reviews rate movies). Written by the
 * developers, so neither is independent data:
 *  - seed.csv (text, labels: KOTE names `|`-separated): training rows in every fold and in the
 *    final model, never evaluated;
 *  - check.csv (text, valence, arousal: the expected sign): read by the shipped model after
 *    training and reported; used for no choice.
 */
export const SEED_PATH = fileURLToPath(new URL('./self-reports/seed.csv', import.meta.url));
export const CHECK_PATH = fileURLToPath(new URL('./self-reports/check.csv', import.meta.url));

/** An expected sign: `+`, `-`, or `0` (valence: |valence| < {@link NEUTRAL_VALENCE}; arousal: not checked). */
export type ExpectedSign = '+' | '-' | '0';

/** A check sentence's valence written `0` passes when |valence| is below this. */
export const NEUTRAL_VALENCE = 0.35;

export interface CheckSentence {
  text: string;
  valence: ExpectedSign;
  arousal: ExpectedSign;
}

/** Parses check.csv (RFC 4180; columns text, valence, arousal); throws naming a malformed row. */
export function parseCheckList(csv: string, name = 'check.csv'): CheckSentence[] {
  const records = parseCsvRecords(csv);
  if (records.length === 0) throw new Error(`${name}: no rows`);
  for (const column of ['text', 'valence', 'arousal']) {
    if (!(column in records[0])) throw new Error(`${name}: needs a "${column}" column (has ${Object.keys(records[0]).join(', ')})`);
  }
  const sign = (value: string, column: string, row: number): ExpectedSign => {
    const v = value.trim();
    if (v === '+' || v === '-' || v === '0') return v;
    throw new Error(`${name}: row ${row} has ${column} "${value}", expected +, - or 0`);
  };
  return records.map((r, i) => {
    if (!r.text.trim()) throw new Error(`${name}: row ${i + 2} has no text`);
    return { text: r.text, valence: sign(r.valence, 'valence', i + 2), arousal: sign(r.arousal, 'arousal', i + 2) };
  });
}

export function readCheckList(path = CHECK_PATH): CheckSentence[] {
  return parseCheckList(readFileSync(path, 'utf8'), path);
}

/** What the check needs of a reading (the app's `TextReading`). */
export interface CheckReadingLike {
  distribution: Record<EmotionLabel, number>;
  valence: number;
  arousal: number;
  unsure?: boolean;
  reader: string;
  featureCount: number;
  /** Feeling words that shaped the reading (the app's reader; absent or empty for the net alone). */
  cues?: readonly string[];
}

export interface CheckResult {
  text: string;
  expected: { valence: ExpectedSign; arousal: ExpectedSign };
  top: EmotionLabel;
  probability: number;
  valence: number;
  arousal: number;
  unsure: boolean;
  reader: string;
  features: number;
  /** Feeling words the reading found (empty: the net's reading as it is). */
  cues: string[];
  /** Valence: the sign matches (`+`: > 0, `-`: < 0) or, for `0`, |valence| < 0.35. */
  valencePass: boolean;
  /** Arousal: the sign matches; null when the sentence's arousal is `0` (not checked). */
  arousalPass: boolean | null;
}

/** Whether a value passes an expected sign ({@link CheckResult}). */
export function passesValence(expected: ExpectedSign, valence: number): boolean {
  return expected === '+' ? valence > 0 : expected === '-' ? valence < 0 : Math.abs(valence) < NEUTRAL_VALENCE;
}

export function passesArousal(expected: ExpectedSign, arousal: number): boolean | null {
  return expected === '+' ? arousal > 0 : expected === '-' ? arousal < 0 : null;
}

const r4 = (x: number) => Number(x.toFixed(4));

/** Reads every check sentence with `read` (the app's reader) and judges each axis. */
export function runCheckList(sentences: readonly CheckSentence[], read: (text: string) => CheckReadingLike): { sentences: CheckResult[]; valence: { right: number; of: number }; arousal: { right: number; of: number } } {
  const results = sentences.map((s): CheckResult => {
    const r = read(s.text);
    const p = EMOTIONS.map((l) => r.distribution[l] ?? 0);
    const top = argmax(p);
    return {
      text: s.text,
      expected: { valence: s.valence, arousal: s.arousal },
      top: EMOTIONS[top],
      probability: r4(p[top]),
      valence: r4(r.valence),
      arousal: r4(r.arousal),
      unsure: r.unsure ?? false,
      reader: r.reader,
      features: r.featureCount,
      cues: [...(r.cues ?? [])],
      valencePass: passesValence(s.valence, r.valence),
      arousalPass: passesArousal(s.arousal, r.arousal),
    };
  });
  const checked = results.filter((r) => r.arousalPass !== null);
  return {
    sentences: results,
    valence: { right: results.filter((r) => r.valencePass).length, of: results.length },
    arousal: { right: checked.filter((r) => r.arousalPass).length, of: checked.length },
  };
}

/** Whether a text holds a negated word (the feature code's own `tokenise`). */
export function hasNegation(text: string): boolean {
  return tokenise(normaliseText(text)).some((t) => t.negated);
}

export interface SeedReading {
  text: string;
  labels: string[];
  negated: boolean;
  target: { top: EmotionLabel; valence: number; arousal: number };
  top: EmotionLabel;
  probability: number;
  valence: number;
  arousal: number;
}

/**
 * The seed phrases read by the shipped model — in-sample (it trained on them), so a record of
 * what it memorised, not an accuracy: top emotion against the target's argmax, valence and
 * arousal signs against the target point's (where it is not 0).
 */
export function readSeedPhrases(
  phrases: readonly { text: string; labels: string[] }[],
  read: (text: string) => CheckReadingLike,
): { phrases: SeedReading[]; topRight: number; valenceSignRight: { right: number; of: number }; arousalSignRight: { right: number; of: number } } {
  const out = phrases.map((s): SeedReading => {
    const t = koteTargets(s.labels);
    if (!t) throw new Error(`seed phrase "${s.text}": no known emotion name`);
    const r = read(s.text);
    const p = EMOTIONS.map((l) => r.distribution[l] ?? 0);
    const top = argmax(p);
    return {
      text: s.text,
      labels: s.labels,
      negated: hasNegation(s.text),
      target: { top: EMOTIONS[argmax(EMOTIONS.map((l) => t.distribution[l]))], valence: r4(t.point.valence), arousal: r4(t.point.arousal) },
      top: EMOTIONS[top],
      probability: r4(p[top]),
      valence: r4(r.valence),
      arousal: r4(r.arousal),
    };
  });
  const signed = (axis: 'valence' | 'arousal') => {
    const rows = out.filter((s) => s.target[axis] !== 0);
    return { right: rows.filter((s) => Math.sign(s[axis]) === Math.sign(s.target[axis])).length, of: rows.length };
  };
  return { phrases: out, topRight: out.filter((s) => s.top === s.target.top).length, valenceSignRight: signed('valence'), arousalSignRight: signed('arousal') };
}
