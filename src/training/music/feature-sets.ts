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
const EXCLUDED: ReadonlySet<SongFeatureName> = new Set(['durationSeconds', 'analysedSeconds', 'keyTonicPitchClass']);
const LOG_FEATURES: ReadonlySet<SongFeatureName> = new Set(['spectralFlatness', 'zeroCrossingRate', 'spectralCentroidStdHz']);

export function fullFeatureSpecs(names: readonly SongFeatureName[]): FeatureSpec[] {
  return names.filter((n) => !EXCLUDED.has(n)).map((name) => (LOG_FEATURES.has(name) ? { name, transform: 'log' as const } : { name }));
}

