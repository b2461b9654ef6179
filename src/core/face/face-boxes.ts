/**
 * Box geometry for faces: sizes, overlaps, merging two detectors' results, ordering faces and
 * choosing the square crop the expression net sees. All boxes are axis-aligned rectangles in
 * pixels of one image (which image is stated where they are used).
 */

/** An axis-aligned rectangle in pixels: top-left corner and size. */
export interface BoxPx {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Which detector found a face; 'whole-image' when none did and the whole image was taken as the face. */
export type FaceDetectorName = 'tiny' | 'ssd' | 'whole-image';

/** A detector's output: a box and its score in [0, 1]. */
export interface DetectionPx {
  box: BoxPx;
  score: number;
  detector: FaceDetectorName;
}

/** Area in square pixels (0 for degenerate boxes). */
export function boxAreaPx2(box: BoxPx): number {
  return Math.max(0, box.width) * Math.max(0, box.height);
}

/** Area of the intersection of two boxes, in square pixels. */
export function intersectionAreaPx2(a: BoxPx, b: BoxPx): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/** Intersection over union in [0, 1]. */
export function intersectionOverUnion(a: BoxPx, b: BoxPx): number {
  const inter = intersectionAreaPx2(a, b);
  const union = boxAreaPx2(a) + boxAreaPx2(b) - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Intersection over the smaller box's area in [0, 1]. Used to spot the same face found by two
 * detectors: tiny's boxes are ~1.6× wider than SSD's for the same face, so their IoU can be
 * low even when one box sits inside the other.
 */
export function overlapOfSmaller(a: BoxPx, b: BoxPx): number {
  const smaller = Math.min(boxAreaPx2(a), boxAreaPx2(b));
  return smaller > 0 ? intersectionAreaPx2(a, b) / smaller : 0;
}

/** Two detections overlapping more than this (of the smaller box) are one face. */
export const SAME_FACE_OVERLAP = 0.5;

/**
 * Merges detections from several detectors (earlier lists win ties): a detection that overlaps
 * an already kept one by more than {@link SAME_FACE_OVERLAP} of the smaller box is dropped.
 * Within each list, higher scores are considered first.
 */
export function mergeDetections(...lists: readonly (readonly DetectionPx[])[]): DetectionPx[] {
  const kept: DetectionPx[] = [];
  for (const list of lists) {
    for (const d of [...list].sort((a, b) => b.score - a.score)) {
      if (!kept.some((k) => overlapOfSmaller(k.box, d.box) > SAME_FACE_OVERLAP)) kept.push(d);
    }
  }
  return kept;
}

/** Largest box first (ties: higher score, then leftmost); the largest face is the one preselected. */
export function sortLargestFirst<T extends { box: BoxPx; score?: number }>(faces: readonly T[]): T[] {
  return [...faces].sort((a, b) => boxAreaPx2(b.box) - boxAreaPx2(a.box) || (b.score ?? 0) - (a.score ?? 0) || a.box.x - b.box.x);
}

/** The index of the largest face, or −1 for none. */
export function largestFaceIndex(faces: readonly { box: BoxPx }[]): number {
  let best = -1;
  let bestArea = -1;
  faces.forEach((f, i) => {
    const area = boxAreaPx2(f.box);
    if (area > bestArea) {
      best = i;
      bestArea = area;
    }
  });
  return best;
}

/** Multiplies a box's coordinates by `factor` (e.g. from a downscaled working image back to source pixels). */
export function scaleBox(box: BoxPx, factor: number): BoxPx {
  return { x: box.x * factor, y: box.y * factor, width: box.width * factor, height: box.height * factor };
}

/** The part of a box inside a `widthPx`×`heightPx` image (may be empty). */
export function clampBox(box: BoxPx, widthPx: number, heightPx: number): BoxPx {
  const x0 = Math.min(Math.max(box.x, 0), widthPx);
  const y0 = Math.min(Math.max(box.y, 0), heightPx);
  const x1 = Math.min(Math.max(box.x + box.width, 0), widthPx);
  const y1 = Math.min(Math.max(box.y + box.height, 0), heightPx);
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/**
 * The square region the expression net should see for a detection, framed like the FER2013
 * crops the net does best on (brow to chin, little background). The two detectors frame a face
 * differently — measured on the 19 faces of face-api's six demo photos, SSD's box is ~0.7 as
 * wide as tall and sits ~0.15 of its height higher than tiny's, which is about square — so each
 * gets its own rule: tiny → a square of side max(w, h) on the box centre; SSD → a square of side
 * 1.1·h centred 0.15·h below the box centre. May extend past the image edge (the crop is padded).
 */
export function expressionCropBox(detection: DetectionPx): BoxPx {
  const { box, detector } = detection;
  const cx = box.x + box.width / 2;
  let cy = box.y + box.height / 2;
  let side = Math.max(box.width, box.height);
  if (detector === 'ssd') {
    side = Math.max(box.width, SSD_CROP_SIDE_PER_HEIGHT * box.height);
    cy += SSD_CROP_SHIFT_PER_HEIGHT * box.height;
  }
  return { x: cx - side / 2, y: cy - side / 2, width: side, height: side };
}

/** SSD box height → crop side (see {@link expressionCropBox}). */
export const SSD_CROP_SIDE_PER_HEIGHT = 1.1;
/** Downward shift of the crop centre from an SSD box's centre, in box heights. */
export const SSD_CROP_SHIFT_PER_HEIGHT = 0.15;

/**
 * The normalised box `[y1, x1, y2, x2]` for tfjs `image.cropAndResize` that samples the pixel
 * region `box` of a `widthPx`×`heightPx` image onto an `outPx`×`outPx` grid exactly as
 * `image.resizeBilinear` (alignCorners false, halfPixelCenters false) would resample that region
 * on its own: output i samples at box.x + i·box.width/outPx. cropAndResize maps a normalised
 * coordinate c to pixel c·(size − 1), hence the divisions. So the whole image goes through the
 * same arithmetic face-api applies to its input, and detector crops through the same code.
 */
export function cropAndResizeBox(box: BoxPx, widthPx: number, heightPx: number, outPx: number): [number, number, number, number] {
  const spanW = Math.max(1, widthPx - 1);
  const spanH = Math.max(1, heightPx - 1);
  const last = (outPx - 1) / outPx;
  return [box.y / spanH, box.x / spanW, (box.y + box.height * last) / spanH, (box.x + box.width * last) / spanW];
}

/** The square (side = longest side) centred on a `widthPx`×`heightPx` image: how face-api pads a whole image. */
export function centredSquare(widthPx: number, heightPx: number): BoxPx {
  const side = Math.max(widthPx, heightPx);
  return { x: (widthPx - side) / 2, y: (heightPx - side) / 2, width: side, height: side };
}
