import { describe, expect, it } from 'vitest';
import { SpeechAnalyser } from '../../../../src/core/speech/speech-analysis.ts';
import { SpeechInputError, isSpeechInputError } from '../../../../src/core/speech/speech-error.ts';
import { TEST_FEATURES, concat, noise, sine } from './fixtures.ts';

const analyser = new SpeechAnalyser(TEST_FEATURES);

function bandMeans(logMelDb: Float32Array, frames: number, bands: number): number[] {
  const mean = new Array<number>(bands).fill(0);
  for (let t = 0; t < frames; t++) for (let m = 0; m < bands; m++) mean[m] += logMelDb[t * bands + m] / frames;
  return mean;
}

function expectCode(run: () => unknown, code: string): void {
  try {
    run();
  } catch (error) {
    expect(isSpeechInputError(error)).toBe(true);
    expect((error as SpeechInputError).code).toBe(code);
    return;
  }
  throw new Error(`expected SpeechInputError ${code}`);
}

describe('SpeechAnalyser', () => {
  it('reads white noise at its loudness in every band (mel power scaling golden)', () => {
    const a = analyser.analyse(noise(32000, 0.1), 16000);
    const means = bandMeans(a.logMelDb, a.frameCount, a.melBandCount);
    // Loudness-normalised to −23 dBFS RMS; white noise spreads that power evenly per band.
    for (const m of means) expect(m).toBeGreaterThan(-25.5);
    for (const m of means) expect(m).toBeLessThan(-21.5);
    expect(a.frameEnergyDb[10]).toBeCloseTo(-23, 0);
  });

  it('normalises loudness: a quieter copy gives the same spectrogram and a 20 dB lower level', () => {
    const x = sine(1.5, 200, 0.3);
    const quiet = x.map((v) => v * 0.1);
    const a = analyser.analyse(x, 16000);
    const b = analyser.analyse(quiet, 16000);
    expect(b.frameCount).toBe(a.frameCount);
    let worst = 0;
    for (let i = 0; i < a.logMelDb.length; i++) if (a.logMelDb[i] > -70) worst = Math.max(worst, Math.abs(a.logMelDb[i] - b.logMelDb[i]));
    expect(worst).toBeLessThan(0.01);
    expect(a.levelDbfs - b.levelDbfs).toBeCloseTo(20, 3);
    expect(a.levelDbfs).toBeCloseTo(20 * Math.log10(0.3 / Math.SQRT2), 1);
  });

  it('puts a tone in the band around its frequency and tracks its pitch', () => {
    const a = analyser.analyse(sine(1, 200, 0.1), 16000);
    const means = bandMeans(a.logMelDb, a.frameCount, a.melBandCount);
    const peak = means.indexOf(Math.max(...means));
    // Slaney mel, 64 bands over 50 Hz–8 kHz: linear below 1 kHz, 45.7 Hz apart, so band 2 is
    // centred at 187 Hz and band 3 at 233 Hz.
    expect(peak).toBe(2);
    expect(means[2] - means[10]).toBeGreaterThan(30);
    const voiced = Array.from(a.pitchHz).filter((p) => p > 0);
    expect(voiced.length).toBeGreaterThan(0.9 * a.frameCount);
    for (const p of voiced) expect(p).toBeCloseTo(200, 0);
  });

  it('tracks a harmonic-rich sawtooth without octave errors', () => {
    const x = new Float32Array(16000);
    for (let i = 0; i < x.length; i++) x[i] = 0.1 * ((((110 * i) / 16000) % 1) * 2 - 1);
    const a = analyser.analyse(x, 16000);
    for (const p of a.pitchHz) if (p > 0) expect(Math.abs(p - 110)).toBeLessThan(1.5);
  });

  it('trims silence, keeping 0.1 s either side of the speech', () => {
    const x = concat(new Float32Array(16000), sine(1, 220, 0.2), new Float32Array(16000));
    const a = analyser.analyse(x, 16000);
    expect(a.speechSeconds).toBeGreaterThan(0.95);
    expect(a.speechSeconds).toBeLessThan(1.05);
    // 1 s of speech + 2 × 0.1 s padding, in 10 ms frames (± a frame for the 32 ms window's overlap).
    expect(a.frameCount).toBeGreaterThan(118);
    expect(a.frameCount).toBeLessThan(126);
    expect(a.startFrame * a.hopSeconds).toBeGreaterThan(0.8);
    expect(a.startFrame * a.hopSeconds).toBeLessThan(0.9);
  });

  it('resamples other rates to the contract rate', () => {
    const a = analyser.analyse(sine(1, 220, 0.1, 44100), 44100);
    expect(a.sampleRateHz).toBe(16000);
    expect(a.hopSeconds).toBeCloseTo(0.01, 6);
    const voiced = Array.from(a.pitchHz).filter((p) => p > 0);
    expect(voiced.length).toBeGreaterThan(50);
    for (const p of voiced) expect(p).toBeCloseTo(220, 0);
  });

  it('refuses silence, too little speech and non-audio with typed codes', () => {
    expectCode(() => analyser.analyse(new Float32Array(32000), 16000), 'silent');
    expectCode(() => analyser.analyse(noise(32000, 0.0001), 16000), 'silent');
    expectCode(() => analyser.analyse(concat(new Float32Array(16000), sine(0.2, 200, 0.2)), 16000), 'too-short');
    expectCode(() => analyser.analyse(sine(0.01, 200, 0.2), 16000), 'too-short');
    expectCode(() => analyser.analyse(new Float32Array(0), 16000), 'invalid-audio');
    expectCode(() => analyser.analyse(Float32Array.of(0, Number.NaN, 0), 16000), 'invalid-audio');
    expectCode(() => analyser.analyse(sine(1, 200, 0.2), 0), 'invalid-audio');
  });

  it('reports clipping', () => {
    const x = sine(1, 200, 2).map((v) => Math.max(-1, Math.min(1, v)));
    expect(analyser.analyse(x, 16000).clippedFraction).toBeGreaterThan(0.5);
    expect(analyser.analyse(sine(1, 200, 0.5), 16000).clippedFraction).toBe(0);
  });
});

describe('stationary-noise subtraction', () => {
  /** A sawtooth "voice" at −19 dBFS gliding around 140 Hz, in 150 ms syllables with 100 ms pauses, between 0.5 s silences. */
  const syllables = (() => {
    const out = new Float32Array(4 * 16000);
    let phase = 0;
    for (let i = 8000; i < out.length - 8000; i++) {
      const t = i / 16000;
      phase = (phase + (140 * (1 + 0.1 * Math.sin(2 * Math.PI * 0.7 * t))) / 16000) % 1;
      out[i] = (t * 4) % 1 < 0.6 ? 0.2 * (2 * phase - 1) : 0;
    }
    return out;
  })();
  const without = new SpeechAnalyser({ ...TEST_FEATURES, spectralSubtractionFactor: 0 });
  /** Mean log-mel per band over the frames both analyses call speech (aligned on the input's frames). */
  const sharedBandMeans = (a: ReturnType<SpeechAnalyser['analyse']>, b: ReturnType<SpeechAnalyser['analyse']>) => {
    const bands = a.melBandCount;
    const meanA = new Float64Array(bands);
    const meanB = new Float64Array(bands);
    let n = 0;
    for (let t = 0; t < a.frameCount; t++) {
      const u = t + a.startFrame - b.startFrame;
      if (!a.active[t] || u < 0 || u >= b.frameCount || !b.active[u]) continue;
      n++;
      for (let m = 0; m < bands; m++) {
        meanA[m] += a.logMelDb[t * bands + m];
        meanB[m] += b.logMelDb[u * bands + m];
      }
    }
    expect(n).toBeGreaterThan(100);
    return meanA.reduce((s, v, m) => s + Math.abs(v - meanB[m]) / n, 0) / bands;
  };

  it('brings speech in steady noise ~16 dB below it back towards the clean spectrum', () => {
    const hiss = noise(syllables.length, 0.03, 7);
    const noisy = syllables.map((v, i) => v + hiss[i]);
    const clean = without.analyse(syllables, 16000);
    const plain = sharedBandMeans(without.analyse(noisy, 16000), clean);
    const subtracted = sharedBandMeans(analyser.analyse(noisy, 16000), clean);
    // Golden figures of this fixture (mean |Δ| over bands, dB): 1.38 without, 0.83 with subtraction.
    expect(plain).toBeCloseTo(1.38, 1);
    expect(subtracted).toBeCloseTo(0.83, 1);
  });

  it('leaves a recording without noise alone, and one without pauses unmeasured', () => {
    expect(sharedBandMeans(analyser.analyse(syllables, 16000), without.analyse(syllables, 16000))).toBeLessThan(0.01);
    // No pause to measure the room by: nothing is subtracted.
    const hiss = noise(32000, 0.03, 9);
    const steady = sine(2, 220, 0.2).map((v, i) => v + hiss[i]);
    expect(Array.from(analyser.analyse(steady, 16000).logMelDb)).toEqual(Array.from(without.analyse(steady, 16000).logMelDb));
  });
});
