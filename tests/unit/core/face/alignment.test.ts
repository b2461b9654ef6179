import { describe, expect, it } from 'vitest';
import { eyeCentres, eyeRollRadians, levellingTransform, sampleSourcePoint, type PointPx } from '../../../../src/core/face/alignment.ts';

/** 68 landmarks with the two eyes' six points each around the given centres. */
function landmarksWithEyes(left: PointPx, right: PointPx): PointPx[] {
  const points: PointPx[] = Array.from({ length: 68 }, () => ({ x: 0, y: 0 }));
  const ring = (c: PointPx, from: number) => {
    for (let i = 0; i < 6; i++) points[from + i] = { x: c.x + 3 * Math.cos((i * Math.PI) / 3), y: c.y + 3 * Math.sin((i * Math.PI) / 3) };
  };
  ring(left, 36);
  ring(right, 42);
  return points;
}

describe('landmark alignment maths', () => {
  it('finds the eyes and their roll (golden)', () => {
    const points = landmarksWithEyes({ x: 40, y: 50 }, { x: 80, y: 90 });
    const { left, right } = eyeCentres(points);
    expect(left.x).toBeCloseTo(40, 9);
    expect(right.y).toBeCloseTo(90, 9);
    expect(eyeRollRadians(points)).toBeCloseTo(Math.PI / 4, 9);
    expect(() => eyeRollRadians(points.slice(0, 5))).toThrow(RangeError);
  });

  it('the levelling transform keeps the centre and samples along the eye line', () => {
    const roll = Math.PI / 6;
    const centre = { x: 56, y: 56 };
    const t = levellingTransform(roll, centre);
    const c = sampleSourcePoint(t, centre);
    expect(c.x).toBeCloseTo(56, 9);
    expect(c.y).toBeCloseTo(56, 9);
    // One pixel right of the centre in the output comes from one pixel along the tilted eye line.
    const p = sampleSourcePoint(t, { x: 57, y: 56 });
    expect(p.x - 56).toBeCloseTo(Math.cos(roll), 9);
    expect(p.y - 56).toBeCloseTo(Math.sin(roll), 9);
    expect(levellingTransform(0, centre)).toEqual([1, -0, 0, 0, 1, 0, 0, 0]);
  });
});
