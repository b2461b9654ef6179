import type { AffectPoint } from '../emotion/circumplex.ts';
import type { StrategyId } from '../sessions/session.ts';
import { matchMood, planMoodPath, type Candidate, type PlaylistLength } from './recommend.ts';

/** A playlist toward a target, whichever way it travels. */
export interface StrategyPlan {
  ids: string[];
  /** Where each song was meant to be (one per song). */
  waypoints: AffectPoint[];
  /** Variance of the step lengths (gradual paths only). */
  stepVariance: number | null;
  warnings: Array<'sparse' | 'short'>;
}

/**
 * The playlist for a strategy: `gradual` is the iso-principle path (start where the listener
 * is, step evenly toward the target); `direct` goes straight into the target region (the songs
 * nearest the target, nearest first), which a 2026 trial found worked as well on average —
 * which one works for a given listener is what Norae measures.
 */
export function planForStrategy(
  strategy: StrategyId,
  candidates: readonly Candidate[],
  start: AffectPoint,
  target: AffectPoint,
  length: PlaylistLength,
): StrategyPlan {
  if (strategy === 'gradual') {
    const path = planMoodPath(candidates, start, target, length);
    const warnings: StrategyPlan['warnings'] = [];
    if (path.warnings.includes('short')) warnings.push('short');
    else if (path.warnings.includes('sparse')) warnings.push('sparse');
    return { ids: path.ids, waypoints: path.waypoints, stepVariance: path.stepVariance, warnings };
  }
  const jump = matchMood(candidates, target, length);
  const warnings: StrategyPlan['warnings'] = [];
  if (jump.warnings.includes('short')) warnings.push('short');
  else if (jump.warnings.includes('far-from-mood')) warnings.push('sparse');
  return { ids: jump.ids, waypoints: jump.ids.map(() => target), stepVariance: null, warnings };
}
