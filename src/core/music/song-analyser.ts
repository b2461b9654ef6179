import type { AbortSignalLike } from '../abort.ts';
import { Dct } from '../audio/dct.ts';
import { RealFft } from '../audio/fft.ts';
import { MelFilterbank } from '../audio/mel.ts';
import { StreamingResampler } from '../audio/resample.ts';
import { StftFramer } from '../audio/stft.ts';
import { hannWindow, windowPowerSum } from '../audio/window.ts';
import { AnalysisError } from './analysis-error.ts';
import { estimateKey } from './key-profiles.ts';
import type { SongFeatures } from './song-features.ts';
import { estimateTempo, type TempoOptions } from './tempo.ts';

/**
 * Analysis runs at 11.025 kHz. Why not 22.05 kHz: half the samples means half the STFT,
 * resampling and filtering cost for the same 10.8 Hz bin spacing and 23 ms hop (1024-point FFT,
 * hop 256 here = librosa's 2048/512 at 22.05 kHz); and the 4Q training clips include 16 kHz
 * and 64 kbit/s MP3s whose content stops at 8 kHz or below, so measuring above 5.5 kHz would
 * partly measure the encoder rather than the music. Tempo, key, MFCC and dynamics live well
 * below 5.5 kHz; brightness is measured within the 0–5.5 kHz band (documented in the features).
 */
export const ANALYSIS_SAMPLE_RATE_HZ = 11_025;
/** STFT length (93 ms at the analysis rate). */
export const ANALYSIS_FFT_SIZE = 1024;
/** STFT hop (23.2 ms): the onset envelope's frame period. */
export const ANALYSIS_HOP_SIZE_SAMPLES = 256;
/** Frames per second of the onset envelope. */
export const ANALYSIS_FRAME_RATE_HZ = ANALYSIS_SAMPLE_RATE_HZ / ANALYSIS_HOP_SIZE_SAMPLES;

const MEL_BANDS = 40;
const MFCC_COUNT = 13;
/** Frames quieter than this (RMS, dBFS) carry no timbre or harmony statistics. */
const SILENCE_DB = -60;
/** Floor for dB conversions of power (−100 dB). */
const POWER_FLOOR = 1e-10;
/** Octave-band edges for spectral contrast (librosa: fmin 200 Hz, 6 bands), Hz. */
const CONTRAST_EDGES_HZ = [0, 200, 400, 800, 1600, 3200, ANALYSIS_SAMPLE_RATE_HZ / 2];
const CONTRAST_QUANTILE = 0.02;
/** Chroma uses bins whose frequency lies in this range (below it bins are wider than semitones). */
const CHROMA_MIN_HZ = 65;
const CHROMA_MAX_HZ = 4200;
/** HPSS runs every 4th frame (93 ms), medians over 9 such frames (≈ 0.84 s) and 7 mel bands. */
const HPSS_FRAME_STRIDE = 4;
const HPSS_TIME_KERNEL = 9;
const HPSS_BAND_KERNEL = 7;
/** Successive chroma blocks for the change rate: ≈ 0.5 s of frames. */
const CHROMA_BLOCK_FRAMES = 22;
/** A track with more than this share of non-finite samples is refused, not silently zeroed. */
const MAX_NON_FINITE_SHARE = 0.01;
/** 10 · log10(2): a mono signal played on two channels. */
const DUAL_MONO_GAIN_DB = 10 * Math.log10(2);

export interface SongAnalyserOptions {
  tempo?: TempoOptions;
  /** Clock in ms (e.g. `performance.now`) to time the tempo stage; core has no clock of its own. */
  now?: () => number;
}

/** Growable Float32 store for per-frame or per-block summaries (a few values per frame at most). */
class GrowableArray {
  private data: Float64Array;
  length = 0;
  constructor(capacity = 4096) {
    this.data = new Float64Array(capacity);
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length++] = value;
  }
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

/** Running mean/variance (Welford) of one quantity. */
class RunningStats {
  count = 0;
  mean = 0;
  private m2 = 0;
  add(x: number): void {
    this.count++;
    const delta = x - this.mean;
    this.mean += delta / this.count;
    this.m2 += delta * (x - this.mean);
  }
  get std(): number {
    return this.count > 1 ? Math.sqrt(this.m2 / this.count) : 0;
  }
}

/** A biquad in direct form II transposed (used for K-weighting). */
class Biquad {
  z1 = 0;
  z2 = 0;
  constructor(
    readonly b0: number,
    readonly b1: number,
    readonly b2: number,
    readonly a1: number,
    readonly a2: number,
  ) {}
}

/**
 * ITU-R BS.1770 K-weighting re-derived for any rate (the standard's coefficients are for
 * 48 kHz): a +4 dB high shelf near 1.68 kHz, then a 38 Hz high-pass (pyloudnorm's parameters).
 */
function kWeightingFilters(sampleRateHz: number): [Biquad, Biquad] {
  const shelfGainDb = 3.99984385397;
  const shelfQ = 0.7071752369554193;
  const shelfHz = 1681.9744509555319;
  let k = Math.tan((Math.PI * shelfHz) / sampleRateHz);
  const vh = 10 ** (shelfGainDb / 20);
  const vb = vh ** 0.499666774155;
  let a0 = 1 + k / shelfQ + k * k;
  const shelf = new Biquad(
    (vh + (vb * k) / shelfQ + k * k) / a0,
    (2 * (k * k - vh)) / a0,
    (vh - (vb * k) / shelfQ + k * k) / a0,
    (2 * (k * k - 1)) / a0,
    (1 - k / shelfQ + k * k) / a0,
  );
  const highPassQ = 0.5003270373253953;
  const highPassHz = 38.13547087613982;
  k = Math.tan((Math.PI * highPassHz) / sampleRateHz);
  a0 = 1 + k / highPassQ + k * k;
  const highPass = new Biquad(1, -2, 1, (2 * (k * k - 1)) / a0, (1 - k / highPassQ + k * k) / a0);
  return [shelf, highPass];
}

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

function toDb(power: number): number {
  return 10 * Math.log10(Math.max(power, POWER_FLOOR));
}

function finiteOr(value: number, fallback: number): number {
  return Number.isFinite(value) ? value : fallback;
}

/**
 * Streaming song analyser: push mono samples at {@link ANALYSIS_SAMPLE_RATE_HZ} in chunks of any
 * size, then `finish()` once. Every spectrum is computed once per frame and feeds all spectral
 * features, the onset envelope, chroma and HPSS. Memory is bounded by per-frame summaries (the
 * onset strength and frame energy, 16 bytes per 23 ms frame, and one loudness value per
 * 100 ms: ≈ 3 MB for an hour), never the audio itself.
 */
export class SongAnalyser {
  private readonly tempoOptions: TempoOptions;
  private readonly now: (() => number) | undefined;
  /** Milliseconds `finish()` spent on tempo (0 without a clock). */
  tempoMs = 0;
  private readonly fft = new RealFft(ANALYSIS_FFT_SIZE);
  private readonly framer: StftFramer;
  private readonly mel: MelFilterbank;
  private readonly dct = new Dct(MEL_BANDS, MFCC_COUNT);
  private readonly powerScale: number;
  private readonly binHz = ANALYSIS_SAMPLE_RATE_HZ / ANALYSIS_FFT_SIZE;

  // Per-frame scratch (allocated once).
  private readonly power = new Float64Array(ANALYSIS_FFT_SIZE / 2 + 1);
  private readonly magnitude = new Float64Array(ANALYSIS_FFT_SIZE / 2 + 1);
  private readonly melPower = new Float64Array(MEL_BANDS);
  private readonly melDb = new Float64Array(MEL_BANDS);
  private readonly previousMelDb = new Float64Array(MEL_BANDS);
  private readonly mfcc = new Float64Array(MFCC_COUNT);
  private readonly chroma = new Float64Array(12);
  private readonly scratch = new Float64Array(64);
  private sanitised = new Float32Array(0);

  // Chroma mapping: each bin in range splits its magnitude between two neighbouring pitch classes.
  private readonly chromaFirstBin: number;
  private readonly chromaClassLow: Int8Array;
  private readonly chromaWeightLow: Float64Array;
  private readonly contrastBins: Array<[number, number]>;

  // HPSS ring of mel power frames.
  private readonly hpssRing: Float64Array[];
  private hpssCount = 0;
  private harmonicEnergy = 0;
  private percussiveEnergy = 0;

  // Accumulators.
  private totalSamples = 0;
  private nonFiniteSamples = 0;
  private sumSquares = 0;
  private readonly onsetEnvelope = new GrowableArray(8192);
  private readonly frameEnergy = new GrowableArray(8192);
  private readonly frameDb = new RunningStats();
  private readonly centroid = new RunningStats();
  private readonly rolloff = new RunningStats();
  private readonly bandwidth = new RunningStats();
  private readonly flatness = new RunningStats();
  private readonly zcr = new RunningStats();
  private readonly contrast = Array.from({ length: 6 }, () => new RunningStats());
  private readonly valley = Array.from({ length: 6 }, () => new RunningStats());
  private readonly mfccStats = Array.from({ length: MFCC_COUNT }, () => new RunningStats());
  private readonly previousMfcc = new Float64Array(MFCC_COUNT);
  private hasPreviousMfcc = false;
  private readonly mfccDelta = new RunningStats();
  private readonly chromaSum = new Float64Array(12);
  private readonly chromaBlock = new Float64Array(12);
  private readonly previousChromaBlock = new Float64Array(12);
  private chromaBlockFrames = 0;
  private hasPreviousChromaBlock = false;
  private readonly chromaChange = new RunningStats();
  private frameIndex = 0;

  // Loudness: K-weighted mean square per 100 ms block.
  private readonly kFilters: [Biquad, Biquad];
  private readonly loudnessBlocks = new GrowableArray(1024);
  private blockSum = 0;
  private blockCount = 0;
  private readonly blockLengthSamples = Math.round(ANALYSIS_SAMPLE_RATE_HZ / 10);
  private finished = false;

  constructor(opts: SongAnalyserOptions = {}) {
    this.tempoOptions = opts.tempo ?? {};
    this.now = opts.now;
    const window = hannWindow(ANALYSIS_FFT_SIZE);
    // Scales |X|² so that the bins sum to the frame's mean square (Parseval with the window).
    this.powerScale = 2 / (ANALYSIS_FFT_SIZE * windowPowerSum(window));
    this.framer = new StftFramer({ frameSizeSamples: ANALYSIS_FFT_SIZE, hopSizeSamples: ANALYSIS_HOP_SIZE_SAMPLES, window });
    this.mel = new MelFilterbank({ sampleRateHz: ANALYSIS_SAMPLE_RATE_HZ, fftSizeSamples: ANALYSIS_FFT_SIZE, melBandCount: MEL_BANDS });
    this.kFilters = kWeightingFilters(ANALYSIS_SAMPLE_RATE_HZ);

    const firstBin = Math.ceil(CHROMA_MIN_HZ / this.binHz);
    const lastBin = Math.floor(CHROMA_MAX_HZ / this.binHz);
    this.chromaFirstBin = firstBin;
    this.chromaClassLow = new Int8Array(lastBin - firstBin + 1);
    this.chromaWeightLow = new Float64Array(lastBin - firstBin + 1);
    for (let k = firstBin; k <= lastBin; k++) {
      // Semitones above C (MIDI 0 = C−1 at 8.1758 Hz), so pitch class 0 = C.
      const midi = 12 * Math.log2((k * this.binHz) / 8.175798915643707);
      const low = Math.floor(midi);
      this.chromaClassLow[k - firstBin] = ((low % 12) + 12) % 12;
      this.chromaWeightLow[k - firstBin] = 1 - (midi - low);
    }
    this.contrastBins = [];
    for (let b = 0; b < 6; b++) {
      const lo = Math.max(1, Math.round(CONTRAST_EDGES_HZ[b] / this.binHz));
      const hi = Math.min(ANALYSIS_FFT_SIZE / 2, Math.round(CONTRAST_EDGES_HZ[b + 1] / this.binHz));
      this.contrastBins.push([lo, hi]);
    }
    this.hpssRing = Array.from({ length: HPSS_TIME_KERNEL }, () => new Float64Array(MEL_BANDS));
  }

  /** Seconds pushed so far. */
  get pushedSeconds(): number {
    return this.totalSamples / ANALYSIS_SAMPLE_RATE_HZ;
  }

  /** Feeds mono samples at {@link ANALYSIS_SAMPLE_RATE_HZ}. Non-finite samples count as silence (and are counted). */
  push(monoAtAnalysisRate: Float32Array): void {
    if (this.finished) throw new Error('SongAnalyser: push after finish');
    const n = monoAtAnalysisRate.length;
    if (this.sanitised.length < n) this.sanitised = new Float32Array(Math.max(n, 4096));
    const clean = this.sanitised;
    const [shelf, highPass] = this.kFilters;
    let blockSum = this.blockSum;
    let blockCount = this.blockCount;
    const blockLength = this.blockLengthSamples;
    let sumSquares = 0;
    // The two K-weighting biquads, inlined (this loop runs once per sample).
    const { b0: sb0, b1: sb1, b2: sb2, a1: sa1, a2: sa2 } = shelf;
    const { b0: hb0, b1: hb1, b2: hb2, a1: ha1, a2: ha2 } = highPass;
    let s1 = shelf.z1;
    let s2 = shelf.z2;
    let h1 = highPass.z1;
    let h2 = highPass.z2;
    for (let i = 0; i < n; i++) {
      let x = monoAtAnalysisRate[i];
      if (!(x - x === 0)) {
        // NaN or ±Infinity.
        x = 0;
        this.nonFiniteSamples++;
      }
      clean[i] = x;
      sumSquares += x * x;
      const y = sb0 * x + s1;
      s1 = sb1 * x - sa1 * y + s2;
      s2 = sb2 * x - sa2 * y;
      const k = hb0 * y + h1;
      h1 = hb1 * y - ha1 * k + h2;
      h2 = hb2 * y - ha2 * k;
      blockSum += k * k;
      if (++blockCount === blockLength) {
        this.loudnessBlocks.push(blockSum / blockLength);
        blockSum = 0;
        blockCount = 0;
      }
    }
    shelf.z1 = s1;
    shelf.z2 = s2;
    highPass.z1 = h1;
    highPass.z2 = h2;
    this.blockSum = blockSum;
    this.blockCount = blockCount;
    this.sumSquares += sumSquares;
    this.totalSamples += n;
    this.framer.push(clean.subarray(0, n), (frame, _index, raw) => this.onFrame(frame, raw));
  }

  private onFrame(frame: Float32Array, raw: Float32Array): void {
    const n = ANALYSIS_FFT_SIZE;
    // Time domain: level and zero crossings of the unwindowed frame.
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
    const frameDb = toDb(meanSquare);
    this.frameEnergy.push(meanSquare);

    // One spectrum per frame feeds everything below.
    const power = this.fft.powerSpectrum(frame, this.power);
    const bins = power.length;
    const scale = this.powerScale;
    for (let k = 0; k < bins; k++) power[k] *= scale;

    const melPower = this.mel.apply(power, this.melPower);
    const melDb = this.melDb;
    let flux = 0;
    const first = this.frameIndex === 0;
    for (let b = 0; b < MEL_BANDS; b++) {
      const db = toDb(melPower[b]);
      melDb[b] = db;
      const rise = first ? 0 : db - this.previousMelDb[b];
      if (rise > 0) flux += rise;
      this.previousMelDb[b] = db;
    }
    this.onsetEnvelope.push(flux / MEL_BANDS);
    if (this.frameIndex % HPSS_FRAME_STRIDE === 0) this.hpssStep(melPower);
    this.frameIndex++;

    if (frameDb < SILENCE_DB) return;
    this.frameDb.add(frameDb);
    this.zcr.add(crossings / (n - 1));

    const magnitude = this.magnitude;
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
    const binHz = this.binHz;
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

    const mfcc = this.dct.apply(melDb, this.mfcc);
    let delta = 0;
    for (let c = 0; c < MFCC_COUNT; c++) {
      this.mfccStats[c].add(mfcc[c]);
      if (c > 0) delta += Math.abs(mfcc[c] - this.previousMfcc[c]);
    }
    if (this.hasPreviousMfcc) this.mfccDelta.add(delta / (MFCC_COUNT - 1));
    this.previousMfcc.set(mfcc);
    this.hasPreviousMfcc = true;

    if ((this.frameIndex & 1) === 0) this.contrastStep(magnitude, meanSquare);
    this.chromaStep(power);
  }

  /** Peak/valley per octave band: means of the top and bottom 2 % of magnitudes (librosa's method). */
  private contrastStep(magnitude: Float64Array, meanSquare: number): void {
    const scratch = this.scratch;
    const reference = Math.sqrt(meanSquare) + 1e-12;
    for (let b = 0; b < 6; b++) {
      const [lo, hi] = this.contrastBins[b];
      const count = hi - lo;
      const take = Math.max(1, Math.round(CONTRAST_QUANTILE * count));
      // Keep the `take` smallest in scratch[0..take) and largest in scratch[32..32+take), ascending.
      for (let i = 0; i < take; i++) {
        scratch[i] = Number.POSITIVE_INFINITY;
        scratch[32 + i] = Number.NEGATIVE_INFINITY;
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
        if (m > scratch[32]) {
          let j = 0;
          while (j < take - 1 && scratch[33 + j] < m) {
            scratch[32 + j] = scratch[33 + j];
            j++;
          }
          scratch[32 + j] = m;
        }
      }
      let valley = 0;
      let peak = 0;
      for (let i = 0; i < take; i++) {
        valley += scratch[i];
        peak += scratch[32 + i];
      }
      valley = valley / take + 1e-10;
      peak = peak / take + 1e-10;
      this.contrast[b].add(20 * Math.log10(peak / valley));
      this.valley[b].add(20 * Math.log10(valley / reference));
    }
  }

  /** Chroma from the power spectrum (librosa's chroma_stft default), each frame scaled to max 1. */
  private chromaStep(power: Float64Array): void {
    const chroma = this.chroma;
    chroma.fill(0);
    const first = this.chromaFirstBin;
    const classes = this.chromaClassLow;
    const weights = this.chromaWeightLow;
    for (let i = 0; i < classes.length; i++) {
      const m = power[first + i];
      const low = classes[i];
      const w = weights[i];
      chroma[low] += w * m;
      chroma[low === 11 ? 0 : low + 1] += (1 - w) * m;
    }
    let max = 0;
    for (let c = 0; c < 12; c++) if (chroma[c] > max) max = chroma[c];
    if (max <= 0) return;
    for (let c = 0; c < 12; c++) {
      const v = chroma[c] / max;
      this.chromaSum[c] += v;
      this.chromaBlock[c] += v;
    }
    if (++this.chromaBlockFrames === CHROMA_BLOCK_FRAMES) {
      if (this.hasPreviousChromaBlock) {
        let dot = 0;
        let a = 0;
        let b = 0;
        for (let c = 0; c < 12; c++) {
          dot += this.chromaBlock[c] * this.previousChromaBlock[c];
          a += this.chromaBlock[c] ** 2;
          b += this.previousChromaBlock[c] ** 2;
        }
        if (a > 0 && b > 0) this.chromaChange.add(1 - dot / Math.sqrt(a * b));
      }
      this.previousChromaBlock.set(this.chromaBlock);
      this.hasPreviousChromaBlock = true;
      this.chromaBlock.fill(0);
      this.chromaBlockFrames = 0;
    }
  }

  /**
   * Median-filter HPSS (FitzGerald 2010) on the mel power spectrogram: the harmonic part is the
   * median along time, the percussive part the median along frequency; soft (Wiener, power 2)
   * masks split the centre frame's energy.
   */
  private hpssStep(melPower: Float64Array): void {
    const ring = this.hpssRing;
    ring[this.hpssCount % HPSS_TIME_KERNEL].set(melPower);
    this.hpssCount++;
    if (this.hpssCount < HPSS_TIME_KERNEL) return;
    const centre = ring[(this.hpssCount - 1 - (HPSS_TIME_KERNEL >> 1)) % HPSS_TIME_KERNEL];
    const scratch = this.scratch;
    const halfBand = HPSS_BAND_KERNEL >> 1;
    for (let b = 0; b < MEL_BANDS; b++) {
      for (let t = 0; t < HPSS_TIME_KERNEL; t++) scratch[t] = ring[t][b];
      const harmonic = smallMedian(scratch, HPSS_TIME_KERNEL);
      let n = 0;
      for (let j = Math.max(0, b - halfBand); j <= Math.min(MEL_BANDS - 1, b + halfBand); j++) scratch[n++] = centre[j];
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

  /** Ends the stream and returns the features (all finite). Throws {@link AnalysisError}. */
  finish(): SongFeatures {
    if (this.finished) throw new Error('SongAnalyser: finish called twice');
    this.finished = true;
    const durationSeconds = this.totalSamples / ANALYSIS_SAMPLE_RATE_HZ;
    if (this.totalSamples > 0 && this.nonFiniteSamples > MAX_NON_FINITE_SHARE * this.totalSamples) {
      throw new AnalysisError(
        'non-finite-samples',
        `${this.nonFiniteSamples} of ${this.totalSamples} samples are NaN or infinite: the decoder produced garbage`,
      );
    }
    if (this.framer.frameCount < 1) {
      throw new AnalysisError('too-short', `need at least ${(ANALYSIS_FFT_SIZE / ANALYSIS_SAMPLE_RATE_HZ).toFixed(3)} s of audio, got ${durationSeconds.toFixed(3)} s`);
    }
    const envelope = Float32Array.from(this.onsetEnvelope.view());
    const tempoStart = this.now?.() ?? 0;
    const tempo = estimateTempo(envelope, ANALYSIS_FRAME_RATE_HZ, this.tempoOptions);
    this.tempoMs = (this.now?.() ?? 0) - tempoStart;
    const onsets = countOnsets(envelope);
    let envelopeMean = 0;
    for (let i = 0; i < envelope.length; i++) envelopeMean += envelope[i];
    envelopeMean /= envelope.length;
    let envelopeVariance = 0;
    for (let i = 0; i < envelope.length; i++) envelopeVariance += (envelope[i] - envelopeMean) ** 2;
    envelopeVariance /= envelope.length;

    const energies = this.frameEnergy.view();
    let meanEnergy = 0;
    for (let i = 0; i < energies.length; i++) meanEnergy += energies[i];
    meanEnergy /= energies.length;
    let low = 0;
    for (let i = 0; i < energies.length; i++) if (energies[i] < meanEnergy) low++;

    const { integratedLufs, rangeLu } = loudness(this.loudnessBlocks.view());
    const chromaTotal = this.chromaSum.reduce((a, b) => a + b, 0);
    let entropy = Math.log2(12);
    if (chromaTotal > 0) {
      entropy = 0;
      for (let c = 0; c < 12; c++) {
        const p = this.chromaSum[c] / chromaTotal;
        if (p > 0) entropy -= p * Math.log2(p);
      }
    }
    const key = chromaTotal > 0 ? estimateKey(this.chromaSum) : { tonicPitchClass: 0, mode: 'major' as const, keyStrength: 0, majorness: 0 };
    const hpssTotal = this.harmonicEnergy + this.percussiveEnergy;
    const m = this.mfccStats;
    const silentMfcc0 = this.dct.apply(new Float64Array(MEL_BANDS).fill(toDb(0)), new Float64Array(MFCC_COUNT))[0];

    const features: SongFeatures = {
      durationSeconds,
      analysedSeconds: durationSeconds,
      audibleFraction: this.frameDb.count / Math.max(1, this.framer.frameCount),
      tempoBpm: tempo.bpm,
      tempoConfidence: tempo.confidence,
      onsetRatePerSecond: durationSeconds > 0 ? onsets / durationSeconds : 0,
      onsetStrengthMean: envelopeMean,
      onsetStrengthStd: Math.sqrt(envelopeVariance),
      rmsDb: toDb(this.sumSquares / this.totalSamples),
      loudnessLufs: integratedLufs,
      loudnessRangeLu: rangeLu,
      rmsDbStd: this.frameDb.std,
      lowEnergyRatio: low / energies.length,
      spectralCentroidHz: this.centroid.mean,
      spectralCentroidStdHz: this.centroid.std,
      spectralRolloffHz: this.rolloff.mean,
      spectralBandwidthHz: this.bandwidth.mean,
      spectralFlatness: this.flatness.mean,
      zeroCrossingRate: this.zcr.mean,
      contrastBand0Db: this.contrast[0].mean,
      contrastBand1Db: this.contrast[1].mean,
      contrastBand2Db: this.contrast[2].mean,
      contrastBand3Db: this.contrast[3].mean,
      contrastBand4Db: this.contrast[4].mean,
      contrastBand5Db: this.contrast[5].mean,
      valleyBand0Db: this.valley[0].count ? this.valley[0].mean : -100,
      valleyBand1Db: this.valley[1].count ? this.valley[1].mean : -100,
      valleyBand2Db: this.valley[2].count ? this.valley[2].mean : -100,
      valleyBand3Db: this.valley[3].count ? this.valley[3].mean : -100,
      valleyBand4Db: this.valley[4].count ? this.valley[4].mean : -100,
      valleyBand5Db: this.valley[5].count ? this.valley[5].mean : -100,
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
      mfccDeltaMean: this.mfccDelta.mean,
      harmonicRatio: hpssTotal > 0 ? this.harmonicEnergy / hpssTotal : 0.5,
      keyStrength: key.keyStrength,
      majorness: key.majorness,
      modeMajor: key.mode === 'major' ? 1 : 0,
      keyTonicPitchClass: key.tonicPitchClass,
      chromaEntropyBits: entropy,
      chromaChangeRate: this.chromaChange.mean,
      ...keyProfile(this.chromaSum, key.tonicPitchClass),
    };
    // Belt and braces: no NaN ever leaves the analyser.
    for (const name of Object.keys(features) as Array<keyof SongFeatures>) features[name] = finiteOr(features[name], 0);
    return features;
  }
}

/** Shares of the mean chroma at 0 … 11 semitones above the tonic (uniform when there is no chroma). */
function keyProfile(chromaSum: Float64Array, tonic: number): Pick<SongFeatures, `keyProfile${number}` & keyof SongFeatures> {
  const total = chromaSum.reduce((a, b) => a + b, 0);
  const share = (interval: number): number => (total > 0 ? chromaSum[(tonic + interval) % 12] / total : 1 / 12);
  return {
    keyProfile0: share(0),
    keyProfile1: share(1),
    keyProfile2: share(2),
    keyProfile3: share(3),
    keyProfile4: share(4),
    keyProfile5: share(5),
    keyProfile6: share(6),
    keyProfile7: share(7),
    keyProfile8: share(8),
    keyProfile9: share(9),
    keyProfile10: share(10),
    keyProfile11: share(11),
  };
}

/**
 * Counts onsets: local maxima of the envelope (±3 frames, ≥ 70 ms apart) that exceed the local
 * mean over ±0.5 s by a threshold tied to the envelope's spread (librosa's peak_pick logic).
 */
function countOnsets(envelope: Float32Array): number {
  const n = envelope.length;
  if (n < 3) return 0;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += envelope[i];
  mean /= n;
  let variance = 0;
  for (let i = 0; i < n; i++) variance += (envelope[i] - mean) ** 2;
  const delta = 0.5 * Math.sqrt(variance / n);
  if (delta <= 1e-9) return 0;
  const prefix = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i] + envelope[i];
  const around = Math.round(0.5 * ANALYSIS_FRAME_RATE_HZ);
  const wait = 3;
  let count = 0;
  let last = -wait - 1;
  for (let i = 0; i < n; i++) {
    const v = envelope[i];
    let isMax = true;
    for (let j = Math.max(0, i - 3); j <= Math.min(n - 1, i + 3); j++) {
      if (envelope[j] > v) {
        isMax = false;
        break;
      }
    }
    if (!isMax) continue;
    const lo = Math.max(0, i - around);
    const hi = Math.min(n, i + around + 1);
    const localMean = (prefix[hi] - prefix[lo]) / (hi - lo);
    if (v >= localMean + delta && i - last > wait) {
      count++;
      last = i;
    }
  }
  return count;
}

/**
 * BS.1770 gated integrated loudness and EBU 3342 loudness range from K-weighted mean squares
 * per 100 ms block. Silence gives −70 LUFS and 0 LU (the absolute gate), never −∞.
 */
function loudness(blocks: Float64Array): { integratedLufs: number; rangeLu: number } {
  // The mono mix is measured as if played on both channels of a stereo pair (+3.01 dB), so a
  // stereo song reads about what a BS.1770 meter says of the original file.
  const lufs = (meanSquare: number): number => -0.691 + DUAL_MONO_GAIN_DB + 10 * Math.log10(Math.max(meanSquare, 1e-12));
  // Momentary 400 ms blocks with 75 % overlap = 4 consecutive 100 ms blocks.
  const momentary: number[] = [];
  for (let i = 0; i + 4 <= blocks.length; i++) momentary.push((blocks[i] + blocks[i + 1] + blocks[i + 2] + blocks[i + 3]) / 4);
  if (momentary.length === 0 && blocks.length > 0) momentary.push(blocks.reduce((a, b) => a + b, 0) / blocks.length);
  const aboveAbsolute = momentary.filter((z) => lufs(z) > -70);
  let integratedLufs = -70;
  if (aboveAbsolute.length > 0) {
    const ungated = aboveAbsolute.reduce((a, b) => a + b, 0) / aboveAbsolute.length;
    const relativeGate = lufs(ungated) - 10;
    const gated = aboveAbsolute.filter((z) => lufs(z) > relativeGate);
    integratedLufs = lufs(gated.reduce((a, b) => a + b, 0) / gated.length);
  }
  // Short-term 3 s windows every 1 s (hop 10 blocks).
  const shortTerm: number[] = [];
  for (let i = 0; i + 30 <= blocks.length; i += 10) {
    let sum = 0;
    for (let j = i; j < i + 30; j++) sum += blocks[j];
    const level = lufs(sum / 30);
    if (level > -70) shortTerm.push(level);
  }
  let rangeLu = 0;
  if (shortTerm.length > 1) {
    const power = shortTerm.reduce((a, l) => a + 10 ** ((l + 0.691 - DUAL_MONO_GAIN_DB) / 10), 0) / shortTerm.length;
    const gate = lufs(power) - 20;
    const kept = shortTerm.filter((l) => l > gate).sort((a, b) => a - b);
    if (kept.length > 1) {
      const quantile = (q: number): number => kept[Math.min(kept.length - 1, Math.max(0, Math.round(q * (kept.length - 1))))];
      rangeLu = quantile(0.95) - quantile(0.1);
    }
  }
  return { integratedLufs, rangeLu };
}

export interface AnalyseOptions {
  signal?: AbortSignalLike;
  /** Fraction done in [0, 1], called every chunk. */
  onProgress?: (fraction: number) => void;
  analyser?: SongAnalyserOptions;
}

/**
 * Analyses a whole mono buffer at any rate (the browser's decodeAudioData output, tests):
 * resamples to the analysis rate in chunks and streams it through a {@link SongAnalyser}.
 * Synchronous; the signal is checked between chunks (a worker pool cancels by terminating).
 */
export function analyseMono(samples: Float32Array, sampleRateHz: number, opts: AnalyseOptions = {}): SongFeatures {
  if (!(sampleRateHz >= 1000 && sampleRateHz <= 768_000)) {
    throw new AnalysisError('invalid-sample-rate', `unsupported sample rate ${sampleRateHz} Hz`);
  }
  const analyser = new SongAnalyser(opts.analyser);
  const resampler = new StreamingResampler({ inputRateHz: sampleRateHz, outputRateHz: ANALYSIS_SAMPLE_RATE_HZ });
  const chunk = 1 << 16;
  for (let offset = 0; offset < samples.length; offset += chunk) {
    opts.signal?.throwIfAborted();
    analyser.push(resampler.push(samples.subarray(offset, offset + chunk)));
    opts.onProgress?.(Math.min(1, (offset + chunk) / samples.length));
  }
  analyser.push(resampler.flush());
  opts.signal?.throwIfAborted();
  const features = analyser.finish();
  opts.onProgress?.(1);
  return features;
}
