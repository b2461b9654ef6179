import { describe, expect, it } from 'vitest';
import { binFrequencyHz, RealFft } from '../../../../src/core/audio/fft.ts';
import { hannWindow, windowPowerSum } from '../../../../src/core/audio/window.ts';

describe('RealFft', () => {
  it('puts a bin-centred sine in its bin with amplitude N/2', () => {
    const n = 1024;
    const fft = new RealFft(n);
    const x = Float32Array.from({ length: n }, (_, i) => Math.sin((2 * Math.PI * 37 * i) / n));
    const magnitude = fft.magnitudeSpectrum(x, new Float64Array(fft.binCount));
    let peak = 0;
    for (let k = 1; k < magnitude.length; k++) if (magnitude[k] > magnitude[peak]) peak = k;
    expect(peak).toBe(37);
    expect(magnitude[37]).toBeCloseTo(n / 2, 3);
    expect(magnitude[36]).toBeLessThan(1e-3);
  });

  it('finds the peak of an off-bin sine through a Hann window at the right frequency', () => {
    const n = 2048;
    const rate = 11_025;
    const fft = new RealFft(n);
    const w = hannWindow(n);
    const x = Float32Array.from({ length: n }, (_, i) => w[i] * Math.sin((2 * Math.PI * 440 * i) / rate));
    const power = fft.powerSpectrum(x, new Float64Array(fft.binCount));
    let peak = 0;
    for (let k = 1; k < power.length; k++) if (power[k] > power[peak]) peak = k;
    expect(Math.abs(binFrequencyHz(peak, n, rate) - 440)).toBeLessThan(rate / n);
  });

  it('satisfies Parseval: Σ|X|² over the full spectrum = N Σx²', () => {
    const n = 512;
    const fft = new RealFft(n);
    let seed = 1;
    const x = Float32Array.from({ length: n }, () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1);
    const power = fft.powerSpectrum(x, new Float64Array(fft.binCount));
    // Bins 1 … N/2−1 appear twice in the full (two-sided) spectrum.
    let spectral = power[0] + power[n / 2];
    for (let k = 1; k < n / 2; k++) spectral += 2 * power[k];
    const temporal = x.reduce((a, v) => a + v * v, 0);
    expect(spectral / n).toBeCloseTo(temporal, 6);
  });

  it('gives DC and Nyquist bins exactly', () => {
    const fft = new RealFft(8);
    const c = fft.transform([1.5, -0.5, 1.5, -0.5, 1.5, -0.5, 1.5, -0.5]);
    expect(c[0]).toBeCloseTo(4);
    expect(c[8]).toBeCloseTo(8);
    expect(c[2]).toBeCloseTo(0);
  });

  it('rejects sizes that are not powers of two and inputs of the wrong length', () => {
    expect(() => new RealFft(1000)).toThrow(RangeError);
    expect(() => new RealFft(1)).toThrow(RangeError);
    expect(() => new RealFft(16).transform(new Float32Array(8))).toThrow(RangeError);
  });
});

describe('hannWindow', () => {
  it('periodic Hann at 50 % overlap sums to a constant (COLA)', () => {
    const n = 256;
    const w = hannWindow(n);
    for (let i = 0; i < n / 2; i++) expect(w[i] + w[i + n / 2]).toBeCloseTo(1, 6); // Float32 storage
    expect(windowPowerSum(w)).toBeCloseTo((3 * n) / 8, 4);
  });

  it('symmetric Hann starts and ends at zero with its peak in the middle', () => {
    const w = hannWindow(9, false);
    expect(w[0]).toBe(0);
    expect(w[8]).toBeCloseTo(0, 6);
    expect(w[4]).toBeCloseTo(1, 6);
  });
});
