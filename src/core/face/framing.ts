import { boxAreaPx2, clampBox, intersectionAreaPx2, type BoxPx, type DetectionPx } from './face-boxes.ts';

/**
 * "The image is the face" rules, and the sizes the detection cascade works at. An image that is
 * itself a tight face crop (a FER2013 48×48 crop, a profile picture) must be classified whole:
 * detectors often find nothing on it (SSD finds a face on ~6 % of FER2013 crops even padded
 * and upscaled; tiny on ~28 % of them unpadded) and, per the issue author's measurements, a
 * detector crop of it reads worse than the whole image.
 */

/** Longest/shortest side at most this counts as "shaped like a face crop" (square to 2:3). */
export const CROP_LIKE_MAX_ASPECT = 1.5;

/** A crop-like image no larger than this (longest side) is taken as one face crop, classified whole. */
export const SMALL_CROP_MAX_EDGE_PX = 160;

/**
 * A detection covering at least this fraction of a crop-like image means the face fills it: the
 * whole image is classified instead of a detector crop. On FER2013 crops the tiny detector's
 * box (after the padded retry) covers a median 0.95 and a 10th percentile 0.71 of the image.
 */
export const FACE_FILLS_IMAGE_FRACTION = 0.5;

/** Images smaller than this on their short side carry too little to read a face. */
export const MIN_IMAGE_EDGE_PX = 16;

/** True when the image's proportions are those of a face crop. */
export function isCropLike(widthPx: number, heightPx: number): boolean {
  if (!(widthPx > 0 && heightPx > 0)) return false;
  return Math.max(widthPx, heightPx) / Math.min(widthPx, heightPx) <= CROP_LIKE_MAX_ASPECT;
}

/** Why the whole image was classified as one face. */
export type ImageIsFaceReason =
  /** The caller said the image is a face crop (`assumeFace`). */
  | 'caller'
  /** A detector found a face covering most of a crop-like image. */
  | 'face-fills-image'
  /** The image is small and crop-shaped (no detection filled it, or none fired): nothing else it could be. */
  | 'small-crop';

export interface FramingDecision {
  /** True when the whole image is classified as the (single) face. */
  imageIsFace: boolean;
  reason: ImageIsFaceReason | null;
  /** The faces to classify: the detections, or one whole-image face. */
  faces: DetectionPx[];
}

/**
 * Whether SSD MobileNet is worth running on an image after tiny found nothing. Not on small
 * crop-like images: SSD finds a face on ~6 % of FER2013 crops even padded and upscaled (the issue
 * author: none at all), and such an image is classified whole either way (rule 3 below).
 */
export function ssdWorthTrying(widthPx: number, heightPx: number): boolean {
  return !(isCropLike(widthPx, heightPx) && Math.max(widthPx, heightPx) <= SMALL_CROP_MAX_EDGE_PX);
}

/** The whole image as a box. */
export function wholeImageBox(widthPx: number, heightPx: number): BoxPx {
  return { x: 0, y: 0, width: widthPx, height: heightPx };
}

/**
 * Decides what to classify in a `widthPx`×`heightPx` image given the detections the cascade
 * found (any detector, same pixels). Rules, in order:
 * 1. `assumeFace` → the whole image ('caller').
 * 2. Unless `preferDetectorCrop` (for measuring this rule): crop-like image and the largest
 *    detection covers ≥ {@link FACE_FILLS_IMAGE_FRACTION} of it → the whole image, keeping that
 *    detection's box and detector ('face-fills-image').
 * 3. Crop-like and longest side ≤ {@link SMALL_CROP_MAX_EDGE_PX} → the whole image, detector
 *    'whole-image', score 0 ('small-crop'), whatever the detectors said: so small a picture is
 *    a face crop, and a detector's partial box inside it reads worse than the whole.
 * 4. Some detections → those faces.
 * 5. Otherwise nothing: the caller reports "no face".
 */
export function decideFraming(
  widthPx: number,
  heightPx: number,
  detections: readonly DetectionPx[],
  options: { assumeFace?: boolean; preferDetectorCrop?: boolean } = {},
): FramingDecision {
  const whole = wholeImageBox(widthPx, heightPx);
  const wholeFace: DetectionPx[] = [{ box: whole, score: 0, detector: 'whole-image' }];
  if (options.assumeFace) return { imageIsFace: true, reason: 'caller', faces: wholeFace };
  const cropLike = isCropLike(widthPx, heightPx);
  if (detections.length > 0 && !options.preferDetectorCrop && cropLike) {
    const imageArea = boxAreaPx2(whole);
    const largest = detections.reduce((a, b) => (intersectionAreaPx2(b.box, whole) > intersectionAreaPx2(a.box, whole) ? b : a));
    if (imageArea > 0 && intersectionAreaPx2(largest.box, whole) / imageArea >= FACE_FILLS_IMAGE_FRACTION) {
      return { imageIsFace: true, reason: 'face-fills-image', faces: [{ ...largest, box: clampBox(largest.box, widthPx, heightPx) }] };
    }
  }
  if (cropLike && Math.max(widthPx, heightPx) <= SMALL_CROP_MAX_EDGE_PX && !(options.preferDetectorCrop && detections.length > 0)) {
    return { imageIsFace: true, reason: 'small-crop', faces: wholeFace };
  }
  return { imageIsFace: false, reason: null, faces: [...detections] };
}

/** The factor (≤ 1) that brings an image's longest side down to at most `maxEdgePx`. */
export function downscaleFactor(widthPx: number, heightPx: number, maxEdgePx: number): number {
  const edge = Math.max(widthPx, heightPx);
  return edge > maxEdgePx ? maxEdgePx / edge : 1;
}

/** Whole-pixel size after scaling by `factor` (at least 1×1). */
export function scaledSize(widthPx: number, heightPx: number, factor: number): { widthPx: number; heightPx: number } {
  return { widthPx: Math.max(1, Math.round(widthPx * factor)), heightPx: Math.max(1, Math.round(heightPx * factor)) };
}

/**
 * The padded retry for crop-like images: tiny misses faces that fill the frame (no context
 * around them), so the image — first shrunk to at most this longest side — is mirror-padded
 * by its own size on every side and searched again. On FER2013 crops this finds a face in
 * 88 % of them (unpadded: 28 %).
 */
export const PADDED_RETRY_MAX_EDGE_PX = 160;

/**
 * Maps detections made on a padded copy (`padXPx`/`padYPx` added on each side, at `scale`
 * working pixels per image pixel) back to image pixels, keeping only those whose centre lies
 * inside the image (the mirrored border holds reflected copies of the face).
 */
export function detectionsFromPadded(detections: readonly DetectionPx[], padXPx: number, padYPx: number, scale: number, widthPx: number, heightPx: number): DetectionPx[] {
  const out: DetectionPx[] = [];
  for (const d of detections) {
    const box = { x: (d.box.x - padXPx) / scale, y: (d.box.y - padYPx) / scale, width: d.box.width / scale, height: d.box.height / scale };
    const cx = box.x + box.width / 2;
    const cy = box.y + box.height / 2;
    if (cx >= 0 && cy >= 0 && cx <= widthPx && cy <= heightPx) out.push({ ...d, box });
  }
  return out;
}

/** SSD MobileNet sees its input at 512×512; images much larger than that lose small faces. */
export const SSD_INPUT_PX = 512;

/** Tiles overlap by this fraction of a tile, so a face on a seam is whole in one tile. */
export const TILE_OVERLAP_FRACTION = 0.25;

/**
 * The "upscaling" retry for small faces in big photos: 2×2 overlapping tiles, each of which SSD
 * then sees at 512 px (about twice the resolution it gets on the whole image). Empty when the
 * image is no larger than 1.5 × SSD's input on its longest side (tiles would add nothing).
 */
export function ssdTiles(widthPx: number, heightPx: number): BoxPx[] {
  if (Math.max(widthPx, heightPx) <= 1.5 * SSD_INPUT_PX) return [];
  const tileW = Math.round(widthPx / (2 - TILE_OVERLAP_FRACTION));
  const tileH = Math.round(heightPx / (2 - TILE_OVERLAP_FRACTION));
  const tiles: BoxPx[] = [];
  for (const y of [0, heightPx - tileH]) for (const x of [0, widthPx - tileW]) tiles.push({ x, y, width: tileW, height: tileH });
  return tiles;
}
