import { describe, expect, it } from 'vitest';
import {
  boxAreaPx2,
  centredSquare,
  clampBox,
  cropAndResizeBox,
  expressionCropBox,
  intersectionOverUnion,
  largestFaceIndex,
  mergeDetections,
  overlapOfSmaller,
  scaleBox,
  sortLargestFirst,
  type DetectionPx,
} from '../../../../src/core/face/face-boxes.ts';

const box = (x: number, y: number, width: number, height: number) => ({ x, y, width, height });

describe('face boxes', () => {
  it('IoU and overlap-of-smaller (golden)', () => {
    // 10×10 boxes offset by 5 in x: intersection 50, union 150.
    expect(intersectionOverUnion(box(0, 0, 10, 10), box(5, 0, 10, 10))).toBeCloseTo(1 / 3, 12);
    expect(intersectionOverUnion(box(0, 0, 10, 10), box(20, 20, 5, 5))).toBe(0);
    // A small box inside a big one: IoU small, overlap-of-smaller 1.
    expect(intersectionOverUnion(box(0, 0, 100, 100), box(10, 10, 20, 20))).toBeCloseTo(0.04, 12);
    expect(overlapOfSmaller(box(0, 0, 100, 100), box(10, 10, 20, 20))).toBe(1);
    expect(boxAreaPx2(box(0, 0, -3, 4))).toBe(0);
  });

  it('merges two detectors’ boxes for the same face into one, earlier list first', () => {
    const tiny: DetectionPx[] = [{ box: box(100, 100, 160, 150), score: 0.8, detector: 'tiny' }];
    const ssd: DetectionPx[] = [
      { box: box(130, 90, 100, 150), score: 0.9, detector: 'ssd' }, // same face, narrower box
      { box: box(400, 100, 100, 140), score: 0.7, detector: 'ssd' }, // another face
    ];
    const merged = mergeDetections(tiny, ssd);
    expect(merged.map((d) => d.detector)).toEqual(['tiny', 'ssd']);
    expect(merged[1].box.x).toBe(400);
  });

  it('orders faces largest first and finds the largest', () => {
    const faces = [{ box: box(0, 0, 10, 10) }, { box: box(50, 0, 30, 30) }, { box: box(90, 0, 20, 20) }];
    expect(sortLargestFirst(faces).map((f) => f.box.width)).toEqual([30, 20, 10]);
    expect(largestFaceIndex(faces)).toBe(1);
    expect(largestFaceIndex([])).toBe(-1);
  });

  it('frames tiny and SSD boxes into comparable squares', () => {
    const t = expressionCropBox({ box: box(100, 100, 120, 100), score: 1, detector: 'tiny' });
    expect(t).toEqual(box(100, 90, 120, 120));
    // SSD: 70×100 box → side max(70, 110) = 110, centre moved 15 px down (from y 150 to 165).
    const s = expressionCropBox({ box: box(100, 100, 70, 100), score: 1, detector: 'ssd' });
    expect(s.width).toBeCloseTo(110, 12);
    expect(s.x + s.width / 2).toBeCloseTo(135, 12);
    expect(s.y + s.height / 2).toBeCloseTo(165, 12);
  });

  it('cropAndResizeBox samples like resizeBilinear (golden)', () => {
    // Whole 48-px image onto 112 px: output i samples at i·48/112; the last (111) at 47.571 px,
    // which cropAndResize expresses as 47.571 / 47.
    const [y1, x1, y2, x2] = cropAndResizeBox(box(0, 0, 48, 48), 48, 48, 112);
    expect(y1).toBe(0);
    expect(x1).toBe(0);
    expect(y2 * 47).toBeCloseTo((111 * 48) / 112, 12);
    expect(x2 * 47).toBeCloseTo(47.5714286, 6);
  });

  it('centres a square on a non-square image, scales and clamps', () => {
    expect(centredSquare(40, 60)).toEqual(box(-10, 0, 60, 60));
    expect(scaleBox(box(10, 20, 30, 40), 2)).toEqual(box(20, 40, 60, 80));
    expect(clampBox(box(-10, -10, 30, 30), 15, 100)).toEqual(box(0, 0, 15, 20));
  });
});
