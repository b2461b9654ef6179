import type { AbortSignalLike } from '../../core/abort.ts';
import { ANALYSIS_SAMPLE_RATE_HZ } from '../../core/music/analysis-frame.ts';
import { SongAnalyser } from '../../core/music/song-analyser.ts';
import type { SongFeatures } from '../../core/music/song-features.ts';
import { AnalysisRateStream } from './compressed-decode.ts';
import type { AnalysisTimings } from './encoded-features.ts';

/** Reads bytes [start, end) of a file. */
export type ReadRange = (start: number, end: number) => Promise<Uint8Array>;

/** What a format's excerpt reader is given besides the layout and the excerpt. */
export interface ExcerptReadOptions {
  signal?: AbortSignalLike;
  /** An excerpt with less than this analysed is dropped, s. */
  minSeconds: number;
  now: () => number;
  /** Fraction of the excerpt done, 0 … 1. */
  onProgress: (fraction: number) => void;
}

/**
 * One excerpt's analysis from audio decoded a little before it (MP3, FLAC and M4A excerpts are
 * decoded from a frame before the excerpt starts: the decoder's and the resampler's pre-roll).
 * Feed decoded chunks to {@link stream}; the first `skipSeconds` of mono at the analysis rate are
 * dropped, the next `durationSeconds` analysed, the rest ignored. Feature time goes into
 * `timings.featuresMs` as it is spent.
 */
export class ExcerptWindow {
  /** Mixes down and resamples what is decoded, then hands the excerpt's part to the analyser. */
  readonly stream: AnalysisRateStream;
  private readonly analyser: SongAnalyser;
  private readonly skip: number;
  private readonly wanted: number;
  private seen = 0;
  private pushed = 0;

  constructor(
    skipSeconds: number,
    durationSeconds: number,
    private readonly timings: AnalysisTimings,
    private readonly now: () => number,
  ) {
    this.analyser = new SongAnalyser({ now });
    this.skip = Math.max(0, Math.round(skipSeconds * ANALYSIS_SAMPLE_RATE_HZ));
    this.wanted = Math.round(durationSeconds * ANALYSIS_SAMPLE_RATE_HZ);
    this.stream = new AnalysisRateStream((mono) => this.take(mono), now);
  }

  private take(mono: Float32Array): void {
    const lo = Math.max(0, this.skip - this.seen);
    const hi = Math.min(mono.length, this.skip + this.wanted - this.seen);
    this.seen += mono.length;
    if (hi <= lo) return;
    const t = this.now();
    this.analyser.push(mono.subarray(lo, hi));
    this.timings.featuresMs += this.now() - t;
    this.pushed += hi - lo;
  }

  /** Whether nothing of the excerpt has been analysed yet. */
  get empty(): boolean {
    return this.pushed === 0;
  }

  /** Whether the whole excerpt has been analysed (more decoding is wasted). */
  get full(): boolean {
    return this.pushed >= this.wanted;
  }

  /** Fraction of the excerpt analysed, 0 … 1. */
  get fraction(): number {
    return Math.min(1, this.pushed / Math.max(1, this.wanted));
  }

  /**
   * Adds the stream's mix-down (as decoding) and resampling times to `timings`, and finishes the
   * analysis; null when less than `minSeconds` was analysed (a file cut short, a failed decode).
   */
  finish(minSeconds: number): SongFeatures | null {
    this.timings.decodeMs += this.stream.decodeMs;
    this.timings.resampleMs += this.stream.resampleMs;
    if (this.pushed < minSeconds * ANALYSIS_SAMPLE_RATE_HZ) return null;
    const t = this.now();
    const features = this.analyser.finish();
    this.timings.featuresMs += this.now() - t - this.analyser.tempoMs;
    this.timings.tempoMs += this.analyser.tempoMs;
    return features;
  }
}
