import { ANALYSIS_MEL_BANDS } from './analysis-frame.ts';

/** HPSS runs every 4th frame (93 ms), medians over 9 such frames (≈ 0.84 s) and 7 mel bands. */
const HPSS_FRAME_STRIDE = 4;
const HPSS_TIME_KERNEL = 9;
const HPSS_BAND_KERNEL = 7;

/** Median of the first `n` values of `scratch` (insertion sort; n is small). Reorders scratch. */
function smallMedian(scratch: Float64Array, n: number): number {
  for (let i = 1; i < n; i++) {
    const v = scratch[i];
    let j = i - 1;
    while (j >= 0 && scratch[j] > v) {
      scratch[j + 1] = scratch[j];
      j--;
    }
    scratch[j + 1] = v;
  }
  return n % 2 === 1 ? scratch[(n - 1) >> 1] : 0.5 * (scratch[n / 2 - 1] + scratch[n / 2]);
}

/**
 * Median-filter HPSS (FitzGerald 2010) on the mel power spectrogram: the harmonic part is the
 * median along time, the percussive part the median along frequency; soft (Wiener, power 2)
 * masks split the centre frame's energy. Only the two energy totals are kept: their ratio says
 * how tonal (sustained) rather than percussive the song is. Memory: 9 mel frames.
 */
export class HarmonicPercussiveSplit {
  private readonly ring = Array.from({ length: HPSS_TIME_KERNEL }, () => new Float64Array(ANALYSIS_MEL_BANDS));
  private readonly scratch = new Float64Array(64);
  private framesSeen = 0;
  private ringCount = 0;
  private harmonicEnergy = 0;
  private percussiveEnergy = 0;

  /** Offers every frame's mel power spectrum; every {@link HPSS_FRAME_STRIDE}th one is used. */
  add(melPower: Float64Array): void {
    if (this.framesSeen++ % HPSS_FRAME_STRIDE !== 0) return;
    const ring = this.ring;
    ring[this.ringCount % HPSS_TIME_KERNEL].set(melPower);
    this.ringCount++;
    if (this.ringCount < HPSS_TIME_KERNEL) return;
    const centre = ring[(this.ringCount - 1 - (HPSS_TIME_KERNEL >> 1)) % HPSS_TIME_KERNEL];
    const scratch = this.scratch;
    const halfBand = HPSS_BAND_KERNEL >> 1;
    for (let b = 0; b < ANALYSIS_MEL_BANDS; b++) {
      for (let t = 0; t < HPSS_TIME_KERNEL; t++) scratch[t] = ring[t][b];
      const harmonic = smallMedian(scratch, HPSS_TIME_KERNEL);
      let n = 0;
      for (let j = Math.max(0, b - halfBand); j <= Math.min(ANALYSIS_MEL_BANDS - 1, b + halfBand); j++) scratch[n++] = centre[j];
      const percussive = smallMedian(scratch, n);
      const h2 = harmonic * harmonic;
      const p2 = percussive * percussive;
      const total = h2 + p2;
      if (total <= 0) continue;
      const e = centre[b];
      this.harmonicEnergy += (e * h2) / total;
      this.percussiveEnergy += (e * p2) / total;
    }
  }

  /** Harmonic share of the split energy, 0 … 1 (0.5 when nothing was split: too short or silent). */
  harmonicRatio(): number {
    const total = this.harmonicEnergy + this.percussiveEnergy;
    return total > 0 ? this.harmonicEnergy / total : 0.5;
  }
}
