import { describe, expect, it } from 'vitest';
import { isBlankImage, lumaOf, luminanceStats } from '../../../../src/core/face/image-quality.ts';

describe('blank image rule', () => {
  it('computes Rec. 601 luma statistics (golden)', () => {
    expect(lumaOf(255, 255, 255)).toBeCloseTo(255, 9);
    expect(lumaOf(255, 0, 0)).toBeCloseTo(76.245, 9);
    // Two grey pixels 0 and 100: mean 50, std 50.
    expect(luminanceStats([0, 0, 0, 100, 100, 100], 3)).toEqual({ meanLuma: 50, stdLuma: 50 });
    expect(luminanceStats([10, 30], 1)).toEqual({ meanLuma: 20, stdLuma: 10 });
    expect(luminanceStats([], 4)).toEqual({ meanLuma: 0, stdLuma: 0 });
  });

  it('calls black, white and flat frames blank, and a textured one not', () => {
    expect(isBlankImage({ meanLuma: 1, stdLuma: 0.8 })).toBe(true);
    expect(isBlankImage({ meanLuma: 250, stdLuma: 0 })).toBe(true);
    expect(isBlankImage({ meanLuma: 40, stdLuma: 12 })).toBe(false);
    expect(isBlankImage({ meanLuma: Number.NaN, stdLuma: Number.NaN })).toBe(true);
  });
});
