import * as tf from '@tensorflow/tfjs';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { readImageHeader } from '../../core/face/image-header.ts';

/** Largest image (in pixels) decoded in Node; jpeg-js refuses more by default too (~100 MP of RGBA is its cap). */
const MAX_DECODE_MEGAPIXELS = 100;

/**
 * Decodes a JPEG or PNG file to an int32 RGB tensor [height, width, 3] (values 0–255), turned
 * upright per its EXIF orientation as browsers do — the Node stand-in for `loadImageFile`.
 * Throws for anything else or a damaged file.
 */
export function decodeImage(bytes: Uint8Array): tf.Tensor3D {
  const header = readImageHeader(bytes.subarray(0, 512 * 1024));
  if (!header || (header.format !== 'jpeg' && header.format !== 'png')) throw new Error(`not a JPEG or PNG (${header?.format ?? 'unknown format'})`);
  if (header.widthPx * header.heightPx > MAX_DECODE_MEGAPIXELS * 1e6) throw new Error(`image too large to decode: ${header.widthPx}×${header.heightPx}`);
  let rgb: Uint8Array;
  let widthPx: number;
  let heightPx: number;
  if (header.format === 'jpeg') {
    const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: false, maxMemoryUsageInMB: 2048, maxResolutionInMP: MAX_DECODE_MEGAPIXELS });
    ({ width: widthPx, height: heightPx } = image);
    rgb = image.data;
  } else {
    const png = PNG.sync.read(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    ({ width: widthPx, height: heightPx } = png);
    rgb = new Uint8Array(widthPx * heightPx * 3);
    for (let i = 0, j = 0; i < rgb.length; i += 3, j += 4) {
      rgb[i] = png.data[j];
      rgb[i + 1] = png.data[j + 1];
      rgb[i + 2] = png.data[j + 2];
    }
  }
  if (rgb.length !== widthPx * heightPx * 3) throw new Error('decoded size does not match the header');
  const orientation = header.orientation;
  return tf.tidy(() => {
    let t = tf.tensor3d(rgb, [heightPx, widthPx, 3], 'int32');
    // EXIF orientations: 2 mirror, 3 rotate 180°, 4 flip, 5 transpose, 6 rotate 90° cw, 7 transverse, 8 rotate 90° ccw.
    if (orientation >= 5) t = tf.transpose(t, [1, 0, 2]);
    if (orientation === 2 || orientation === 3 || orientation === 6 || orientation === 7) t = tf.reverse(t, 1);
    if (orientation === 3 || orientation === 4 || orientation === 7 || orientation === 8) t = tf.reverse(t, 0);
    return t;
  });
}
