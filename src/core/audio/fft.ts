import FFT from 'fft.js';

/**
 * Real-input FFT of a fixed power-of-two size over fft.js (a radix-4 FFT, pure JS, several
 * times faster than Meyda's). Buffers are allocated once per instance, so per-frame calls
 * allocate nothing; an instance is not re-entrant (one per analyser/worker).
 */
export class RealFft {
  /** Transform length in samples (a power of two ≥ 2). */
  readonly sizeSamples: number;
  /** Number of non-negative-frequency bins: `sizeSamples / 2 + 1` (DC … Nyquist). */
  readonly binCount: number;
  private readonly fft: FFT;
  /** Interleaved complex output (re, im); fft.js fills bins 0 … N/2 of it. */
  private readonly complex: Float64Array;

  constructor(sizeSamples: number) {
    if (!Number.isInteger(sizeSamples) || sizeSamples < 2 || (sizeSamples & (sizeSamples - 1)) !== 0) {
      throw new RangeError(`FFT size must be a power of two ≥ 2, got ${sizeSamples}`);
    }
    this.sizeSamples = sizeSamples;
    this.binCount = sizeSamples / 2 + 1;
    this.fft = new FFT(sizeSamples);
    this.complex = new Float64Array(2 * sizeSamples);
  }

  /**
   * Transforms `input` (length `sizeSamples`) and returns the interleaved complex spectrum of
   * bins 0 … N/2 as a view `[re0, im0, re1, im1, …]` of length `2 · binCount`. The view is
   * overwritten by the next call. Unnormalised: X[k] = Σ x[n]·e^(−2πikn/N).
   */
  transform(input: ArrayLike<number>): Float64Array {
    if (input.length !== this.sizeSamples) throw new RangeError(`expected ${this.sizeSamples} samples, got ${input.length}`);
    this.fft.realTransform(this.complex, input);
    return this.complex.subarray(0, 2 * this.binCount);
  }

  /** Power spectrum |X[k]|² of `input` into `out` (length `binCount`); returns `out`. */
  powerSpectrum<T extends Float32Array | Float64Array>(input: ArrayLike<number>, out: T): T {
    const c = this.transform(input);
    for (let k = 0; k < this.binCount; k++) {
      const re = c[2 * k];
      const im = c[2 * k + 1];
      out[k] = re * re + im * im;
    }
    return out;
  }

  /** Magnitude spectrum |X[k]| of `input` into `out` (length `binCount`); returns `out`. */
  magnitudeSpectrum<T extends Float32Array | Float64Array>(input: ArrayLike<number>, out: T): T {
    const c = this.transform(input);
    for (let k = 0; k < this.binCount; k++) out[k] = Math.hypot(c[2 * k], c[2 * k + 1]);
    return out;
  }
}

/** Centre frequency of FFT bin `bin` in Hz. */
export function binFrequencyHz(bin: number, fftSizeSamples: number, sampleRateHz: number): number {
  return (bin * sampleRateHz) / fftSizeSamples;
}
