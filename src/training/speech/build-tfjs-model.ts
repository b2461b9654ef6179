import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';

/**
 * The speech-emotion network as a tfjs LayersModel, layer for layer the same as `Net` in
 * train.py (names match the weights train.py exports):
 *
 *   log_mel [T, M, 1] → (conv_i 3×3 same, no bias → bn_i → relu_i → pool_i 2×2)…
 *     → time_mean (average over all remaining frames, keeping the bands) → flatten → cnn_logits, cnn_affect
 *   utterance_stats [D] → stats_hidden (relu) → stats_logits, stats_affect
 *   emotion = softmax(cnn_logits + stats_logits)   (the calibration temperature is in the logits weights)
 *   affect = tanh(cnn_affect + stats_affect)        (valence, arousal)
 *
 * Why build it here rather than write model.json by hand from Python: tfjs-layers serialises
 * its own topology, so the file is exactly what `tf.loadLayersModel` expects; Python only
 * supplies the numbers (Conv2D kernels HWIO, Dense kernels [in, out], BatchNorm gamma, beta,
 * moving mean, moving variance — channels last), and {@link checkParity} proves the two agree.
 */
export interface SpeechNetShape {
  windowFrames: number;
  melBandCount: number;
  statsCount: number;
  classCount: number;
  channels: number[];
  statsHidden: number;
}

/** Input/output names, as metadata.json records them. */
export const SPEECH_NET_NAMES = { logMel: 'log_mel', stats: 'utterance_stats', emotion: 'emotion', affect: 'affect' } as const;

export function buildSpeechNet(shape: SpeechNetShape): tf.LayersModel {
  const logMel = tf.input({ shape: [shape.windowFrames, shape.melBandCount, 1], name: SPEECH_NET_NAMES.logMel });
  let x: tf.SymbolicTensor = logMel;
  shape.channels.forEach((filters, i) => {
    x = tf.layers.conv2d({ filters, kernelSize: 3, padding: 'same', useBias: false, name: `conv_${i}` }).apply(x) as tf.SymbolicTensor;
    // PyTorch BatchNorm2d(eps=1e-3) in train.py: the same epsilon as Keras's default.
    x = tf.layers.batchNormalization({ axis: -1, epsilon: 1e-3, name: `bn_${i}` }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.activation({ activation: 'relu', name: `relu_${i}` }).apply(x) as tf.SymbolicTensor;
    if (i < shape.channels.length - 1) x = tf.layers.maxPooling2d({ poolSize: 2, name: `pool_${i}` }).apply(x) as tf.SymbolicTensor;
  });
  // Average over time only: frequency position stays (train.py: mean over dim 2, then (F', C) order).
  const [, framesLeft] = x.shape as number[];
  x = tf.layers.averagePooling2d({ poolSize: [framesLeft, 1], strides: [framesLeft, 1], name: 'time_mean' }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.flatten({ name: 'flatten' }).apply(x) as tf.SymbolicTensor;
  const cnnLogits = tf.layers.dense({ units: shape.classCount, name: 'cnn_logits' }).apply(x) as tf.SymbolicTensor;
  const cnnAffect = tf.layers.dense({ units: 2, name: 'cnn_affect' }).apply(x) as tf.SymbolicTensor;
  const stats = tf.input({ shape: [shape.statsCount], name: SPEECH_NET_NAMES.stats });
  const hidden = tf.layers.dense({ units: shape.statsHidden, activation: 'relu', name: 'stats_hidden' }).apply(stats) as tf.SymbolicTensor;
  const statsLogits = tf.layers.dense({ units: shape.classCount, name: 'stats_logits' }).apply(hidden) as tf.SymbolicTensor;
  const statsAffect = tf.layers.dense({ units: 2, name: 'stats_affect' }).apply(hidden) as tf.SymbolicTensor;
  const logits = tf.layers.add({ name: 'logits' }).apply([cnnLogits, statsLogits]) as tf.SymbolicTensor;
  const emotion = tf.layers.activation({ activation: 'softmax', name: SPEECH_NET_NAMES.emotion }).apply(logits) as tf.SymbolicTensor;
  const affectSum = tf.layers.add({ name: 'affect_sum' }).apply([cnnAffect, statsAffect]) as tf.SymbolicTensor;
  const affect = tf.layers.activation({ activation: 'tanh', name: SPEECH_NET_NAMES.affect }).apply(affectSum) as tf.SymbolicTensor;
  return tf.model({ inputs: [logMel, stats], outputs: [emotion, affect], name: 'speech_emotion' });
}

/** train.py's weight list: name and shape of each float32 array in weights.f32, in file order. */
export interface ExportedWeight {
  name: string;
  shape: number[];
}

/** Loads train.py's weights (`weights.f32` in `dir`) into `model`, by layer name. */
export function loadExportedWeights(model: tf.LayersModel, dir: string, weights: ExportedWeight[]): void {
  const bytes = readFileSync(join(dir, 'weights.f32'));
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const byName = new Map<string, Float32Array>();
  let offset = 0;
  for (const w of weights) {
    const size = w.shape.reduce((a, b) => a * b, 1);
    byName.set(w.name, all.subarray(offset, offset + size));
    offset += size;
  }
  if (offset !== all.length) throw new Error(`weights.f32 holds ${all.length} floats, the manifest ${offset}`);
  for (const layer of model.layers) {
    const expected = layer.weights;
    if (expected.length === 0) continue;
    const suffixes = layer.getClassName() === 'BatchNormalization' ? ['gamma', 'beta', 'moving_mean', 'moving_variance'] : layer.getClassName() === 'Conv2D' ? ['kernel'] : ['kernel', 'bias'];
    const values = suffixes.map((suffix, i) => {
      const data = byName.get(`${layer.name}/${suffix}`);
      if (!data) throw new Error(`train.py exported no ${layer.name}/${suffix}`);
      const shape = expected[i].shape as number[];
      if (data.length !== shape.reduce((a, b) => a * b, 1)) throw new Error(`${layer.name}/${suffix}: ${data.length} values for shape [${shape.join(', ')}]`);
      return tf.tensor(data, shape);
    });
    layer.setWeights(values);
    for (const v of values) v.dispose();
  }
}

/** A little-endian float32 file written by PyTorch (`numpy.tofile`), e.g. reference inputs and outputs. */
export function readFloat32File(dir: string, name: string): Float32Array {
  const b = readFileSync(join(dir, name));
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

/**
 * Runs train.py's reference inputs through the tfjs model and returns the largest absolute
 * difference from train.py's own outputs, probabilities and valence/arousal (float32
 * round-off: ~1e-6).
 */
export function checkParity(model: tf.LayersModel, dir: string, count: number, shape: SpeechNetShape): number {
  const read = (name: string) => readFloat32File(dir, name);
  const mel = read('reference-mel.f32');
  const stats = read('reference-stats.f32');
  const expected = [read('reference-probs.f32'), read('reference-affect.f32')];
  const actual = tf.tidy(() => {
    const out = model.predict([tf.tensor4d(mel, [count, shape.windowFrames, shape.melBandCount, 1]), tf.tensor2d(stats, [count, shape.statsCount])]) as tf.Tensor[];
    return out.map((t) => t.dataSync().slice());
  });
  let worst = 0;
  expected.forEach((values, k) => {
    if (actual[k].length !== values.length) throw new Error(`parity: output ${k} has ${actual[k].length} values, PyTorch ${values.length}`);
    for (let i = 0; i < values.length; i++) worst = Math.max(worst, Math.abs(actual[k][i] - values[i]));
  });
  return worst;
}

/** Serialises `model` as tfjs LayersModel files: model.json (topology + manifest) and one weights file. */
export async function serialiseLayersModel(model: tf.LayersModel, weightsFileName = 'weights.bin'): Promise<{ modelJson: object; weights: Uint8Array }> {
  let captured: { modelJson: object; weights: Uint8Array } | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData;
      const weights = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(tf.io.concatenateArrayBuffers(data as ArrayBuffer[]));
      captured = {
        modelJson: {
          format: 'layers-model',
          generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
          convertedBy: 'norae src/training/speech/build-tfjs-model.ts (weights from train.py)',
          modelTopology: artifacts.modelTopology,
          weightsManifest: [{ paths: [weightsFileName], weights: artifacts.weightSpecs }],
        },
        weights,
      };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!captured) throw new Error('tfjs did not hand over the model artifacts');
  return captured;
}
