import { describe, expect, it } from 'vitest';
import { planForStrategy } from '../../../../src/core/recommend/strategies.ts';
import type { Candidate } from '../../../../src/core/recommend/recommend.ts';

/** Songs on a line from sad-calm (-0.8, -0.6) to happy (0.8, 0.6), 17 of them. */
const line: Candidate[] = Array.from({ length: 17 }, (_, i) => ({ id: `s${String(i).padStart(2, '0')}`, valence: -0.8 + 0.1 * i, arousal: -0.6 + 0.075 * i, durationSeconds: 200 }));
const start = { valence: -0.8, arousal: -0.6 };
const target = { valence: 0.8, arousal: 0.6 };

describe('planForStrategy', () => {
  it('gradual starts where the listener is and steps toward the target', () => {
    const plan = planForStrategy('gradual', line, start, target, { songs: 5 });
    expect(plan.ids).toEqual(['s00', 's04', 's08', 's12', 's16']);
    expect(plan.waypoints[0]).toEqual(start);
    expect(plan.stepVariance).toBeCloseTo(0, 9);
    expect(plan.warnings).toEqual([]);
  });

  it('direct plays the songs nearest the target from the first song on', () => {
    const plan = planForStrategy('direct', line, start, target, { songs: 5 });
    expect(plan.ids).toEqual(['s16', 's15', 's14', 's13', 's12']);
    expect(plan.waypoints.every((w) => w === target)).toBe(true);
    expect(plan.stepVariance).toBeNull();
  });

  it('says when the library has nothing near the target', () => {
    const sadOnly = line.slice(0, 4);
    expect(planForStrategy('direct', sadOnly, start, target, { songs: 3 }).warnings).toEqual(['sparse']);
    expect(planForStrategy('direct', sadOnly, start, target, { songs: 10 }).warnings).toEqual(['short']);
  });
});
