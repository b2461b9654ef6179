/** A decoded song: one Float32Array per channel at `sampleRateHz`. */
export interface DecodedAudio {
  sampleRateHz: number;
  channels: Float32Array[];
  durationSeconds: number;
}

/** Thrown when the browser's decoder rejects the file. */
export class DecodeError extends Error {
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = 'DecodeError';
  }
}

/**
 * Decodes compressed audio with the browser's own decoder (Chromium's FFmpeg, on its own
 * thread). An OfflineAudioContext decodes at the file's native rate when `sampleRateHz` is
 * omitted; pass a rate to have the browser resample (analysis uses fewer samples).
 */
export async function decodeAudio(bytes: ArrayBuffer, sampleRateHz?: number): Promise<DecodedAudio> {
  // decodeAudioData needs a context; an offline one never touches the audio device.
  const ctx = new OfflineAudioContext(1, 1, sampleRateHz ?? 48_000);
  let buffer: AudioBuffer;
  try {
    buffer = await ctx.decodeAudioData(bytes);
  } catch (error) {
    throw new DecodeError((error as Error)?.message || 'Unable to decode audio data', error);
  }
  const channels: Float32Array[] = [];
  for (let c = 0; c < buffer.numberOfChannels; c++) channels.push(buffer.getChannelData(c));
  return { sampleRateHz: buffer.sampleRate, channels, durationSeconds: buffer.duration };
}

/** Sample rates OfflineAudioContext accepts everywhere. */
const MIN_CONTEXT_RATE_HZ = 8_000;
const MAX_CONTEXT_RATE_HZ = 96_000;

/**
 * Proves a file decodes and measures its real duration. Decoding at the file's own rate (from
 * its header, when known) avoids a pointless resample; the samples are dropped at once.
 */
export async function probeDecode(bytes: ArrayBuffer, nativeRateHz?: number): Promise<{
  durationSeconds: number;
  sampleRateHz: number;
  channelCount: number;
}> {
  const rate =
    nativeRateHz && nativeRateHz >= MIN_CONTEXT_RATE_HZ && nativeRateHz <= MAX_CONTEXT_RATE_HZ ? nativeRateHz : 48_000;
  const decoded = await decodeAudio(bytes, rate);
  return {
    durationSeconds: decoded.durationSeconds,
    sampleRateHz: nativeRateHz ?? decoded.sampleRateHz,
    channelCount: decoded.channels.length,
  };
}

/**
 * A file's duration as the browser's media player reads it: only its header and index, never the
 * whole file decoded in memory, so it is safe for any size on the page's thread. Rejects with
 * `DecodeError` when the browser cannot play the file (or says nothing within `timeoutMs`).
 */
export function mediaDurationSeconds(blob: Blob, timeoutMs = 15_000): Promise<number> {
  return new Promise((resolve, reject) => {
    const audio = document.createElement('audio');
    const url = URL.createObjectURL(blob);
    const done = (): void => {
      clearTimeout(timer);
      audio.onloadedmetadata = audio.onerror = null;
      audio.removeAttribute('src');
      audio.load();
      URL.revokeObjectURL(url);
    };
    const timer = setTimeout(() => {
      done();
      reject(new DecodeError('The browser did not read the file’s length in time'));
    }, timeoutMs);
    audio.preload = 'metadata';
    audio.onloadedmetadata = () => {
      const seconds = audio.duration;
      done();
      if (Number.isFinite(seconds) && seconds > 0) resolve(seconds);
      else reject(new DecodeError('The browser could not tell how long the file plays'));
    };
    audio.onerror = () => {
      const message = audio.error?.message || 'The browser cannot play this file';
      done();
      reject(new DecodeError(message));
    };
    audio.src = url;
  });
}
