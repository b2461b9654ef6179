import type { AffectPoint } from '../emotion/circumplex.ts';

/** A song as the recommender sees it: where it sits (the user's placement wins) and how it is liked. */
export interface Candidate {
  id: string;
  valence: number;
  arousal: number;
  durationSeconds: number;
  /** ≥ 0: added to a song's cost (skips, dislikes). Liked songs get a negative bonus. */
  penalty?: number;
}

/** How long a playlist should be: a number of songs, or minutes of music. */
export type PlaylistLength = { songs: number } | { minutes: number };

/** The moods the quick buttons lead to (the "target" of an iso-principle path). */
export const MODE_TARGETS = {
  'lift-up': { valence: 0.75, arousal: 0.35 },
  'calm-down': { valence: 0.5, arousal: -0.6 },
  energise: { valence: 0.55, arousal: 0.75 },
} as const satisfies Record<string, AffectPoint>;
export type QuickMode = keyof typeof MODE_TARGETS;

const distance = (a: AffectPoint, b: AffectPoint): number => Math.hypot(a.valence - b.valence, a.arousal - b.arousal);

function wanted(length: PlaylistLength, candidates: readonly Candidate[]): number {
  if ('songs' in length) return Math.max(1, Math.floor(length.songs));
  const known = candidates.filter((c) => c.durationSeconds > 0);
  const mean = known.length > 0 ? known.reduce((s, c) => s + c.durationSeconds, 0) / known.length : 210;
  return Math.max(1, Math.ceil((length.minutes * 60) / mean));
}

/** Trims or keeps a ranked list so it fills the requested minutes (never below one song). */
function fitMinutes(ranked: readonly Candidate[], length: PlaylistLength): Candidate[] {
  if ('songs' in length) return [...ranked];
  const out: Candidate[] = [];
  let seconds = 0;
  for (const c of ranked) {
    if (seconds >= length.minutes * 60 && out.length > 0) break;
    out.push(c);
    seconds += c.durationSeconds;
  }
  return out;
}

export interface MatchResult {
  ids: string[];
  /** Distance of the furthest chosen song from the mood (plane units). */
  maxDistance: number;
  warnings: Array<'empty-library' | 'far-from-mood' | 'short'>;
}

/**
 * "Match my mood": the songs nearest the point, nearest first, with feedback penalties
 * (skips, dislikes) pushing songs back and likes pulling them forward.
 */
export function matchMood(candidates: readonly Candidate[], point: AffectPoint, length: PlaylistLength): MatchResult {
  if (candidates.length === 0) return { ids: [], maxDistance: 0, warnings: ['empty-library'] };
  const n = wanted(length, candidates);
  // Costs in a typed array: sorting {candidate, cost} objects held the first check-in's main
  // thread for ~20 ms with 10,000 songs. A playlist of n songs needs only the n nearest.
  const costs = Float64Array.from(candidates, (c) => distance(c, point) + (c.penalty ?? 0));
  const before = (i: number, j: number): boolean => costs[i] < costs[j] || (costs[i] === costs[j] && candidates[i].id < candidates[j].id);
  const order = 'minutes' in length ? Array.from(candidates.keys()).sort((i, j) => (before(i, j) ? -1 : 1)) : firstInOrder(candidates.length, n, before);
  const ranked = order.map((i) => candidates[i]);
  const chosen = fitMinutes(ranked, length);
  const ids = chosen.map((c) => c.id);
  const maxDistance = Math.max(...chosen.map((c) => distance(c, point)));
  const warnings: MatchResult['warnings'] = [];
  if (maxDistance > 0.5) warnings.push('far-from-mood');
  if ('songs' in length && ids.length < n) warnings.push('short');
  return { ids, maxDistance, warnings };
}

/**
 * The `k` first of the indices 0…count−1 in the order `before` gives, in that order: one pass
 * that keeps a sorted shortlist (≈ one comparison per index when k is small), not a full sort.
 */
export function firstInOrder(count: number, k: number, before: (i: number, j: number) => boolean): number[] {
  const kept: number[] = [];
  for (let i = 0; i < count; i++) {
    if (kept.length === k && !before(i, kept[k - 1])) continue;
    let lo = 0;
    let hi = kept.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (before(kept[mid], i)) lo = mid + 1;
      else hi = mid;
    }
    kept.splice(lo, 0, i);
    if (kept.length > k) kept.pop();
  }
  return kept;
}

export interface PathResult {
  ids: string[];
  /** The ideal stepping stones from the mood to the target, one per song. */
  waypoints: AffectPoint[];
  /** Distance of each chosen song from its waypoint. */
  gaps: number[];
  /** Length of each step between consecutive songs. */
  steps: number[];
  /** Variance of the step lengths: small means an even, gradual journey. */
  stepVariance: number;
  /** Steps that moved away from the target (only when the library's gaps forced it). */
  stepsAway: number;
  warnings: Array<'empty-library' | 'sparse' | 'moves-away' | 'short'>;
}

/** Beyond this a song is too far from its waypoint for the path to be "the ideal one". */
const SPARSE_GAP = 0.35;
/** Once at the target, further songs may stay this close to it (plane units). */
const STAY_RADIUS = 0.35;
/** Slack allowed when checking "never further from the target than the previous song". */
const MONOTONE_SLACK = 1e-9;

/** The candidates in flat arrays: the path's inner loop runs n × |library| times (10,000 songs × 20 steps). */
interface FlatCandidates {
  count: number;
  valence: Float64Array;
  arousal: Float64Array;
  /** Distance to the target mood, plane units. */
  toTarget: Float64Array;
  penalty: Float64Array;
}

function flatten(candidates: readonly Candidate[], target: AffectPoint): FlatCandidates {
  const count = candidates.length;
  const flat: FlatCandidates = {
    count,
    valence: new Float64Array(count),
    arousal: new Float64Array(count),
    toTarget: new Float64Array(count),
    penalty: new Float64Array(count),
  };
  for (let i = 0; i < count; i++) {
    const c = candidates[i];
    flat.valence[i] = c.valence;
    flat.arousal[i] = c.arousal;
    flat.toTarget[i] = distance(c, target);
    flat.penalty[i] = c.penalty ?? 0;
  }
  return flat;
}

/** `n` waypoints evenly spaced on the straight line from `start` to `target` (just the target when n = 1). */
function straightWaypoints(start: AffectPoint, target: AffectPoint, n: number): AffectPoint[] {
  return Array.from({ length: n }, (_, i) => {
    const f = n === 1 ? 1 : i / (n - 1);
    return { valence: start.valence + (target.valence - start.valence) * f, arousal: start.arousal + (target.arousal - start.arousal) * f };
  });
}

/** The songs chosen so far (indices into the candidates) and the waypoint each one stands for. */
interface PathSoFar {
  chosen: number[];
  chosenWaypoints: AffectPoint[];
  used: Uint8Array;
}

/**
 * The unused song nearest waypoint `w` that is no further from the target than `prev` (the
 * previous song; −1 for the first) and is penalised for jumping more than `maxStep` from it.
 * Ties go to the smaller id. −1 when every remaining song would move away from the target.
 */
function nearestAllowed(candidates: readonly Candidate[], flat: FlatCandidates, used: Uint8Array, w: AffectPoint, prev: number, maxStep: number): number {
  const { valence: vs, arousal: as, toTarget, penalty } = flat;
  let best = -1;
  let bestCost = Infinity;
  for (let i = 0; i < flat.count; i++) {
    if (used[i]) continue;
    // Never further from the target than where the path already is.
    if (prev >= 0 && toTarget[i] > toTarget[prev] + MONOTONE_SLACK) continue;
    const dv = vs[i] - w.valence;
    const da = as[i] - w.arousal;
    // Costs are squared distances, so a penalty p (plane units) counts as ±p².
    let cost = dv * dv + da * da + penalty[i] * Math.abs(penalty[i]);
    if (prev >= 0) {
      const jump = Math.hypot(vs[i] - vs[prev], as[i] - as[prev]) - maxStep;
      if (jump > 0) cost += 2 * jump * jump;
    }
    if (cost < bestCost || (cost === bestCost && best >= 0 && candidates[i].id < candidates[best].id)) {
      bestCost = cost;
      best = i;
    }
  }
  return best;
}

/** Walks the waypoints, one song each, until they run out or the library's gaps end the path. */
function followWaypoints(candidates: readonly Candidate[], flat: FlatCandidates, waypoints: AffectPoint[], maxStep: number): PathSoFar {
  const path: PathSoFar = { chosen: [], chosenWaypoints: [], used: new Uint8Array(flat.count) };
  for (const w of waypoints) {
    const prev = path.chosen.length > 0 ? path.chosen[path.chosen.length - 1] : -1;
    const best = nearestAllowed(candidates, flat, path.used, w, prev, maxStep);
    if (best < 0) break; // nothing left that does not move away: the library's gaps end the path
    path.used[best] = 1;
    path.chosen.push(best);
    path.chosenWaypoints.push(w);
  }
  return path;
}

/**
 * At the destination, a listener who asked for more music gets more of the target mood: songs
 * near the target, nearest first, as long as they stay close to it, until `wantSongs` songs or
 * `wantSeconds` of music. Returns the seconds of the whole path.
 */
function stayAtTarget(
  candidates: readonly Candidate[],
  flat: FlatCandidates,
  path: PathSoFar,
  target: AffectPoint,
  want: { songs: number; seconds: number },
): number {
  const { chosen, used } = path;
  const { toTarget, penalty } = flat;
  let seconds = chosen.reduce((sum, i) => sum + candidates[i].durationSeconds, 0);
  const last = chosen.length > 0 ? chosen[chosen.length - 1] : -1;
  if (last < 0 || toTarget[last] > STAY_RADIUS) return seconds;
  const stay = Array.from({ length: flat.count }, (_, i) => i)
    .filter((i) => !used[i] && toTarget[i] <= STAY_RADIUS)
    .sort((a, b) => toTarget[a] - toTarget[b] || penalty[a] - penalty[b]);
  for (const i of stay) {
    if (chosen.length >= want.songs || seconds >= want.seconds) break;
    used[i] = 1;
    chosen.push(i);
    path.chosenWaypoints.push(target);
    seconds += candidates[i].durationSeconds;
  }
  return seconds;
}

/** Keeps the first songs that fill `wantSeconds` (never below one song). */
function trimToSeconds(candidates: readonly Candidate[], path: PathSoFar, wantSeconds: number): void {
  let total = 0;
  let keep = 0;
  while (keep < path.chosen.length && (total < wantSeconds || keep === 0)) total += candidates[path.chosen[keep++]].durationSeconds;
  path.chosen.length = keep;
  path.chosenWaypoints.length = keep;
}

/** How the path turned out: gaps to its waypoints, its steps and their evenness, steps away from the target. */
function pathShape(
  flat: FlatCandidates,
  path: PathSoFar,
): Pick<PathResult, 'gaps' | 'steps' | 'stepVariance' | 'stepsAway'> {
  const { chosen, chosenWaypoints } = path;
  const { valence: vs, arousal: as, toTarget } = flat;
  const gaps = chosen.map((i, k) => Math.hypot(vs[i] - chosenWaypoints[k].valence, as[i] - chosenWaypoints[k].arousal));
  const steps = chosen.slice(1).map((i, k) => Math.hypot(vs[i] - vs[chosen[k]], as[i] - as[chosen[k]]));
  const mean = steps.length > 0 ? steps.reduce((sum, x) => sum + x, 0) / steps.length : 0;
  const stepVariance = steps.length > 0 ? steps.reduce((sum, x) => sum + (x - mean) ** 2, 0) / steps.length : 0;
  let stepsAway = 0;
  for (let k = 1; k < chosen.length; k++) if (toTarget[chosen[k]] > toTarget[chosen[k - 1]] + 1e-9) stepsAway++;
  return { gaps, steps, stepVariance, stepsAway };
}

/**
 * An iso-principle playlist: it starts where the listener is and moves step by step toward the
 * target mood, as music therapy does. Waypoints are evenly spaced on the straight line from
 * mood to target; each is matched by the unused song closest to it among those that are no
 * further from the target than the previous song and do not jump far from it. A song is never
 * repeated and a step never moves away from the target: when the library has no song for the
 * next step, the path stays at what it reached, adds songs that stay near the target if it got
 * there, and says that the library's gaps made the ideal path impossible (and that it is short).
 */
export function planMoodPath(
  candidates: readonly Candidate[],
  start: AffectPoint,
  target: AffectPoint,
  length: PlaylistLength,
): PathResult {
  const empty: PathResult = { ids: [], waypoints: [], gaps: [], steps: [], stepVariance: 0, stepsAway: 0, warnings: ['empty-library'] };
  if (candidates.length === 0) return empty;
  const requested = wanted(length, candidates);
  const n = Math.min(requested, candidates.length);
  const idealStep = n > 1 ? distance(start, target) / (n - 1) : 0;
  const maxStep = 1.5 * idealStep + 0.1;
  const flat = flatten(candidates, target);
  const path = followWaypoints(candidates, flat, straightWaypoints(start, target, n), maxStep);

  const wantSeconds = 'minutes' in length ? length.minutes * 60 : Infinity;
  const wantSongs = 'songs' in length ? requested : Infinity;
  const seconds = stayAtTarget(candidates, flat, path, target, { songs: wantSongs, seconds: wantSeconds });
  if ('minutes' in length) trimToSeconds(candidates, path, wantSeconds);

  const ids = path.chosen.map((i) => candidates[i].id);
  const shape = pathShape(flat, path);
  const warnings: PathResult['warnings'] = [];
  // Trimming keeps at least the minutes asked for, so the untrimmed total tells whether it is short.
  const short = 'songs' in length ? ids.length < requested : seconds < wantSeconds;
  if (shape.gaps.some((g) => g > SPARSE_GAP) || short) warnings.push('sparse');
  if (shape.stepsAway > 0) warnings.push('moves-away');
  if (short) warnings.push('short');
  return { ids, waypoints: path.chosenWaypoints, ...shape, warnings };
}
