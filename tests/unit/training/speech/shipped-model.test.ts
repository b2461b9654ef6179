import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { EMOTIONS } from '../../../../src/core/emotion/emotions.ts';
import { SHIPPED_MODEL_DIR, loadSpeechModelFromDisk } from '../../../../src/training/speech/node-model.ts';
import { speechLike } from '../../core/speech/fixtures.ts';

const shipped = existsSync(`${SHIPPED_MODEL_DIR}/metadata.json`);

describe.skipIf(!shipped)('the shipped speech-emotion model', () => {
  it('loads through the app loader on the wasm backend in Node, predicts, and leaks nothing', async () => {
    const { predictor, backend } = await loadSpeechModelFromDisk(SHIPPED_MODEL_DIR, 'wasm');
    expect(backend).toBe('wasm');
    expect(predictor.recognisedLabels).toEqual(['neutral', 'happy', 'sad', 'angry', 'fearful', 'disgust', 'surprised']);
    expect(predictor.unsupportedLabels).toEqual(['contempt']);
    const audio = speechLike(4);
    await predictor.predict(audio, 16000);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const result = await predictor.predict(audio, 16000);
      expect(EMOTIONS.reduce((s, e) => s + result.distribution[e], 0)).toBeCloseTo(1, 5);
      expect(result.distribution.contempt).toBe(0);
    }
    expect(tf.memory().numTensors).toBe(before);
    const training = predictor.metadata.training as { heldOut?: { cold?: { uar?: number } } } | undefined;
    expect(training?.heldOut?.cold?.uar).toBeGreaterThan(1 / 7);
    predictor.dispose();
  });
});
