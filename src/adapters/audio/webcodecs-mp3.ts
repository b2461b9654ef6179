import { parseMp3FrameHeader, type Mp3FrameHeader } from '../../core/audio/mp3-frames.ts';
import type { DecodedChunk } from './compressed-decode.ts';

/**
 * MP3 frames decoded by the browser's own decoder through WebCodecs (`AudioDecoder`, in a
 * worker too): Chromium's native FFmpeg decoder, measured several times faster than the wasm
 * mpg123 on the same excerpts (see the import benchmark). Where WebCodecs or its MP3 decoder is
 * missing (Node, older browsers) {@link webCodecsMp3Supported} says so and the caller uses the
 * wasm decoder.
 */

let supported: Promise<boolean> | null = null;

/** Frames waiting in the decoder at most (≈ 1.7 s of audio). */
const MAX_QUEUED_FRAMES = 64;


/** Whether this environment decodes MP3 with WebCodecs (asked once, then remembered). */
export function webCodecsMp3Supported(first: Mp3FrameHeader): Promise<boolean> {
  if (typeof AudioDecoder === 'undefined' || typeof EncodedAudioChunk === 'undefined') return Promise.resolve(false);
  supported ??= AudioDecoder.isConfigSupported({ codec: 'mp3', sampleRate: first.sampleRateHz, numberOfChannels: first.channelCount })
    .then((r) => r.supported === true)
    .catch(() => false);
  return supported;
}

/** The planes of one decoded AudioData as Float32 (converted when the decoder gives another format). */
function planes(data: AudioData): DecodedChunk {
  const frames = data.numberOfFrames;
  const channelData: Float32Array[] = [];
  for (let c = 0; c < data.numberOfChannels; c++) {
    const plane = new Float32Array(frames);
    data.copyTo(plane, { planeIndex: c, format: 'f32-planar' });
    channelData.push(plane);
  }
  return { channelData, samplesDecoded: frames, sampleRate: data.sampleRate };
}

/**
 * Decodes the MP3 frames of `bytes` (which must start at a frame, see `findMp3FrameStart`), in
 * order, handing each decoded block to `onChunk` as it comes (nothing is accumulated). Stops
 * at the first byte that is not a frame of the same stream (a tag, the end of a range).
 * Rejects when the decoder fails.
 */
export async function decodeMp3WithWebCodecs(bytes: Uint8Array, onChunk: (chunk: DecodedChunk) => void): Promise<void> {
  const first = parseMp3FrameHeader(bytes, 0);
  if (!first) throw new Error('decodeMp3WithWebCodecs: bytes do not start at an MP3 frame');
  let failure: unknown = null;
  // Wakes the feeding loop when the decoder takes a frame, or fails (then no frame is taken).
  let wake: (() => void) | null = null;
  const decoder = new AudioDecoder({
    output: (data) => {
      try {
        if (!failure) onChunk(planes(data));
      } catch (error) {
        failure = error;
      } finally {
        data.close();
      }
    },
    error: (error) => {
      failure ??= error;
      wake?.();
    },
  });
  decoder.addEventListener('dequeue', () => wake?.());
  try {
    decoder.configure({ codec: 'mp3', sampleRate: first.sampleRateHz, numberOfChannels: first.channelCount });
    const frameMicros = (first.samplesPerFrame / first.sampleRateHz) * 1e6;
    let index = 0;
    for (let at = 0; at + 4 <= bytes.length; index++) {
      const header = parseMp3FrameHeader(bytes, at);
      if (!header || header.sampleRateHz !== first.sampleRateHz || at + header.frameBytes > bytes.length) break;
      decoder.decode(new EncodedAudioChunk({ type: 'key', timestamp: Math.round(index * frameMicros), data: bytes.subarray(at, at + header.frameBytes) }));
      at += header.frameBytes;
      // Bounded memory: let the decoder catch up (and its outputs be consumed) rather than
      // queue a whole excerpt of frames and decoded audio at once.
      while (decoder.decodeQueueSize > MAX_QUEUED_FRAMES && !failure) await new Promise<void>((resolve) => (wake = resolve));
      if (failure) break;
    }
    if (!failure) await decoder.flush();
  } finally {
    if (decoder.state !== 'closed') decoder.close();
  }
  if (failure) throw failure;
}
