import * as tf from '@tensorflow/tfjs';
import { FaceAnalysisError } from '../../core/face/face-errors.ts';
import { MIN_IMAGE_EDGE_PX, downscaleFactor, scaledSize } from '../../core/face/framing.ts';

/**
 * What `analyseImage` accepts: what a worker can hold (a camera frame as a VideoFrame, a photo as
 * a bitmap, pixels, an OffscreenCanvas), or a decoded image tensor `[height, width, channels]`
 * (1, 3 or 4 channels, values 0–255; Node decodes JPEG/PNG to one). The caller keeps ownership
 * of what it passes.
 */
export type FaceImageSource = VideoFrame | ImageBitmap | ImageData | OffscreenCanvas | tf.Tensor3D;

/** The source as a bounded RGB tensor, and how it relates to the source's pixels. */
export interface WorkingImage {
  /** float32 [heightPx, widthPx, 3], values 0–255. Owned by the caller of {@link toWorkingImage}. */
  image: tf.Tensor3D;
  widthPx: number;
  heightPx: number;
  /** The source's own size (the box coordinates we report are in these pixels). */
  sourceWidthPx: number;
  sourceHeightPx: number;
  /** Working pixels per source pixel (≤ 1). */
  scale: number;
}

const isVideoFrame = (source: FaceImageSource): source is VideoFrame => typeof VideoFrame !== 'undefined' && source instanceof VideoFrame;

/** The source's size (0×0 for a closed bitmap or frame, or not an image). */
export function sourceSize(source: FaceImageSource): { widthPx: number; heightPx: number } {
  if (source instanceof tf.Tensor) return { widthPx: source.shape[1] ?? 0, heightPx: source.shape[0] ?? 0 };
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  // A frame's coded size may include padding rows; what it shows is its display size.
  if (isVideoFrame(source)) return { widthPx: n(source.displayWidth), heightPx: n(source.displayHeight) };
  return { widthPx: n(source.width), heightPx: n(source.height) };
}

function tensorToRgb(source: tf.Tensor3D, factor: number, size: { widthPx: number; heightPx: number }): tf.Tensor3D {
  return tf.tidy(() => {
    let rgb: tf.Tensor3D = tf.cast(source, 'float32');
    // Shrink first, then fix the channels: fewer pixels to copy.
    if (factor < 1) rgb = tf.image.resizeBilinear(rgb, [size.heightPx, size.widthPx], false, true);
    const channels = source.shape[2];
    if (channels === 1) rgb = tf.tile(rgb, [1, 1, 3]);
    else if (channels === 4) rgb = tf.slice(rgb, [0, 0, 0], [-1, -1, 3]);
    return rgb;
  });
}

/** The 2D canvas bitmaps are read through, kept between calls (a camera frame each time). */
let scratch: OffscreenCanvasRenderingContext2D | null = null;

/**
 * The source's pixels at `widthPx`×`heightPx`, drawn on a CPU canvas (`willReadFrequently`), so
 * reading them back is a copy, never a GPU read-back, and a huge photo never becomes a huge tensor.
 */
function drawScaled(source: VideoFrame | ImageBitmap | OffscreenCanvas, widthPx: number, heightPx: number): ImageData {
  if (typeof OffscreenCanvas === 'undefined') throw new FaceAnalysisError('unusable-image', 'no OffscreenCanvas here to read the image with');
  scratch ??= new OffscreenCanvas(widthPx, heightPx).getContext('2d', { willReadFrequently: true });
  if (!scratch) throw new FaceAnalysisError('unusable-image', 'no 2D canvas to read the image with');
  const canvas = scratch.canvas;
  if (canvas.width !== widthPx || canvas.height !== heightPx) Object.assign(canvas, { width: widthPx, height: heightPx });
  else scratch.clearRect(0, 0, widthPx, heightPx); // a transparent image must not show the last one
  const { widthPx: sourceWidthPx } = sourceSize(source);
  // At its own size an image is copied, not resampled: no filter to run over every pixel.
  scratch.imageSmoothingEnabled = sourceWidthPx !== widthPx;
  scratch.imageSmoothingQuality = 'high';
  scratch.drawImage(source, 0, 0, widthPx, heightPx);
  return scratch.getImageData(0, 0, widthPx, heightPx);
}

/**
 * Converts any source to a float RGB tensor whose longest side is at most `maxEdgePx`
 * (downscaled before it becomes a tensor, so memory stays bounded: a 50-megapixel photo costs
 * a `maxEdgePx`² canvas, not 600 MB of int32). Throws `unusable-image` for a source with no
 * pixels (image not loaded, video not started, a broken file), a tensor of the wrong shape,
 * or an image under 16 px on its short side.
 */
export function toWorkingImage(source: FaceImageSource, maxEdgePx: number): WorkingImage {
  const { widthPx: sourceWidthPx, heightPx: sourceHeightPx } = sourceSize(source);
  if (source instanceof tf.Tensor) {
    if (source.rank !== 3 || ![1, 3, 4].includes(source.shape[2] ?? 0)) {
      throw new FaceAnalysisError('unusable-image', `expected an image tensor [height, width, 1|3|4], got [${source.shape.join(', ')}]`);
    }
    if (source.isDisposed) throw new FaceAnalysisError('unusable-image', 'the image tensor was disposed');
  }
  if (!(sourceWidthPx >= MIN_IMAGE_EDGE_PX && sourceHeightPx >= MIN_IMAGE_EDGE_PX)) {
    throw new FaceAnalysisError('unusable-image', `image is ${sourceWidthPx}×${sourceHeightPx} px: not loaded, or too small to hold a face`);
  }
  const factor = downscaleFactor(sourceWidthPx, sourceHeightPx, maxEdgePx);
  const size = factor < 1 ? scaledSize(sourceWidthPx, sourceHeightPx, factor) : { widthPx: sourceWidthPx, heightPx: sourceHeightPx };
  let image: tf.Tensor3D;
  try {
    if (source instanceof tf.Tensor) image = tensorToRgb(source, factor, size);
    else {
      const isImageData = typeof ImageData !== 'undefined' && source instanceof ImageData;
      // On WebGL a bitmap at working size goes straight to fromPixels (a texture upload). Anything
      // else is drawn on our CPU canvas at working size (tfjs would read a bitmap through a 2D
      // canvas of its own, made without willReadFrequently and resized on every call).
      if (typeof ImageBitmap !== 'undefined' && source instanceof ImageBitmap && factor >= 1 && tf.getBackend() === 'webgl') {
        image = tf.tidy(() => tf.cast(tf.browser.fromPixels(source, 3), 'float32') as tf.Tensor3D);
      } else {
        const pixels = isImageData ? source : drawScaled(source as VideoFrame | ImageBitmap | OffscreenCanvas, size.widthPx, size.heightPx);
        image = tf.tidy(() => {
          let rgb = tf.cast(tf.browser.fromPixels(pixels, 3), 'float32') as tf.Tensor3D;
          if (rgb.shape[0] !== size.heightPx || rgb.shape[1] !== size.widthPx) rgb = tf.image.resizeBilinear(rgb, [size.heightPx, size.widthPx], false, true);
          return rgb;
        });
      }
    }
  } catch (error) {
    if (error instanceof FaceAnalysisError) throw error;
    throw new FaceAnalysisError('unusable-image', `could not read the image's pixels: ${String(error)}`, { cause: error });
  }
  return { image, widthPx: size.widthPx, heightPx: size.heightPx, sourceWidthPx, sourceHeightPx, scale: size.widthPx / sourceWidthPx };
}
