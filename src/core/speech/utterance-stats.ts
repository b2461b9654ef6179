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
  const { logMelDb, active, frameEnergyDb, pitchHz, hopSeconds } = analysis;
  let activeCount = 0;
  for (let t = startFrame; t < endFrame; t++) activeCount += active[t];
  const useAll = activeCount === 0;
  const isUsed = (t: number) => useAll || active[t] === 1;
  const usedCount = useAll ? endFrame - startFrame : activeCount;

  // Per-band mean and standard deviation (two passes: exact in float64).
  const mean = new Float64Array(bands);
  for (let t = startFrame; t < endFrame; t++) {
    if (!isUsed(t)) continue;
    const base = t * bands;
    for (let m = 0; m < bands; m++) mean[m] += logMelDb[base + m];
  }
  for (let m = 0; m < bands; m++) mean[m] /= usedCount;
  const variance = new Float64Array(bands);
  const deltaSum = new Float64Array(groups);
  for (let t = startFrame; t < endFrame; t++) {
    if (!isUsed(t)) continue;
    const base = t * bands;
    // Central difference, clamped at the range's edges.
    const previous = Math.max(startFrame, t - 1) * bands;
    const next = Math.min(endFrame - 1, t + 1) * bands;
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

  // Cepstra of the speech frames, then their functionals.
  const cepstrumCount = Math.min(MFCC_COUNT, bands);
  const dct = dctFor(bands, cepstrumCount);
  const cepstra = new Float64Array(usedCount * MFCC_COUNT);
  const frameCepstrum = new Float64Array(cepstrumCount);
  let row = 0;
  let previousUsed = -1;
  const cepstrumDelta = new Float64Array(MFCC_COUNT);
  let cepstrumDeltaCount = 0;
  for (let t = startFrame; t < endFrame; t++) {
    if (!isUsed(t)) continue;
    dct.apply(logMelDb.subarray(t * bands, (t + 1) * bands), frameCepstrum);
    cepstra.set(frameCepstrum, row * MFCC_COUNT);
    if (row > 0 && previousUsed === t - 1) {
      for (let k = 0; k < cepstrumCount; k++) cepstrumDelta[k] += Math.abs(frameCepstrum[k] - cepstra[(row - 1) * MFCC_COUNT + k]);
      cepstrumDeltaCount++;
    }
    previousUsed = t;
    row++;
  }
  const column = new Float64Array(usedCount);
  for (let k = 0; k < MFCC_COUNT; k++) {
    let sum = 0;
    for (let r = 0; r < usedCount; r++) sum += column[r] = cepstra[r * MFCC_COUNT + k];
    const mu = sum / usedCount;
    let v = 0;
    for (let r = 0; r < usedCount; r++) v += (column[r] - mu) ** 2;
    column.sort();
    out[mfccBase + k] = mu;
    out[mfccBase + MFCC_COUNT + k] = Math.sqrt(v / usedCount);
    out[mfccBase + 2 * MFCC_COUNT + k] = cepstrumDeltaCount > 0 ? cepstrumDelta[k] / cepstrumDeltaCount : 0;
    out[mfccBase + 3 * MFCC_COUNT + k] = quantile(column, 0.1);
    out[mfccBase + 4 * MFCC_COUNT + k] = quantile(column, 0.9);
  }

  // Energy.
  const energies = new Float64Array(usedCount);
  let e = 0;
  let energyMean = 0;
  let levelPower = 0;
  for (let t = startFrame; t < endFrame; t++) {
    if (!isUsed(t)) continue;
    energies[e++] = frameEnergyDb[t];
    energyMean += frameEnergyDb[t];
    levelPower += 10 ** ((frameEnergyDb[t] - analysis.gainDb) / 10);
  }
  energyMean /= usedCount;
  let energyVariance = 0;
  for (const v of energies) energyVariance += (v - energyMean) ** 2;
  energies.sort();
  let energyDelta = 0;
  for (let t = startFrame + 1; t < endFrame; t++) energyDelta += Math.abs(frameEnergyDb[t] - frameEnergyDb[t - 1]);
  const span = endFrame - startFrame;

  // Pitch, in semitones re 100 Hz so that its spread is comparable between voices. Voiced runs
  // shorter than MIN_VOICED_RUN frames are dropped: at the edges of syllables the tracker
  // flickers (often an octave low), which would inflate the pitch range and the onset count.
  const semitones: number[] = [];
  const times: number[] = [];
  let pitchDelta = 0;
  let pitchDeltaCount = 0;
  let onsets = 0;
  let hnrSum = 0;
  let shimmerSum = 0;
  let shimmerCount = 0;
  for (let t = startFrame; t < endFrame; ) {
    if (!(pitchHz[t] > 0)) {
      t++;
      continue;
    }
    let end = t;
    while (end < endFrame && pitchHz[end] > 0) end++;
    if (end - t >= MIN_VOICED_RUN) {
      onsets++;
      for (let u = t; u < end; u++) {
        const st = 12 * Math.log2(pitchHz[u] / 100);
        if (u > t) {
          pitchDelta += Math.abs(st - semitones[semitones.length - 1]);
          pitchDeltaCount++;
          shimmerSum += Math.abs(frameEnergyDb[u] - frameEnergyDb[u - 1]);
          shimmerCount++;
        }
        const clarity = Math.min(0.999, Math.max(1e-3, analysis.voicingClarity[u]));
        hnrSum += 10 * Math.log10(clarity / (1 - clarity));
        semitones.push(st);
        times.push(u * hopSeconds);
      }
    }
    t = end;
  }
  let f0Median = 0;
  let f0Std = 0;
  let f0P10 = 0;
  let f0P90 = 0;
  let f0Slope = 0;
  if (semitones.length >= 3) {
    const sorted = Float64Array.from(semitones).sort();
    f0Median = quantile(sorted, 0.5);
    f0P10 = quantile(sorted, 0.1);
    f0P90 = quantile(sorted, 0.9);
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
    f0Std = Math.sqrt(syy / semitones.length);
    f0Slope = sxx > 0 ? sxy / sxx : 0;
  }
  const speechSeconds = usedCount * hopSeconds;
  const prosody = [
    Math.sqrt(energyVariance / usedCount),
    quantile(energies, 0.9) - quantile(energies, 0.1),
    span > 1 ? energyDelta / (span - 1) : 0,
    activeCount / span,
    f0Median,
    f0Std,
    f0P10,
    f0P90,
    f0P90 - f0P10,
    pitchDeltaCount > 0 ? pitchDelta / pitchDeltaCount : 0,
    f0Slope,
    activeCount > 0 ? semitones.length / activeCount : 0,
    onsets / speechSeconds,
    semitones.length > 0 ? hnrSum / semitones.length : 0,
    shimmerCount > 0 ? shimmerSum / shimmerCount : 0,
    10 * Math.log10(levelPower / usedCount + 1e-20),
  ];
  out.set(prosody, prosodyBase);
  return out;
}
