import { estimateKey } from './key-profiles.ts';
import { SONG_FEATURE_NAMES, type SongFeatureName, type SongFeatures } from './song-features.ts';

/**
 * Which parts of a song are analysed. The emotion model was fitted on 30-second clips (the 4Q
 * previews), so a song is heard the way the model learned to hear: up to three 30-second
 * excerpts, spread evenly with equal gaps before, between and after them (an intro and an outro
 * are skipped in proportion to the song's length). Each excerpt is analysed on its own, exactly
 * as a training clip was, and the excerpts' features are combined by {@link combineExcerptFeatures}.
 */
export const EXCERPT_SECONDS = 30;
/** At most this many excerpts per song: 90 s of a 4-minute song are decoded and analysed. */
export const MAX_EXCERPTS = 3;
/**
 * Songs up to this long are analysed whole, as one excerpt: a 30-s training clip (or a 36-s
 * one) is then measured exactly as before, which keeps the model's cross-validated figures
 * valid by construction.
 */
export const WHOLE_SONG_MAX_SECONDS = EXCERPT_SECONDS * 1.2;

/** One part of a song to analyse, in seconds from its start. */
export interface Excerpt {
  startSeconds: number;
  durationSeconds: number;
}

/**
 * The excerpts of a song `durationSeconds` long: the whole song up to
 * {@link WHOLE_SONG_MAX_SECONDS} (or when the length is unknown: 0, NaN), then one excerpt per
 * 60 s started beyond the first 30 s of the song (1 for 36–89 s, 2 for 90–119 s,
 * 3 from 120 s), never overlapping, with equal gaps around them. Positions are rounded to
 * milliseconds so plans are stable and readable.
 */
export function planExcerpts(durationSeconds: number): Excerpt[] {
  if (!(durationSeconds > WHOLE_SONG_MAX_SECONDS) || !Number.isFinite(durationSeconds)) {
    return [{ startSeconds: 0, durationSeconds: Number.isFinite(durationSeconds) && durationSeconds > 0 ? durationSeconds : Infinity }];
  }
  const count = Math.min(MAX_EXCERPTS, Math.max(1, Math.floor(durationSeconds / EXCERPT_SECONDS) - 1));
  const gapSeconds = (durationSeconds - count * EXCERPT_SECONDS) / (count + 1);
  const ms = (s: number): number => Math.round(s * 1000) / 1000;
  return Array.from({ length: count }, (_, i) => ({
    startSeconds: ms(gapSeconds + i * (EXCERPT_SECONDS + gapSeconds)),
    durationSeconds: EXCERPT_SECONDS,
  }));
}

/** Features that describe the song or its key as a whole, not an average of excerpts. */
const NOT_AVERAGED = new Set<SongFeatureName>([
  'durationSeconds',
  'analysedSeconds',
  'tempoBpm',
  'keyTonicPitchClass',
  'modeMajor',
  'keyProfile0', 'keyProfile1', 'keyProfile2', 'keyProfile3', 'keyProfile4', 'keyProfile5',
  'keyProfile6', 'keyProfile7', 'keyProfile8', 'keyProfile9', 'keyProfile10', 'keyProfile11',
]);

/** Two tempi agree when within 4 % (the usual tempo-evaluation tolerance). */
const TEMPO_AGREEMENT = 0.04;

/**
 * The song's tempo from its excerpts' tempi: the one most excerpts agree with (within 4 %),
 * weighing each by its pulse clarity, so one excerpt at half or double tempo (a breakdown, an
 * octave error) is outvoted rather than averaged into a tempo nobody plays. 0 when none has one.
 */
export function consensusTempoBpm(parts: ReadonlyArray<Pick<SongFeatures, 'tempoBpm' | 'tempoConfidence'>>): number {
  let best = 0;
  let bestScore = 0;
  for (const candidate of parts) {
    if (!(candidate.tempoBpm > 0)) continue;
    let score = 0;
    for (const other of parts) {
      if (other.tempoBpm > 0 && Math.abs(other.tempoBpm - candidate.tempoBpm) <= TEMPO_AGREEMENT * candidate.tempoBpm) {
        score += Math.max(other.tempoConfidence, 1e-6);
      }
    }
    if (score > bestScore) [best, bestScore] = [candidate.tempoBpm, score];
  }
  return best;
}

/**
 * The key of the pooled chroma: each excerpt's key-relative profile turned back into absolute
 * pitch classes and summed, weighted by its audible seconds (the song's key from all it heard).
 */
function pooledKey(parts: readonly SongFeatures[]): Pick<SongFeatures, 'keyTonicPitchClass' | 'modeMajor' | `keyProfile${number}` & keyof SongFeatures> {
  const chroma = new Float64Array(12);
  for (const part of parts) {
    const weight = part.analysedSeconds * part.audibleFraction;
    for (let interval = 0; interval < 12; interval++) {
      chroma[(part.keyTonicPitchClass + interval) % 12] += weight * part[`keyProfile${interval}` as SongFeatureName];
    }
  }
  const total = chroma.reduce((a, b) => a + b, 0);
  if (!(total > 0)) {
    const profile = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`keyProfile${i}`, 1 / 12]));
    return { keyTonicPitchClass: 0, modeMajor: 1, ...profile } as ReturnType<typeof pooledKey>;
  }
  const key = estimateKey(chroma);
  const profile = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`keyProfile${i}`, chroma[(key.tonicPitchClass + i) % 12] / total]));
  return { keyTonicPitchClass: key.tonicPitchClass, modeMajor: key.mode === 'major' ? 1 : 0, ...profile } as ReturnType<typeof pooledKey>;
}

/**
 * One feature record for a song from its excerpts' features (each measured on its own, as a
 * training clip was). Every measure the model reads as a level or a spread (loudness, its
 * range, timbre and its variation, onset rate, key strength, majorness…) is the mean over the
 * excerpts weighted by their length: the spreads stay spreads *within* 30 s, as in training,
 * rather than growing with the song's length. The tempo is the excerpts' consensus
 * ({@link consensusTempoBpm}); the tonic, the mode and the key-relative profile are read from
 * the pooled chroma. `durationSeconds` is the song's; `analysedSeconds` what was heard.
 * One excerpt is returned as it is (apart from the song's duration).
 */
export function combineExcerptFeatures(parts: readonly SongFeatures[], songDurationSeconds: number): SongFeatures {
  if (parts.length === 0) throw new Error('combineExcerptFeatures: no excerpts');
  const analysedSeconds = parts.reduce((sum, p) => sum + p.analysedSeconds, 0);
  if (parts.length === 1) return { ...parts[0], durationSeconds: songDurationSeconds, analysedSeconds };
  const combined = {} as SongFeatures;
  for (const name of SONG_FEATURE_NAMES) {
    if (NOT_AVERAGED.has(name)) continue;
    let sum = 0;
    for (const part of parts) sum += part[name] * part.analysedSeconds;
    combined[name] = analysedSeconds > 0 ? sum / analysedSeconds : 0;
  }
  Object.assign(combined, pooledKey(parts));
  combined.tempoBpm = consensusTempoBpm(parts);
  combined.durationSeconds = songDurationSeconds;
  combined.analysedSeconds = analysedSeconds;
  // The list's order, as the analyser returns it.
  const ordered = {} as SongFeatures;
  for (const name of SONG_FEATURE_NAMES) ordered[name] = Number.isFinite(combined[name]) ? combined[name] : 0;
  return ordered;
}
