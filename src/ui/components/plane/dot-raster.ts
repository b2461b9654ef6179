/**
 * Filled, antialiased discs written straight into an RGBA pixel buffer (an `ImageData`'s
 * data). The plane's 10,000 song dots as canvas arcs cost 20–50 ms of rasterising per draw on
 * 2 cores (Chromium 156, the 10,000-song bench: three such draws at load, one per keystroke of
 * a search); written here they cost a few ms, so no draw is a long task.
 *
 * Compositing is the canvas's own: "source-over" on unpremultiplied RGBA, coverage from the
 * pixel centre's distance to the disc's edge (one pixel of ramp, as Skia's antialiasing).
 */

/** An RGBA buffer, row-major, 4 bytes a pixel, unpremultiplied (as `ImageData`). */
export interface PixelBuffer {
  data: Uint8ClampedArray;
  widthPx: number;
  heightPx: number;
}

/** One batch of discs sharing a colour and opacity. */
export interface DiscBatch {
  /** Centres as x, y pairs in buffer pixels (to a quarter of a pixel). */
  centresXy: ArrayLike<number>;
  /** Colour as 0–255 channels. */
  rgb: readonly [number, number, number];
  /** Opacity of the disc's inside, 0–1. */
  alpha: number;
}

/** Sub-pixel positions are honoured to a quarter of a pixel (a disc's coverage is precomputed for each). */
const SUBPIXEL_STEPS = 4;

/**
 * Draws every batch's discs of `radiusPx` (buffer pixels) onto `target` in order, later ones
 * over earlier ones, as `arc` + `fill` with `globalAlpha` would. Centres are taken to a quarter
 * pixel: each of the 16 sub-pixel offsets has its coverage stamp, computed once per call.
 */
export function rasterDiscs(target: PixelBuffer, batches: readonly DiscBatch[], radiusPx: number): void {
  new DiscPainter(target, batches, radiusPx).paint(() => false);
}

/** Discs checked between two asks whether to stop. */
const DISCS_PER_CHECK = 64;

/**
 * {@link rasterDiscs} a piece at a time: each `paint` goes on where the last one stopped, so a
 * first paint of 10,000 dots can be spread over frames instead of holding one.
 */
export class DiscPainter {
  private batch = 0;
  private index = 0;
  private readonly reach: number;
  private readonly side: number;
  private readonly stamps: Float32Array;

  constructor(
    private readonly target: PixelBuffer,
    private readonly batches: readonly DiscBatch[],
    radiusPx: number,
  ) {
    this.reach = Math.ceil(radiusPx + 0.5);
    this.side = 2 * this.reach + 1;
    this.stamps = coverageStamps(radiusPx, this.reach);
  }

  /** Draws discs in order until all are drawn (true) or `stop()` says so (false; asked every 64 discs). */
  paint(stop: () => boolean): boolean {
    const { reach, side, stamps, target } = this;
    for (; this.batch < this.batches.length; this.batch++, this.index = 0) {
      const batch = this.batches[this.batch];
      const xy = batch.centresXy;
      while (this.index + 1 < xy.length) {
        const qx = Math.round(xy[this.index] * SUBPIXEL_STEPS);
        const qy = Math.round(xy[this.index + 1] * SUBPIXEL_STEPS);
        const x = Math.floor(qx / SUBPIXEL_STEPS);
        const y = Math.floor(qy / SUBPIXEL_STEPS);
        const stamp = ((qy - y * SUBPIXEL_STEPS) * SUBPIXEL_STEPS + (qx - x * SUBPIXEL_STEPS)) * side * side;
        blendStamp(target, x - reach, y - reach, side, stamps, stamp, batch);
        this.index += 2;
        if ((this.index / 2) % DISCS_PER_CHECK === 0 && stop()) return false;
      }
    }
    return true;
  }
}

/**
 * Coverage of a disc of radius `r` whose centre is (fx, fy) quarters of a pixel past a pixel's
 * corner, on the (2·reach + 1)² pixels around that pixel: 1 half a pixel inside the edge, 0 half
 * a pixel outside it (one pixel of ramp, as Skia's antialiasing).
 */
function coverageStamps(r: number, reach: number): Float32Array {
  const side = 2 * reach + 1;
  const stamps = new Float32Array(SUBPIXEL_STEPS * SUBPIXEL_STEPS * side * side);
  for (let fy = 0; fy < SUBPIXEL_STEPS; fy++) {
    for (let fx = 0; fx < SUBPIXEL_STEPS; fx++) {
      const base = (fy * SUBPIXEL_STEPS + fx) * side * side;
      for (let row = 0; row < side; row++) {
        const dy = row - reach + 0.5 - fy / SUBPIXEL_STEPS;
        for (let col = 0; col < side; col++) {
          const dx = col - reach + 0.5 - fx / SUBPIXEL_STEPS;
          stamps[base + row * side + col] = Math.max(0, Math.min(1, r + 0.5 - Math.sqrt(dx * dx + dy * dy)));
        }
      }
    }
  }
  return stamps;
}

function blendStamp(target: PixelBuffer, left: number, top: number, side: number, stamps: Float32Array, stamp: number, { rgb, alpha }: DiscBatch): void {
  const { data, widthPx, heightPx } = target;
  const [sr, sg, sb] = rgb;
  for (let row = Math.max(0, -top); row < side && top + row < heightPx; row++) {
    const y = top + row;
    for (let col = Math.max(0, -left); col < side && left + col < widthPx; col++) {
      const coverage = stamps[stamp + row * side + col];
      if (coverage === 0) continue;
      const sa = alpha * coverage;
      const o = (y * widthPx + left + col) * 4;
      if (data[o + 3] === 0) {
        // Most pixels are touched once: nothing beneath to mix with.
        data[o] = sr;
        data[o + 1] = sg;
        data[o + 2] = sb;
        data[o + 3] = sa * 255;
        continue;
      }
      const da = data[o + 3] / 255;
      const keep = da * (1 - sa);
      const oa = sa + keep;
      data[o] = (sr * sa + data[o] * keep) / oa;
      data[o + 1] = (sg * sa + data[o + 1] * keep) / oa;
      data[o + 2] = (sb * sa + data[o + 2] * keep) / oa;
      data[o + 3] = oa * 255;
    }
  }
}

/** `#rrggbb` as three 0–255 channels. */
export function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1, 7), 16);
  if (!/^#[0-9a-f]{6}/i.test(hex) || Number.isNaN(n)) throw new Error(`Not a #rrggbb colour: ${hex}`);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
