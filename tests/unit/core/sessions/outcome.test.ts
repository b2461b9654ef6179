import { describe, expect, it } from 'vitest';
import { moveTowardTarget, outcomeOf } from '../../../../src/core/sessions/session.ts';

describe('moveTowardTarget', () => {
  const start = { valence: -0.5, arousal: 0.5 };
  const target = { valence: 0.5, arousal: -0.5 };

  it('measures the signed distance along the start → target line', () => {
    const halfway = moveTowardTarget(start, target, { valence: 0, arousal: 0 });
    expect(halfway.startDistance).toBeCloseTo(Math.SQRT2, 9);
    expect(halfway.progress).toBeCloseTo(Math.SQRT2 / 2, 9);
    expect(halfway.endDistance).toBeCloseTo(Math.SQRT2 / 2, 9);
    // Arriving is progress equal to the whole distance; ending where one began is zero.
    expect(moveTowardTarget(start, target, target).progress).toBeCloseTo(Math.SQRT2, 9);
    expect(moveTowardTarget(start, target, start).progress).toBe(0);
  });

  it('is negative when the listener moved away, and ignores sideways movement', () => {
    const away = moveTowardTarget(start, target, { valence: -0.8, arousal: 0.8 });
    expect(away.progress).toBeCloseTo(-0.3 * Math.SQRT2, 9);
    expect(away.endDistance).toBeGreaterThan(away.startDistance);
    // A step perpendicular to the line: no progress, but further from the target.
    const sideways = moveTowardTarget(start, target, { valence: -0.3, arousal: 0.7 });
    expect(sideways.progress).toBeCloseTo(0, 9);
    expect(sideways.endDistance).toBeGreaterThan(sideways.startDistance);
  });

  it('without a direction (start at the target) counts any movement as moving away', () => {
    const same = moveTowardTarget(target, target, { valence: 0.2, arousal: -0.1 });
    expect(same.progress).toBeCloseTo(-Math.hypot(0.3, 0.4), 9);
    expect(same.endDistance).toBeCloseTo(0.5, 9);
  });

  it('outcomeOf keeps who placed the end point and when', () => {
    const o = outcomeOf({ start, target }, target, 'said', 1234);
    expect(o).toMatchObject({ source: 'said', at: 1234, end: target, endDistance: 0 });
    expect(o.progress).toBeCloseTo(Math.SQRT2, 9);
    // A match session has no target: staying where one started is the best outcome.
    expect(outcomeOf({ start, target: null }, start, 'sensors', 1).progress).toBe(-0);
  });
});
