import { describe, expect, it } from 'vitest';
import type { DetectionPx } from '../../../../src/core/face/face-boxes.ts';
import { decideFraming, detectionsFromPadded, downscaleFactor, isCropLike, scaledSize, ssdTiles, ssdWorthTrying } from '../../../../src/core/face/framing.ts';

const det = (x: number, y: number, w: number, h: number, detector: DetectionPx['detector'] = 'tiny'): DetectionPx => ({ box: { x, y, width: w, height: h }, score: 0.9, detector });

describe('"the image is the face" rules', () => {
  it('knows crop-shaped images', () => {
    expect(isCropLike(48, 48)).toBe(true);
    expect(isCropLike(200, 300)).toBe(true);
    expect(isCropLike(1920, 1080)).toBe(false);
    expect(isCropLike(0, 10)).toBe(false);
  });

  it('classifies the whole image when the caller says it is a face', () => {
    const d = decideFraming(640, 480, [det(10, 10, 50, 50)], { assumeFace: true });
    expect(d).toMatchObject({ imageIsFace: true, reason: 'caller' });
    expect(d.faces).toEqual([{ box: { x: 0, y: 0, width: 640, height: 480 }, score: 0, detector: 'whole-image' }]);
  });

  it('classifies the whole image when a detection fills a crop-like image (box clamped to it)', () => {
    const d = decideFraming(48, 48, [det(-4, -2, 56, 54)]);
    expect(d).toMatchObject({ imageIsFace: true, reason: 'face-fills-image' });
    expect(d.faces[0]).toMatchObject({ detector: 'tiny', box: { x: 0, y: 0, width: 48, height: 48 } });
    // Unless a detector crop is asked for.
    expect(decideFraming(48, 48, [det(-4, -2, 56, 54)], { preferDetectorCrop: true }).imageIsFace).toBe(false);
  });

  it('keeps detector crops for a photo, or for a face covering under half of a larger crop-like image', () => {
    const photo = decideFraming(1920, 1080, [det(100, 100, 900, 900), det(1200, 100, 200, 200)]);
    expect(photo.imageIsFace).toBe(false);
    expect(photo.faces).toHaveLength(2);
    expect(decideFraming(400, 400, [det(100, 100, 150, 150)]).imageIsFace).toBe(false);
  });

  it('classifies a small crop whole even when a detector found only part of it', () => {
    const d = decideFraming(48, 48, [det(10, 10, 20, 20)]);
    expect(d).toMatchObject({ imageIsFace: true, reason: 'small-crop' });
    expect(d.faces[0].detector).toBe('whole-image');
    expect(decideFraming(48, 48, [det(10, 10, 20, 20)], { preferDetectorCrop: true }).faces[0].detector).toBe('tiny');
  });

  it('takes a small crop-shaped image as the face when nothing fires; otherwise no face', () => {
    expect(decideFraming(48, 48, [])).toMatchObject({ imageIsFace: true, reason: 'small-crop' });
    expect(decideFraming(160, 120, [])).toMatchObject({ imageIsFace: true, reason: 'small-crop' });
    expect(decideFraming(161, 161, []).faces).toEqual([]);
    expect(decideFraming(150, 40, []).faces).toEqual([]);
  });

  it('maps padded-retry detections back and drops mirrored copies', () => {
    // 48-px image shrunk by nothing, padded 48 on each side → 144 px. A face at the centre, a copy in the border.
    const found = detectionsFromPadded([det(46, 46, 52, 52), det(0, 46, 40, 52)], 48, 48, 1, 48, 48);
    expect(found).toHaveLength(1);
    expect(found[0].box).toEqual({ x: -2, y: -2, width: 52, height: 52 });
    // With the image shrunk by 0.5 first, boxes double on the way back.
    expect(detectionsFromPadded([det(30, 30, 20, 20)], 20, 20, 0.5, 40, 40)[0].box).toEqual({ x: 20, y: 20, width: 40, height: 40 });
  });

  it('bounds working sizes and tiles big images for SSD', () => {
    expect(downscaleFactor(8000, 6000, 1600)).toBeCloseTo(0.2, 12);
    expect(downscaleFactor(800, 600, 1600)).toBe(1);
    expect(scaledSize(8000, 6000, 0.2)).toEqual({ widthPx: 1600, heightPx: 1200 });
    expect(ssdTiles(640, 480)).toEqual([]);
    const tiles = ssdTiles(1600, 1200);
    expect(tiles).toHaveLength(4);
    // Tiles cover the image and overlap by 25 % of a tile.
    expect(tiles[0]).toEqual({ x: 0, y: 0, width: 914, height: 686 });
    expect(tiles[3]).toEqual({ x: 686, y: 514, width: 914, height: 686 });
  });
});

describe('ssdWorthTrying', () => {
  it('skips SSD on small crop-shaped images only', () => {
    expect(ssdWorthTrying(48, 48)).toBe(false);
    expect(ssdWorthTrying(160, 140)).toBe(false);
    expect(ssdWorthTrying(161, 161)).toBe(true);
    expect(ssdWorthTrying(150, 40)).toBe(true);
    expect(ssdWorthTrying(1920, 1080)).toBe(true);
  });
});
