import type { EmotionLabel } from '../../core/emotion/emotions.ts';

/**
 * FER+ (Barsoum et al. 2016): ten annotators' votes per FER2013 image, in the manifests' `fp_*`
 * columns. FER+ also has contempt, "unknown" and "not a face", which none of our nets can say.
 */
export const FER_PLUS_COLUMNS: Readonly<Record<string, EmotionLabel | null>> = {
  fp_neutral: 'neutral',
  fp_happiness: 'happy',
  fp_surprise: 'surprised',
  fp_sadness: 'sad',
  fp_anger: 'angry',
  fp_disgust: 'disgust',
  fp_fear: 'fearful',
  fp_contempt: null,
  fp_unknown: null,
  fp_nf: null,
};

/** The votes of one manifest row per column, or null where the row has none (an unmatched image, or no fp_* columns). */
function votesOf(record: Readonly<Record<string, string>>): Map<string, number> | null {
  const votes = new Map<string, number>();
  for (const column of Object.keys(FER_PLUS_COLUMNS)) {
    const raw = record[column];
    if (raw === undefined || raw.trim() === '') return null;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < 0) throw new RangeError(`${column} is '${raw}', not a vote count`);
    votes.set(column, n);
  }
  return votes;
}

/**
 * The votes for each of `labels` (contempt, unknown and not-a-face dropped), or null where the
 * row has no votes or none for these labels. Not normalised: callers divide by the sum.
 */
export function ferPlusVotes(record: Readonly<Record<string, string>>, labels: readonly string[]): number[] | null {
  const votes = votesOf(record);
  if (!votes) return null;
  const out = labels.map((l) => {
    const column = Object.keys(FER_PLUS_COLUMNS).find((c) => FER_PLUS_COLUMNS[c] === l);
    return column ? (votes.get(column) ?? 0) : 0;
  });
  return out.some((v) => v > 0) ? out : null;
}

/**
 * The FER+ majority: the emotion with strictly more votes than any other of the ten columns.
 * Null (no clear majority) on a tie, when contempt, "unknown" or "not a face" leads, or without votes.
 */
export function ferPlusMajority(record: Readonly<Record<string, string>>): EmotionLabel | null {
  const votes = votesOf(record);
  if (!votes) return null;
  const sorted = [...votes.entries()].sort((a, b) => b[1] - a[1]);
  if (sorted[0][1] <= 0 || sorted[0][1] === sorted[1][1]) return null;
  return FER_PLUS_COLUMNS[sorted[0][0]];
}
