import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { greyFaceCrops } from '../../../../src/adapters/face/grey-crops.ts';

describe('greyFaceCrops (our net’s input, shared by training and the app)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('turns colour into Rec. 601 luma in [0, 1] (golden)', () => {
    const red = tf.fill([10, 10, 3], 0).add(tf.tensor1d([255, 0, 0])) as tf.Tensor3D;
    const grey = tf.tensor3d(new Array(10 * 10 * 3).fill(128), [10, 10, 3]);
    const crops = greyFaceCrops(red, [{ x: 0, y: 0, width: 10, height: 10 }], 4);
    expect(crops.shape).toEqual([1, 4, 4, 1]);
    crops.dataSync().forEach((v) => expect(v).toBeCloseTo(0.299, 5));
    const g = greyFaceCrops(grey, [{ x: 2, y: 2, width: 6, height: 6 }], 48);
    g.dataSync().forEach((v) => expect(v).toBeCloseTo(128 / 255, 5));
    tf.dispose([red, grey, crops, g]);
  });

  it('keeps a 48-px image at 48 px pixel for pixel, and cuts each region on its own', () => {
    const values = Array.from({ length: 48 * 48 }, (_, i) => i % 256);
    const image = tf.tidy(() => tf.tile(tf.tensor3d(values, [48, 48, 1]), [1, 1, 3]) as tf.Tensor3D);
    const before = tf.memory().numTensors;
    const crops = greyFaceCrops(image, [{ x: 0, y: 0, width: 48, height: 48 }, { x: 0, y: 0, width: 24, height: 24 }], 48);
    expect(tf.memory().numTensors).toBe(before + 1);
    const data = crops.dataSync();
    for (let i = 0; i < 48 * 48; i++) expect(data[i] * 255).toBeCloseTo(values[i], 2);
    // The second region is the top-left quarter, upsampled: its first pixel is the image's first.
    expect(data[48 * 48] * 255).toBeCloseTo(values[0], 2);
    tf.dispose([image, crops]);
  });
});
