import * as tf from '@tensorflow/tfjs';
import { readFloat32File } from '../speech/build-tfjs-model.ts';

/**
 * Our expression net as a tfjs LayersModel, layer for layer `Net` in train_face.py (names match
 * the weights it exports): per entry of `channels`, (conv 3×3 same, no bias → BN → ReLU) × 2 →
 * max-pool 2×2; then the mean over the image → dense `logits` → softmax `expression`.
 * Input [batch, sizePx, sizePx, 1] grey in [0, 1]; output [batch, 7] in face-api's class order.
 */
export function buildFaceNet(sizePx: number, channels: readonly number[], classCount: number): tf.LayersModel {
  const input = tf.input({ shape: [sizePx, sizePx, 1], name: 'face' });
  let x: tf.SymbolicTensor = input;
  let i = 0;
  for (const filters of channels) {
    for (let k = 0; k < 2; k++, i++) {
      x = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', useBias: false, name: `conv_${i}` }).apply(x) as tf.SymbolicTensor;
      // PyTorch BatchNorm2d(eps=1e-3) in train_face.py: the same epsilon as Keras's default.
      x = tf.layers.batchNormalization({ axis: -1, epsilon: 1e-3, name: `bn_${i}` }).apply(x) as tf.SymbolicTensor;
      x = tf.layers.activation({ activation: 'relu', name: `relu_${i}` }).apply(x) as tf.SymbolicTensor;
    }
    x = tf.layers.maxPooling2d({ poolSize: 2, name: `pool_${i / 2 - 1}` }).apply(x) as tf.SymbolicTensor;
  }
  x = tf.layers.globalAveragePooling2d({ name: 'mean' }).apply(x) as tf.SymbolicTensor;
  const logits = tf.layers.dense({ units: classCount, name: 'logits' }).apply(x) as tf.SymbolicTensor;
  const expression = tf.layers.activation({ activation: 'softmax', name: 'expression' }).apply(logits) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: expression, name: 'face_expression' });
}

/**
 * Runs train_face.py's reference inputs through the tfjs model; returns the largest absolute
 * difference from PyTorch's probabilities (float32 round-off: ~1e-6).
 */
export function faceNetParity(model: tf.LayersModel, dir: string, count: number, sizePx: number): number {
  const read = (name: string) => readFloat32File(dir, name);
  // PyTorch's reference is NCHW with one channel: the same bytes as NHWC.
  const input = read('reference-input.f32');
  const expected = read('reference-probs.f32');
  const actual = tf.tidy(() => (model.predict(tf.tensor4d(input, [count, sizePx, sizePx, 1])) as tf.Tensor).dataSync().slice());
  if (actual.length !== expected.length) throw new Error(`parity: ${actual.length} outputs, PyTorch ${expected.length}`);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  return worst;
}
