import { ANALYSIS_BIN_HZ, ANALYSIS_FFT_SIZE, ANALYSIS_SAMPLE_RATE_HZ } from './analysis-frame.ts';
import { RunningStats } from './running-stats.ts';
import type { SongFeatures } from './song-features.ts';

/** Octave-band edges for spectral contrast (librosa: fmin 200 Hz, 6 bands), Hz. */
const CONTRAST_EDGES_HZ = [0, 200, 400, 800, 1600, 3200, ANALYSIS_SAMPLE_RATE_HZ / 2];
const CONTRAST_BAND_COUNT = CONTRAST_EDGES_HZ.length - 1;
/** Share of a band's magnitudes averaged for its peak and for its valley (librosa's quantile). */
const CONTRAST_QUANTILE = 0.02;
/** Offset of the peak list in the scratch (the valley list starts at 0; a band keeps only a few of each). */
const PEAKS_AT = 32;

/**
 * Spectral contrast per octave band (librosa's method): peak = mean of the top 2 % of a band's
 * magnitudes, valley = mean of the bottom 2 %. Contrast (peak over valley, dB) separates clear
 * tones from noise; the valley (dB re. the frame's RMS) is how much noise floor each band holds.
 */
export class SpectralContrast {
  private readonly bins: Array<[number, number]> = [];
  private readonly scratch = new Float64Array(64);
  private readonly contrast = Array.from({ length: CONTRAST_BAND_COUNT }, () => new RunningStats());
  private readonly valley = Array.from({ length: CONTRAST_BAND_COUNT }, () => new RunningStats());

  constructor() {
    for (let b = 0; b < CONTRAST_BAND_COUNT; b++) {
      const lo = Math.max(1, Math.round(CONTRAST_EDGES_HZ[b] / ANALYSIS_BIN_HZ));
      const hi = Math.min(ANALYSIS_FFT_SIZE / 2, Math.round(CONTRAST_EDGES_HZ[b + 1] / ANALYSIS_BIN_HZ));
      this.bins.push([lo, hi]);
    }
  }

  /** Adds one frame: its magnitude spectrum and its mean square (the valleys' reference). */
  add(magnitude: Float64Array, meanSquare: number): void {
    const scratch = this.scratch;
    const reference = Math.sqrt(meanSquare) + 1e-12;
    for (let b = 0; b < CONTRAST_BAND_COUNT; b++) {
      const [lo, hi] = this.bins[b];
      const take = Math.max(1, Math.round(CONTRAST_QUANTILE * (hi - lo)));
      this.collectExtremes(magnitude, lo, hi, take);
      let valley = 0;
      let peak = 0;
      for (let i = 0; i < take; i++) {
        valley += scratch[i];
        peak += scratch[PEAKS_AT + i];
      }
      valley = valley / take + 1e-10;
      peak = peak / take + 1e-10;
      this.contrast[b].add(20 * Math.log10(peak / valley));
      this.valley[b].add(20 * Math.log10(valley / reference));
    }
  }

  /**
   * Keeps the `take` smallest magnitudes of bins [lo, hi) in scratch[0 … take) and the `take`
   * largest in scratch[32 … 32 + take), both ascending (insertion: take is a handful at most).
   */
  private collectExtremes(magnitude: Float64Array, lo: number, hi: number, take: number): void {
    const scratch = this.scratch;
    for (let i = 0; i < take; i++) {
      scratch[i] = Number.POSITIVE_INFINITY;
      scratch[PEAKS_AT + i] = Number.NEGATIVE_INFINITY;
    }
    for (let k = lo; k < hi; k++) {
      const m = magnitude[k];
      if (m < scratch[take - 1]) {
        let j = take - 1;
        while (j > 0 && scratch[j - 1] > m) {
          scratch[j] = scratch[j - 1];
          j--;
        }
        scratch[j] = m;
      }
      if (m > scratch[PEAKS_AT]) {
        let j = 0;
        while (j < take - 1 && scratch[PEAKS_AT + 1 + j] < m) {
          scratch[PEAKS_AT + j] = scratch[PEAKS_AT + 1 + j];
          j++;
        }
        scratch[PEAKS_AT + j] = m;
      }
    }
  }

  /** Song-long mean contrast and valley per band, dB; a band never measured reads −100 dB of valley. */
  features(): Pick<SongFeatures, Extract<keyof SongFeatures, `contrastBand${number}Db` | `valleyBand${number}Db`>> {
    const valley = (b: number): number => (this.valley[b].count ? this.valley[b].mean : -100);
    const c = this.contrast;
    return {
      contrastBand0Db: c[0].mean,
      contrastBand1Db: c[1].mean,
      contrastBand2Db: c[2].mean,
      contrastBand3Db: c[3].mean,
      contrastBand4Db: c[4].mean,
      contrastBand5Db: c[5].mean,
      valleyBand0Db: valley(0),
      valleyBand1Db: valley(1),
      valleyBand2Db: valley(2),
      valleyBand3Db: valley(3),
      valleyBand4Db: valley(4),
      valleyBand5Db: valley(5),
    };
  }
}
