import { ANALYSIS_FRAME_RATE_HZ, ANALYSIS_MEL_BANDS } from './analysis-frame.ts';
import { GrowableArray } from './running-stats.ts';
import type { SongFeatures } from './song-features.ts';
import { estimateTempo, type TempoOptions } from './tempo.ts';

type RhythmFeatureName = 'tempoBpm' | 'tempoConfidence' | 'onsetRatePerSecond' | 'onsetStrengthMean' | 'onsetStrengthStd';

/**
 * Rhythm from the onset envelope: the positive log-mel flux of every frame (how much the
 * spectrum rises, dB per band), from which the tempo, the onset rate and the strength of the
 * motion are read at the end. Keeps one value per frame (8 bytes per 23 ms).
 */
export class RhythmTracker {
  private readonly previousMelDb = new Float64Array(ANALYSIS_MEL_BANDS);
  private readonly envelope = new GrowableArray(8192);

  /** Adds every frame's mel spectrum in dB (silent frames too: the envelope is a time series). */
  add(melDb: Float64Array): void {
    let flux = 0;
    const first = this.envelope.length === 0;
    for (let b = 0; b < ANALYSIS_MEL_BANDS; b++) {
      const db = melDb[b];
      const rise = first ? 0 : db - this.previousMelDb[b];
      if (rise > 0) flux += rise;
      this.previousMelDb[b] = db;
    }
    this.envelope.push(flux / ANALYSIS_MEL_BANDS);
  }

  /**
   * Tempo, onset rate and onset strength of a song `durationSeconds` long, and the milliseconds
   * the tempo took by `now` (a clock in ms; 0 without one: core has no clock of its own).
   */
  features(
    durationSeconds: number,
    tempoOptions: TempoOptions,
    now: (() => number) | undefined,
  ): { features: Pick<SongFeatures, RhythmFeatureName>; tempoMs: number } {
    const envelope = Float32Array.from(this.envelope.view());
    const tempoStart = now?.() ?? 0;
    const tempo = estimateTempo(envelope, ANALYSIS_FRAME_RATE_HZ, tempoOptions);
    const tempoMs = (now?.() ?? 0) - tempoStart;
    const onsets = countOnsets(envelope);
    let mean = 0;
    for (let i = 0; i < envelope.length; i++) mean += envelope[i];
    mean /= envelope.length;
    let variance = 0;
    for (let i = 0; i < envelope.length; i++) variance += (envelope[i] - mean) ** 2;
    variance /= envelope.length;
    const features = {
      tempoBpm: tempo.bpm,
      tempoConfidence: tempo.confidence,
      onsetRatePerSecond: durationSeconds > 0 ? onsets / durationSeconds : 0,
      onsetStrengthMean: mean,
      onsetStrengthStd: Math.sqrt(variance),
    };
    return { features, tempoMs };
  }
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
    if (!isLocalMax(envelope, i, 3)) continue;
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

/** True when no value within ±`radius` of `i` exceeds envelope[i]. */
function isLocalMax(envelope: Float32Array, i: number, radius: number): boolean {
  const v = envelope[i];
  for (let j = Math.max(0, i - radius); j <= Math.min(envelope.length - 1, i + radius); j++) {
    if (envelope[j] > v) return false;
  }
  return true;
}
