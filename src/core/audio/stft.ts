/**
 * Streaming STFT framing: push any number of samples at a time and get every full frame of
 * `frameSizeSamples`, advancing by `hopSizeSamples`, multiplied by `window` (when given). Frames
 * start at sample 0 (no centre padding), so frame `i` covers samples [i·hop, i·hop + frame).
 * Only one frame of history is kept, so memory is bounded however long the stream.
 */
export class StftFramer {
  readonly frameSizeSamples: number;
  readonly hopSizeSamples: number;
  private readonly window: Float32Array | null;
  /** Samples waiting to complete the next frame (never more than one frame). */
  private readonly pending: Float32Array;
  private pendingCount = 0;
  /** The windowed frame handed to the callback; overwritten by the next frame. */
  private readonly frame: Float32Array;
  private framesEmitted = 0;

  constructor(opts: { frameSizeSamples: number; hopSizeSamples: number; window?: Float32Array }) {
    const { frameSizeSamples, hopSizeSamples, window } = opts;
    if (!(hopSizeSamples > 0 && hopSizeSamples <= frameSizeSamples)) {
      throw new RangeError('hop must be in (0, frame size]');
    }
    if (window && window.length !== frameSizeSamples) throw new RangeError('window length must equal frame size');
    this.frameSizeSamples = frameSizeSamples;
    this.hopSizeSamples = hopSizeSamples;
    this.window = window ?? null;
    this.pending = new Float32Array(frameSizeSamples);
    this.frame = new Float32Array(frameSizeSamples);
  }

  /** Number of frames emitted so far. */
  get frameCount(): number {
    return this.framesEmitted;
  }

  /**
   * Appends `samples`; calls `onFrame(frame, frameIndex, raw)` for each completed frame, where
   * `frame` is windowed and `raw` is the unwindowed frame (both views reused between calls).
   */
  push(samples: Float32Array, onFrame: (frame: Float32Array, frameIndex: number, raw: Float32Array) => void): void {
    const size = this.frameSizeSamples;
    const hop = this.hopSizeSamples;
    const pending = this.pending;
    const window = this.window;
    let offset = 0;
    while (offset < samples.length) {
      const take = Math.min(size - this.pendingCount, samples.length - offset);
      pending.set(samples.subarray(offset, offset + take), this.pendingCount);
      this.pendingCount += take;
      offset += take;
      if (this.pendingCount < size) break;
      if (window) for (let i = 0; i < size; i++) this.frame[i] = pending[i] * window[i];
      else this.frame.set(pending);
      onFrame(this.frame, this.framesEmitted++, pending);
      // Keep the overlap (frame − hop samples) for the next frame.
      pending.copyWithin(0, hop, size);
      this.pendingCount = size - hop;
    }
  }
}
