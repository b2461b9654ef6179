import { EMOTIONS, topEmotion, type EmotionDistribution, type EmotionLabel } from '../emotion/emotions.ts';
import { faceEmotionFromDistribution, type FaceEmotion } from './face-expressions.ts';
import { boxAreaPx2, intersectionOverUnion, type BoxPx } from './face-boxes.ts';

/** One face as read in one camera frame. */
export interface FrameFace {
  /** Where it is, in the frame's pixels. */
  box: BoxPx;
  /** What the model read on this frame alone. */
  distribution: EmotionDistribution;
}

/** A face followed across frames, with its smoothed reading. */
export interface TrackedFace extends FaceEmotion {
  /** Stable while the face stays in view (boxes keep overlapping); new faces get new ids. */
  id: number;
  /** Its box in the latest frame it was seen in. */
  box: BoxPx;
  /** Time it was last seen (the caller's clock, ms). */
  lastSeenMs: number;
  /** Time it was first seen (ms). */
  firstSeenMs: number;
  /**
   * The emotion to show: the smoothed reading's top label, which changes only once another label
   * leads it by `switchMargin` — so a blink or a turned head that briefly tips a close call does
   * not flip what the panel says.
   */
  shown: EmotionLabel;
}

/** A "use this moment" reading: the mean of the last window's frames of one face. */
export interface FaceMoment extends FaceEmotion {
  trackId: number;
  /** Frames averaged. */
  frameCount: number;
  /** Time between the first and last frame averaged, ms. */
  spanMs: number;
}

export interface FaceTrackerOptions {
  /**
   * Time constant of the exponential smoothing, ms: a new frame moves the reading by
   * 1 − exp(−Δt / τ) of the way, so smoothing does not depend on the frame rate. 300 ms damps
   * frame-to-frame flicker of the net (its readings jump between neighbouring frames) yet
   * follows a real change of expression within about half a second.
   */
  timeConstantMs?: number;
  /** A face unseen for longer than this is forgotten (a later face gets a new id). */
  maxGapMs?: number;
  /** A new box continues a track when its IoU with the track's last box is at least this. */
  minIntersectionOverUnion?: number;
  /** Window averaged by {@link FaceTracker.moment} ("use this moment": the last second). */
  momentWindowMs?: number;
  /** How far (probability) another label must lead the shown one before the shown one changes. */
  switchMargin?: number;
}

interface Track {
  id: number;
  box: BoxPx;
  smoothed: EmotionDistribution;
  firstSeenMs: number;
  lastSeenMs: number;
  shown: EmotionLabel;
  /** Raw per-frame readings within the moment window, oldest first. */
  history: { timeMs: number; distribution: EmotionDistribution }[];
}

/**
 * Follows faces across camera frames, smooths each face's reading over time, and averages the
 * last second on demand ("use this moment"). Pure bookkeeping: give it each frame's faces and
 * a timestamp (e.g. `performance.now()` or the video frame's time).
 */
export class FaceTracker {
  private readonly timeConstantMs: number;
  private readonly maxGapMs: number;
  private readonly minIou: number;
  private readonly momentWindowMs: number;
  private readonly switchMargin: number;
  private tracks: Track[] = [];
  private nextId = 1;

  constructor(options: FaceTrackerOptions = {}) {
    this.timeConstantMs = options.timeConstantMs ?? 300;
    this.maxGapMs = options.maxGapMs ?? 500;
    this.minIou = options.minIntersectionOverUnion ?? 0.3;
    this.momentWindowMs = options.momentWindowMs ?? 1000;
    this.switchMargin = options.switchMargin ?? 0.1;
  }

  /**
   * Adds one frame (`faces` may be empty: nobody in view) taken at `timeMs`, and returns the
   * faces seen in it with their smoothed readings, largest first.
   */
  update(timeMs: number, faces: readonly FrameFace[]): TrackedFace[] {
    this.tracks = this.tracks.filter((t) => timeMs - t.lastSeenMs <= this.maxGapMs);
    // Greedy matching, best-overlapping pairs first.
    const pairs: { track: number; face: number; iou: number }[] = [];
    this.tracks.forEach((t, ti) =>
      faces.forEach((f, fi) => {
        const iou = intersectionOverUnion(t.box, f.box);
        if (iou >= this.minIou) pairs.push({ track: ti, face: fi, iou });
      }),
    );
    pairs.sort((a, b) => b.iou - a.iou);
    const trackUsed = new Set<number>();
    const faceTrack = new Map<number, Track>();
    for (const p of pairs) {
      if (trackUsed.has(p.track) || faceTrack.has(p.face)) continue;
      trackUsed.add(p.track);
      faceTrack.set(p.face, this.tracks[p.track]);
    }
    const seen: Track[] = [];
    faces.forEach((face, fi) => {
      const distribution = { ...face.distribution };
      let track = faceTrack.get(fi);
      if (track) {
        const dtMs = Math.max(0, timeMs - track.lastSeenMs);
        const alpha = 1 - Math.exp(-dtMs / this.timeConstantMs);
        for (const label of EMOTIONS) track.smoothed[label] += alpha * (distribution[label] - track.smoothed[label]);
        const leader = topEmotion(track.smoothed);
        if (track.smoothed[leader] - track.smoothed[track.shown] >= this.switchMargin) track.shown = leader;
        track.box = face.box;
        track.lastSeenMs = Math.max(track.lastSeenMs, timeMs);
      } else {
        track = { id: this.nextId++, box: face.box, smoothed: { ...distribution }, firstSeenMs: timeMs, lastSeenMs: timeMs, shown: topEmotion(distribution), history: [] };
        this.tracks.push(track);
      }
      track.history.push({ timeMs, distribution });
      while (track.history.length > 0 && timeMs - track.history[0].timeMs > this.momentWindowMs) track.history.shift();
      seen.push(track);
    });
    return seen.map((t) => this.view(t)).sort((a, b) => boxAreaPx2(b.box) - boxAreaPx2(a.box));
  }

  /** Every face currently remembered (seen within the last `maxGapMs` of the latest update), largest first. */
  get faces(): TrackedFace[] {
    return this.tracks.map((t) => this.view(t)).sort((a, b) => boxAreaPx2(b.box) - boxAreaPx2(a.box));
  }

  /**
   * "Use this moment": one face's raw readings over the last `momentWindowMs` before `nowMs`
   * (default: the largest face remembered), averaged with the steadiest frames counting most:
   * each frame is weighted by its agreement with the window's mean (1 − total variation
   * distance), so a blink, a turned head or a misread frame counts little while a real change
   * of expression (many frames) keeps its share. Null when that face has no frame in the window.
   */
  moment(nowMs: number, trackId?: number): FaceMoment | null {
    const candidates = trackId === undefined ? [...this.tracks].sort((a, b) => boxAreaPx2(b.box) - boxAreaPx2(a.box)) : this.tracks.filter((t) => t.id === trackId);
    const track = candidates[0];
    if (!track) return null;
    const frames = track.history.filter((h) => nowMs - h.timeMs <= this.momentWindowMs && h.timeMs <= nowMs);
    if (frames.length === 0) return null;
    const mean = Object.fromEntries(EMOTIONS.map((l) => [l, 0])) as EmotionDistribution;
    for (const f of frames) for (const l of EMOTIONS) mean[l] += f.distribution[l] / frames.length;
    const sum = Object.fromEntries(EMOTIONS.map((l) => [l, 0])) as EmotionDistribution;
    for (const f of frames) {
      const agreement = 1 - EMOTIONS.reduce((d, l) => d + Math.abs(f.distribution[l] - mean[l]), 0) / 2;
      for (const l of EMOTIONS) sum[l] += Math.max(agreement, 1e-6) * f.distribution[l];
    }
    return {
      ...faceEmotionFromDistribution(sum),
      trackId: track.id,
      frameCount: frames.length,
      spanMs: frames[frames.length - 1].timeMs - frames[0].timeMs,
    };
  }

  /** Forgets every face (e.g. when the camera stops). */
  reset(): void {
    this.tracks = [];
  }

  private view(t: Track): TrackedFace {
    return { ...faceEmotionFromDistribution(t.smoothed), id: t.id, box: t.box, lastSeenMs: t.lastSeenMs, firstSeenMs: t.firstSeenMs, shown: t.shown };
  }
}
