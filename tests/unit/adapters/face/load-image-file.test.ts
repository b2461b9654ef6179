import { describe, expect, it } from 'vitest';
import { isFaceAnalysisError } from '../../../../src/core/face/face-errors.ts';
import { loadImageFile } from '../../../../src/adapters/face/load-image-file.ts';

/** A JPEG header (no scan data) with an EXIF orientation: enough for the size logic. */
function jpegHeader(widthPx: number, heightPx: number, orientation: number): Uint8Array<ArrayBuffer> {
  const tiff = [0x4d, 0x4d, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, 0, 0, 0, 0];
  const app1 = [0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff];
  return new Uint8Array([0xff, 0xd8, 0xff, 0xe1, 0, app1.length + 2, ...app1, 0xff, 0xc0, 0, 17, 8, heightPx >> 8, heightPx & 0xff, widthPx >> 8, widthPx & 0xff, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
}

interface Call {
  source: unknown;
  options: ImageBitmapOptions;
}

function fakeCreateBitmap(calls: Call[], decodedSize = { width: 4000, height: 3000 }) {
  return async (source: unknown, options: ImageBitmapOptions) => {
    calls.push({ source, options });
    const width = options.resizeWidth ?? decodedSize.width;
    const height = options.resizeHeight ?? decodedSize.height;
    return { width, height, close() {} } as unknown as ImageBitmap;
  };
}

describe('loadImageFile', () => {
  it('decodes a 50-megapixel rotated JPEG straight to the bounded, upright size', async () => {
    const calls: Call[] = [];
    // 8660×5773 stored, EXIF 6 (rotate 90°): upright it is 5773×8660.
    const bitmap = await loadImageFile(new Blob([jpegHeader(8660, 5773, 6)]), { createBitmap: fakeCreateBitmap(calls) });
    expect(calls).toHaveLength(1);
    expect(calls[0].options).toEqual({ imageOrientation: 'from-image', resizeWidth: 1067, resizeHeight: 1600, resizeQuality: 'high' });
    expect([bitmap.width, bitmap.height]).toEqual([1067, 1600]);
  });

  it('does not resize a photo that already fits', async () => {
    const calls: Call[] = [];
    await loadImageFile(new Blob([jpegHeader(1200, 900, 1)]), { createBitmap: fakeCreateBitmap(calls) });
    expect(calls[0].options).toEqual({ imageOrientation: 'from-image' });
  });

  it('decodes an unknown format (HEIC) whole, then scales it down and releases the full one', async () => {
    const calls: Call[] = [];
    const heic = new Blob([new Uint8Array([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x68, 0x65, 0x69, 0x63])]);
    const bitmap = await loadImageFile(heic, { maxEdgePx: 1000, createBitmap: fakeCreateBitmap(calls) });
    expect(calls.map((c) => c.options)).toEqual([{ imageOrientation: 'from-image' }, { resizeWidth: 1000, resizeHeight: 750, resizeQuality: 'high' }]);
    expect([bitmap.width, bitmap.height]).toEqual([1000, 750]);
  });

  it('turns a decode failure into unusable-image', async () => {
    const failing = async () => {
      throw new DOMException('The source image could not be decoded.', 'InvalidStateError');
    };
    const error = await loadImageFile(new Blob(['not a picture']), { createBitmap: failing }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isFaceAnalysisError(error, 'unusable-image')).toBe(true);
  });
});
