import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EMOTIONS } from '../../../../src/core/emotion/emotions.ts';
import { SHIPPED_MODEL_DIR, loadSpeechModelFromDisk } from '../../../../src/training/speech/node-model.ts';
import { speechLike } from '../../core/speech/fixtures.ts';

describe('the shipped speech-emotion model', () => {
  it('loads through the app loader on the wasm backend in Node, predicts emotions and a plane point, and leaks nothing', async () => {
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
      expect(Math.abs(result.valence)).toBeLessThanOrEqual(1);
      expect(Math.abs(result.arousal)).toBeLessThanOrEqual(1);
      expect(result.adapted).toBe(false);
      expect(result.reliability).toEqual(predictor.metadata.reliability.cold);
    }
    expect(tf.memory().numTensors).toBe(before);
    predictor.dispose();
  });

  it('carries what its cross-validation measured: calibration, the maturity of voice profiles, reliabilities', async () => {
    const { predictor } = await loadSpeechModelFromDisk(SHIPPED_MODEL_DIR, 'wasm');
    const m = predictor.metadata;
    expect(m.calibration.temperature).toBeGreaterThan(0);
    expect(m.adaptation.minProfileUtterances).toBeGreaterThanOrEqual(1);
    expect(m.adaptation.minProfileUtterances).toBeLessThanOrEqual(12);
    for (const mode of ['cold', 'adapted'] as const) {
      // Every recognised emotion has a measured recall better than chance (1/7) and the plane tracks the labels.
      for (const label of predictor.recognisedLabels) expect(m.reliability[mode].perEmotion[label]).toBeGreaterThan(1 / 7);
      expect(m.reliability[mode].arousal).toBeGreaterThan(0.3);
    }
    predictor.dispose();
  });

  it('reads three fixed voices exactly as the committed golden output says (a changed or misloaded model fails)', async () => {
    const { predictor } = await loadSpeechModelFromDisk(SHIPPED_MODEL_DIR, 'wasm');
    const voices = { low: speechLike(4, 16000, 110), mid: speechLike(4, 16000, 140), high: speechLike(3, 16000, 230) };
    const readings: Record<string, Record<string, number>> = {};
    for (const [name, audio] of Object.entries(voices)) {
      const r = await predictor.predict(audio, 16000);
      readings[name] = { ...Object.fromEntries(predictor.recognisedLabels.map((e) => [e, r.distribution[e]])), valence: r.valence, arousal: r.arousal };
    }
    predictor.dispose();
    // Regenerated on purpose only, when the shipped model changes: UPDATE_GOLDEN=1 npx vitest run shipped-model.
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, `${JSON.stringify(readings, null, 2)}\n`);
    expect(existsSync(GOLDEN), `${GOLDEN} is missing`).toBe(true);
    const golden = JSON.parse(readFileSync(GOLDEN, 'utf8')) as typeof readings;
    expect(Object.keys(readings)).toEqual(Object.keys(golden));
    for (const [name, values] of Object.entries(golden)) {
      for (const [key, value] of Object.entries(values)) expect(readings[name][key], `${name} ${key}`).toBeCloseTo(value, 3);
    }
  });
});

const GOLDEN = new URL('./shipped-model.golden.json', import.meta.url).pathname;
