import { describe, expect, it } from 'vitest';
import { resample, StreamingResampler } from '../../../../src/core/audio/resample.ts';

function tone(frequencyHz: number, rateHz: number, seconds: number): Float32Array {
  return Float32Array.from({ length: Math.round(rateHz * seconds) }, (_, i) => Math.sin((2 * Math.PI * frequencyHz * i) / rateHz));
}

/** RMS level in dB relative to a full-scale sine, ignoring the edges. */
function levelDb(x: Float32Array): number {
  const edge = Math.floor(x.length / 10);
  let sum = 0;
  for (let i = edge; i < x.length - edge; i++) sum += x[i] * x[i];
  return 10 * Math.log10(sum / (x.length - 2 * edge) / 0.5);
}

describe('StreamingResampler', () => {
  for (const inputRateHz of [8000, 16_000, 22_050, 32_000, 44_100, 48_000]) {
    it(`${inputRateHz} Hz → 11.025 kHz: flat passband, aliases ≥ 55 dB down, exact length`, () => {
      const out = resample(tone(1000, inputRateHz, 1), inputRateHz, 11_025);
      expect(out.length).toBe(Math.ceil((inputRateHz * 11_025) / inputRateHz));
      expect(Math.abs(levelDb(out))).toBeLessThan(0.05);
      if (inputRateHz / 2 > 4500) expect(Math.abs(levelDb(resample(tone(4500, inputRateHz, 1), inputRateHz, 11_025)))).toBeLessThan(0.1);
      // A tone above the output Nyquist would alias to 11025 − f; it must be gone.
      for (const f of [6400, 8000, 10_000, 15_000, 20_000]) {
        if (f < inputRateHz / 2) expect(levelDb(resample(tone(f, inputRateHz, 1), inputRateHz, 11_025))).toBeLessThan(-55);
      }
    });
  }

  it('keeps the phase: a resampled sine matches the sine sampled at the new rate', () => {
    const out = resample(tone(440, 48_000, 0.5), 48_000, 11_025);
    const expected = tone(440, 11_025, 0.5);
    for (let i = 500; i < 5000; i += 97) expect(out[i]).toBeCloseTo(expected[i], 2);
  });

  it('gives the same output whatever the chunk sizes', () => {
    const input = tone(1234, 44_100, 0.3);
    const whole = resample(input, 44_100, 11_025);
    const r = new StreamingResampler({ inputRateHz: 44_100, outputRateHz: 11_025 });
    const parts: number[] = [];
    for (let i = 0; i < input.length; i += 333) parts.push(...r.push(input.subarray(i, i + 333)));
    parts.push(...r.flush());
    expect(parts.length).toBe(whole.length);
    for (let i = 0; i < whole.length; i += 13) expect(parts[i]).toBeCloseTo(whole[i], 5);
  });

  it('passes through equal rates and handles odd rates', () => {
    const x = tone(100, 11_025, 0.1);
    expect(Array.from(resample(x, 11_025, 11_025))).toEqual(Array.from(x));
    const odd = resample(tone(300, 44_056, 0.5), 44_056, 11_025);
    expect(Math.abs(odd.length - 0.5 * 11_025)).toBeLessThanOrEqual(2);
    expect(Math.abs(levelDb(odd))).toBeLessThan(0.1);
    expect(() => new StreamingResampler({ inputRateHz: 0, outputRateHz: 11_025 })).toThrow(RangeError);
  });
});
