import { describe, expect, it } from 'vitest';
import { DiscPainter, hexToRgb, rasterDiscs, type PixelBuffer } from '../../../src/ui/components/plane/dot-raster.ts';

const buffer = (widthPx: number, heightPx: number): PixelBuffer => ({ data: new Uint8ClampedArray(widthPx * heightPx * 4), widthPx, heightPx });
const pixel = (b: PixelBuffer, x: number, y: number): number[] => [...b.data.subarray((y * b.widthPx + x) * 4, (y * b.widthPx + x) * 4 + 4)];

describe('rasterDiscs', () => {
  it('fills a disc inside its radius, ramps its edge over one pixel and leaves the outside clear', () => {
    const b = buffer(20, 20);
    rasterDiscs(b, [{ centresXy: [10, 10], rgb: [255, 128, 0], alpha: 1 }], 4);
    expect(pixel(b, 10, 10)).toEqual([255, 128, 0, 255]);
    expect(pixel(b, 7, 10)).toEqual([255, 128, 0, 255]); // centre 2.5 px away: fully inside
    expect(pixel(b, 15, 10)[3]).toBe(0); // 5.5 px away: outside the ramp
    expect(pixel(b, 0, 0)[3]).toBe(0);
    // The pixel whose centre sits on the edge (4 px away) is half covered.
    expect(pixel(b, 13, 9)[3]).toBeCloseTo(255 * (4.5 - Math.hypot(3.5, 0.5)), -1);
    let covered = 0;
    for (let i = 3; i < b.data.length; i += 4) covered += b.data[i] / 255;
    expect(covered).toBeCloseTo(Math.PI * 16, 0); // the area of a radius-4 disc, within a pixel
  });

  it('composites later batches over earlier ones as the canvas source-over does', () => {
    const b = buffer(9, 9);
    rasterDiscs(
      b,
      [
        { centresXy: [4.5, 4.5], rgb: [0, 0, 255], alpha: 0.5 },
        { centresXy: [4.5, 4.5], rgb: [255, 0, 0], alpha: 0.5 },
      ],
      3,
    );
    // Two half-opaque layers: alpha 0.75; red weighs 0.5, blue 0.25 → red 2/3, blue 1/3
    // (within one step of 8-bit rounding, as the canvas stores each layer in bytes too).
    const [r, g, bl, a] = pixel(b, 4, 4);
    expect(Math.abs(r - 170)).toBeLessThanOrEqual(1);
    expect(g).toBe(0);
    expect(Math.abs(bl - 85)).toBeLessThanOrEqual(1);
    expect(Math.abs(a - 191)).toBeLessThanOrEqual(1);
  });

  it('keeps the sub-pixel centre and clips discs at the buffer edges', () => {
    const b = buffer(10, 10);
    rasterDiscs(b, [{ centresXy: [0.5, 9.5, 5.0, 5.0], rgb: [10, 20, 30], alpha: 0.9 }], 1.5);
    expect(pixel(b, 0, 9)).toEqual([10, 20, 30, 230]);
    // A centre on a pixel corner covers its four pixels alike.
    const around = [pixel(b, 4, 4), pixel(b, 5, 4), pixel(b, 4, 5), pixel(b, 5, 5)].map((p) => p[3]);
    expect(new Set(around).size).toBe(1);
    expect(around[0]).toBe(230);
  });
});

describe('hexToRgb', () => {
  it('reads #rrggbb and refuses anything else', () => {
    expect(hexToRgb('#ffd166')).toEqual([255, 209, 102]);
    expect(() => hexToRgb('ffd166')).toThrow(/#rrggbb/);
  });
});

describe('DiscPainter', () => {
  it('painted a piece at a time gives the same pixels as all at once', () => {
    const centres = Array.from({ length: 2000 }, (_, i) => [(i * 7.37) % 60, (i * 3.11) % 40]).flat();
    const batches = [
      { centresXy: centres.slice(0, 1000), rgb: [200, 10, 10] as const, alpha: 0.18 },
      { centresXy: centres.slice(1000), rgb: [10, 200, 10] as const, alpha: 0.9 },
    ];
    const whole = buffer(60, 40);
    rasterDiscs(whole, batches, 2.5);
    const pieces = buffer(60, 40);
    const painter = new DiscPainter(pieces, batches, 2.5);
    let calls = 0;
    while (!painter.paint(() => true)) calls++;
    expect(calls).toBeGreaterThan(10); // 2,000 discs, asked every 64
    expect(pieces.data).toEqual(whole.data);
  });
});
