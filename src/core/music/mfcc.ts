import { Dct } from '../audio/dct.ts';
import { ANALYSIS_MEL_BANDS, toDb } from './analysis-frame.ts';
import { RunningStats } from './running-stats.ts';
import type { SongFeatures } from './song-features.ts';

/** Cepstral coefficients kept per frame (0 … 12). */
const MFCC_COUNT = 13;

type MfccFeatureName = Extract<keyof SongFeatures, `mfcc${number}Mean` | `mfcc${number}Std` | 'mfccDeltaMean'>;

/**
 * Timbre as MFCCs (DCT of the log-mel spectrum) of the audible frames: each coefficient's mean
 * and spread over the song, and how much the timbre moves from frame to frame (mean absolute
 * change of coefficients 1 … 12: coefficient 0 follows the level rather than the timbre).
 */
export class MfccStats {
  private readonly dct = new Dct(ANALYSIS_MEL_BANDS, MFCC_COUNT);
  private readonly mfcc = new Float64Array(MFCC_COUNT);
  private readonly stats = Array.from({ length: MFCC_COUNT }, () => new RunningStats());
  private readonly previous = new Float64Array(MFCC_COUNT);
  private hasPrevious = false;
  private readonly delta = new RunningStats();

  /** Adds one audible frame's mel spectrum in dB. */
  add(melDb: Float64Array): void {
    const mfcc = this.dct.apply(melDb, this.mfcc);
    let delta = 0;
    for (let c = 0; c < MFCC_COUNT; c++) {
      this.stats[c].add(mfcc[c]);
      if (c > 0) delta += Math.abs(mfcc[c] - this.previous[c]);
    }
    if (this.hasPrevious) this.delta.add(delta / (MFCC_COUNT - 1));
    this.previous.set(mfcc);
    this.hasPrevious = true;
  }

  /** Means and spreads per coefficient; a song with no audible frame gets the MFCC 0 of silence. */
  features(): Pick<SongFeatures, MfccFeatureName> {
    const m = this.stats;
    const silentMfcc0 = this.dct.apply(new Float64Array(ANALYSIS_MEL_BANDS).fill(toDb(0)), new Float64Array(MFCC_COUNT))[0];
    return {
      mfcc0Mean: m[0].count ? m[0].mean : silentMfcc0,
      mfcc1Mean: m[1].mean,
      mfcc2Mean: m[2].mean,
      mfcc3Mean: m[3].mean,
      mfcc4Mean: m[4].mean,
      mfcc5Mean: m[5].mean,
      mfcc6Mean: m[6].mean,
      mfcc7Mean: m[7].mean,
      mfcc8Mean: m[8].mean,
      mfcc9Mean: m[9].mean,
      mfcc10Mean: m[10].mean,
      mfcc11Mean: m[11].mean,
      mfcc12Mean: m[12].mean,
      mfcc0Std: m[0].std,
      mfcc1Std: m[1].std,
      mfcc2Std: m[2].std,
      mfcc3Std: m[3].std,
      mfcc4Std: m[4].std,
      mfcc5Std: m[5].std,
      mfcc6Std: m[6].std,
      mfcc7Std: m[7].std,
      mfcc8Std: m[8].std,
      mfcc9Std: m[9].std,
      mfcc10Std: m[10].std,
      mfcc11Std: m[11].std,
      mfcc12Std: m[12].std,
      mfccDeltaMean: this.delta.mean,
    };
  }
}
