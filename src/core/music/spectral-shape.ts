import { ANALYSIS_BIN_HZ, POWER_FLOOR } from './analysis-frame.ts';
import { RunningStats } from './running-stats.ts';
import type { SongFeatures } from './song-features.ts';

/**
 * Brightness and noisiness from each audible frame's power spectrum: spectral centroid,
 * bandwidth and 85 % roll-off of the magnitudes (librosa's definitions), and flatness (geometric
 * over arithmetic mean of the power), averaged over the song.
 */
export class SpectralShape {
  private readonly centroid = new RunningStats();
  private readonly rolloff = new RunningStats();
  private readonly bandwidth = new RunningStats();
  private readonly flatness = new RunningStats();

  /** Adds one frame's power spectrum, and writes its magnitudes into `magnitude` (the contrast reads them). */
  add(power: Float64Array, magnitude: Float64Array): void {
    const bins = power.length;
    let magnitudeSum = 0;
    let weighted = 0;
    let logSum = 0;
    let powerSum = 0;
    // Geometric mean via one log per 8 bins (products stay ≥ 1e-80, far from underflow).
    let product = 1;
    for (let k = 1; k < bins; k++) {
      const p = power[k];
      const m = Math.sqrt(p);
      magnitude[k] = m;
      magnitudeSum += m;
      weighted += m * k;
      const floored = p + POWER_FLOOR;
      powerSum += floored;
      product *= floored;
      if ((k & 7) === 0) {
        logSum += Math.log(product);
        product = 1;
      }
    }
    logSum += Math.log(product);
    magnitude[0] = Math.sqrt(power[0]);
    const binHz = ANALYSIS_BIN_HZ;
    const centroidBins = magnitudeSum > 0 ? weighted / magnitudeSum : 0;
    let spread = 0;
    let cumulative = 0;
    let rolloffBin = bins - 1;
    const rolloffTarget = 0.85 * magnitudeSum;
    let rolloffFound = false;
    for (let k = 1; k < bins; k++) {
      const m = magnitude[k];
      const d = k - centroidBins;
      spread += m * d * d;
      cumulative += m;
      if (!rolloffFound && cumulative >= rolloffTarget) {
        rolloffBin = k;
        rolloffFound = true;
      }
    }
    this.centroid.add(centroidBins * binHz);
    this.bandwidth.add(magnitudeSum > 0 ? Math.sqrt(spread / magnitudeSum) * binHz : 0);
    this.rolloff.add(rolloffBin * binHz);
    const binsUsed = bins - 1;
    this.flatness.add(Math.exp(logSum / binsUsed) / (powerSum / binsUsed));
  }

  /** Song-long means (and the centroid's spread), Hz except flatness (0 … 1). */
  features(): Pick<SongFeatures, 'spectralCentroidHz' | 'spectralCentroidStdHz' | 'spectralRolloffHz' | 'spectralBandwidthHz' | 'spectralFlatness'> {
    return {
      spectralCentroidHz: this.centroid.mean,
      spectralCentroidStdHz: this.centroid.std,
      spectralRolloffHz: this.rolloff.mean,
      spectralBandwidthHz: this.bandwidth.mean,
      spectralFlatness: this.flatness.mean,
    };
  }
}
