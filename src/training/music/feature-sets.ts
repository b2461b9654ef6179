import type { SongFeatureName } from '../../core/music/song-features.ts';
import type { FeatureSpec } from './fit-emotion.ts';

/** The seed project's five (tempo, noise, amplitude, brightness, dynamics), as we measure them. */
export const SEED_FEATURES: FeatureSpec[] = [
  { name: 'tempoBpm' },
  { name: 'spectralFlatness', transform: 'log' },
  { name: 'rmsDb' },
  { name: 'spectralCentroidHz' },
  { name: 'rmsDbStd' },
];

/** Inputs of the full model: every feature except bookkeeping and the key's (circular) tonic. */
const EXCLUDED: ReadonlySet<SongFeatureName> = new Set(['durationSeconds', 'analysedSeconds', 'audibleFraction', 'keyTonicPitchClass']);
const LOG_FEATURES: ReadonlySet<SongFeatureName> = new Set(['spectralFlatness', 'zeroCrossingRate', 'spectralCentroidStdHz']);

export function fullFeatureSpecs(names: readonly SongFeatureName[]): FeatureSpec[] {
  return names.filter((n) => !EXCLUDED.has(n)).map((name) => (LOG_FEATURES.has(name) ? { name, transform: 'log' as const } : { name }));
}


/**
 * A smaller candidate set: drops the fine MFCC detail (coefficients 5–12, means and spreads),
 * the 12 key-relative pitch-class shares and the per-band valleys, keeping the interpretable
 * descriptors. Whether it or the full set is used is decided by inner CV, never by hand.
 */
export function compactFeatureSpecs(names: readonly SongFeatureName[]): FeatureSpec[] {
  return fullFeatureSpecs(names).filter((f) => !/^mfcc([5-9]|1[0-2])(Mean|Std)$|^keyProfile|^valleyBand/.test(f.name));
}

/** The candidate sets offered to the inner CV. */
export function candidateFeatureSets(names: readonly SongFeatureName[]): Record<string, FeatureSpec[]> {
  return { full: fullFeatureSpecs(names), compact: compactFeatureSpecs(names) };
}
