import { SILENCE_DB, toDb } from './analysis-frame.ts';
import { GrowableArray, RunningStats } from './running-stats.ts';
import type { SongFeatures } from './song-features.ts';

/**
 * Frame-by-frame level in the time domain: which frames are audible, how much the level moves,
 * how much of the song sits below its mean energy, and the zero-crossing rate (noisiness) of the
 * audible frames. Keeps one mean square per frame (8 bytes per 23 ms) for the low-energy share.
 */
export class FrameDynamics {
  /** Mean square of the last frame measured (the spectral contrast's reference level). */
  meanSquare = 0;
  private readonly energies = new GrowableArray(8192);
  private readonly audibleDb = new RunningStats();
  private readonly crossingRate = new RunningStats();

  /** Measures one unwindowed frame; true when it is audible (louder than {@link SILENCE_DB}). */
  add(raw: Float32Array): boolean {
    const n = raw.length;
    let energy = 0;
    let crossings = 0;
    let previous = raw[0];
    for (let i = 0; i < n; i++) {
      const x = raw[i];
      energy += x * x;
      if ((x >= 0) !== (previous >= 0)) crossings++;
      previous = x;
    }
    const meanSquare = energy / n;
    this.meanSquare = meanSquare;
    this.energies.push(meanSquare);
    const frameDb = toDb(meanSquare);
    if (frameDb < SILENCE_DB) return false;
    this.audibleDb.add(frameDb);
    this.crossingRate.add(crossings / (n - 1));
    return true;
  }

  /** The level features, given how many frames the song had. */
  features(frameCount: number): Pick<SongFeatures, 'audibleFraction' | 'rmsDbStd' | 'lowEnergyRatio' | 'zeroCrossingRate'> {
    const energies = this.energies.view();
    let meanEnergy = 0;
    for (let i = 0; i < energies.length; i++) meanEnergy += energies[i];
    meanEnergy /= energies.length;
    let low = 0;
    for (let i = 0; i < energies.length; i++) if (energies[i] < meanEnergy) low++;
    return {
      audibleFraction: this.audibleDb.count / Math.max(1, frameCount),
      rmsDbStd: this.audibleDb.std,
      lowEnergyRatio: low / energies.length,
      zeroCrossingRate: this.crossingRate.mean,
    };
  }
}
