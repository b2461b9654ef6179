import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyseBlobExcerpts } from '../../../../src/adapters/audio/analyse-excerpts.ts';
import { parseM4aLayout, readM4aLayout } from '../../../../src/adapters/audio/m4a-excerpts.ts';

/**
 * M4A sample tables in Node (WebCodecs, which decodes them in the app's worker, is the
 * browser's: the e2e "a 10-minute M4A…" covers the decoding). Fixtures made with ffmpeg at test
 * time: AAC in MP4 with the `moov` after the audio (ffmpeg's default, like most encoders) and
 * before it (`+faststart`).
 */
const dir = mkdtempSync(join(tmpdir(), 'norae-m4a-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function m4a(name: string, extra: string[] = []): Uint8Array<ArrayBuffer> {
  const out = join(dir, name);
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=100:sample_rate=44100', '-ac', '2', '-c:a', 'aac', '-b:a', '128k', ...extra, out]);
  return Uint8Array.from(readFileSync(out));
}

const reader = (bytes: Uint8Array) => async (start: number, end: number) => bytes.subarray(start, end);

describe('M4A sample tables', { timeout: 30_000 }, () => {
  it('reads every AAC frame’s place and time, with the moov after the audio or before it', async () => {
    for (const bytes of [m4a('end.m4a'), m4a('start.m4a', ['-movflags', '+faststart'])]) {
      const layout = await parseM4aLayout(bytes.length, reader(bytes));
      expect(layout).not.toBeNull();
      expect(layout!.config).toMatchObject({ codec: 'mp4a.40.2', sampleRate: 44_100, numberOfChannels: 2 });
      expect(layout!.config.description).toBeInstanceOf(Uint8Array);
      expect(layout!.durationSeconds).toBeGreaterThan(99.9);
      expect(layout!.durationSeconds).toBeLessThan(100.2);
      // 1,024 samples a frame: ≈ 4,307 frames for 100 s, each inside the file, in time order.
      const { samples } = layout!;
      expect(samples.length).toBeGreaterThan(4300);
      expect(samples.length).toBeLessThan(4315);
      const misplaced = samples.filter((s, i) => (i > 0 && s.dts - samples[i - 1].dts !== 1024) || s.offset + s.size > bytes.length || s.size === 0);
      expect(misplaced).toEqual([]);
    }
  });

  it('finds no AAC track where there is none, and leaves M4A to the browser where WebCodecs is missing (Node)', async () => {
    const wav = Uint8Array.from(execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:duration=1', '-f', 'wav', 'pipe:1']));
    expect(await parseM4aLayout(wav.length, reader(wav))).toBeNull();
    const bytes = m4a('node.m4a');
    expect(await readM4aLayout(bytes.length, reader(bytes))).toBeNull();
    await expect(analyseBlobExcerpts(new Blob([bytes]))).rejects.toMatchObject({ code: 'unsupported-format' });
  });
});
