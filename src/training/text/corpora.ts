import { readFileSync } from 'node:fs';
import { EMOTIONS } from '../../core/emotion/emotions.ts';
import { koteTargets, kotePolarity } from '../../core/text/kote-emotions.ts';
import { groupKFold } from '../music/cross-validation.ts';
import { parseCsvRecords } from '../music/csv.ts';

/**
 * The text corpora as training and evaluation read them. A manifest has a `text` column and
 * either `rating` (1–10, NSMC-style) or `labels` (KOTE names, `|`-separated); the RFC 4180
 * reader of src/training/music/csv.ts parses it (reviews hold commas, quotes and line breaks).
 */
export type TextManifestKind = 'rating' | 'labels';

export interface TextManifestRow {
  /** `id` column, or the row's 1-based number when there is none. */
  id: string;
  text: string;
  /** NSMC: the review's 1–10 rating (null in a labels manifest). */
  rating: number | null;
  /** NSMC: the movie the review is about (grouping for cross-validation; '' when absent). */
  movie: string;
  /** KOTE: the emotion names the annotators saw (empty in a rating manifest). */
  labels: string[];
}

export interface TextManifest {
  kind: TextManifestKind;
  rows: TextManifestRow[];
}

/** Parses a text manifest; throws naming what is missing or malformed. */
export function parseTextManifest(csv: string, name = 'manifest'): TextManifest {
  const records = parseCsvRecords(csv);
  if (records.length === 0) throw new Error(`${name}: no rows`);
  const columns = Object.keys(records[0]);
  if (!columns.includes('text')) throw new Error(`${name}: needs a "text" column (has ${columns.join(', ')})`);
  const kind: TextManifestKind | null = columns.includes('rating') ? 'rating' : columns.includes('labels') ? 'labels' : null;
  if (!kind) throw new Error(`${name}: needs a "rating" (1–10) or a "labels" (KOTE names) column`);
  const rows = records.map((r, i): TextManifestRow => {
    let rating: number | null = null;
    if (kind === 'rating') {
      rating = Number(r.rating);
      if (!Number.isInteger(rating) || rating < 1 || rating > 10) throw new Error(`${name}: row ${i + 2} has rating "${r.rating}", expected 1–10`);
    }
    return {
      id: r.id ?? String(i + 1),
      text: r.text,
      rating,
      movie: r.movie ?? '',
      labels: kind === 'labels' ? r.labels.split('|').map((l) => l.trim()).filter(Boolean) : [],
    };
  });
  return { kind, rows };
}

export function readTextManifest(path: string): TextManifest {
  return parseTextManifest(readFileSync(path, 'utf8'), path);
}

/** NSMC's valence target: the rating mapped linearly onto [−1, 1] (1 → −1, 10 → +1). */
export function ratingValence(rating: number): number {
  return (rating - 5.5) / 4.5;
}

/**
 * Where a training row comes from: the two corpora, or Norae's own first-person phrases
 * (self-reports/seed.csv) — trained on in every fold and never evaluated.
 */
export type TextCorpus = 'kote' | 'nsmc' | 'seed';

/** One training row: what the text is, which losses apply to it and their targets. */
export interface TextTrainingRow {
  corpus: TextCorpus;
  id: string;
  text: string;
  /** Cross-validation group: the movie (NSMC), the comment itself (KOTE), the phrase (seed). */
  group: string;
  /** KOTE and seed: soft target over EMOTIONS (null for NSMC: no emotion loss). */
  emotion: number[] | null;
  valence: number;
  /** KOTE and seed only (NSMC ratings are about a movie: arousal does not transfer). */
  arousal: number | null;
  /** KOTE and seed: +1/−1 when every name with a polarity agrees, null otherwise; NSMC: null. */
  polarity: 1 | -1 | null;
  rating: number | null;
}

/** KOTE rows with their soft targets (`koteTargets`); a name the mapping lacks is an error, not a guess. */
export function koteTrainingRows(manifest: TextManifest): TextTrainingRow[] {
  return labelledTrainingRows(manifest, 'kote');
}

/**
 * Norae's own first-person phrases (self-reports/seed.csv, KOTE names as labels): the same
 * targets as KOTE rows, their own corpus so that no out-of-fold figure ever includes them.
 */
export function seedTrainingRows(manifest: TextManifest): TextTrainingRow[] {
  return labelledTrainingRows(manifest, 'seed');
}

function labelledTrainingRows(manifest: TextManifest, corpus: 'kote' | 'seed'): TextTrainingRow[] {
  const name = corpus === 'kote' ? 'KOTE' : 'seed';
  if (manifest.kind !== 'labels') throw new Error(`${name} manifest must have a labels column`);
  const unknown = new Set<string>();
  const rows: TextTrainingRow[] = [];
  for (const r of manifest.rows) {
    const t = koteTargets(r.labels);
    t?.unknown.forEach((u) => unknown.add(u));
    if (!t) throw new Error(`${name} row ${r.id}: no known emotion name in "${r.labels.join('|')}"`);
    rows.push({
      corpus,
      id: r.id,
      text: r.text,
      group: `${corpus}:${r.id}`,
      emotion: EMOTIONS.map((l) => t.distribution[l]),
      valence: t.point.valence,
      arousal: t.point.arousal,
      polarity: kotePolarity(r.labels),
      rating: null,
    });
  }
  if (unknown.size > 0) throw new Error(`${name} names missing from kote-emotions.ts: ${[...unknown].join(', ')}`);
  return rows;
}

/** NSMC rows: valence from the rating only. */
export function nsmcTrainingRows(manifest: TextManifest): TextTrainingRow[] {
  if (manifest.kind !== 'rating') throw new Error('NSMC manifest must have a rating column');
  return manifest.rows.map((r) => {
    if (!r.movie) throw new Error(`NSMC row ${r.id}: no movie (needed to group the folds)`);
    return { corpus: 'nsmc', id: r.id, text: r.text, group: `nsmc:${r.movie}`, emotion: null, valence: ratingValence(r.rating as number), arousal: null, polarity: null, rating: r.rating };
  });
}

/** The fold of a row that is in no fold: trained on by every fold's model, predicted by none (seed rows). */
export const NO_FOLD = -1;

/**
 * Fold of each row: every group (a movie's reviews; a KOTE comment) lies in exactly one fold.
 * Each corpus is dealt on its own (`groupKFold`: seeded shuffle, then the largest groups first
 * to the smallest fold), so each fold holds about a fifth of each corpus. Seed rows get
 * {@link NO_FOLD}: train_text.py trains fold k on the rows whose fold is not k (so on every seed
 * row) and predicts the rows whose fold is k (so never a seed row).
 */
export function textFolds(rows: readonly Pick<TextTrainingRow, 'corpus' | 'group'>[], foldCount: number, seed: number): number[] {
  const fold = new Array<number>(rows.length).fill(NO_FOLD);
  for (const corpus of ['kote', 'nsmc'] as const) {
    const members = rows.flatMap((r, i) => (r.corpus === corpus ? [i] : []));
    const folds = groupKFold(members.map((i) => rows[i].group), foldCount, seed);
    members.forEach((i, j) => (fold[i] = folds[j]));
  }
  return fold;
}

/** Rows fold k's model trains on and predicts — train_text.py's split (`folds != k`, `folds == k`). */
export function foldSplit(folds: readonly number[], k: number): { train: number[]; test: number[] } {
  const train: number[] = [];
  const test: number[] = [];
  folds.forEach((f, i) => (f === k ? test : train).push(i));
  return { train, test };
}

/**
 * The rows every out-of-fold figure, calibration and reliability is computed on: KOTE and NSMC
 * rows with a fold. Seed rows are never among them; a corpus row without a fold is an error.
 */
export function evaluationRows(rows: readonly Pick<TextTrainingRow, 'corpus'>[], folds: readonly number[]): { kote: number[]; nsmc: number[] } {
  const out = { kote: [] as number[], nsmc: [] as number[] };
  rows.forEach((r, i) => {
    if (r.corpus === 'seed') return;
    if (!(folds[i] >= 0)) throw new Error(`${r.corpus} row ${i} has no fold`);
    out[r.corpus].push(i);
  });
  return out;
}
