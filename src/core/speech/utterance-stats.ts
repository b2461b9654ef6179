import { Dct } from '../audio/dct.ts';
import type { SpeechAnalysis } from './speech-analysis.ts';

/** Mel bands averaged together for the delta statistics (keeps the vector short). */
const DELTA_GROUP_BANDS = 4;

/** Cepstral coefficients (DCT-II of the log-mel frame, orthonormal: MFCCs) summarised. */
const MFCC_COUNT = 20;

/** Functionals of each MFCC over the utterance. */
const MFCC_FUNCTIONALS = ['mean', 'std', 'dabs', 'p10', 'p90'] as const;

/** Shortest run of voiced frames that counts (3 frames = 30 ms at a 10 ms hop). */
const MIN_VOICED_RUN = 3;

/** Names of the prosodic statistics, in vector order after the per-band ones. */
const PROSODY_NAMES = [
  'energy_std_db',
  'energy_range_db',
  'energy_delta_db',
  'active_fraction',
  'f0_median_st',
  'f0_std_st',
  'f0_p10_st',
  'f0_p90_st',
  'f0_range_st',
  'f0_delta_st',
  'f0_slope_st_per_s',
  'voiced_fraction',
  'voiced_onset_rate_hz',
  'hnr_db',
  'shimmer_db',
  'level_dbfs',
] as const;

/**
 * Names of the utterance statistics for `melBandCount` bands, in vector order (the model's
 * `utterance_stats` input). Units: dB for mel/energy, semitones re 100 Hz (`_st`) for pitch.
 * - `mel_mean_NN`, `mel_std_NN`: mean and standard deviation of log-mel band NN over speech frames
 *   (spectral shape, its variability: breathiness, effort, formant spread);
 * - `dmel_abs_GG`: mean |Δ log-mel| per group of 4 bands (how fast the spectrum moves);
 * - `mfcc_<f>_KK`: MFCC K (orthonormal DCT-II of the log-mel frame, as librosa) — mean, sd,
 *   mean |Δ| between frames, 10th and 90th percentile: decorrelated spectral envelope and its
 *   range (measured: +0.02–0.03 UAR for a linear model on top of the rest);
 * - energy: spread, p90 − p10 range and mean |Δ| of frame energy; fraction of speech frames;
 * - pitch: median, sd, 10th/90th percentile, range, mean |Δ| between voiced frames, slope;
 *   fraction voiced, voicing onsets per second of speech (a syllable-rate proxy) — over voiced
 *   runs of at least 3 frames; harmonics-to-noise ratio from the voicing clarity r,
 *   10·log10(r / (1 − r)), and shimmer (mean |Δ energy| between voiced frames, dB);
 * - `level_dbfs`: loudness before normalisation (only meaningful against the same speaker's
 *   usual level with the same microphone: zeroed when cold, see `coldMaskedStats`).
 */
export function utteranceStatNames(melBandCount: number): string[] {
  const pad = (i: number) => String(i).padStart(2, '0');
  const names: string[] = [];
  for (let m = 0; m < melBandCount; m++) names.push(`mel_mean_${pad(m)}`);
  for (let m = 0; m < melBandCount; m++) names.push(`mel_std_${pad(m)}`);
  for (let g = 0; g < Math.ceil(melBandCount / DELTA_GROUP_BANDS); g++) names.push(`dmel_abs_${pad(g)}`);
  for (const functional of MFCC_FUNCTIONALS) for (let k = 0; k < MFCC_COUNT; k++) names.push(`mfcc_${functional}_${pad(k)}`);
  names.push(...PROSODY_NAMES);
  return names;
}

let cachedDct: Dct | null = null;

/** The DCT for `bands` inputs, built once (its cosine table is the costly part). */
function dctFor(bands: number, count: number): Dct {
  if (!cachedDct || cachedDct.inputCount !== bands || cachedDct.outputCount !== count) cachedDct = new Dct(bands, count);
  return cachedDct;
}

/** Value at fraction `q` of sorted `values` (nearest rank, linear between ranks). */
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  const position = q * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.min(sorted.length - 1, lower + 1);
  return sorted[lower] + (position - lower) * (sorted[upper] - sorted[lower]);
}

/** Which frames of `[start, end)` the statistics read: the speech frames, or all when there are none. */
interface FrameSelection {
  start: number;
  end: number;
  /** Speech frames in the range. */
  activeCount: number;
  /** Frames the statistics read. */
  usedCount: number;
  isUsed: (t: number) => boolean;
}

function selectFrames(active: Uint8Array, start: number, end: number): FrameSelection {
  let activeCount = 0;
  for (let t = start; t < end; t++) activeCount += active[t];
  const useAll = activeCount === 0;
  return {
    start,
    end,
    activeCount,
    usedCount: useAll ? end - start : activeCount,
    isUsed: (t: number) => useAll || active[t] === 1,
  };
}

/**
 * The utterance statistics (see {@link utteranceStatNames}) of frames `[startFrame, endFrame)`
 * of `analysis`, unnormalised. Statistics are taken over speech frames (all frames when the
 * range has none). Pitch statistics are 0 when fewer than 3 frames are voiced.
 */
export function utteranceStats(analysis: SpeechAnalysis, startFrame = 0, endFrame = analysis.frameCount): Float32Array {
  const bands = analysis.melBandCount;
  const groups = Math.ceil(bands / DELTA_GROUP_BANDS);
  const mfccBase = 2 * bands + groups;
  const prosodyBase = mfccBase + MFCC_FUNCTIONALS.length * MFCC_COUNT;
  const out = new Float32Array(prosodyBase + PROSODY_NAMES.length);
  const frames = selectFrames(analysis.active, startFrame, endFrame);
  writeMelStats(out, analysis, frames);
  writeMfccStats(out, mfccBase, analysis, frames);
  out.set(prosodyStats(analysis, frames), prosodyBase);
  return out;
}

/**
 * Per-band mean and standard deviation of the log-mel (two passes: exact in float64), then the
 * mean |Δ| per group of bands, into `out[0 … 2·bands + groups)`.
 */
function writeMelStats(out: Float32Array, analysis: SpeechAnalysis, frames: FrameSelection): void {
  const { logMelDb, melBandCount: bands } = analysis;
  const { start, end, usedCount, isUsed } = frames;
  const groups = Math.ceil(bands / DELTA_GROUP_BANDS);
  const mean = new Float64Array(bands);
  for (let t = start; t < end; t++) {
    if (!isUsed(t)) continue;
    const base = t * bands;
    for (let m = 0; m < bands; m++) mean[m] += logMelDb[base + m];
  }
  for (let m = 0; m < bands; m++) mean[m] /= usedCount;
  const variance = new Float64Array(bands);
  const deltaSum = new Float64Array(groups);
  for (let t = start; t < end; t++) {
    if (!isUsed(t)) continue;
    const base = t * bands;
    // Central difference, clamped at the range's edges.
    const previous = Math.max(start, t - 1) * bands;
    const next = Math.min(end - 1, t + 1) * bands;
    for (let m = 0; m < bands; m++) {
      const d = logMelDb[base + m] - mean[m];
      variance[m] += d * d;
      deltaSum[Math.floor(m / DELTA_GROUP_BANDS)] += Math.abs(logMelDb[next + m] - logMelDb[previous + m]) / 2;
    }
  }
  for (let m = 0; m < bands; m++) {
    out[m] = mean[m];
    out[bands + m] = Math.sqrt(variance[m] / usedCount);
  }
  for (let g = 0; g < groups; g++) {
    const width = Math.min(DELTA_GROUP_BANDS, bands - g * DELTA_GROUP_BANDS);
    out[2 * bands + g] = deltaSum[g] / (usedCount * width);
  }
}

/** MFCCs of the used frames (row-major, {@link MFCC_COUNT} per row), and their mean |Δ| between adjacent frames. */
function speechCepstra(analysis: SpeechAnalysis, frames: FrameSelection): { cepstra: Float64Array; meanDelta: Float64Array } {
  const { logMelDb, melBandCount: bands } = analysis;
  const cepstrumCount = Math.min(MFCC_COUNT, bands);
  const dct = dctFor(bands, cepstrumCount);
  const cepstra = new Float64Array(frames.usedCount * MFCC_COUNT);
  const frameCepstrum = new Float64Array(cepstrumCount);
  let row = 0;
  let previousUsed = -1;
  const deltaSum = new Float64Array(MFCC_COUNT);
  let deltaCount = 0;
  for (let t = frames.start; t < frames.end; t++) {
    if (!frames.isUsed(t)) continue;
    dct.apply(logMelDb.subarray(t * bands, (t + 1) * bands), frameCepstrum);
    cepstra.set(frameCepstrum, row * MFCC_COUNT);
    if (row > 0 && previousUsed === t - 1) {
      for (let k = 0; k < cepstrumCount; k++) deltaSum[k] += Math.abs(frameCepstrum[k] - cepstra[(row - 1) * MFCC_COUNT + k]);
      deltaCount++;
    }
    previousUsed = t;
    row++;
  }
  const meanDelta = new Float64Array(MFCC_COUNT);
  for (let k = 0; k < MFCC_COUNT; k++) meanDelta[k] = deltaCount > 0 ? deltaSum[k] / deltaCount : 0;
  return { cepstra, meanDelta };
}

/** The MFCC functionals ({@link MFCC_FUNCTIONALS}, each over {@link MFCC_COUNT} coefficients) into `out` from `base`. */
function writeMfccStats(out: Float32Array, base: number, analysis: SpeechAnalysis, frames: FrameSelection): void {
  const { cepstra, meanDelta } = speechCepstra(analysis, frames);
  const usedCount = frames.usedCount;
  const column = new Float64Array(usedCount);
  for (let k = 0; k < MFCC_COUNT; k++) {
    let sum = 0;
    for (let r = 0; r < usedCount; r++) sum += column[r] = cepstra[r * MFCC_COUNT + k];
    const mu = sum / usedCount;
    let v = 0;
    for (let r = 0; r < usedCount; r++) v += (column[r] - mu) ** 2;
    column.sort();
    out[base + k] = mu;
    out[base + MFCC_COUNT + k] = Math.sqrt(v / usedCount);
    out[base + 2 * MFCC_COUNT + k] = meanDelta[k];
    out[base + 3 * MFCC_COUNT + k] = quantile(column, 0.1);
    out[base + 4 * MFCC_COUNT + k] = quantile(column, 0.9);
  }
}

/** The prosodic statistics, in {@link PROSODY_NAMES} order. */
function prosodyStats(analysis: SpeechAnalysis, frames: FrameSelection): number[] {
  const { activeCount, usedCount } = frames;
  const span = frames.end - frames.start;
  const energy = energyStats(analysis, frames);
  const voiced = voicedFrames(analysis, frames.start, frames.end);
  const pitch = pitchContour(voiced.semitones, voiced.times);
  const speechSeconds = usedCount * analysis.hopSeconds;
  return [
    energy.stdDb,
    energy.rangeDb,
    span > 1 ? energy.deltaSumDb / (span - 1) : 0,
    activeCount / span,
    pitch.medianSt,
    pitch.stdSt,
    pitch.p10St,
    pitch.p90St,
    pitch.p90St - pitch.p10St,
    voiced.pitchDeltaCount > 0 ? voiced.pitchDeltaSum / voiced.pitchDeltaCount : 0,
    pitch.slopeStPerSecond,
    activeCount > 0 ? voiced.semitones.length / activeCount : 0,
    voiced.onsets / speechSeconds,
    voiced.semitones.length > 0 ? voiced.hnrSumDb / voiced.semitones.length : 0,
    voiced.shimmerCount > 0 ? voiced.shimmerSumDb / voiced.shimmerCount : 0,
    10 * Math.log10(energy.levelPowerSum / usedCount + 1e-20),
  ];
}

/**
 * Frame energy of the used frames: spread and p90 − p10 range (dB), the sum of |Δ| over every
 * frame of the range (dB), and the summed power before loudness normalisation (the level).
 */
function energyStats(
  analysis: SpeechAnalysis,
  frames: FrameSelection,
): { stdDb: number; rangeDb: number; deltaSumDb: number; levelPowerSum: number } {
  const { frameEnergyDb } = analysis;
  const { start, end, usedCount, isUsed } = frames;
  const energies = new Float64Array(usedCount);
  let e = 0;
  let energyMean = 0;
  let levelPowerSum = 0;
  for (let t = start; t < end; t++) {
    if (!isUsed(t)) continue;
    energies[e++] = frameEnergyDb[t];
    energyMean += frameEnergyDb[t];
    levelPowerSum += 10 ** ((frameEnergyDb[t] - analysis.gainDb) / 10);
  }
  energyMean /= usedCount;
  let energyVariance = 0;
  for (const v of energies) energyVariance += (v - energyMean) ** 2;
  energies.sort();
  let deltaSumDb = 0;
  for (let t = start + 1; t < end; t++) deltaSumDb += Math.abs(frameEnergyDb[t] - frameEnergyDb[t - 1]);
  return {
    stdDb: Math.sqrt(energyVariance / usedCount),
    rangeDb: quantile(energies, 0.9) - quantile(energies, 0.1),
    deltaSumDb,
    levelPowerSum,
  };
}

/** Pitch and voice quality over the voiced runs of a range. */
interface VoicedFrames {
  /** F0 of each kept voiced frame, semitones re 100 Hz. */
  semitones: number[];
  /** Time of each, seconds. */
  times: number[];
  pitchDeltaSum: number;
  pitchDeltaCount: number;
  /** Voiced runs kept (voicing onsets). */
  onsets: number;
  hnrSumDb: number;
  shimmerSumDb: number;
  shimmerCount: number;
}

/**
 * Pitch, in semitones re 100 Hz so that its spread is comparable between voices. Voiced runs
 * shorter than MIN_VOICED_RUN frames are dropped: at the edges of syllables the tracker
 * flickers (often an octave low), which would inflate the pitch range and the onset count.
 */
function voicedFrames(analysis: SpeechAnalysis, start: number, end: number): VoicedFrames {
  const { pitchHz, frameEnergyDb, hopSeconds } = analysis;
  const v: VoicedFrames = { semitones: [], times: [], pitchDeltaSum: 0, pitchDeltaCount: 0, onsets: 0, hnrSumDb: 0, shimmerSumDb: 0, shimmerCount: 0 };
  for (let t = start; t < end; ) {
    if (!(pitchHz[t] > 0)) {
      t++;
      continue;
    }
    let runEnd = t;
    while (runEnd < end && pitchHz[runEnd] > 0) runEnd++;
    if (runEnd - t >= MIN_VOICED_RUN) {
      v.onsets++;
      for (let u = t; u < runEnd; u++) {
        const st = 12 * Math.log2(pitchHz[u] / 100);
        if (u > t) {
          v.pitchDeltaSum += Math.abs(st - v.semitones[v.semitones.length - 1]);
          v.pitchDeltaCount++;
          v.shimmerSumDb += Math.abs(frameEnergyDb[u] - frameEnergyDb[u - 1]);
          v.shimmerCount++;
        }
        const clarity = Math.min(0.999, Math.max(1e-3, analysis.voicingClarity[u]));
        v.hnrSumDb += 10 * Math.log10(clarity / (1 - clarity));
        v.semitones.push(st);
        v.times.push(u * hopSeconds);
      }
    }
    t = runEnd;
  }
  return v;
}

/** Median, spread, 10th/90th percentile and slope (least squares over time) of a pitch contour; all 0 under 3 frames. */
function pitchContour(
  semitones: number[],
  times: number[],
): { medianSt: number; stdSt: number; p10St: number; p90St: number; slopeStPerSecond: number } {
  if (semitones.length < 3) return { medianSt: 0, stdSt: 0, p10St: 0, p90St: 0, slopeStPerSecond: 0 };
  const sorted = Float64Array.from(semitones).sort();
  const stMean = semitones.reduce((a, b) => a + b, 0) / semitones.length;
  const tMean = times.reduce((a, b) => a + b, 0) / times.length;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < semitones.length; i++) {
    sxy += (times[i] - tMean) * (semitones[i] - stMean);
    sxx += (times[i] - tMean) ** 2;
    syy += (semitones[i] - stMean) ** 2;
  }
  return {
    medianSt: quantile(sorted, 0.5),
    stdSt: Math.sqrt(syy / semitones.length),
    p10St: quantile(sorted, 0.1),
    p90St: quantile(sorted, 0.9),
    slopeStPerSecond: sxx > 0 ? sxy / sxx : 0,
  };
}
