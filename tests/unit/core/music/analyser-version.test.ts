import { describe, expect, it } from 'vitest';
import { ANALYSER_VERSION } from '../../../../src/core/music/emotion-model.ts';
import { analyseMono } from '../../../../src/core/music/song-analyser.ts';
import { SONG_FEATURE_NAMES } from '../../../../src/core/music/song-features.ts';

/**
 * Guards for the stored analyses: the app re-analyses a song only when ANALYSER_VERSION
 * changes, so any change to the feature list or to what the DSP measures must come with a
 * new version. If one of these fails after a deliberate change, bump ANALYSER_VERSION (and
 * refit the model when features changed), then update the expectations here.
 */
describe('ANALYSER_VERSION guards', () => {
  it('pins the feature list to the version', () => {
    expect({ version: ANALYSER_VERSION, count: SONG_FEATURE_NAMES.length, names: SONG_FEATURE_NAMES.join(',') }).toEqual({
      version: 'music-analyser-2/model-1',
      count: 77,
      names:
        'durationSeconds,analysedSeconds,audibleFraction,tempoBpm,tempoConfidence,onsetRatePerSecond,onsetStrengthMean,onsetStrengthStd,rmsDb,loudnessLufs,loudnessRangeLu,rmsDbStd,lowEnergyRatio,spectralCentroidHz,spectralCentroidStdHz,spectralRolloffHz,spectralBandwidthHz,spectralFlatness,zeroCrossingRate,contrastBand0Db,contrastBand1Db,contrastBand2Db,contrastBand3Db,contrastBand4Db,contrastBand5Db,valleyBand0Db,valleyBand1Db,valleyBand2Db,valleyBand3Db,valleyBand4Db,valleyBand5Db,mfcc0Mean,mfcc1Mean,mfcc2Mean,mfcc3Mean,mfcc4Mean,mfcc5Mean,mfcc6Mean,mfcc7Mean,mfcc8Mean,mfcc9Mean,mfcc10Mean,mfcc11Mean,mfcc12Mean,mfcc0Std,mfcc1Std,mfcc2Std,mfcc3Std,mfcc4Std,mfcc5Std,mfcc6Std,mfcc7Std,mfcc8Std,mfcc9Std,mfcc10Std,mfcc11Std,mfcc12Std,mfccDeltaMean,harmonicRatio,keyStrength,majorness,modeMajor,keyTonicPitchClass,chromaEntropyBits,chromaChangeRate,keyProfile0,keyProfile1,keyProfile2,keyProfile3,keyProfile4,keyProfile5,keyProfile6,keyProfile7,keyProfile8,keyProfile9,keyProfile10,keyProfile11',
    });
  });

  it('pins what the DSP measures on a fixed synthetic song', () => {
    // 12 s at 22.05 kHz: a C-major chord changing to G major at 6 s, 96 BPM clicks, faint noise.
    const rate = 22_050;
    const x = new Float32Array(12 * rate);
    let seed = 12345;
    const period = Math.round((60 / 96) * rate);
    for (let i = 0; i < x.length; i++) {
      const t = i / rate;
      const chord = t < 6 ? [261.63, 329.63, 392.0] : [392.0, 493.88, 587.33];
      let v = 0;
      for (const f of chord) v += 0.1 * Math.sin(2 * Math.PI * f * t);
      const k = i % period;
      if (k < 0.015 * rate) v += 0.5 * Math.exp(-k / (0.003 * rate)) * (((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1);
      v += 0.002 * (((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1);
      x[i] = v;
    }
    const f = analyseMono(x, rate);
    const pinned = {
      tempoBpm: f.tempoBpm,
      rmsDb: f.rmsDb,
      loudnessLufs: f.loudnessLufs,
      spectralCentroidHz: f.spectralCentroidHz,
      spectralFlatness: f.spectralFlatness,
      contrastBand2Db: f.contrastBand2Db,
      mfcc1Mean: f.mfcc1Mean,
      harmonicRatio: f.harmonicRatio,
      majorness: f.majorness,
      keyTonicPitchClass: f.keyTonicPitchClass,
      chromaChangeRate: f.chromaChangeRate,
      onsetRatePerSecond: f.onsetRatePerSecond,
    };
    expect(pinned).toEqual(PINNED);
  });
});

const close = (value: number, digits = 3): unknown => expect.closeTo(value, digits);
const PINNED = {
  tempoBpm: close(95.925, 2),
  rmsDb: close(-18.2115, 3),
  loudnessLufs: close(-15.7435, 3),
  spectralCentroidHz: close(655.40, 1),
  spectralFlatness: close(0.0037788, 6),
  contrastBand2Db: close(74.430, 2),
  mfcc1Mean: close(53.050, 2),
  harmonicRatio: close(0.84906, 4),
  majorness: close(0.15362, 4),
  keyTonicPitchClass: 7,
  chromaChangeRate: close(0.015040, 5),
  onsetRatePerSecond: close(1.66667, 4),
};
