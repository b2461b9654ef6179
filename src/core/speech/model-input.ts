import type { SpeechAnalysis } from './speech-analysis.ts';
import type { SpeechFeatureConfig } from './speech-contract.ts';
import { utteranceStats } from './utterance-stats.ts';
import type { EffectiveNormalisation } from './voice-profile.ts';

/**
 * A stretch of an analysed recording that gets its own utterance statistics, and the CNN
 * windows inside it. Short recordings are one segment; a 10-minute one is many.
 */
export interface SpeechSegment {
  /** Frame range `[startFrame, endFrame)` within the analysis. */
  startFrame: number;
  endFrame: number;
  /** Speech frames in the range. */
  activeFrames: number;
  /** Raw (unnormalised) utterance statistics of the range. */
  stats: Float32Array;
  /** First frame of each CNN window, relative to the analysis (windows longer than the segment wrap around). */
  windowStarts: number[];
}

/**
 * Cuts an analysis into segments of at most `segmentMaxFrames` (equal lengths) and places
 * CNN windows of `windowFrames` in each, `windowHopFrames` apart, the last one flush with the
 * segment's end. A segment shorter than a window gets one window that repeats the segment
 * (tiling keeps its spectral statistics, unlike padding with silence).
 * Segments that are mostly silence (< 10 % speech frames, e.g. pauses in a long recording)
 * are dropped, unless no segment is left.
 */
export function planSegments(analysis: SpeechAnalysis, features: SpeechFeatureConfig): SpeechSegment[] {
  const total = analysis.frameCount;
  const count = Math.max(1, Math.ceil(total / features.segmentMaxFrames));
  const segments: SpeechSegment[] = [];
  for (let s = 0; s < count; s++) {
    const startFrame = Math.round((s * total) / count);
    const endFrame = Math.round(((s + 1) * total) / count);
    let activeFrames = 0;
    for (let t = startFrame; t < endFrame; t++) activeFrames += analysis.active[t];
    segments.push({ startFrame, endFrame, activeFrames, stats: new Float32Array(0), windowStarts: [] });
  }
  let kept = segments.filter((s) => s.activeFrames >= 0.1 * (s.endFrame - s.startFrame));
  if (kept.length === 0) kept = [segments.reduce((a, b) => (b.activeFrames > a.activeFrames ? b : a))];
  const size = features.windowFrames;
  const hop = features.windowHopFrames;
  for (const segment of kept) {
    segment.stats = utteranceStats(analysis, segment.startFrame, segment.endFrame);
    const length = segment.endFrame - segment.startFrame;
    if (length <= size) {
      segment.windowStarts = [segment.startFrame];
    } else {
      const windows = Math.ceil((length - size) / hop) + 1;
      for (let w = 0; w < windows; w++) segment.windowStarts.push(segment.startFrame + Math.round((w * (length - size)) / (windows - 1)));
    }
  }
  return kept;
}

/** The model's two inputs for every window, batch-major, ready to become tensors. */
export interface SpeechModelInputs {
  windowCount: number;
  windowFrames: number;
  melBandCount: number;
  statsCount: number;
  /** Normalised log-mel, `[window][frame][band]` (the `[batch, frames, bands, 1]` input, channels last). */
  logMel: Float32Array;
  /** Normalised utterance statistics of each window's segment, `[window][statistic]`. */
  stats: Float32Array;
  /** Index into the segments for each window. */
  windowSegment: Int32Array;
}

/**
 * Normalises and lays out the model inputs for `segments` of `analysis`:
 * log-mel `(x − melMean[band]) · melInvStd[band]`, statistics `(s − mean) · invStd` (or 0 where
 * masked). Frames past a short segment's end wrap to its start.
 */
export function buildModelInputs(analysis: SpeechAnalysis, segments: readonly SpeechSegment[], features: SpeechFeatureConfig, norm: EffectiveNormalisation): SpeechModelInputs {
  const bands = analysis.melBandCount;
  const size = features.windowFrames;
  const statsCount = norm.statsMean.length;
  const windowCount = segments.reduce((n, s) => n + s.windowStarts.length, 0);
  const logMel = new Float32Array(windowCount * size * bands);
  const stats = new Float32Array(windowCount * statsCount);
  const windowSegment = new Int32Array(windowCount);
  let w = 0;
  segments.forEach((segment, segmentIndex) => {
    const length = segment.endFrame - segment.startFrame;
    const normalisedStats = new Float32Array(statsCount);
    for (let i = 0; i < statsCount; i++) normalisedStats[i] = norm.statsKeep[i] ? (segment.stats[i] - norm.statsMean[i]) * norm.statsInvStd[i] : 0;
    for (const start of segment.windowStarts) {
      const base = w * size * bands;
      for (let t = 0; t < size; t++) {
        const source = start - segment.startFrame + t < length ? start + t : segment.startFrame + ((start - segment.startFrame + t) % length);
        const from = source * bands;
        const to = base + t * bands;
        for (let m = 0; m < bands; m++) logMel[to + m] = (analysis.logMelDb[from + m] - norm.melMeanDb[m]) * norm.melInvStd[m];
      }
      stats.set(normalisedStats, w * statsCount);
      windowSegment[w] = segmentIndex;
      w++;
    }
  });
  return { windowCount, windowFrames: size, melBandCount: bands, statsCount, logMel, stats, windowSegment };
}
