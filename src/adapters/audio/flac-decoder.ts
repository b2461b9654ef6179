import { FLACDecoder } from '@wasm-audio-decoders/flac';
import type { ChunkDecoder, DecodedChunk } from './compressed-decode.ts';

/**
 * @wasm-audio-decoders/flac with its per-frame output copies gathered into reused buffers.
 *
 * Why: the library copies every decoded FLAC frame out of wasm memory into two fresh
 * Float32Arrays (one per channel, ≈ 18 KB each) and then concatenates them per `decode` call.
 * Chromium allocates each ArrayBuffer slowly — 20,000 slices of 4,608 floats took 2.0 s in a
 * Chromium 156 worker against 0.08 s in Node 20 — so those copies were most of a FLAC excerpt's
 * decode in the app: 77 s of a real song decoded in 340–450 ms in a worker, 175–210 ms with
 * them gathered here (same samples). The library's `getOutputChannels` (an instance property
 * of its `WASMAudioDecoderCommon`, version 0.2.11 pinned in package.json) is replaced by one that
 * copies into a reused buffer per channel and returns views of it; the library's own
 * concatenation at the end of each `decode` copies them out, so the views never outlive the call.
 * {@link flacOutputGathered} says whether the replacement took (a test checks it does).
 */

interface CommonInternals {
  getOutputChannels?: (output: Float32Array, channels: number, samples: number) => Float32Array[];
}

/** The decoder's internals this relies on, when they are where version 0.2.11 keeps them. */
function internals(decoder: FLACDecoder): CommonInternals | null {
  const common = (decoder as unknown as { _decoder?: { _common?: CommonInternals } })._decoder?._common;
  return common && typeof common.getOutputChannels === 'function' ? common : null;
}

/** Whether a ready decoder made by {@link createFlacDecoder} gathers its output (false: the library's own copies). */
export function flacOutputGathered(decoder: ChunkDecoder): boolean {
  return (decoder as { gathered?: boolean }).gathered === true;
}

/** A FLAC chunk decoder (see the module comment); `decode` hands back fresh arrays as the library does. */
export async function createFlacDecoder(): Promise<ChunkDecoder & { gathered: boolean }> {
  const decoder = new FLACDecoder();
  await decoder.ready;
  const common = internals(decoder);
  let planes: Float32Array[] = [];
  let used = 0;
  if (common) {
    common.getOutputChannels = (output, channels, samples) => {
      if (planes.length !== channels || used + samples > planes[0].length) {
        planes = Array.from({ length: channels }, () => new Float32Array(Math.max(1 << 18, samples)));
        used = 0;
      }
      const views = planes.map((plane, c) => {
        plane.set(output.subarray(c * samples, (c + 1) * samples), used);
        return plane.subarray(used, used + samples);
      });
      used += samples;
      return views;
    };
  } else {
    console.warn('Norae: @wasm-audio-decoders/flac changed inside; FLAC decodes with its own (slower) copies');
  }
  const done = (decoded: DecodedChunk): DecodedChunk => {
    used = 0;
    return decoded;
  };
  return {
    gathered: common !== null,
    ready: Promise.resolve(),
    decode: async (chunk) => done(await decoder.decode(chunk)),
    flush: async () => done(await decoder.flush()),
    free: () => decoder.free(),
  };
}
