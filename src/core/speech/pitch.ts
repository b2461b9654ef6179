import { RealFft } from '../audio/fft.ts';

/**
 * Frame-wise pitch (F0) by Boersma's (1993) window-corrected normalised autocorrelation:
 * r_x(τ)/r_x(0) divided by the window's own r_w(τ)/r_w(0), so the peak of a periodic frame
 * stays near 1 however long the lag. Autocorrelation comes from the power spectrum of the
 * zero-padded frame (one forward FFT of twice the frame length, then a second forward FFT
 * of the symmetric power spectrum, which for real even input equals the inverse).
 *
 * Why our own: `src/core/audio` has no pitch tracker; emotion is carried by pitch level and
 * movement (sad low and flat, angry/happy/fearful high and moving), which a 64-band mel
 * spectrogram resolves only coarsely.
 */
export class PitchTracker {
  readonly frameSizeSamples: number;
  readonly sampleRateHz: number;
  private readonly fft: RealFft;
  private readonly padded: Float64Array;
  private readonly power: Float64Array;
  private readonly symmetric: Float64Array;
  /** Window autocorrelation normalised to r_w(0) = 1, per lag. */
  private readonly windowAcf: Float64Array;
  private readonly minLag: number;
  private readonly maxLag: number;
  private readonly voicingThreshold: number;
  private readonly acf: Float64Array;
  /** Peak normalised autocorrelation of the last {@link estimate} call (0 when unvoiced): periodicity, ~HNR. */
  lastClarity = 0;

  /**
   * @param window the analysis window the frames passed to {@link estimate} were multiplied by.
   * @param minHz/maxHz search range; the longest lag is capped at half the frame, where the
   *   window correction is still well conditioned.
   */
  constructor(opts: { window: Float32Array; sampleRateHz: number; minHz: number; maxHz: number; voicingThreshold: number }) {
    const { window, sampleRateHz, minHz, maxHz } = opts;
    const n = window.length;
    this.frameSizeSamples = n;
    this.sampleRateHz = sampleRateHz;
    this.voicingThreshold = opts.voicingThreshold;
    this.fft = new RealFft(2 * n);
    this.padded = new Float64Array(2 * n);
    this.power = new Float64Array(n + 1);
    this.symmetric = new Float64Array(2 * n);
    this.acf = new Float64Array(n + 1);
    this.minLag = Math.max(2, Math.floor(sampleRateHz / maxHz));
    this.maxLag = Math.min(Math.floor(n / 2), Math.ceil(sampleRateHz / minHz));
    this.windowAcf = new Float64Array(this.maxLag + 2);
    let r0 = 0;
    for (let i = 0; i < n; i++) r0 += window[i] * window[i];
    for (let lag = 0; lag < this.windowAcf.length; lag++) {
      let sum = 0;
      for (let i = 0; i + lag < n; i++) sum += window[i] * window[i + lag];
      this.windowAcf[lag] = sum / r0;
    }
  }

  /**
   * F0 of one windowed frame in Hz, or 0 when it is not clearly periodic (normalised
   * autocorrelation peak below the voicing threshold).
   */
  estimate(windowedFrame: ArrayLike<number>): number {
    this.lastClarity = 0;
    const n = this.frameSizeSamples;
    const padded = this.padded;
    for (let i = 0; i < n; i++) padded[i] = windowedFrame[i];
    padded.fill(0, n);
    this.fft.powerSpectrum(padded, this.power);
    const sym = this.symmetric;
    const power = this.power;
    for (let k = 0; k <= n; k++) sym[k] = power[k];
    for (let k = 1; k < n; k++) sym[2 * n - k] = power[k];
    const c = this.fft.transform(sym);
    const acf = this.acf;
    const r0 = c[0];
    if (!(r0 > 1e-12)) return 0;
    const top = this.maxLag + 1;
    for (let lag = 0; lag <= top && lag <= n; lag++) acf[lag] = c[2 * lag] / r0 / this.windowAcf[lag];

    let best = -Infinity;
    for (let lag = this.minLag; lag <= this.maxLag; lag++) {
      if (acf[lag] >= acf[lag - 1] && acf[lag] >= acf[lag + 1] && acf[lag] > best) best = acf[lag];
    }
    if (!(best >= this.voicingThreshold)) return 0;
    this.lastClarity = Math.min(best, 1);
    // The shortest lag whose peak is nearly as strong as the best: multiples of the period
    // (sub-harmonics) peak almost as high, and picking them halves the pitch.
    for (let lag = this.minLag; lag <= this.maxLag; lag++) {
      if (acf[lag] >= acf[lag - 1] && acf[lag] >= acf[lag + 1] && acf[lag] >= 0.9 * best) {
        const a = acf[lag - 1];
        const b = acf[lag];
        const d = acf[lag + 1];
        const denominator = a - 2 * b + d;
        const shift = denominator < 0 ? (0.5 * (a - d)) / denominator : 0;
        return this.sampleRateHz / (lag + Math.max(-0.5, Math.min(0.5, shift)));
      }
    }
    return 0;
  }
}
