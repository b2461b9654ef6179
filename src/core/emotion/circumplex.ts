/**
 * Russell's circumplex of affect (Russell 1980): valence on x (unpleasant → pleasant), arousal
 * on y (calm → excited), both in [−1, 1]. Its eight named regions are 45° octants centred on
 * the axes and diagonals; a point's mood is the octant it falls in, its intensity the distance
 * from the centre.
 */

/** The eight octants, counter-clockwise from the positive valence axis (0°). */
export const MOODS = [
  'pleasure',
  'excitement',
  'arousal',
  'distress',
  'misery',
  'depression',
  'sleepiness',
  'contentment',
] as const;
export type MoodId = (typeof MOODS)[number];

/** Centre angle of each mood's octant, in degrees (0° = pleasant, 90° = excited). */
export const MOOD_ANGLE_DEGREES: Record<MoodId, number> = {
  pleasure: 0,
  excitement: 45,
  arousal: 90,
  distress: 135,
  misery: 180,
  depression: 225,
  sleepiness: 270,
  contentment: 315,
};

/** A point on the valence–arousal plane. */
export interface AffectPoint {
  /** Unpleasant (−1) … pleasant (+1). */
  valence: number;
  /** Calm (−1) … excited (+1). */
  arousal: number;
}

/** Clamps a point into the plane's square [−1, 1]²; NaN becomes 0. */
export function clampToPlane(point: AffectPoint): AffectPoint {
  const clamp = (v: number): number => (Number.isFinite(v) ? Math.max(-1, Math.min(1, v)) : 0);
  return { valence: clamp(point.valence), arousal: clamp(point.arousal) };
}

/** Angle of a point in degrees, [0, 360). */
export function angleDegrees({ valence, arousal }: AffectPoint): number {
  const degrees = (Math.atan2(arousal, valence) * 180) / Math.PI;
  return degrees < 0 ? degrees + 360 : degrees;
}

/**
 * The mood octant a point falls in, and its intensity: the distance from the centre, capped
 * at 1 (corners of the square lie beyond the unit circle).
 */
export function moodOf(point: AffectPoint): { mood: MoodId; intensity: number } {
  const { valence, arousal } = clampToPlane(point);
  const octant = Math.floor(((angleDegrees({ valence, arousal }) + 22.5) % 360) / 45);
  return { mood: MOODS[octant], intensity: Math.min(1, Math.hypot(valence, arousal)) };
}
