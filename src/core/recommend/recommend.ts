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
function fitMinutes(ids: string[], byId: Map<string, Candidate>, length: PlaylistLength): string[] {
  if ('songs' in length) return ids;
  const out: string[] = [];
  let seconds = 0;
  for (const id of ids) {
    if (seconds >= length.minutes * 60 && out.length > 0) break;
    out.push(id);
    seconds += byId.get(id)?.durationSeconds ?? 0;
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
  const ranked = candidates
    .map((c) => ({ c, cost: distance(c, point) + (c.penalty ?? 0) }))
    .sort((a, b) => a.cost - b.cost || (a.c.id < b.c.id ? -1 : 1));
  const byId = new Map(candidates.map((c) => [c.id, c]));
  const ids = fitMinutes(
    ranked.slice(0, 'minutes' in length ? ranked.length : n).map((r) => r.c.id),
    byId,
    length,
  );
  const maxDistance = Math.max(...ids.map((id) => distance(byId.get(id) as Candidate, point)));
  const warnings: MatchResult['warnings'] = [];
  if (maxDistance > 0.5) warnings.push('far-from-mood');
  if ('songs' in length && ids.length < n) warnings.push('short');
  return { ids, maxDistance, warnings };
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
  const waypoints: AffectPoint[] = Array.from({ length: n }, (_, i) => {
    const f = n === 1 ? 1 : i / (n - 1);
    return { valence: start.valence + (target.valence - start.valence) * f, arousal: start.arousal + (target.arousal - start.arousal) * f };
  });
  const idealStep = n > 1 ? distance(start, target) / (n - 1) : 0;
  const maxStep = 1.5 * idealStep + 0.1;

  // Flat arrays: the inner loop runs n × |library| times (10,000 songs × 20 steps).
  const count = candidates.length;
  const vs = new Float64Array(count);
  const as = new Float64Array(count);
  const toTarget = new Float64Array(count);
  const penalty = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const c = candidates[i];
    vs[i] = c.valence;
    as[i] = c.arousal;
    toTarget[i] = distance(c, target);
    penalty[i] = c.penalty ?? 0;
  }
  const used = new Uint8Array(count);
  const chosen: number[] = [];
  const chosenWaypoints: AffectPoint[] = [];
  for (let step = 0; step < n; step++) {
    const w = waypoints[step];
    const prev = chosen.length > 0 ? chosen[chosen.length - 1] : -1;
    let best = -1;
    let bestCost = Infinity;
    for (let i = 0; i < count; i++) {
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
    if (best < 0) break; // nothing left that does not move away: the library's gaps end the path
    used[best] = 1;
    chosen.push(best);
    chosenWaypoints.push(w);
  }

  // At the destination, a listener who asked for more music gets more of the target mood:
  // songs near the target, nearest first, as long as they stay close to it.
  const wantSeconds = 'minutes' in length ? length.minutes * 60 : Infinity;
  const wantSongs = 'songs' in length ? requested : Infinity;
  let seconds = chosen.reduce((sum, i) => sum + candidates[i].durationSeconds, 0);
  const last = chosen.length > 0 ? chosen[chosen.length - 1] : -1;
  if (last >= 0 && toTarget[last] <= STAY_RADIUS) {
    const stay = Array.from({ length: count }, (_, i) => i)
      .filter((i) => !used[i] && toTarget[i] <= STAY_RADIUS)
      .sort((a, b) => toTarget[a] - toTarget[b] || penalty[a] - penalty[b]);
    for (const i of stay) {
      if (chosen.length >= wantSongs || seconds >= wantSeconds) break;
      used[i] = 1;
      chosen.push(i);
      chosenWaypoints.push(target);
      seconds += candidates[i].durationSeconds;
    }
  }
  if ('minutes' in length) {
    // Trim to the minutes asked for (never below one song).
    let total = 0;
    let keep = 0;
    while (keep < chosen.length && (total < wantSeconds || keep === 0)) total += candidates[chosen[keep++]].durationSeconds;
    chosen.length = keep;
    chosenWaypoints.length = keep;
  }

  const ids = chosen.map((i) => candidates[i].id);
  const gaps = chosen.map((i, k) => Math.hypot(vs[i] - chosenWaypoints[k].valence, as[i] - chosenWaypoints[k].arousal));
  const steps = chosen.slice(1).map((i, k) => Math.hypot(vs[i] - vs[chosen[k]], as[i] - as[chosen[k]]));
  const mean = steps.length > 0 ? steps.reduce((sum, x) => sum + x, 0) / steps.length : 0;
  const stepVariance = steps.length > 0 ? steps.reduce((sum, x) => sum + (x - mean) ** 2, 0) / steps.length : 0;
  let stepsAway = 0;
  for (let k = 1; k < chosen.length; k++) if (toTarget[chosen[k]] > toTarget[chosen[k - 1]] + 1e-9) stepsAway++;
  const warnings: PathResult['warnings'] = [];
  const short = 'songs' in length ? ids.length < requested : seconds < wantSeconds;
  if (gaps.some((g) => g > SPARSE_GAP) || short) warnings.push('sparse');
  if (stepsAway > 0) warnings.push('moves-away');
  if (short) warnings.push('short');
  return { ids, waypoints: chosenWaypoints, gaps, steps, stepVariance, stepsAway, warnings };
}
