/**
 * Krumhansl–Kessler key profiles (Krumhansl 1990, probe-tone ratings), index 0 = tonic.
 * Correlating a song's mean chroma with the 24 rotations gives its key, and the gap between
 * the best major and best minor correlation is a continuous "majorness" (mode) cue.
 */
export const KRUMHANSL_MAJOR = [6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88] as const;
export const KRUMHANSL_MINOR = [6.33, 2.68, 3.52, 5.38, 2.6, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17] as const;

/** Pearson correlation of two 12-vectors (0 when either is constant). */
function correlation(a: ArrayLike<number>, b: ArrayLike<number>, rotation: number): number {
  let meanA = 0;
  let meanB = 0;
  for (let i = 0; i < 12; i++) {
    meanA += a[i];
    meanB += b[i];
  }
  meanA /= 12;
  meanB /= 12;
  let num = 0;
  let varA = 0;
  let varB = 0;
  for (let i = 0; i < 12; i++) {
    const da = a[(i + rotation) % 12] - meanA;
    const db = b[i] - meanB;
    num += da * db;
    varA += da * da;
    varB += db * db;
  }
  return varA > 0 && varB > 0 ? num / Math.sqrt(varA * varB) : 0;
}

export interface KeyEstimate {
  /** Pitch class of the tonic, 0 = C … 11 = B. */
  tonicPitchClass: number;
  mode: 'major' | 'minor';
  /** Correlation of the best profile, in [−1, 1]. */
  keyStrength: number;
  /** Best major correlation minus best minor correlation, in [−2, 2]; > 0 leans major. */
  majorness: number;
}

/** Estimates the key of a mean chroma vector (12 values, C first). */
export function estimateKey(chroma: ArrayLike<number>): KeyEstimate {
  let bestMajor = -2;
  let bestMajorTonic = 0;
  let bestMinor = -2;
  let bestMinorTonic = 0;
  for (let tonic = 0; tonic < 12; tonic++) {
    const major = correlation(chroma, KRUMHANSL_MAJOR, tonic);
    const minor = correlation(chroma, KRUMHANSL_MINOR, tonic);
    if (major > bestMajor) [bestMajor, bestMajorTonic] = [major, tonic];
    if (minor > bestMinor) [bestMinor, bestMinorTonic] = [minor, tonic];
  }
  const isMajor = bestMajor >= bestMinor;
  return {
    tonicPitchClass: isMajor ? bestMajorTonic : bestMinorTonic,
    mode: isMajor ? 'major' : 'minor',
    keyStrength: Math.max(bestMajor, bestMinor),
    majorness: bestMajor - bestMinor,
  };
}
