/**
 * Landmark alignment maths: level the eyes by rotating a face crop about the point between
 * them. Measured on FER2013 (see models/face/MODEL_CARD.md) this did NOT help the expression
 * net — landmarks on low-resolution crops are noisy and the net was trained on unaligned
 * faces — so the adapter keeps it as an option, off by default.
 */

/** A point in pixels. */
export interface PointPx {
  x: number;
  y: number;
}

/** In the 68-point (iBUG 300-W) layout, points 36–41 outline the eye on the image's left, 42–47 the other. */
const LEFT_EYE = [36, 42] as const;
const RIGHT_EYE = [42, 48] as const;

function centroid(points: readonly PointPx[], [from, to]: readonly [number, number]): PointPx {
  let x = 0;
  let y = 0;
  for (let i = from; i < to; i++) {
    x += points[i].x;
    y += points[i].y;
  }
  return { x: x / (to - from), y: y / (to - from) };
}

/** The eyes' centres (image-left first) from 68 landmarks. */
export function eyeCentres(landmarks: readonly PointPx[]): { left: PointPx; right: PointPx } {
  if (landmarks.length !== 68) throw new RangeError(`expected 68 landmarks, got ${landmarks.length}`);
  return { left: centroid(landmarks, LEFT_EYE), right: centroid(landmarks, RIGHT_EYE) };
}

/** The face's roll in radians: the angle of the line from the image-left eye to the other (0 = level; positive = clockwise on screen, y down). */
export function eyeRollRadians(landmarks: readonly PointPx[]): number {
  const { left, right } = eyeCentres(landmarks);
  return Math.atan2(right.y - left.y, right.x - left.x);
}

/**
 * The 8-number projective transform (tfjs `image.transform`'s convention: it maps each OUTPUT
 * pixel (x, y) to the INPUT point ((a0·x + a1·y + a2)/k, (b0·x + b1·y + b2)/k), k = c0·x + c1·y + 1)
 * that rotates an image by `rollRadians` about `centre`, so that a line at that angle in the
 * input comes out level.
 */
export function levellingTransform(rollRadians: number, centre: PointPx): [number, number, number, number, number, number, number, number] {
  const c = Math.cos(rollRadians);
  const s = Math.sin(rollRadians);
  return [c, -s, centre.x - c * centre.x + s * centre.y, s, c, centre.y - s * centre.x - c * centre.y, 0, 0];
}

/** Applies a {@link levellingTransform}-style matrix to an output point, giving the input point it samples. */
export function sampleSourcePoint(transform: readonly number[], output: PointPx): PointPx {
  const [a0, a1, a2, b0, b1, b2, c0, c1] = transform;
  const k = c0 * output.x + c1 * output.y + 1;
  return { x: (a0 * output.x + a1 * output.y + a2) / k, y: (b0 * output.x + b1 * output.y + b2) / k };
}
