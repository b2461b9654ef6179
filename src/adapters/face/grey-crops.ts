import * as tf from '@tensorflow/tfjs';
import { cropAndResizeBox, type BoxPx } from '../../core/face/face-boxes.ts';

/**
 * Our expression net's input: each region of an RGB image (values 0–255) cut out, resized
 * (bilinear) to `sizePx` square and turned grey with Rec. 601 luma, scaled to [0, 1] →
 * float32 [regions, sizePx, sizePx, 1]. Training exports its images through this very function,
 * so the net sees in the app exactly what it saw in training. The caller disposes the result.
 */
export function greyFaceCrops(image: tf.Tensor3D, regions: readonly BoxPx[], sizePx: number): tf.Tensor4D {
  const [heightPx, widthPx] = image.shape;
  const boxes = regions.map((r) => cropAndResizeBox(r, widthPx, heightPx, sizePx));
  return tf.tidy(() => {
    const rgb = tf.image.cropAndResize(tf.expandDims(tf.cast(image, 'float32'), 0) as tf.Tensor4D, tf.tensor2d(boxes, [boxes.length, 4]), tf.zeros([boxes.length], 'int32'), [sizePx, sizePx], 'bilinear', 0);
    const luma = tf.tensor1d([0.299 / 255, 0.587 / 255, 0.114 / 255]);
    return tf.sum(tf.mul(rgb, luma), -1, true) as tf.Tensor4D;
  });
}
