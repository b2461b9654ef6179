import { RealFft } from '../audio/fft.ts';
import { MelFilterbank } from '../audio/mel.ts';
import { resample } from '../audio/resample.ts';
import { StftFramer } from '../audio/stft.ts';
import { hannWindow, windowPowerSum } from '../audio/window.ts';
import { PitchTracker } from './pitch.ts';
import type { SpeechFeatureConfig } from './speech-contract.ts';
import { SpeechInputError } from './speech-error.ts';

/**
 * One utterance, analysed: the trimmed, loudness-normalised log-mel spectrogram plus the
 * frame-wise energy, speech mask and pitch the utterance statistics are computed from.
 * Frame `i` covers input samples `[(startFrame + i)·hop, (startFrame + i)·hop + frame)` at
 * `sampleRateHz` (frames start at the first sample; no centre padding).
 */
export interface SpeechAnalysis {
  /** Analysis rate, Hz (the contract's, whatever the input rate was). */
  sampleRateHz: number;
  /** Seconds between frames. */
  hopSeconds: number;
  frameCount: number;
  melBandCount: number;
  /** Log-mel power, dB, frame-major: `logMelDb[frame · melBandCount + band]`; loudness-normalised, floored at `logFloorDb`. */
  logMelDb: Float32Array;
  /** Frame RMS energy after loudness normalisation, dB re full scale. */
  frameEnergyDb: Float32Array;
  /** 1 where the frame is speech (above the silence thresholds), else 0. */
  active: Uint8Array;
  /** F0 per frame, Hz; 0 where unvoiced or not speech. */
  pitchHz: Float32Array;
  /** Peak normalised autocorrelation of voiced frames (0–1; 0 where unvoiced): how periodic, i.e. harmonics-to-noise. */
  voicingClarity: Float32Array;
  /** Loudness of the speech frames before normalisation, dBFS (RMS): depends on the microphone gain. */
  levelDbfs: number;
  /** Gain applied by loudness normalisation, dB. */
  gainDb: number;
  /** Index of the first kept frame in the untrimmed input. */
  startFrame: number;
  /** Seconds of speech (frames in `active`). */
  speechSeconds: number;
  /** Length of the input, seconds. */
  inputSeconds: number;
  /** Fraction of input samples at or beyond ±0.999 (clipping). */
  clippedFraction: number;
}

/** 10·log10 with a floor, so digital silence is finite. */
function powerDb(power: number): number {
  return 10 * Math.log10(power + 1e-20);
}

/**
 * Turns mono audio into a {@link SpeechAnalysis} with the contract's settings. Holds the FFT,
 * filterbank and pitch tables, so make one per worker and reuse it; not re-entrant.
 *
 * Steps, and why:
 * 1. resample to the contract rate (the model only knows that rate; 8 kHz telephone audio
 *    is upsampled and simply has empty upper bands);
 * 2. remove DC (a cheap microphone's offset would otherwise read as low-frequency energy);
 * 3. find speech frames by RMS energy: above `silenceFloorDbfs`, within `trimRelativeDb` of
 *    the loudest frame, and (in noisy rooms) `trimNoiseMarginDb`… see {@link speechThresholdDb};
 * 4. trim to the first…last speech frame plus padding (RAVDESS has ~1 s of silence at each end);
 * 5. normalise loudness so the speech frames sit at `targetLoudnessDbfs` (microphone gain
 *    must not read as anger); applied as a dB offset on the log-mel, which is exactly a gain;
 * 6. Hann-windowed STFT; stationary noise (the mean power spectrum of the non-speech frames)
 *    subtracted from each frame's power spectrum (see `spectralSubtractionFactor`), the frame
 *    energies of the statistics taken from what is left → power per band (Slaney mel) → dB;
 *    pitch on speech frames.
 */
export class SpeechAnalyser {
  readonly config: SpeechFeatureConfig;
  private readonly window: Float32Array;
  private readonly fft: RealFft;
  private readonly mel: MelFilterbank;
  private readonly pitch: PitchTracker;
  private readonly spectrum: Float64Array;
  private readonly bands: Float64Array;
  private readonly frameBuffer: Float32Array;
  /** Scales the Slaney-normalised band power so white noise of variance σ² reads σ² in every band. */
  private readonly bandScale: number;

  constructor(config: SpeechFeatureConfig) {
    this.config = config;
    const n = config.frameSizeSamples;
    this.window = hannWindow(n);
    this.fft = new RealFft(n);
    this.mel = new MelFilterbank({
      sampleRateHz: config.sampleRateHz,
      fftSizeSamples: n,
      melBandCount: config.melBandCount,
      minFrequencyHz: config.minFrequencyHz,
      maxFrequencyHz: config.maxFrequencyHz,
      scale: config.melScale,
      norm: 'slaney',
    });
    this.pitch = new PitchTracker({
      window: this.window,
      sampleRateHz: config.sampleRateHz,
      minHz: config.pitchMinHz,
      maxHz: config.pitchMaxHz,
      voicingThreshold: config.voicingThreshold,
    });
    this.spectrum = new Float64Array(n / 2 + 1);
    this.bands = new Float64Array(config.melBandCount);
    this.frameBuffer = new Float32Array(n);
    this.bandScale = config.sampleRateHz / n / windowPowerSum(this.window);
  }

  /**
   * Analyses `monoSamples` (any rate; values nominally in [−1, 1]). Throws
   * {@link SpeechInputError}: `invalid-audio` (empty, non-finite, bad rate), `silent` (nothing
   * above the silence floor), `too-short` (less speech than `minSpeechSeconds`).
   */
  analyse(monoSamples: Float32Array, sampleRateHz: number): SpeechAnalysis {
    const cfg = this.config;
    const clipped = countClippedSamples(monoSamples, sampleRateHz);
    const inputSeconds = monoSamples.length / sampleRateHz;
    const samples = sampleRateHz === cfg.sampleRateHz ? Float32Array.from(monoSamples) : resample(monoSamples, sampleRateHz, cfg.sampleRateHz);
    removeDc(samples);

    const frame = cfg.frameSizeSamples;
    const hop = cfg.hopSizeSamples;
    const totalFrames = samples.length >= frame ? Math.floor((samples.length - frame) / hop) + 1 : 0;
    if (totalFrames === 0) throw new SpeechInputError('too-short', `${inputSeconds.toFixed(3)} s of audio is shorter than one analysis frame`);
    // Frame energies from a running sum of squares (O(samples), no FFT yet).
    const energyDb = frameEnergiesDb(samples, frame, hop, totalFrames);
    const speech = findSpeech(energyDb, cfg);
    const hopSeconds = hop / cfg.sampleRateHz;
    const speechSeconds = speech.activeCount * hopSeconds;
    if (speechSeconds < cfg.minSpeechSeconds) {
      throw new SpeechInputError('too-short', `${speechSeconds.toFixed(2)} s of speech; at least ${cfg.minSpeechSeconds} s is needed`);
    }

    const padFrames = Math.round(cfg.trimPaddingSeconds / hopSeconds);
    const startFrame = Math.max(0, speech.first - padFrames);
    const endFrame = Math.min(totalFrames - 1, speech.last + padFrames);
    let activePower = 0;
    for (let i = startFrame; i <= endFrame; i++) if (energyDb[i] >= speech.thresholdDb) activePower += 10 ** (energyDb[i] / 10);
    const levelDbfs = powerDb(activePower / speech.activeCount);
    const gainDb = cfg.targetLoudnessDbfs - levelDbfs;
    const frames = this.analyseFrames(samples, energyDb, speech.thresholdDb, { startFrame, endFrame, gainDb });

    return {
      sampleRateHz: cfg.sampleRateHz,
      hopSeconds,
      frameCount: endFrame - startFrame + 1,
      melBandCount: cfg.melBandCount,
      ...frames,
      levelDbfs,
      gainDb,
      startFrame,
      speechSeconds,
      inputSeconds,
      clippedFraction: clipped / monoSamples.length,
    };
  }

  /**
   * The per-frame arrays of frames `[startFrame, endFrame]` (inclusive): energy, speech mask,
   * noise-subtracted log-mel and, on speech frames, pitch and its clarity; `gainDb` applied.
   */
  private analyseFrames(
    samples: Float32Array,
    energyDb: Float32Array,
    thresholdDb: number,
    { startFrame, endFrame, gainDb }: { startFrame: number; endFrame: number; gainDb: number },
  ): Pick<SpeechAnalysis, 'logMelDb' | 'frameEnergyDb' | 'active' | 'pitchHz' | 'voicingClarity'> {
    const cfg = this.config;
    const frame = cfg.frameSizeSamples;
    const hop = cfg.hopSizeSamples;
    const frameCount = endFrame - startFrame + 1;
    const bandCount = cfg.melBandCount;
    const logMelDb = new Float32Array(frameCount * bandCount);
    const frameEnergyDb = new Float32Array(frameCount);
    const active = new Uint8Array(frameCount);
    const pitchHz = new Float32Array(frameCount);
    const voicingClarity = new Float32Array(frameCount);
    for (let i = 0; i < frameCount; i++) {
      frameEnergyDb[i] = energyDb[startFrame + i] + gainDb;
      active[i] = energyDb[startFrame + i] >= thresholdDb ? 1 : 0;
    }
    const noise = this.noiseSpectrum(samples, energyDb, thresholdDb);
    // Parseval: Σ over both halves of |X|² / (N · Σw²) is the frame's mean power per sample.
    const energyScale = 1 / (frame * windowPowerSum(this.window));
    const framer = new StftFramer({ frameSizeSamples: frame, hopSizeSamples: hop, window: this.window });
    const region = samples.subarray(startFrame * hop, endFrame * hop + frame);
    const floorDb = cfg.logFloorDb;
    framer.push(region, (windowed, index) => {
      if (index >= frameCount) return;
      const spectrum = this.spectrum;
      this.fft.powerSpectrum(windowed, spectrum);
      if (noise) frameEnergyDb[index] = powerDb(this.subtractNoise(spectrum, noise) * energyScale) + gainDb;
      this.mel.apply(spectrum, this.bands);
      const base = index * bandCount;
      for (let m = 0; m < bandCount; m++) logMelDb[base + m] = Math.max(floorDb, powerDb(this.bands[m] * this.bandScale) + gainDb);
      if (active[index]) {
        pitchHz[index] = this.pitch.estimate(windowed);
        voicingClarity[index] = this.pitch.lastClarity;
      }
    });
    return { logMelDb, frameEnergyDb, active, pitchHz, voicingClarity };
  }

  /**
   * Spectral subtraction in place: each bin loses `spectralSubtractionFactor` × the noise's
   * power, keeping at least `spectralFloorDb` of itself. Returns the remaining power summed over
   * both halves of the spectrum (unscaled |X|²).
   */
  private subtractNoise(spectrum: Float64Array, noise: Float64Array): number {
    const factor = this.config.spectralSubtractionFactor;
    const floorGain = 10 ** (this.config.spectralFloorDb / 10);
    const bins = spectrum.length;
    let power = 0;
    for (let k = 0; k < bins; k++) {
      spectrum[k] = Math.max(spectrum[k] - factor * noise[k], floorGain * spectrum[k]);
      power += k === 0 || k === bins - 1 ? spectrum[k] : 2 * spectrum[k];
    }
    return power;
  }

  /**
   * The stationary noise's power spectrum: the mean |X|² of the frames below the speech
   * threshold (pauses, the lead-in before speech). Null when subtraction is off or there are
   * fewer than MIN_NOISE_FRAMES such frames (a tightly cut file: nothing to measure the room by).
   */
  private noiseSpectrum(samples: Float32Array, energyDb: Float32Array, thresholdDb: number): Float64Array | null {
    const cfg = this.config;
    if (!(cfg.spectralSubtractionFactor > 0)) return null;
    const frame = cfg.frameSizeSamples;
    const hop = cfg.hopSizeSamples;
    const sum = new Float64Array(this.spectrum.length);
    let count = 0;
    for (let i = 0; i < energyDb.length; i++) {
      if (energyDb[i] >= thresholdDb) continue;
      const start = i * hop;
      for (let n = 0; n < frame; n++) this.frameBuffer[n] = samples[start + n] * this.window[n];
      this.fft.powerSpectrum(this.frameBuffer, this.spectrum);
      for (let k = 0; k < sum.length; k++) sum[k] += this.spectrum[k];
      count++;
    }
    if (count < MIN_NOISE_FRAMES) return null;
    for (let k = 0; k < sum.length; k++) sum[k] /= count;
    return sum;
  }
}

/** Fewest non-speech frames (0.2 s at a 10 ms hop) from which a noise spectrum is estimated; fewer: no subtraction. */
const MIN_NOISE_FRAMES = 20;

/** Validates the input (rate, length, finite samples) and counts its clipped samples (at or beyond ±0.999). */
function countClippedSamples(monoSamples: Float32Array, sampleRateHz: number): number {
  if (!(Number.isFinite(sampleRateHz) && sampleRateHz >= 4000 && sampleRateHz <= 384000)) {
    throw new SpeechInputError('invalid-audio', `unsupported sample rate ${sampleRateHz} Hz`);
  }
  if (monoSamples.length === 0) throw new SpeechInputError('invalid-audio', 'no samples');
  let clipped = 0;
  for (let i = 0; i < monoSamples.length; i++) {
    const v = monoSamples[i];
    if (!Number.isFinite(v)) throw new SpeechInputError('invalid-audio', `sample ${i} is not a finite number`);
    if (v >= 0.999 || v <= -0.999) clipped++;
  }
  return clipped;
}

/** Subtracts the mean in place (a cheap microphone's offset would otherwise read as low-frequency energy). */
function removeDc(samples: Float32Array): void {
  let mean = 0;
  for (let i = 0; i < samples.length; i++) mean += samples[i];
  mean /= samples.length;
  for (let i = 0; i < samples.length; i++) samples[i] -= mean;
}

/**
 * The speech frames: the threshold (see {@link speechThresholdDb}), the first and last frame at
 * or above it, and how many are. Throws `silent` when even the loudest frame is below the
 * silence floor.
 */
function findSpeech(energyDb: Float32Array, cfg: SpeechFeatureConfig): { thresholdDb: number; first: number; last: number; activeCount: number } {
  let peakDb = -Infinity;
  for (let i = 0; i < energyDb.length; i++) peakDb = Math.max(peakDb, energyDb[i]);
  if (!(peakDb >= cfg.silenceFloorDbfs)) {
    throw new SpeechInputError('silent', `the loudest moment is ${peakDb.toFixed(0)} dBFS, below the silence floor of ${cfg.silenceFloorDbfs} dBFS`);
  }
  const thresholdDb = speechThresholdDb(energyDb, peakDb, cfg);
  let first = -1;
  let last = -1;
  let activeCount = 0;
  for (let i = 0; i < energyDb.length; i++) {
    if (energyDb[i] >= thresholdDb) {
      if (first < 0) first = i;
      last = i;
      activeCount++;
    }
  }
  return { thresholdDb, first, last, activeCount };
}

/** RMS energy of each frame, dB re full scale. */
function frameEnergiesDb(samples: Float32Array, frame: number, hop: number, frameCount: number): Float32Array {
  const out = new Float32Array(frameCount);
  // Prefix sums in float64: exact enough over 10 minutes at 16 kHz (~1e7 terms ≤ 1).
  const prefix = new Float64Array(samples.length + 1);
  for (let i = 0; i < samples.length; i++) prefix[i + 1] = prefix[i] + samples[i] * samples[i];
  for (let f = 0; f < frameCount; f++) out[f] = powerDb((prefix[f * hop + frame] - prefix[f * hop]) / frame);
  return out;
}

/**
 * The energy above which a frame counts as speech, dBFS: the highest of
 * - `silenceFloorDbfs` (a quiet room's floor with any microphone gain we care about),
 * - the loudest frame − `trimRelativeDb` (trims clean recordings' silences), and
 * - the noise gate: the noise floor (5th percentile of frame energies) plus a margin of a third of
 *   the distance from the floor to the speech level (95th percentile), at least 3 dB and at most
 *   `trimNoiseMarginDb`, and never closer than 6 dB to the speech level. Stationary noise frames
 *   sit within a dB or two of the floor, so in a room where a fan is only 10–15 dB below the voice
 *   they stay out of the statistics (and give the noise spectrum), while a recording without
 *   pauses loses only its quietest speech frames and a steady sound is not cut at all.
 */
export function speechThresholdDb(energyDb: Float32Array, peakDb: number, cfg: SpeechFeatureConfig): number {
  const sorted = Float32Array.from(energyDb).sort();
  const noiseFloorDb = sorted[Math.floor(0.05 * (sorted.length - 1))];
  const speechLevelDb = sorted[Math.floor(0.95 * (sorted.length - 1))];
  const margin = Math.min(cfg.trimNoiseMarginDb, Math.max(3, (speechLevelDb - noiseFloorDb) / 3));
  return Math.max(cfg.silenceFloorDbfs, peakDb - cfg.trimRelativeDb, Math.min(noiseFloorDb + margin, speechLevelDb - 6));
}
