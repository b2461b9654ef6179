import { describe, expect, it } from 'vitest';
import { MODE_TARGETS, firstInOrder, matchMood, planMoodPath, type Candidate } from '../../../../src/core/recommend/recommend.ts';

const grid = (step = 0.1): Candidate[] => {
  const out: Candidate[] = [];
  for (let v = -1; v <= 1.0001; v += step) {
    for (let a = -1; a <= 1.0001; a += step) out.push({ id: `${v.toFixed(2)},${a.toFixed(2)}`, valence: v, arousal: a, durationSeconds: 180 });
  }
  return out;
};
const dist = (a: { valence: number; arousal: number }, b: { valence: number; arousal: number }) => Math.hypot(a.valence - b.valence, a.arousal - b.arousal);

describe('planMoodPath', () => {
  const library = grid();
  const byId = new Map(library.map((c) => [c.id, c]));
  const start = { valence: -0.7, arousal: -0.6 };
  const target = MODE_TARGETS['lift-up'];

  it('starts near the mood, ends near the target, always moves toward it, never repeats', () => {
    const path = planMoodPath(library, start, target, { songs: 10 });
    expect(path.ids).toHaveLength(10);
    expect(new Set(path.ids).size).toBe(10);
    const songs = path.ids.map((id) => byId.get(id) as Candidate);
    expect(dist(songs[0], start)).toBeLessThan(0.08);
    expect(dist(songs[9], target)).toBeLessThan(0.08);
    for (let i = 1; i < songs.length; i++) expect(dist(songs[i], target)).toBeLessThanOrEqual(dist(songs[i - 1], target) + 1e-9);
    expect(path.stepsAway).toBe(0);
    const ideal = dist(start, target) / 9;
    for (const step of path.steps) expect(step).toBeLessThan(1.5 * ideal + 0.1);
    expect(path.stepVariance).toBeLessThan(0.005);
    expect(path.warnings).toEqual([]);
  });

  it('fills minutes of music', () => {
    const path = planMoodPath(library, start, target, { minutes: 30 });
    const seconds = path.ids.reduce((s, id) => s + (byId.get(id)?.durationSeconds ?? 0), 0);
    expect(seconds).toBeGreaterThanOrEqual(30 * 60);
    expect(seconds).toBeLessThan(30 * 60 + 180);
  });

  it('on a sparse library returns the best it can and says the ideal path is impossible', () => {
    const sparse: Candidate[] = [
      { id: 'sad1', valence: -0.7, arousal: -0.6, durationSeconds: 200 },
      { id: 'sad2', valence: -0.6, arousal: -0.5, durationSeconds: 200 },
      { id: 'happy1', valence: 0.7, arousal: 0.4, durationSeconds: 200 },
      { id: 'happy2', valence: 0.8, arousal: 0.3, durationSeconds: 200 },
    ];
    const path = planMoodPath(sparse, start, target, { songs: 6 });
    expect(path.ids).toHaveLength(4);
    expect(new Set(path.ids).size).toBe(4);
    expect(path.ids[0]).toBe('sad1');
    expect(path.warnings).toEqual(expect.arrayContaining(['sparse', 'short']));
  });

  it('with songs in one quadrant only, goes as far as it can without ever turning back', () => {
    const oneQuadrant = grid(0.2).filter((c) => c.valence < 0 && c.arousal < 0);
    const path = planMoodPath(oneQuadrant, start, target, { songs: 8 });
    const songs = path.ids.map((id) => oneQuadrant.find((c) => c.id === id) as Candidate);
    expect(songs.length).toBeGreaterThanOrEqual(3);
    expect(songs.length).toBeLessThanOrEqual(8);
    expect(path.stepsAway).toBe(0);
    for (let i = 1; i < songs.length; i++) expect(dist(songs[i], target)).toBeLessThanOrEqual(dist(songs[i - 1], target));
    expect(path.warnings).toEqual(expect.arrayContaining(['sparse', 'short']));
  });

  it('handles an empty library and penalised songs', () => {
    expect(planMoodPath([], start, target, { songs: 5 }).warnings).toEqual(['empty-library']);
    const near = [
      { id: 'skipped', valence: -0.7, arousal: -0.6, durationSeconds: 100, penalty: 0.5 },
      { id: 'fine', valence: -0.65, arousal: -0.55, durationSeconds: 100 },
    ];
    expect(planMoodPath(near, start, start, { songs: 1 }).ids).toEqual(['fine']);
  });
});

describe('matchMood', () => {
  it('returns the nearest songs, nearest first, honouring feedback', () => {
    const library = grid(0.25);
    const point = { valence: 0.5, arousal: 0.5 };
    const result = matchMood(library, point, { songs: 5 });
    expect(result.ids[0]).toBe('0.50,0.50');
    const ds = result.ids.map((id) => dist(library.find((c) => c.id === id) as Candidate, point));
    expect(ds).toEqual([...ds].sort((a, b) => a - b));
    const disliked = library.map((c) => (c.id === '0.50,0.50' ? { ...c, penalty: 10 } : c));
    expect(matchMood(disliked, point, { songs: 5 }).ids).not.toContain('0.50,0.50');
    expect(matchMood([], point, { songs: 3 }).warnings).toEqual(['empty-library']);
    expect(matchMood(library.slice(0, 2), { valence: 1, arousal: 1 }, { songs: 3 }).warnings).toEqual(['far-from-mood', 'short']);
  });
});

describe('firstInOrder', () => {
  it('gives the k first indices as a full sort does, ties and all', () => {
    let seed = 7;
    const random = (): number => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    // Coarse costs, so many tie and the tie-break (the index's name) decides.
    const costs = Array.from({ length: 3000 }, () => Math.floor(random() * 50));
    const names = costs.map(() => random().toString(36).slice(2, 8));
    const before = (i: number, j: number): boolean => costs[i] < costs[j] || (costs[i] === costs[j] && names[i] < names[j]);
    const sorted = Array.from(costs.keys()).sort((i, j) => (before(i, j) ? -1 : 1));
    for (const k of [1, 10, 100, 3000, 5000]) expect(firstInOrder(costs.length, k, before)).toEqual(sorted.slice(0, k));
    expect(firstInOrder(0, 5, before)).toEqual([]);
  });
});
