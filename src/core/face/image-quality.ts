/**
 * Whether an image carries anything to look at, from its luminance statistics (computed by the
 * adapter on a small thumbnail). A black frame (camera warming up, lens covered), a white or
 * otherwise uniform image has no face to find; saying so is clearer than "no face found".
 */

/** Luma (Rec. 601, 0–255) statistics of an image. */
export interface LuminanceStats {
  meanLuma: number;
  stdLuma: number;
}

/**
 * Below this standard deviation (0–255 luma) the image is uniform. A face in dim light still
 * varies by tens of levels; JPEG noise on a black frame is a level or two.
 */
export const BLANK_MAX_STD_LUMA = 4;

/** True when the image is (nearly) uniform: black, white or one flat colour. */
export function isBlankImage(stats: LuminanceStats): boolean {
  return !(stats.stdLuma >= BLANK_MAX_STD_LUMA);
}

/** Luma of an RGB triple (Rec. 601 weights, as JPEG uses). */
export function lumaOf(red: number, green: number, blue: number): number {
  return 0.299 * red + 0.587 * green + 0.114 * blue;
}

/** Mean and standard deviation of luma over interleaved pixels (`channels` = 1, 3 or 4 per pixel). */
export function luminanceStats(pixels: ArrayLike<number>, channels: 1 | 3 | 4): LuminanceStats {
  const count = Math.floor(pixels.length / channels);
  if (count === 0) return { meanLuma: 0, stdLuma: 0 };
  let sum = 0;
  let sumSq = 0;
  for (let i = 0; i < count; i++) {
    const o = i * channels;
    const y = channels === 1 ? pixels[o] : lumaOf(pixels[o], pixels[o + 1], pixels[o + 2]);
    sum += y;
    sumSq += y * y;
  }
  const meanLuma = sum / count;
  return { meanLuma, stdLuma: Math.sqrt(Math.max(0, sumSq / count - meanLuma * meanLuma)) };
}
