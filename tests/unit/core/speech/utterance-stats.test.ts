import { describe, expect, it } from 'vitest';
import { SpeechAnalyser } from '../../../../src/core/speech/speech-analysis.ts';
import { utteranceStatNames, utteranceStats } from '../../../../src/core/speech/utterance-stats.ts';
import { TEST_FEATURES, sine, speechLike } from './fixtures.ts';

const analyser = new SpeechAnalyser(TEST_FEATURES);
const names = utteranceStatNames(64);
const stat = (values: Float32Array, name: string) => values[names.indexOf(name)];

describe('utteranceStats', () => {
  it('names 260 statistics for 64 bands, in a stable order', () => {
    expect(names).toHaveLength(64 + 64 + 16 + 100 + 16);
    expect(names[0]).toBe('mel_mean_00');
    expect(names[64]).toBe('mel_std_00');
    expect(names[128]).toBe('dmel_abs_00');
    expect(names.at(-1)).toBe('level_dbfs');
  });

  it('measures a steady 200 Hz tone: 12 semitones above 100 Hz, no movement, its level', () => {
    const s = utteranceStats(analyser.analyse(sine(2, 200, 0.1), 16000));
    expect(s).toHaveLength(names.length);
    expect(stat(s, 'f0_median_st')).toBeCloseTo(12, 1);
    expect(stat(s, 'f0_std_st')).toBeLessThan(0.05);
    expect(stat(s, 'f0_range_st')).toBeLessThan(0.1);
    expect(stat(s, 'voiced_fraction')).toBeCloseTo(1, 2);
    expect(stat(s, 'energy_std_db')).toBeLessThan(0.1);
    expect(stat(s, 'active_fraction')).toBe(1);
    expect(stat(s, 'level_dbfs')).toBeCloseTo(20 * Math.log10(0.1 / Math.SQRT2), 1);
    // A pure tone is perfectly periodic: harmonics-to-noise far above a voice's (~10–20 dB).
    expect(stat(s, 'hnr_db')).toBeGreaterThan(25);
    expect(stat(s, 'shimmer_db')).toBeLessThan(0.05);
    // MFCC 0 of a steady tone hardly moves; its p10…p90 range is tiny.
    expect(stat(s, 'mfcc_p90_00') - stat(s, 'mfcc_p10_00')).toBeLessThan(0.5);
  });

  it('reads a noisy tone as less harmonic than a clean one', () => {
    const clean = sine(2, 150, 0.1);
    const noisy = clean.map((v, i) => v + 0.05 * Math.sin(i * 12.9898 + Math.sin(i * 78.233) * 43758.5453));
    const hnr = (x: Float32Array) => stat(utteranceStats(analyser.analyse(x, 16000)), 'hnr_db');
    expect(hnr(noisy)).toBeLessThan(hnr(clean) - 5);
  });

  it('sees pitch movement and syllables in speech-like input', () => {
    const s = utteranceStats(analyser.analyse(speechLike(3), 16000));
    // f0 glides ±10 % around 140 Hz: median ≈ 12·log2(1.4) = 5.8 st, range a few semitones.
    expect(stat(s, 'f0_median_st')).toBeGreaterThan(4.5);
    expect(stat(s, 'f0_median_st')).toBeLessThan(7);
    expect(stat(s, 'f0_range_st')).toBeGreaterThan(1.5);
    // Gated twice a second → about 2 voicing onsets per second of speech.
    expect(stat(s, 'voiced_onset_rate_hz')).toBeGreaterThan(1.5);
    expect(stat(s, 'voiced_onset_rate_hz')).toBeLessThan(4);
    for (const v of s) expect(Number.isFinite(v)).toBe(true);
  });

  it('is finite for unvoiced input (pitch statistics 0)', () => {
    const x = new Float32Array(16000);
    for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 12.9898) * 43758.5453 % 0.2;
    const s = utteranceStats(analyser.analyse(x, 16000));
    for (const v of s) expect(Number.isFinite(v)).toBe(true);
  });
});
