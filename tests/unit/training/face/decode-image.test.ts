import * as tf from '@tensorflow/tfjs';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../../../src/adapters/ml/tf-backend.ts';
import { decodeImage } from '../../../../src/training/face/decode-image.ts';

/** A 4×2 image: left half red, right half blue (so orientation is visible). */
function pixels(): Uint8Array {
  const data = new Uint8Array(4 * 2 * 4);
  for (let y = 0; y < 2; y++) for (let x = 0; x < 4; x++) data.set(x < 2 ? [255, 0, 0, 255] : [0, 0, 255, 255], (y * 4 + x) * 4);
  return data;
}

/** Inserts an APP1 Exif block with an orientation right after a JPEG's SOI marker. */
function withOrientation(jpegBytes: Uint8Array, orientation: number): Uint8Array {
  const tiff = [0x4d, 0x4d, 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0, 0, 0, 0, 0];
  const app1 = [0xff, 0xe1, 0, 8 + tiff.length, 0x45, 0x78, 0x69, 0x66, 0, 0, ...tiff];
  return new Uint8Array([...jpegBytes.subarray(0, 2), ...app1, ...jpegBytes.subarray(2)]);
}

beforeAll(async () => {
  await selectBackend({ order: ['cpu'] });
});

describe('decodeImage (Node)', () => {
  it('decodes PNG and JPEG to int32 RGB', () => {
    const png = PNG.sync.write(Object.assign(new PNG({ width: 4, height: 2 }), { data: Buffer.from(pixels()) }));
    const t = decodeImage(new Uint8Array(png));
    expect(t.shape).toEqual([2, 4, 3]);
    expect(t.dtype).toBe('int32');
    expect(Array.from(t.dataSync().slice(0, 3))).toEqual([255, 0, 0]);
    t.dispose();
    const jpg = jpeg.encode({ data: pixels(), width: 4, height: 2 }, 95).data;
    const j = decodeImage(new Uint8Array(jpg));
    expect(j.shape).toEqual([2, 4, 3]);
    j.dispose();
  });

  it('turns a JPEG upright per its EXIF orientation, as browsers do', () => {
    const jpg = new Uint8Array(jpeg.encode({ data: pixels(), width: 4, height: 2 }, 95).data);
    const rotated = decodeImage(withOrientation(jpg, 6)); // rotate 90° clockwise: red ends on top
    expect(rotated.shape).toEqual([4, 2, 3]);
    const top = rotated.slice([0, 0, 0], [1, 1, 3]).dataSync();
    const bottom = rotated.slice([3, 0, 0], [1, 1, 3]).dataSync();
    expect(top[0]).toBeGreaterThan(200); // red
    expect(bottom[2]).toBeGreaterThan(200); // blue
    const mirrored = decodeImage(withOrientation(jpg, 2));
    expect(mirrored.slice([0, 0, 0], [1, 1, 3]).dataSync()[2]).toBeGreaterThan(200); // blue now on the left
    tf.dispose([rotated, mirrored]);
  });

  it('refuses other formats and damaged files', () => {
    expect(() => decodeImage(new TextEncoder().encode('GIF89a........'))).toThrow(/not a JPEG or PNG/);
    expect(() => decodeImage(new Uint8Array([0xff, 0xd8, 0xff, 0xc0, 0, 17, 8, 0, 2, 0, 4, 3]))).toThrow();
  });
});
