import { parseMp3FrameHeader, type Mp3FrameHeader } from '../../core/audio/mp3-frames.ts';
import type { AbortSignalLike } from '../../core/abort.ts';
import { downmixToMono } from '../../core/audio/downmix.ts';
import type { DecodedChunk } from './compressed-decode.ts';

/**
 * Encoded audio frames (MP3, and the AAC frames of an M4A) decoded by the browser's own decoder
 * through WebCodecs (`AudioDecoder`, in a worker too): Chromium's native FFmpeg decoders, for
 * MP3 measured several times faster than the wasm mpg123 on the same excerpts (see the import
 * benchmark). Where WebCodecs or its MP3 decoder is missing (Node, older browsers)
 * {@link webCodecsMp3Supported} says so and the caller uses the wasm decoder.
 */

let supported: Promise<boolean> | null = null;

/** Frames waiting in the decoder at most (≈ 1.7 s of audio). */
const MAX_QUEUED_FRAMES = 64;
/**
 * Feeding resumes when the queue is down to this: frames go in bursts, not one per `dequeue`
 * event (a promise and a wake-up per 26-ms frame was measurable in the worker's profile).
 */
const RESUME_QUEUED_FRAMES = 16;


/** Whether this environment decodes MP3 with WebCodecs (asked once, then remembered). */
export function webCodecsMp3Supported(first: Mp3FrameHeader): Promise<boolean> {
  if (typeof AudioDecoder === 'undefined' || typeof EncodedAudioChunk === 'undefined') return Promise.resolve(false);
  supported ??= AudioDecoder.isConfigSupported({ codec: 'mp3', sampleRate: first.sampleRateHz, numberOfChannels: first.channelCount })
    .then((r) => r.supported === true)
    .catch(() => false);
  return supported;
}

/** Decoded samples gathered per hand-over (≈ 0.8 s at 44.1 kHz: 32 MP3 frames). */
const BATCH_FRAMES = 32 * 1152;

/**
 * Mixes decoded AudioData to mono (the channels' mean, exactly as `downmixToMono`: analysis
 * reads nothing else) into a reused Float32 batch and hands it on ≈ 0.8 s at a time. Why: a
 * fresh Float32Array per plane per MP3 frame (1,152 samples, off-heap in V8) cost more than
 * the codec itself — 1,055 vs 583 ms for a 197-s song on the page in Chromium 156 — and a
 * stereo frame is copied out interleaved, one `copyTo` instead of one per plane, and mixed
 * as it lands in the batch (no second pass over a stereo copy).
 */
class MonoBatcher {
  private mono = new Float32Array(BATCH_FRAMES);
  private scratch = new Float32Array(2 * 1152);
  private planes: Float32Array[] = [];
  private filled = 0;
  private sampleRate = 0;

  constructor(private readonly onChunk: (chunk: DecodedChunk) => void) {}

  add(data: AudioData): void {
    const frames = data.numberOfFrames;
    const channels = data.numberOfChannels;
    if (this.filled > 0 && (data.sampleRate !== this.sampleRate || this.filled + frames > this.mono.length)) this.flush();
    if (this.mono.length < frames) this.mono = new Float32Array(frames);
    this.sampleRate = data.sampleRate;
    const out = this.mono.subarray(this.filled, this.filled + frames);
    if (channels === 1) {
      data.copyTo(out, { planeIndex: 0, format: 'f32-planar' });
    } else if (channels === 2) {
      if (this.scratch.length < 2 * frames) this.scratch = new Float32Array(2 * frames);
      const both = this.scratch;
      data.copyTo(both.subarray(0, 2 * frames), { planeIndex: 0, format: 'f32' });
      for (let i = 0, j = 0; i < frames; i++, j += 2) out[i] = 0.5 * (both[j] + both[j + 1]);
    } else {
      if (this.planes.length !== channels || this.planes[0].length < frames) this.planes = Array.from({ length: channels }, () => new Float32Array(frames));
      for (let c = 0; c < channels; c++) data.copyTo(this.planes[c].subarray(0, frames), { planeIndex: c, format: 'f32-planar' });
      downmixToMono(this.planes, frames, out);
    }
    this.filled += frames;
  }

  /** Hands on what is gathered (a view of the reused batch: valid during the call only). */
  flush(): void {
    if (this.filled === 0) return;
    const frames = this.filled;
    this.filled = 0;
    this.onChunk({ channelData: [this.mono.subarray(0, frames)], samplesDecoded: frames, sampleRate: this.sampleRate });
  }
}

/** One encoded frame for {@link decodeWithWebCodecs}. */
export interface EncodedFrame {
  data: Uint8Array;
  timestampMicros: number;
}

/**
 * Decodes the MP3 frames of `bytes` (which must start at a frame, see `findMp3FrameStart`), in
 * order, handing the decoded audio, mixed to mono, to `onChunk` in blocks of about 0.8 s. The
 * block's array is reused: valid during the call only (copy what must be kept). Stops after `maxFrames`
 * frames, or at the first byte that is not a frame of the same stream (a tag, the end of a
 * range). Rejects when the decoder fails.
 */
export async function decodeMp3WithWebCodecs(
  bytes: Uint8Array,
  onChunk: (chunk: DecodedChunk) => void,
  signal?: AbortSignalLike,
  maxFrames = Number.POSITIVE_INFINITY,
): Promise<void> {
  const first = parseMp3FrameHeader(bytes, 0);
  if (!first) throw new Error('decodeMp3WithWebCodecs: bytes do not start at an MP3 frame');
  const frameMicros = (first.samplesPerFrame / first.sampleRateHz) * 1e6;
  function* frames(): Generator<EncodedFrame> {
    let index = 0;
    for (let at = 0; at + 4 <= bytes.length && index < maxFrames; index++) {
      const header = parseMp3FrameHeader(bytes, at);
      if (!header || header.sampleRateHz !== first!.sampleRateHz || at + header.frameBytes > bytes.length) return;
      yield { data: bytes.subarray(at, at + header.frameBytes), timestampMicros: Math.round(index * frameMicros) };
      at += header.frameBytes;
    }
  }
  await decodeWithWebCodecs({ codec: 'mp3', sampleRate: first.sampleRateHz, numberOfChannels: first.channelCount }, frames(), onChunk, signal);
}

/**
 * Decodes encoded frames (each a key frame: MP3, AAC, Vorbis and Opus packets) with WebCodecs, in order, handing the
 * decoded audio, mixed to mono (the channels' mean), to `onChunk` in blocks of about 0.8 s (the
 * array reused: valid during the call only). The decoder holds at most {@link MAX_QUEUED_FRAMES} frames (bounded memory). What decoded
 * before a decoder failure is handed on, then the failure is thrown. `signal` stops it within a
 * burst of frames (≈ 1 s of audio): it rejects with the signal's `AbortError` and hands nothing more on.
 */
export async function decodeWithWebCodecs(
  config: AudioDecoderConfig,
  frames: Iterable<EncodedFrame> | AsyncIterable<EncodedFrame>,
  onChunk: (chunk: DecodedChunk) => void,
  signal?: AbortSignalLike,
): Promise<void> {
  let failure: unknown = null;
  // The batch in hand is good audio unless the consumer itself failed.
  let consumerFailed = false;
  // Wakes the feeding loop when the decoder takes a frame, or fails (then no frame is taken).
  let wake: (() => void) | null = null;
  const batcher = new MonoBatcher(onChunk);
  const decoder = new AudioDecoder({
    output: (data) => {
      try {
        if (!failure && !signal?.aborted) batcher.add(data);
      } catch (error) {
        failure = error;
        consumerFailed = true;
      } finally {
        data.close();
      }
    },
    error: (error) => {
      failure ??= error;
      wake?.();
    },
  });
  decoder.addEventListener('dequeue', () => {
    if (decoder.decodeQueueSize <= RESUME_QUEUED_FRAMES) wake?.();
  });
  try {
    decoder.configure(config);
    // Frames read as they are decoded (Ogg pages) come from an async iterator; a sync one (MP3,
    // AAC already in hand) is walked without an await per frame.
    const iterator = Symbol.asyncIterator in frames ? frames[Symbol.asyncIterator]() : frames[Symbol.iterator]();
    for (;;) {
      const next = iterator.next();
      const step = next instanceof Promise ? await next : next;
      if (step.done) break;
      const frame = step.value;
      decoder.decode(new EncodedAudioChunk({ type: 'key', timestamp: frame.timestampMicros, data: frame.data }));
      // Bounded memory: let the decoder catch up (and its outputs be consumed) rather than
      // queue a whole excerpt of frames and decoded audio at once.
      if (decoder.decodeQueueSize > MAX_QUEUED_FRAMES) {
        while (decoder.decodeQueueSize > RESUME_QUEUED_FRAMES && !failure) await new Promise<void>((resolve) => (wake = resolve));
        signal?.throwIfAborted();
      }
      if (failure) break;
    }
    signal?.throwIfAborted();
    if (!failure) {
      await decoder.flush().catch((error: unknown) => {
        failure ??= error;
      });
    }
  } finally {
    if (decoder.state !== 'closed') decoder.close();
  }
  // What decoded before a decoder failure is handed on too (the caller keeps a partial excerpt).
  if (!consumerFailed) {
    try {
      batcher.flush();
    } catch (error) {
      failure ??= error;
    }
  }
  if (failure) throw failure;
}
