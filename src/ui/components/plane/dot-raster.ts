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
  /** Centres as x, y pairs in buffer pixels (sub-pixel positions are honoured). */
  centresXy: ArrayLike<number>;
  /** Colour as 0–255 channels. */
  rgb: readonly [number, number, number];
  /** Opacity of the disc's inside, 0–1. */
  alpha: number;
}

/**
 * Draws every batch's discs of `radiusPx` (buffer pixels) onto `target` in order, later ones
 * over earlier ones, as `arc` + `fill` with `globalAlpha` would.
 */
export function rasterDiscs(target: PixelBuffer, batches: readonly DiscBatch[], radiusPx: number): void {
  for (const batch of batches) {
    const xy = batch.centresXy;
    for (let i = 0; i + 1 < xy.length; i += 2) blendDisc(target, xy[i], xy[i + 1], radiusPx, batch);
  }
}

function blendDisc(target: PixelBuffer, cx: number, cy: number, r: number, { rgb, alpha }: DiscBatch): void {
  const { data, widthPx, heightPx } = target;
  const x0 = Math.max(0, Math.floor(cx - r - 0.5));
  const x1 = Math.min(widthPx - 1, Math.ceil(cx + r + 0.5));
  const y0 = Math.max(0, Math.floor(cy - r - 0.5));
  const y1 = Math.min(heightPx - 1, Math.ceil(cy + r + 0.5));
  const [sr, sg, sb] = rgb;
  for (let y = y0; y <= y1; y++) {
    const dy = y + 0.5 - cy;
    for (let x = x0; x <= x1; x++) {
      const dx = x + 0.5 - cx;
      // Coverage ramps from 1 half a pixel inside the edge to 0 half a pixel outside it.
      const coverage = r + 0.5 - Math.sqrt(dx * dx + dy * dy);
      if (coverage <= 0) continue;
      const sa = alpha * Math.min(1, coverage);
      const o = (y * widthPx + x) * 4;
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
