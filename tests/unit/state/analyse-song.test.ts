import { describe, expect, it, vi } from 'vitest';
import { DecodeError } from '../../../src/adapters/audio/decode.ts';
import { WorkerTaskError } from '../../../src/workers/worker-pool.ts';
import type { LibraryPool } from '../../../src/workers/library-client.ts';

// The browser refuses every file: its decoder and its media element both throw DecodeError.
vi.mock('../../../src/adapters/audio/decode.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../src/adapters/audio/decode.ts')>();
  return {
    ...original,
    decodeAudio: vi.fn(async () => Promise.reject(new original.DecodeError('not audio'))),
    mediaDurationSeconds: vi.fn(async () => Promise.reject(new original.DecodeError('does not play'))),
  };
});
const { analyseSong, analyseSongFile, UndecodableError } = await import('../../../src/state/analyse-song.ts');

const fileOf = (sizeBytes: number): Blob => ({ size: sizeBytes, arrayBuffer: async () => new ArrayBuffer(8) }) as unknown as Blob;
const signal = new AbortController().signal;

function poolAnswering(run: (method: string) => Promise<unknown>): LibraryPool & { calls: string[] } {
  const calls: string[] = [];
  return { calls, run: (method: string) => (calls.push(method), run(method)) } as unknown as LibraryPool & { calls: string[] };
}

describe('analyseSong lends the page decoders to the worker client', () => {
  it('tries the worker when the browser cannot decode a file', async () => {
    const pool = poolAnswering(async () => ({ durationSeconds: 12, analysis: { status: 'ok' }, timings: {} }));
    const outcome = await analyseSong(pool, fileOf(3_000_000), 'flac', { signal, decoder: 'browser' });
    expect(pool.calls).toEqual(['analyseFile']);
    expect(outcome).toMatchObject({ decoder: 'wasm-worker', durationSeconds: 12 });
  });

  it('calls a file neither the worker nor the browser reads undecodable', async () => {
    const pool = poolAnswering(async () => Promise.reject(new WorkerTaskError('WorkerError', 'crashed')));
    const failure = analyseSong(pool, fileOf(3_000_000), 'mp3', { signal, decoder: 'wasm' });
    await expect(failure).rejects.toBeInstanceOf(UndecodableError);
    await expect(failure).rejects.toMatchObject({ cause: expect.any(DecodeError) });
  });

  it('sends an MP3 straight to the worker, which reads only its excerpts, with the tags’ length', async () => {
    const runs: Array<{ method: string; arg: unknown }> = [];
    const pool = {
      run: async (method: string, arg: unknown) => (runs.push({ method, arg }), { durationSeconds: 200, analysis: { status: 'ok' }, timings: {} }),
    } as unknown as LibraryPool;
    // An ID3v2 tag, then an MPEG-1 layer III frame header: sniffed as MP3 from its first bytes.
    const id3 = [0x49, 0x44, 0x33, 3, 0, 0, 0, 0, 0, 0];
    const file = new File([new Uint8Array([...id3, 0xff, 0xfb, 0x90, 0x64, ...new Array(600).fill(0)])], 'no-extension');
    const outcome = await analyseSongFile(pool, file, { signal, decoder: 'browser', durationHintSeconds: 200 });
    expect(runs.map((r) => r.method)).toEqual(['analyseFile']);
    expect(runs[0].arg).toMatchObject({ file, formatHint: 'mp3', durationHintSeconds: 200, webCodecs: true });
    expect(outcome).toMatchObject({ decoder: 'wasm-worker', durationSeconds: 200 });
  });
});
