import { describe, expect, it } from 'vitest';
import { AnalysisError } from '../../../../src/core/music/analysis-error.ts';
import { predictSongEmotion } from '../../../../src/core/music/emotion-model.ts';
import { SHIPPED_MUSIC_EMOTION_MODEL } from '../../../../src/core/music/shipped-model.ts';
import { ANALYSIS_SAMPLE_RATE_HZ, analyseMono, SongAnalyser } from '../../../../src/core/music/song-analyser.ts';
import { SONG_FEATURE_NAMES, type SongFeatures } from '../../../../src/core/music/song-features.ts';

const RATE = ANALYSIS_SAMPLE_RATE_HZ;

function sine(frequencyHz: number, seconds: number, amplitude = 0.5, rateHz = RATE): Float32Array {
  return Float32Array.from({ length: Math.round(seconds * rateHz) }, (_, i) => amplitude * Math.sin((2 * Math.PI * frequencyHz * i) / rateHz));
}

function noise(seconds: number, amplitude: number, seed = 3): Float32Array {
  let s = seed;
  return Float32Array.from({ length: Math.round(seconds * RATE) }, () => amplitude * (((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1));
}

function clicks(bpm: number, seconds: number, rateHz = RATE): Float32Array {
  const x = new Float32Array(Math.round(seconds * rateHz));
  const period = (60 / bpm) * rateHz;
  let s = 5;
  for (let beat = 0; beat * period < x.length; beat++) {
    const start = Math.round(beat * period);
    for (let i = 0; i < 0.02 * rateHz && start + i < x.length; i++) {
      x[start + i] = 0.5 * Math.exp(-i / (0.004 * rateHz)) * (((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1);
    }
  }
  return x;
}

function expectAllFinite(features: SongFeatures): void {
  for (const name of SONG_FEATURE_NAMES) expect(Number.isFinite(features[name]), name).toBe(true);
}

describe('SongAnalyser', () => {
  it('measures a 440 Hz sine: centroid near 440 Hz, tonal, key of A, level and loudness', () => {
    const f = analyseMono(sine(440, 10, 0.1), RATE);
    expectAllFinite(f);
    expect(f.durationSeconds).toBeCloseTo(10, 3);
    expect(f.audibleFraction).toBe(1);
    expect(f.analysedSeconds).toBeCloseTo(10, 3);
    expect(Math.abs(f.spectralCentroidHz - 440)).toBeLessThan(60);
    expect(f.spectralFlatness).toBeLessThan(0.01);
    expect(f.keyTonicPitchClass === 9 || f.keyTonicPitchClass === 2 || f.keyTonicPitchClass === 6).toBe(true);
    // A sine of amplitude 0.1 has RMS −23 dBFS (−20 dB re. a full-scale sine's −3 dB).
    expect(f.rmsDb).toBeCloseTo(-23.01, 1);
    // BS.1770: a 1 kHz-ish sine at −20 dBFS peak on both channels reads ≈ −20 LUFS.
    expect(Math.abs(f.loudnessLufs - -20)).toBeLessThan(1);
    expect(f.loudnessRangeLu).toBeLessThan(0.5);
    expect(f.harmonicRatio).toBeGreaterThan(0.8);
  });

  it('calls white noise noisy and bright, and 20 dB quieter noise 20 dB quieter', () => {
    const loud = analyseMono(noise(5, 0.5), RATE);
    const quiet = analyseMono(noise(5, 0.05), RATE);
    expect(loud.spectralFlatness).toBeGreaterThan(0.4);
    expect(loud.spectralCentroidHz).toBeGreaterThan(2200);
    expect(loud.zeroCrossingRate).toBeGreaterThan(0.4);
    expect(loud.rmsDb - quiet.rmsDb).toBeCloseTo(20, 1);
    expect(loud.loudnessLufs - quiet.loudnessLufs).toBeCloseTo(20, 1);
  });

  it('finds the tempo of click tracks within 4 % and counts their onsets', () => {
    for (const bpm of [70, 100, 128, 175]) {
      const f = analyseMono(clicks(bpm, 20), RATE);
      expect(Math.abs(f.tempoBpm / bpm - 1), `${bpm} BPM → ${f.tempoBpm}`).toBeLessThan(0.04);
      expect(f.onsetRatePerSecond).toBeGreaterThan((0.8 * bpm) / 60);
      expect(f.onsetRatePerSecond).toBeLessThan((1.2 * bpm) / 60);
      expect(f.tempoConfidence).toBeGreaterThan(0.3);
    }
  });

  it('resamples other rates first (44.1 kHz clicks give the same tempo)', () => {
    const f = analyseMono(clicks(120, 15, 44_100), 44_100);
    expect(Math.abs(f.tempoBpm - 120)).toBeLessThan(2);
  });

  it('gives the same features whatever the push sizes', () => {
    const x = clicks(100, 8);
    const whole = new SongAnalyser();
    whole.push(x);
    const chunked = new SongAnalyser();
    for (let i = 0; i < x.length; i += 777) chunked.push(x.subarray(i, i + 777));
    const a = whole.finish();
    const b = chunked.finish();
    for (const name of SONG_FEATURE_NAMES) expect(b[name], name).toBeCloseTo(a[name], 6);
  });

  it('handles silence with finite, neutral values', () => {
    const f = analyseMono(new Float32Array(RATE * 5), RATE);
    expectAllFinite(f);
    expect(f.tempoBpm).toBe(0);
    expect(f.tempoConfidence).toBe(0);
    expect(f.onsetRatePerSecond).toBe(0);
    expect(f.loudnessLufs).toBe(-70);
    expect(f.rmsDb).toBeLessThanOrEqual(-99);
    expect(f.audibleFraction).toBe(0);
    // Silence has no emotion to read: the centre of the plane, intensity 0.
    expect(predictSongEmotion(f, SHIPPED_MUSIC_EMOTION_MODEL)).toMatchObject({ valence: 0, arousal: 0, intensity: 0, contributions: { valence: [], arousal: [] } });
  });

  it('handles a 2-second clip and a clipped square wave', () => {
    expectAllFinite(analyseMono(clicks(120, 2), RATE));
    const square = Float32Array.from(sine(220, 5), (v) => (v >= 0 ? 1.5 : -1.5));
    const f = analyseMono(square, RATE);
    expectAllFinite(f);
    expect(f.rmsDb).toBeGreaterThan(0);
  });

  it('zeroes a few NaNs but refuses a track of garbage with a coded error', () => {
    const x = sine(300, 3);
    x[100] = Number.NaN;
    x[2000] = Number.POSITIVE_INFINITY;
    expectAllFinite(analyseMono(x, RATE));
    const garbage = new Float32Array(RATE * 2).fill(Number.NaN);
    expect(() => analyseMono(garbage, RATE)).toThrow(AnalysisError);
    try {
      analyseMono(garbage, RATE);
    } catch (error) {
      expect((error as AnalysisError).code).toBe('non-finite-samples');
    }
  });

  it('refuses input shorter than one frame, bad rates, and reuse after finish', () => {
    expect(() => analyseMono(new Float32Array(100), RATE)).toThrow(expect.objectContaining({ code: 'too-short' }));
    expect(() => analyseMono(new Float32Array(100), 0)).toThrow(expect.objectContaining({ code: 'invalid-sample-rate' }));
    const analyser = new SongAnalyser();
    analyser.push(sine(100, 1));
    analyser.finish();
    expect(() => analyser.push(new Float32Array(10))).toThrow();
  });

  it('reports progress and honours an aborted signal', () => {
    const fractions: number[] = [];
    analyseMono(sine(200, 30, 0.3, 22_050), 22_050, { onProgress: (p) => fractions.push(p) });
    expect(fractions.at(-1)).toBe(1);
    expect(fractions.length).toBeGreaterThan(3);
    const controller = new AbortController();
    controller.abort();
    expect(() => analyseMono(sine(200, 3), RATE, { signal: controller.signal })).toThrow();
  });

  it('keeps memory bounded: an hour of audio is summarised, not stored', () => {
    // 60 minutes pushed in 10 s chunks; only per-frame summaries grow (≈ 43 values/s).
    const analyser = new SongAnalyser();
    const chunk = noise(10, 0.1);
    for (let i = 0; i < 360; i++) analyser.push(chunk);
    const f = analyser.finish();
    expect(f.durationSeconds).toBeCloseTo(3600, 0);
    expectAllFinite(f);
  }, 120_000);
});
