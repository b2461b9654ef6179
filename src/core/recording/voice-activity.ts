/**
 * Level metering and "stop when the speaker has finished" for microphone recordings. Works on
 * the chunks an audio worklet delivers (any size), in real time, with constant memory.
 */

/** RMS level of a block in dBFS (−∞ for digital silence, clamped to −100). */
export function rmsDb(samples: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < samples.length; i++) sum += samples[i] * samples[i];
  const rms = Math.sqrt(sum / Math.max(1, samples.length));
  return rms > 0 ? Math.max(-100, 20 * Math.log10(rms)) : -100;
}

export interface AutoStopOptions {
  /** Level above which a block counts as speech, relative to the noise floor (dB). */
  speechAboveFloorDb?: number;
  /** Absolute level a block must also reach to count as speech (dBFS). */
  minSpeechDb?: number;
  /** Silence after speech that ends the recording (seconds). */
  trailingSilenceSeconds?: number;
  /** Speech needed before trailing silence may end it (seconds). */
  minSpeechSeconds?: number;
}

/**
 * Tracks a slowly adapting noise floor and decides when speech started and when it has been
 * followed by enough silence to stop. Feed it every block with its duration.
 */
export class AutoStopDetector {
  readonly #speechAboveFloorDb: number;
  readonly #minSpeechDb: number;
  readonly #trailingSilenceSeconds: number;
  readonly #minSpeechSeconds: number;
  #floorDb = -60;
  #hasFloor = false;
  #speechSeconds = 0;
  #silenceSeconds = 0;
  #started = false;

  constructor(options: AutoStopOptions = {}) {
    this.#speechAboveFloorDb = options.speechAboveFloorDb ?? 12;
    this.#minSpeechDb = options.minSpeechDb ?? -45;
    this.#trailingSilenceSeconds = options.trailingSilenceSeconds ?? 1.5;
    this.#minSpeechSeconds = options.minSpeechSeconds ?? 0.6;
  }

  /** Seconds of speech heard so far. */
  get speechSeconds(): number {
    return this.#speechSeconds;
  }

  /** Adds a block; returns true when the recording should stop now. */
  push(levelDb: number, durationSeconds: number): boolean {
    // Recordings start before people speak: the first block sets the room's floor.
    if (!this.#hasFloor) {
      this.#floorDb = levelDb;
      this.#hasFloor = true;
    }
    const isSpeech = levelDb > this.#floorDb + this.#speechAboveFloorDb && levelDb > this.#minSpeechDb;
    // The floor follows quiet blocks quickly and loud ones slowly (a ~2 s time constant), so a
    // steady noise becomes the floor while speech, which keeps pausing, does not.
    const perBlock = durationSeconds / 0.02;
    const rate = levelDb < this.#floorDb ? 1 - 0.7 ** perBlock : 1 - 0.99 ** perBlock;
    this.#floorDb += (levelDb - this.#floorDb) * rate;
    if (isSpeech) {
      this.#speechSeconds += durationSeconds;
      this.#silenceSeconds = 0;
      if (this.#speechSeconds >= this.#minSpeechSeconds) this.#started = true;
    } else {
      this.#silenceSeconds += durationSeconds;
    }
    return this.#started && this.#silenceSeconds >= this.#trailingSilenceSeconds;
  }
}

/** `interrupted`: the microphone went away before the recording ended (set by the recorder, not measured). */
export type RecordingWarning = 'too-quiet' | 'too-short' | 'clipping' | 'silent' | 'interrupted';

/** What is wrong with a finished recording, if anything, so the user can try again usefully. */
export function assessRecording(
  samples: Float32Array,
  sampleRateHz: number,
  options: { minSeconds?: number; quietPeakDb?: number } = {},
): { durationSeconds: number; peakDb: number; clippedFraction: number; warnings: RecordingWarning[] } {
  const minSeconds = options.minSeconds ?? 1;
  const quietPeakDb = options.quietPeakDb ?? -30;
  let peak = 0;
  let clipped = 0;
  for (let i = 0; i < samples.length; i++) {
    const a = Math.abs(samples[i]);
    if (a > peak) peak = a;
    if (a >= 0.999) clipped++;
  }
  const durationSeconds = samples.length / sampleRateHz;
  const peakDb = peak > 0 ? 20 * Math.log10(peak) : -100;
  const clippedFraction = samples.length > 0 ? clipped / samples.length : 0;
  const warnings: RecordingWarning[] = [];
  if (peakDb <= -60) warnings.push('silent');
  else if (peakDb < quietPeakDb) warnings.push('too-quiet');
  if (durationSeconds < minSeconds) warnings.push('too-short');
  if (clippedFraction > 0.001) warnings.push('clipping');
  return { durationSeconds, peakDb, clippedFraction, warnings };
}
