import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CountingBlob } from './counting-blob.ts';
import { analyseBlobExcerpts } from '../../../../src/adapters/audio/analyse-excerpts.ts';
import { readFlacLayout, seekFlacFrame } from '../../../../src/adapters/audio/flac-excerpts.ts';
import { findFlacFrame, parseFlacFrameHeader, parseFlacStreamInfo } from '../../../../src/core/audio/flac-frames.ts';
import { ANALYSIS_SAMPLE_RATE_HZ } from '../../../../src/core/music/analysis-frame.ts';

/**
 * FLAC excerpts read in place (Node, the wasm FLAC decoder the worker uses). Fixtures are made
 * with ffmpeg at test time (without it these fail rather than skip): a 240-s tone at 300 Hz with
 * 1000 Hz exactly where the planner puts a 4-minute song's three excerpts (37.5–67.5 s,
 * 105–135 s, 172.5–202.5 s), so the zero-crossing rate of what was analysed says where in the
 * file the decoded frames came from; a 1-s error in seeking moves it by about 23 Hz.
 */
const dir = mkdtempSync(join(tmpdir(), 'norae-flac-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SONG_SECONDS = 240;
const TONE = 'if(between(t,37.5,67.5)+between(t,105,135)+between(t,172.5,202.5),1000,300)';
const RATE_HZ = 44_100;

function ffmpeg(args: string[]): void {
  execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-y', ...args]);
}

function flacFixture(name: string, extra: string[] = [], inputs: string[] = []): Uint8Array<ArrayBuffer> {
  const out = join(dir, name);
  ffmpeg(['-f', 'lavfi', '-i', `aevalsrc=exprs='0.5*sin(2*PI*${TONE}*t)':s=${RATE_HZ}:d=${SONG_SECONDS}`, ...inputs, '-ac', '2', '-c:a', 'flac', '-sample_fmt', 's16', ...extra, out]);
  return Uint8Array.from(readFileSync(out));
}

const flac = flacFixture('song.flac');
const toneHz = (zeroCrossingRate: number): number => (zeroCrossingRate * ANALYSIS_SAMPLE_RATE_HZ) / 2;

describe('FLAC headers', () => {
  it('reads STREAMINFO: rate, channels, depth, exact length, block size', () => {
    const info = parseFlacStreamInfo(flac);
    expect(info).toMatchObject({ sampleRateHz: RATE_HZ, channelCount: 2, bitsPerSample: 16, totalSamples: SONG_SECONDS * RATE_HZ });
    expect(info!.minBlockSize).toBe(info!.maxBlockSize);
    expect(parseFlacStreamInfo(new Uint8Array(64))).toBeNull();
  });

  it('finds a frame mid-file and the sample it starts at, refusing a lone sync pattern', async () => {
    const info = parseFlacStreamInfo(flac)!;
    const layout = (await readFlacLayout(flac.subarray(0, 64 * 1024), flac.length, async (a, b) => flac.subarray(a, b)))!;
    const first = parseFlacFrameHeader(flac, layout.audioStartByte, info);
    expect(first).toMatchObject({ firstSample: 0, number: 0, variableBlockSize: false });
    const middle = findFlacFrame(flac, Math.floor(flac.length / 2), info)!;
    expect(middle.header.firstSample % info.maxBlockSize).toBe(0);
    expect(middle.header.firstSample).toBeGreaterThan(0.3 * SONG_SECONDS * RATE_HZ);
    expect(middle.header.firstSample).toBeLessThan(0.7 * SONG_SECONDS * RATE_HZ);
    // A copy of that header with nothing after it is not confirmed by a following frame.
    const lone = new Uint8Array([0, 1, 2, ...flac.subarray(middle.offset, middle.offset + middle.header.headerBytes), ...new Uint8Array(4096)]);
    expect(parseFlacFrameHeader(lone, 3, info)).not.toBeNull();
    expect(findFlacFrame(lone, 0, info)).toBeNull();
  });

  it('seeks to a frame at most 1.5 s before a wanted sample in a few probes', async () => {
    const layout = (await readFlacLayout(flac.subarray(0, 64 * 1024), flac.length, async (a, b) => flac.subarray(a, b)))!;
    let probes = 0;
    for (const seconds of [10, 37.2, 104.7, 172.2, 230]) {
      const target = seconds * RATE_HZ;
      const found = await seekFlacFrame(layout, target, async (a, b) => {
        probes++;
        return flac.subarray(a, b);
      });
      expect(found.sample).toBeLessThanOrEqual(target);
      expect(target - found.sample).toBeLessThanOrEqual(1.5 * RATE_HZ);
      expect(parseFlacFrameHeader(flac, found.byte, layout.stream)?.firstSample).toBe(found.sample);
    }
    expect(probes).toBeLessThanOrEqual(5 * 4);
  });
});

describe('FLAC excerpts', { timeout: 60_000 }, () => {
  it('decodes only the excerpts: the right seconds, little more of the file read than they span', async () => {
    const blob = new CountingBlob([flac]);
    const result = await analyseBlobExcerpts(blob);
    expect(result.method).toBe('flac-slices');
    expect(result.durationSeconds).toBe(SONG_SECONDS);
    expect(result.excerpts.map((e) => e.startSeconds)).toEqual([37.5, 105, 172.5]);
    for (const e of result.excerpts) expect(e.durationSeconds).toBeCloseTo(30, 1);
    expect(toneHz(result.features.zeroCrossingRate)).toBeGreaterThan(990);
    expect(toneHz(result.features.zeroCrossingRate)).toBeLessThan(1010);
    // The three excerpts (with their 0.3-s pre-roll) span 41 % of this file's bytes (its 1000-Hz
    // parts compress worse than the rest); seek probes and the last feed add a little. A whole
    // read would be 100 %.
    expect(blob.bytesRead / flac.length).toBeLessThan(0.55);
  });

  it('reads the same as decoding the whole stream (a FLAC without a stated length)', async () => {
    // Piped, ffmpeg cannot go back to write the length: STREAMINFO says 0 samples.
    const piped = Uint8Array.from(execFileSync('ffmpeg', ['-hide_banner', '-loglevel', 'error', '-i', join(dir, 'song.flac'), '-c:a', 'flac', '-f', 'flac', 'pipe:1'], { maxBuffer: 1 << 28 }));
    expect(parseFlacStreamInfo(piped)?.totalSamples).toBe(0);
    const stream = await analyseBlobExcerpts(new Blob([piped]), { durationHintSeconds: SONG_SECONDS });
    const slices = await analyseBlobExcerpts(new Blob([flac]));
    expect(stream.method).toBe('stream');
    expect(slices.excerpts.map((e) => e.startSeconds)).toEqual(stream.excerpts.map((e) => e.startSeconds));
    // The same samples, analysed from another frame on: only the resampler's phase differs.
    for (const name of ['zeroCrossingRate', 'rmsDb', 'spectralCentroidHz', 'loudnessLufs', 'mfcc1Mean'] as const) {
      expect(Math.abs(slices.features[name] - stream.features[name])).toBeLessThan(0.002 * Math.abs(stream.features[name]));
    }
  });

  it('skips a cover picture larger than the head it reads first', async () => {
    const cover = join(dir, 'cover.png');
    ffmpeg(['-f', 'lavfi', '-i', 'nullsrc=s=600x600,geq=random(1)*255:128:128', '-frames:v', '1', cover]);
    const withCover = flacFixture('cover.flac', ['-map', '0:a', '-map', '1:v', '-disposition:v', 'attached_pic', '-c:v', 'png'], ['-i', cover]);
    const layout = await readFlacLayout(withCover.subarray(0, 64 * 1024), withCover.length, async (a, b) => withCover.subarray(a, b));
    expect(layout!.audioStartByte).toBeGreaterThan(64 * 1024);
    const result = await analyseBlobExcerpts(new Blob([withCover]));
    expect(result.method).toBe('flac-slices');
    expect(toneHz(result.features.zeroCrossingRate)).toBeGreaterThan(990);
  });

  it('stops when its signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(analyseBlobExcerpts(new Blob([flac]), { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('the FLAC decoder', () => {
  it('gathers the library’s per-frame copies (its internals are where 0.2.11 keeps them) and decodes the same samples', async () => {
    const { createFlacDecoder, flacOutputGathered } = await import('../../../../src/adapters/audio/flac-decoder.ts');
    const { FLACDecoder } = await import('@wasm-audio-decoders/flac');
    const ours = await createFlacDecoder();
    expect(flacOutputGathered(ours)).toBe(true);
    const plain = new FLACDecoder();
    await plain.ready;
    // Two calls, so the reused buffers are reused.
    for (const part of [flac.subarray(0, 400_000), flac.subarray(400_000, 900_000)]) {
      const a = await ours.decode(part);
      const b = await plain.decode(part);
      expect(a.samplesDecoded).toBe(b.samplesDecoded);
      expect(a.samplesDecoded).toBeGreaterThan(0);
      for (let c = 0; c < 2; c++) {
        let differing = 0;
        for (let i = 0; i < b.samplesDecoded; i++) if (a.channelData[c][i] !== b.channelData[c][i]) differing++;
        expect(differing).toBe(0);
      }
    }
    ours.free();
    plain.free();
  });
});
