import type { AffectPoint } from '../emotion/circumplex.ts';
import type { SongId } from '../library/song.ts';

/** How a session's playlist travels from the listener's mood to the target. */
export type StrategyId = 'gradual' | 'direct';
export const STRATEGIES: readonly StrategyId[] = ['gradual', 'direct'];

/**
 * The modes whose outcomes are learned from, each on its own (what calms one person may not lift
 * them). "match" has no target to move toward and is never learned from.
 */
export type LearnedMode = 'lift-up' | 'calm-down' | 'energise' | 'target';
export const LEARNED_MODES: readonly LearnedMode[] = ['lift-up', 'calm-down', 'energise', 'target'];

/** Who placed a point: the listener (a tap) or the sensors (voice, face or both). */
export type PointSource = 'said' | 'sensors';

/** How far a session moved the listener, measured on the valence–arousal plane (plane units). */
export interface SessionOutcome {
  /** Where the listener ended up. */
  end: AffectPoint;
  source: PointSource;
  /** Epoch milliseconds. */
  at: number;
  /** Signed distance travelled along the start → target line: > 0 toward the target. */
  progress: number;
  /** Distance from the end point to the target (0: arrived). */
  endDistance: number;
  /** Distance from the start to the target, for scale. */
  startDistance: number;
}

/**
 * One listening session: a check-in (or the listener's own tap), the mode and target, the path
 * strategy, what was played, skipped and liked, and — when the listener answered "How do you
 * feel now?" — the outcome. Kept only on this device.
 */
export interface MoodSession {
  /** Epoch milliseconds when the playlist started; also the key. */
  id: number;
  /** The check-in it started from (its id), when there was one. */
  checkInId: number | null;
  start: AffectPoint;
  startSource: PointSource;
  /** The reading's confidence, 0–1 (1 when the listener placed themselves). */
  startConfidence: number;
  mode: LearnedMode | 'match';
  target: AffectPoint | null;
  /** Null in "match" mode. */
  strategy: StrategyId | null;
  /** Why this strategy: the listener picked it, Norae was exploring, or it learned. */
  chosenBy: 'you' | 'exploring' | 'learned' | 'chance' | null;
  path: SongId[];
  played: SongId[];
  skipped: SongId[];
  liked: SongId[];
  disliked: SongId[];
  /** Epoch milliseconds when the playlist ended or the listener stopped; null while running. */
  endedAt: number | null;
  outcome: SessionOutcome | null;
  /** Re-checks during the session (each re-planned the rest of the path). */
  rechecks: Array<{ at: number; point: AffectPoint; source: PointSource }>;
  /** The listener closed the "How do you feel now?" prompt without answering: never asked again. */
  dismissed: boolean;
}

/**
 * The move toward the target: the end point's signed distance along the start → target line
 * (its projection, plane units) and its distance to the target. When start and target
 * (nearly) coincide there is no direction to move in, and progress is minus the distance moved
 * away (staying put is the best outcome).
 */
export function moveTowardTarget(start: AffectPoint, target: AffectPoint, end: AffectPoint): Pick<SessionOutcome, 'progress' | 'endDistance' | 'startDistance'> {
  const dv = target.valence - start.valence;
  const da = target.arousal - start.arousal;
  const startDistance = Math.hypot(dv, da);
  const endDistance = Math.hypot(target.valence - end.valence, target.arousal - end.arousal);
  const progress =
    startDistance < 1e-6
      ? -Math.hypot(end.valence - start.valence, end.arousal - start.arousal)
      : ((end.valence - start.valence) * dv + (end.arousal - start.arousal) * da) / startDistance;
  return { progress, endDistance, startDistance };
}

/** The outcome of a session whose listener ended at `end` (null for a session without a target). */
export function outcomeOf(session: Pick<MoodSession, 'start' | 'target'>, end: AffectPoint, source: PointSource, atMs: number): SessionOutcome {
  const target = session.target ?? session.start;
  return { end, source, at: atMs, ...moveTowardTarget(session.start, target, end) };
}
