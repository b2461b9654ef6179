import { describe, expect, it } from 'vitest';
import { boundedDecodeSize, orientedSize, readImageHeader } from '../../../../src/core/face/image-header.ts';

/** A minimal JPEG header: SOI, an APP1 Exif block with one orientation entry, then SOF0. */
function jpegWithOrientation(widthPx: number, heightPx: number, orientation: number | null, littleEndian = false): Uint8Array {
  const bytes: number[] = [0xff, 0xd8];
  if (orientation !== null) {
    const u16 = (v: number) => (littleEndian ? [v & 0xff, v >> 8] : [v >> 8, v & 0xff]);
    const u32 = (v: number) => (littleEndian ? [v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff, v >>> 24] : [v >>> 24, (v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff]);
    const tiff = [...(littleEndian ? [0x49, 0x49] : [0x4d, 0x4d]), ...u16(42), ...u32(8), ...u16(1), ...u16(0x0112), ...u16(3), ...u32(1), ...u16(orientation), 0, 0, ...u32(0)];
    const app1 = [0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff];
    bytes.push(0xff, 0xe1, (app1.length + 2) >> 8, (app1.length + 2) & 0xff, ...app1);
  }
  bytes.push(0xff, 0xc0, 0, 17, 8, heightPx >> 8, heightPx & 0xff, widthPx >> 8, widthPx & 0xff, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1);
  return new Uint8Array(bytes);
}

describe('readImageHeader', () => {
  it('reads a JPEG’s size and EXIF orientation (both byte orders)', () => {
    expect(readImageHeader(jpegWithOrientation(8000, 6000, 6))).toEqual({ format: 'jpeg', widthPx: 8000, heightPx: 6000, orientation: 6 });
    expect(readImageHeader(jpegWithOrientation(640, 480, 3, true))).toEqual({ format: 'jpeg', widthPx: 640, heightPx: 480, orientation: 3 });
    expect(readImageHeader(jpegWithOrientation(48, 48, null))).toEqual({ format: 'jpeg', widthPx: 48, heightPx: 48, orientation: 1 });
    expect(readImageHeader(jpegWithOrientation(10, 10, 42))?.orientation).toBe(1);
  });

  it('reads PNG, WebP (lossy, lossless, extended), GIF and BMP sizes', () => {
    const png = new Uint8Array(24);
    png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0x1f, 0x40, 0, 0, 0x17, 0x70]);
    expect(readImageHeader(png)).toEqual({ format: 'png', widthPx: 8000, heightPx: 6000, orientation: 1 });
    const riff = (chunk: string, payload: number[]) => new Uint8Array([0x52, 0x49, 0x46, 0x46, 0, 0, 0, 0, 0x57, 0x45, 0x42, 0x50, ...[...chunk].map((c) => c.charCodeAt(0)), 0, 0, 0, 0, ...payload, ...new Array(16).fill(0)]);
    expect(readImageHeader(riff('VP8 ', [0, 0, 0, 0x9d, 0x01, 0x2a, 0x80, 0x02, 0xe0, 0x01]))).toMatchObject({ format: 'webp', widthPx: 640, heightPx: 480 });
    // VP8L: 14-bit width−1 and height−1 packed little-endian after the 0x2f signature: 640×480.
    const bits = 639 | (479 << 14);
    expect(readImageHeader(riff('VP8L', [0x2f, bits & 0xff, (bits >> 8) & 0xff, (bits >> 16) & 0xff, (bits >>> 24) & 0xff]))).toMatchObject({ widthPx: 640, heightPx: 480 });
    expect(readImageHeader(riff('VP8X', [0, 0, 0, 0, 0x7f, 0x02, 0, 0xdf, 0x01, 0]))).toMatchObject({ widthPx: 640, heightPx: 480 });
    expect(readImageHeader(new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 0x80, 0x02, 0xe0, 0x01]))).toMatchObject({ format: 'gif', widthPx: 640, heightPx: 480 });
    const bmp = new Uint8Array(26);
    bmp.set([0x42, 0x4d]);
    new DataView(bmp.buffer).setInt32(18, 640, true);
    new DataView(bmp.buffer).setInt32(22, -480, true); // top-down BMPs store a negative height
    expect(readImageHeader(bmp)).toMatchObject({ format: 'bmp', widthPx: 640, heightPx: 480 });
  });

  it('returns null for HEIC, text, and truncated headers', () => {
    const heic = new Uint8Array([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x68, 0x65, 0x69, 0x63]);
    expect(readImageHeader(heic)).toBeNull();
    expect(readImageHeader(new TextEncoder().encode('not an image at all'))).toBeNull();
    expect(readImageHeader(jpegWithOrientation(640, 480, 6).subarray(0, 20))).toBeNull();
  });

  it('bounds a 50-megapixel photo to the decode size, upright', () => {
    const header = { format: 'jpeg' as const, widthPx: 8660, heightPx: 5773, orientation: 6 };
    expect(orientedSize(header)).toEqual({ widthPx: 5773, heightPx: 8660 });
    expect(boundedDecodeSize(header, 1600)).toEqual({ widthPx: 1067, heightPx: 1600, downscaled: true });
    expect(boundedDecodeSize({ ...header, widthPx: 800, heightPx: 600, orientation: 1 }, 1600)).toEqual({ widthPx: 800, heightPx: 600, downscaled: false });
  });
});
