import { describe, expect, it } from 'vitest';
import {
  FULL_VIEW,
  PointIndex,
  clampView,
  panBy,
  pointInPolygon,
  simplifyPath,
  toPlane,
  toScreen,
  zoomAt,
} from '../../../../src/core/emotion/plane.ts';

const viewport = { widthPx: 400, heightPx: 400 };

describe('plane geometry', () => {
  it('maps plane to screen and back, arousal pointing up', () => {
    const centre = toScreen({ valence: 0, arousal: 0 }, FULL_VIEW, viewport);
    expect(centre).toEqual({ x: 200, y: 200 });
    const topRight = toScreen({ valence: 1, arousal: 1 }, FULL_VIEW, viewport);
    expect(topRight.x).toBeGreaterThan(370);
    expect(topRight.y).toBeLessThan(30);
    const back = toPlane(topRight.x, topRight.y, FULL_VIEW, viewport);
    expect(back.valence).toBeCloseTo(1, 10);
    expect(back.arousal).toBeCloseTo(1, 10);
  });

  it('zooms about the pointer: the point under it stays put', () => {
    const before = toPlane(300, 120, FULL_VIEW, viewport);
    const zoomed = zoomAt(FULL_VIEW, 4, 300, 120, viewport);
    expect(zoomed.halfExtent).toBeCloseTo(FULL_VIEW.halfExtent / 4, 10);
    const after = toPlane(300, 120, zoomed, viewport);
    expect(after.valence).toBeCloseTo(before.valence, 10);
    expect(after.arousal).toBeCloseTo(before.arousal, 10);
  });

  it('never zooms out past the whole plane nor pans off it', () => {
    expect(zoomAt(FULL_VIEW, 0.1, 10, 10, viewport)).toEqual(FULL_VIEW);
    const zoomed = zoomAt(FULL_VIEW, 2, 200, 200, viewport);
    const panned = panBy(zoomed, -10_000, 10_000, viewport);
    expect(panned.centerValence).toBeCloseTo(FULL_VIEW.halfExtent - zoomed.halfExtent, 10);
    // Dragging content down reveals what is above: higher arousal.
    expect(panned.centerArousal).toBeCloseTo(FULL_VIEW.halfExtent - zoomed.halfExtent, 10);
    expect(clampView({ centerValence: 0, centerArousal: 0, halfExtent: 0 }).halfExtent).toBeGreaterThan(0);
  });
});

describe('PointIndex', () => {
  it('finds the nearest point within a radius, like a brute-force search', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1;
    const points = Array.from({ length: 10_000 }, () => ({ valence: random(), arousal: random() }));
    const index = new PointIndex(points);
    for (let q = 0; q < 200; q++) {
      const target = { valence: random(), arousal: random() };
      const radius = 0.03;
      let expected = -1;
      let best = radius * radius;
      points.forEach((p, i) => {
        const d = (p.valence - target.valence) ** 2 + (p.arousal - target.arousal) ** 2;
        if (d <= best) {
          best = d;
          expected = i;
        }
      });
      expect(index.nearest(target, radius)).toBe(expected);
    }
  });

  it('respects a filter and the plane edges', () => {
    const points = [{ valence: 1, arousal: 1 }, { valence: 0.99, arousal: 0.99 }];
    const index = new PointIndex(points);
    expect(index.nearest({ valence: 1, arousal: 1 }, 0.1)).toBe(0);
    expect(index.nearest({ valence: 1, arousal: 1 }, 0.1, (i) => i !== 0)).toBe(1);
    expect(index.nearest({ valence: -1, arousal: -1 }, 0.1)).toBe(-1);
  });
});

describe('lasso', () => {
  const square = [
    { valence: 0, arousal: 0 },
    { valence: 0.5, arousal: 0 },
    { valence: 0.5, arousal: 0.5 },
    { valence: 0, arousal: 0.5 },
  ];
  it('tests points against a polygon', () => {
    expect(pointInPolygon({ valence: 0.25, arousal: 0.25 }, square)).toBe(true);
    expect(pointInPolygon({ valence: 0.75, arousal: 0.25 }, square)).toBe(false);
    expect(pointInPolygon({ valence: 0.25, arousal: 0.25 }, square.slice(0, 2))).toBe(false);
  });
  it('thins dense pointer paths', () => {
    const dense = Array.from({ length: 100 }, (_, i) => ({ valence: i / 1000, arousal: 0 }));
    expect(simplifyPath(dense, 0.01).length).toBe(10);
  });
});
