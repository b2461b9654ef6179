import type { AbortSignalLike } from '../abort.ts';
import { RealFft } from '../audio/fft.ts';
import { MelFilterbank } from '../audio/mel.ts';
import { StreamingResampler } from '../audio/resample.ts';
import { StftFramer } from '../audio/stft.ts';
import { hannWindow, windowPowerSum } from '../audio/window.ts';
import { ANALYSIS_FFT_SIZE, ANALYSIS_HOP_SIZE_SAMPLES, ANALYSIS_MEL_BANDS, ANALYSIS_SAMPLE_RATE_HZ, toDb } from './analysis-frame.ts';
import { AnalysisError } from './analysis-error.ts';
import { ChromaTracker } from './chroma.ts';
import { FrameDynamics } from './dynamics.ts';
import { HarmonicPercussiveSplit } from './hpss.ts';
import { LoudnessMeter } from './loudness.ts';
import { MfccStats } from './mfcc.ts';
import { RhythmTracker } from './rhythm.ts';
import { SpectralContrast } from './spectral-contrast.ts';
import { SpectralShape } from './spectral-shape.ts';
import { SONG_FEATURE_NAMES, type SongFeatures } from './song-features.ts';
import type { TempoOptions } from './tempo.ts';

export {
  ANALYSIS_FFT_SIZE,
  ANALYSIS_FRAME_RATE_HZ,
  ANALYSIS_HOP_SIZE_SAMPLES,
  ANALYSIS_SAMPLE_RATE_HZ,
} from './analysis-frame.ts';

/** A track with more than this share of non-finite samples is refused, not silently zeroed. */
const MAX_NON_FINITE_SHARE = 0.01;

export interface SongAnalyserOptions {
  tempo?: TempoOptions;
  /** Clock in ms (e.g. `performance.now`) to time the tempo stage; core has no clock of its own. */
  now?: () => number;
}

/**
 * Streaming song analyser: push mono samples at {@link ANALYSIS_SAMPLE_RATE_HZ} in chunks of any
 * size, then `finish()` once. Every spectrum is computed once per frame and feeds all spectral
 * features, the onset envelope, chroma and HPSS. Memory is bounded by per-frame summaries (the
 * onset strength and frame energy, 16 bytes per 23 ms frame, and one loudness value per
 * 100 ms: ≈ 3 MB for an hour), never the audio itself.
 *
 * What each feature measures lives in its own module (loudness, dynamics, rhythm, spectral
 * shape and contrast, MFCC, chroma, HPSS); this class frames the audio and feeds them.
 */
export class SongAnalyser {
  private readonly tempoOptions: TempoOptions;
  private readonly now: (() => number) | undefined;
  /** Milliseconds `finish()` spent on tempo (0 without a clock). */
  tempoMs = 0;
  private readonly fft = new RealFft(ANALYSIS_FFT_SIZE);
  private readonly framer: StftFramer;
  private readonly mel: MelFilterbank;
  private readonly powerScale: number;

  // Per-frame scratch (allocated once).
  private readonly power = new Float64Array(ANALYSIS_FFT_SIZE / 2 + 1);
  private readonly magnitude = new Float64Array(ANALYSIS_FFT_SIZE / 2 + 1);
  private readonly melPower = new Float64Array(ANALYSIS_MEL_BANDS);
  private readonly melDb = new Float64Array(ANALYSIS_MEL_BANDS);
  private sanitised = new Float32Array(0);

  // What is measured.
  private readonly loudness = new LoudnessMeter(ANALYSIS_SAMPLE_RATE_HZ);
  private readonly dynamics = new FrameDynamics();
  private readonly rhythm = new RhythmTracker();
  private readonly hpss = new HarmonicPercussiveSplit();
  private readonly shape = new SpectralShape();
  private readonly contrast = new SpectralContrast();
  private readonly mfcc = new MfccStats();
  private readonly chroma = new ChromaTracker();

  private totalSamples = 0;
  private nonFiniteSamples = 0;
  private finished = false;

  constructor(opts: SongAnalyserOptions = {}) {
    this.tempoOptions = opts.tempo ?? {};
    this.now = opts.now;
    const window = hannWindow(ANALYSIS_FFT_SIZE);
    // Scales |X|² so that the bins sum to the frame's mean square (Parseval with the window).
    this.powerScale = 2 / (ANALYSIS_FFT_SIZE * windowPowerSum(window));
    this.framer = new StftFramer({ frameSizeSamples: ANALYSIS_FFT_SIZE, hopSizeSamples: ANALYSIS_HOP_SIZE_SAMPLES, window });
    this.mel = new MelFilterbank({ sampleRateHz: ANALYSIS_SAMPLE_RATE_HZ, fftSizeSamples: ANALYSIS_FFT_SIZE, melBandCount: ANALYSIS_MEL_BANDS });
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
    const clean = this.sanitised.subarray(0, n);
    for (let i = 0; i < n; i++) {
      const x = monoAtAnalysisRate[i];
      if (x - x === 0) {
        clean[i] = x;
      } else {
        // NaN or ±Infinity.
        clean[i] = 0;
        this.nonFiniteSamples++;
      }
    }
    this.totalSamples += n;
    this.loudness.push(clean);
    this.framer.push(clean, (frame, frameIndex, raw) => this.onFrame(frame, frameIndex, raw));
  }

  /** One STFT frame: one power spectrum and one mel spectrum feed every measure. */
  private onFrame(frame: Float32Array, frameIndex: number, raw: Float32Array): void {
    const audible = this.dynamics.add(raw);
    const power = this.fft.powerSpectrum(frame, this.power);
    const bins = power.length;
    const scale = this.powerScale;
    for (let k = 0; k < bins; k++) power[k] *= scale;
    const melPower = this.mel.apply(power, this.melPower);
    const melDb = this.melDb;
    for (let b = 0; b < ANALYSIS_MEL_BANDS; b++) melDb[b] = toDb(melPower[b]);
    this.rhythm.add(melDb);
    this.hpss.add(melPower);
    if (!audible) return;
    this.shape.add(power, this.magnitude);
    this.mfcc.add(melDb);
    // Every other frame: a song-long mean of the contrast needs no more.
    if (frameIndex % 2 === 1) this.contrast.add(this.magnitude, this.dynamics.meanSquare);
    this.chroma.add(power);
  }

  /** Ends the stream and returns the features (all finite). Throws {@link AnalysisError}. */
  finish(): SongFeatures {
    if (this.finished) throw new Error('SongAnalyser: finish called twice');
    this.finished = true;
    const durationSeconds = this.totalSamples / ANALYSIS_SAMPLE_RATE_HZ;
    this.refuseUnusable(durationSeconds);
    const rhythm = this.rhythm.features(durationSeconds, this.tempoOptions, this.now);
    this.tempoMs = rhythm.tempoMs;
    const measured: SongFeatures = {
      durationSeconds,
      analysedSeconds: durationSeconds,
      ...this.dynamics.features(this.framer.frameCount),
      ...rhythm.features,
      ...this.loudness.features(),
      ...this.shape.features(),
      ...this.contrast.features(),
      ...this.mfcc.features(),
      harmonicRatio: this.hpss.harmonicRatio(),
      ...this.chroma.features(),
    };
    // In the list's order, and belt and braces: no NaN ever leaves the analyser.
    const features = {} as SongFeatures;
    for (const name of SONG_FEATURE_NAMES) features[name] = Number.isFinite(measured[name]) ? measured[name] : 0;
    return features;
  }

  /** Throws when the stream is garbage (too many non-finite samples) or shorter than one frame. */
  private refuseUnusable(durationSeconds: number): void {
    if (this.totalSamples > 0 && this.nonFiniteSamples > MAX_NON_FINITE_SHARE * this.totalSamples) {
      throw new AnalysisError(
        'non-finite-samples',
        `${this.nonFiniteSamples} of ${this.totalSamples} samples are NaN or infinite: the decoder produced garbage`,
      );
    }
    if (this.framer.frameCount < 1) {
      throw new AnalysisError('too-short', `need at least ${(ANALYSIS_FFT_SIZE / ANALYSIS_SAMPLE_RATE_HZ).toFixed(3)} s of audio, got ${durationSeconds.toFixed(3)} s`);
    }
  }
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
