/**
 * Mel filterbanks, matching librosa's `filters.mel`:
 * - `scale: 'slaney'` (librosa's default, Slaney's Auditory Toolbox): linear below 1 kHz
 *   (3 mels per 200 Hz… i.e. 200/3 Hz per mel), logarithmic above (27/ln 6.4 mels per e-fold).
 * - `scale: 'htk'` (HTK, O'Shaughnessy): mel = 2595 · log10(1 + f / 700).
 * - `norm: 'slaney'` scales each triangle to unit area (2 / bandwidth in Hz), so bands carry
 *   comparable energy per Hz; `norm: 'none'` leaves peaks at 1.
 */
export type MelScale = 'slaney' | 'htk';

const SLANEY_F_SP = 200 / 3;
const SLANEY_MIN_LOG_HZ = 1000;
const SLANEY_MIN_LOG_MEL = SLANEY_MIN_LOG_HZ / SLANEY_F_SP;
const SLANEY_LOG_STEP = Math.log(6.4) / 27;

/** Hz → mel on the given scale. */
export function hzToMel(frequencyHz: number, scale: MelScale = 'slaney'): number {
  if (scale === 'htk') return 2595 * Math.log10(1 + frequencyHz / 700);
  if (frequencyHz < SLANEY_MIN_LOG_HZ) return frequencyHz / SLANEY_F_SP;
  return SLANEY_MIN_LOG_MEL + Math.log(frequencyHz / SLANEY_MIN_LOG_HZ) / SLANEY_LOG_STEP;
}

/** Mel → Hz on the given scale (inverse of {@link hzToMel}). */
export function melToHz(mel: number, scale: MelScale = 'slaney'): number {
  if (scale === 'htk') return 700 * (10 ** (mel / 2595) - 1);
  if (mel < SLANEY_MIN_LOG_MEL) return mel * SLANEY_F_SP;
  return SLANEY_MIN_LOG_HZ * Math.exp(SLANEY_LOG_STEP * (mel - SLANEY_MIN_LOG_MEL));
}

export interface MelFilterbankOptions {
  sampleRateHz: number;
  fftSizeSamples: number;
  melBandCount: number;
  /** Lowest filter edge (default 0 Hz). */
  minFrequencyHz?: number;
  /** Highest filter edge (default Nyquist). */
  maxFrequencyHz?: number;
  scale?: MelScale;
  norm?: 'slaney' | 'none';
}

/**
 * A triangular mel filterbank stored sparsely: band `m` covers FFT bins
 * `[startBin[m], startBin[m] + weights[m].length)`. Applying it costs one multiply-add per
 * non-zero weight (≈ 2 per bin), not bands × bins.
 */
export class MelFilterbank {
  readonly melBandCount: number;
  readonly binCount: number;
  /** Centre frequency of each band in Hz (length `melBandCount`). */
  readonly centreFrequenciesHz: Float64Array;
  readonly startBin: Int32Array;
  readonly weights: Float32Array[];

  constructor(opts: MelFilterbankOptions) {
    const { sampleRateHz, fftSizeSamples, melBandCount } = opts;
    const scale = opts.scale ?? 'slaney';
    const fMin = opts.minFrequencyHz ?? 0;
    const fMax = opts.maxFrequencyHz ?? sampleRateHz / 2;
    if (!(fMax > fMin && fMin >= 0)) throw new RangeError('need 0 ≤ minFrequencyHz < maxFrequencyHz');
    this.melBandCount = melBandCount;
    this.binCount = fftSizeSamples / 2 + 1;
    const melMin = hzToMel(fMin, scale);
    const melMax = hzToMel(fMax, scale);
    // melBandCount + 2 edge points, equally spaced in mel.
    const edgesHz = new Float64Array(melBandCount + 2);
    for (let i = 0; i < edgesHz.length; i++) edgesHz[i] = melToHz(melMin + ((melMax - melMin) * i) / (melBandCount + 1), scale);
    this.centreFrequenciesHz = edgesHz.slice(1, melBandCount + 1);
    this.startBin = new Int32Array(melBandCount);
    this.weights = [];
    const binHz = sampleRateHz / fftSizeSamples;
    for (let m = 0; m < melBandCount; m++) {
      const lower = edgesHz[m];
      const centre = edgesHz[m + 1];
      const upper = edgesHz[m + 2];
      const enorm = opts.norm === 'none' ? 1 : 2 / (upper - lower);
      const row: number[] = [];
      let first = -1;
      for (let k = 0; k < this.binCount; k++) {
        const f = k * binHz;
        const w = Math.max(0, Math.min((f - lower) / (centre - lower), (upper - f) / (upper - centre)));
        if (w > 0) {
          if (first < 0) first = k;
          // Fill any interior zero so each band stays one contiguous run.
          while (first + row.length < k) row.push(0);
          row.push(w * enorm);
        }
      }
      this.startBin[m] = first < 0 ? 0 : first;
      this.weights.push(Float32Array.from(row));
    }
  }

  /** `out[m] = Σ_k W[m,k] · spectrum[k]` (spectrum: power or magnitude, length `binCount`). */
  apply<T extends Float32Array | Float64Array>(spectrum: ArrayLike<number>, out: T): T {
    for (let m = 0; m < this.melBandCount; m++) {
      const w = this.weights[m];
      const start = this.startBin[m];
      let sum = 0;
      for (let j = 0; j < w.length; j++) sum += w[j] * spectrum[start + j];
      out[m] = sum;
    }
    return out;
  }
}
