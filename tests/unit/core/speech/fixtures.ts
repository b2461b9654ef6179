import type { SpeechFeatureConfig } from '../../../../src/core/speech/speech-contract.ts';
import { concatSamples } from '../../../../src/core/typed-arrays.ts';

/** The feature settings the tests run with (the same numbers training ships, copied so a retrain cannot silently move goldens). */
export const TEST_FEATURES: SpeechFeatureConfig = {
  sampleRateHz: 16000,
  frameSizeSamples: 512,
  hopSizeSamples: 160,
  melBandCount: 64,
  minFrequencyHz: 50,
  maxFrequencyHz: 8000,
  melScale: 'slaney',
  logFloorDb: -80,
  trimRelativeDb: 40,
  silenceFloorDbfs: -65,
  trimNoiseMarginDb: 10,
  trimPaddingSeconds: 0.1,
  minSpeechSeconds: 0.4,
  targetLoudnessDbfs: -23,
  spectralSubtractionFactor: 2,
  spectralFloorDb: -15,
  pitchMinHz: 60,
  pitchMaxHz: 500,
  voicingThreshold: 0.5,
  windowFrames: 192,
  windowHopFrames: 96,
  segmentMaxFrames: 800,
};

/** Deterministic uniform noise in [−amplitude, amplitude]. */
export function noise(length: number, amplitude: number, seed = 1): Float32Array {
  let state = seed >>> 0;
  const out = new Float32Array(length);
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = (state / 4294967296 - 0.5) * 2 * amplitude;
  }
  return out;
}

export function sine(seconds: number, frequencyHz: number, amplitude: number, sampleRateHz = 16000): Float32Array {
  const out = new Float32Array(Math.round(seconds * sampleRateHz));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * frequencyHz * i) / sampleRateHz);
  return out;
}

/** A voiced "syllable" train: a sawtooth whose pitch glides, gated on and off 4 times a second. */
export function speechLike(seconds: number, sampleRateHz = 16000, f0Hz = 140): Float32Array {
  const out = new Float32Array(Math.round(seconds * sampleRateHz));
  let phase = 0;
  for (let i = 0; i < out.length; i++) {
    const t = i / sampleRateHz;
    const f = f0Hz * (1 + 0.1 * Math.sin(2 * Math.PI * 0.7 * t));
    phase = (phase + f / sampleRateHz) % 1;
    const gate = Math.sin(2 * Math.PI * 2 * t) > -0.3 ? 1 : 0.02;
    out[i] = 0.2 * gate * (2 * phase - 1);
  }
  return out;
}

export function concat(...parts: Float32Array[]): Float32Array {
  return concatSamples(parts);
}
