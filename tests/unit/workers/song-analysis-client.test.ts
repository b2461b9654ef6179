import { beforeEach, describe, expect, it, vi } from 'vitest';
import { WorkerTaskError } from '../../../src/workers/worker-pool.ts';
import type { LibraryPool } from '../../../src/workers/library-client.ts';
import { analyseSongWith, BROWSER_DECODE_MAX_BYTES, type PageDecoders } from '../../../src/workers/song-analysis-client.ts';

// The browser's decoders, recorded: the page must never decode a large file itself.
const decode = vi.fn(async () => ({ sampleRateHz: 11025, channels: [new Float32Array(11025 * 30)], durationSeconds: 30 }));
const durationSeconds = vi.fn(async () => 245);
const page: PageDecoders = { decode, durationSeconds };

/** A Blob stand-in of any size that never allocates its bytes. */
const fileOf = (sizeBytes: number): Blob => ({ size: sizeBytes, arrayBuffer: async () => new ArrayBuffer(8) }) as unknown as Blob;

function poolFailingWith(name: string): LibraryPool & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    run: async (method: string) => {
      calls.push(method);
      if (method === 'analyseFile') throw new WorkerTaskError(name, `${name} in the worker`);
      return { analysis: { status: 'ok' }, timings: {} };
    },
  } as unknown as LibraryPool & { calls: string[] };
}

const signal = new AbortController().signal;

describe('analyseSongWith keeps large files off the page', () => {
  beforeEach(() => {
    decode.mockClear();
    durationSeconds.mockClear();
  });

  it('streams a file over the limit in the worker only, even when the browser decoder is preferred', async () => {
    const pool = poolFailingWith('DecodeError');
    const outcome = await analyseSongWith(page, pool, fileOf(BROWSER_DECODE_MAX_BYTES + 1), 'm4a', { signal, decoder: 'browser' });
    expect(pool.calls).toEqual(['analyseFile']);
    expect(decode).not.toHaveBeenCalled();
    // Kept (it plays, as far as the media element can tell) but marked as not analysed.
    expect(durationSeconds).toHaveBeenCalledTimes(1);
    expect(outcome.durationSeconds).toBe(245);
    expect(outcome.analysis).toMatchObject({ status: 'error', error: { code: 'too-large' } });
  });

  it('after a worker crash or stall, reads only the length, and says which', async () => {
    for (const [name, code] of [['WorkerError', 'worker-crashed'], ['WorkerTimeout', 'timed-out'], ['MessageError', 'failed']] as const) {
      const outcome = await analyseSongWith(page, poolFailingWith(name), fileOf(5_000_000), 'mp3', { signal, decoder: 'wasm' });
      expect(outcome.analysis).toMatchObject({ status: 'error', error: { code } });
      expect(outcome.durationSeconds).toBe(245);
    }
    expect(decode).not.toHaveBeenCalled();
  });

  it('still lets the browser decode a small file the worker cannot read', async () => {
    const pool = poolFailingWith('UnsupportedFormatError');
    const outcome = await analyseSongWith(page, pool, fileOf(3_000_000), 'm4a', { signal, decoder: 'wasm' });
    expect(decode).toHaveBeenCalledTimes(1);
    expect(pool.calls).toEqual(['analyseFile', 'analysePcm']);
    expect(outcome).toMatchObject({ decoder: 'browser', durationSeconds: 30 });
  });
});
